from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestUtmAttributionReport(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        source = cls.env["utm.source"]
        cls.seo = source.create({"name": "report-seo"})
        cls.ads = source.create({"name": "report-ads"})
        cls.deal = cls.env["crm.lead"].create(
            {
                "name": "Report deal",
                "type": "opportunity",
                "source_id": cls.seo.id,
                "utm_term": "crm system",
                "last_source_id": cls.ads.id,
                "expected_revenue": 5000,
                "stage_id": cls.env.ref("crm.stage_lead4").id,
            }
        )
        cls.open_deal = cls.env["crm.lead"].create(
            {"name": "Open deal", "type": "opportunity", "source_id": cls.seo.id}
        )
        cls.env.flush_all()

    def group(self, touch, source):
        groups = self.env["crm.utm.report"]._read_group(
            [("touch", "=", touch), ("source_id", "=", source.id)],
            aggregates=["lead_count:sum", "won_count:sum", "won_revenue:sum", "conversion:avg"],
        )
        return groups[0]

    def test_first_touch_counts_leads_won_deals_revenue_and_conversion(self):
        self.assertEqual(self.group("first", self.seo), (2, 1, 5000.0, 50.0))

    def test_last_touch_credits_the_last_source(self):
        self.assertEqual(self.group("last", self.ads), (1, 1, 5000.0, 100.0))

    def test_last_touch_falls_back_to_the_first_when_none_was_recorded(self):
        """Tags written after creation (Odoo's own forms, an import) set no last touch:
        the last touch is the first one, not "None"."""
        lead = self.env["crm.lead"].create({"name": "Tagged later", "type": "opportunity"})
        lead.source_id = self.ads
        self.env.flush_all()
        row = self.env["crm.utm.report"].search([("lead_id", "=", lead.id), ("touch", "=", "last")])
        self.assertEqual(row.source_id, self.ads)

    def test_default_view_counts_each_lead_once(self):
        """Two leads of the fixture: the action's default filter totals 2, not 4."""
        action = self.env.ref("crm_utm_capture.crm_utm_report_action")
        self.assertEqual(safe_eval(action.context), {"search_default_last_touch": 1})
        search = etree.fromstring(
            self.env["crm.utm.report"].get_views([(False, "search")])["views"]["search"]["arch"]
        )
        [default] = search.xpath("//filter[@name='last_touch']")
        leads = (self.deal | self.open_deal).ids
        [(total,)] = self.env["crm.utm.report"]._read_group(
            safe_eval(default.get("domain")) + [("lead_id", "in", leads)],
            aggregates=["lead_count:sum"],
        )
        self.assertEqual(total, 2)

    def test_revenue_by_keyword(self):
        groups = self.env["crm.utm.report"]._read_group(
            [("touch", "=", "first"), ("utm_term", "=", "crm system")],
            aggregates=["won_revenue:sum"],
        )
        self.assertEqual(groups[0][0], 5000.0)

    def test_tracking_fields_carry_keyword_and_content(self):
        cookies = {cookie for _param, _field, cookie in self.env["utm.mixin"].tracking_fields()}
        self.assertLessEqual({"odoo_utm_term", "odoo_utm_content"}, cookies)
