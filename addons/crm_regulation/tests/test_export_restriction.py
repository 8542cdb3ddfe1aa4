import json

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


class ExportRestrictionMixin:
    @classmethod
    def make_users(cls):
        # Both may export in general (Odoo's own right); only one may export customers.
        cls.salesman = new_test_user(
            cls.env,
            login="reg_no_export",
            groups="sales_team.group_sale_salesman,base.group_allow_export",
        )
        cls.exporter = new_test_user(
            cls.env,
            login="reg_exporter",
            groups="sales_team.group_sale_salesman,base.group_allow_export,"
            "crm_regulation.group_customer_base_export",
        )
        cls.deal = cls.env["crm.lead"].create({"name": "Secret — customer list", "user_id": False})


class TestExportRestriction(ExportRestrictionMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_users()

    def test_salesperson_without_export_right_cannot_export_deals(self):
        self.env.company.regulation_restrict_export = True
        with self.assertRaises(AccessError):
            self.deal.with_user(self.salesman).export_data(["name"])

    def test_salesperson_without_export_right_cannot_export_contacts(self):
        self.env.company.regulation_restrict_export = True
        partner = self.salesman.partner_id.with_user(self.salesman)
        with self.assertRaises(AccessError):
            partner.export_data(["name", "phone"])

    def test_other_models_stay_exportable_for_the_salesperson(self):
        self.env.company.regulation_restrict_export = True
        stage = self.env.ref("crm_regulation.stage_new").with_user(self.salesman)
        self.assertTrue(stage.export_data(["name"])["datas"])

    def test_sales_administrator_exports(self):
        self.env.company.regulation_restrict_export = True
        admin = new_test_user(
            self.env,
            login="reg_sales_admin",
            groups="sales_team.group_sale_manager,base.group_allow_export",
        )
        self.assertTrue(self.deal.with_user(admin).export_data(["name"])["datas"])

    def test_salesperson_with_export_right_exports(self):
        self.env.company.regulation_restrict_export = True
        rows = self.deal.with_user(self.exporter).sudo(False).export_data(["name"])
        self.assertEqual(rows["datas"], [["Secret — customer list"]])

    def test_deals_cannot_be_exported_through_another_models_relation(self):
        self.env.company.regulation_restrict_export = True
        self.deal.user_id = self.salesman
        history = self.env["crm.lead.stage.history"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            history.export_data(["lead_id/phone", "lead_id/partner_id/name"])
        with self.assertRaises(AccessError):
            history.export_data(["salesperson_id/partner_id/phone"])

    def test_exporting_other_fields_of_other_models_stays_free(self):
        self.env.company.regulation_restrict_export = True
        history = self.env["crm.lead.stage.history"].with_user(self.salesman).search([], limit=1)
        self.assertIn("datas", history.export_data(["stage_id/name", "entered_at"]))

    def test_picking_an_unrestricted_company_first_does_not_lift_the_restriction(self):
        self.env.company.regulation_restrict_export = True
        free = self.env["res.company"].create({"name": "Free export branch"})
        self.salesman.write({"company_ids": [(4, free.id)]})
        switched = self.deal.with_user(self.salesman).with_context(
            allowed_company_ids=[free.id, self.env.company.id]
        )
        with self.assertRaises(AccessError):
            switched.export_data(["name"])

    def test_export_is_free_while_the_setting_is_off(self):
        self.env.company.regulation_restrict_export = False
        rows = self.deal.with_user(self.salesman).export_data(["name"])
        self.assertEqual(rows["datas"], [["Secret — customer list"]])


@tagged("post_install", "-at_install")
class TestExportRestrictionHttp(ExportRestrictionMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_users()
        cls.env.company.regulation_restrict_export = True

    def export_csv(self):
        return self.url_open(
            "/web/export/csv",
            data={
                "data": json.dumps(
                    {
                        "model": "crm.lead",
                        "fields": [{"name": "name", "label": "Name"}],
                        "ids": self.deal.ids,
                        "domain": [],
                        "import_compat": False,
                    }
                ),
                "csrf_token": http.Request.csrf_token(self),
            },
        )

    @mute_logger("odoo.http")
    def test_export_route_refuses_the_salesperson_without_export_right(self):
        self.authenticate("reg_no_export", "reg_no_export")
        response = self.export_csv()
        self.assertNotIn("Secret — customer list", response.text)
        self.assertIn("not allowed to export the customer base", response.text)

    def test_export_route_serves_the_user_with_export_right(self):
        self.authenticate("reg_exporter", "reg_exporter")
        response = self.export_csv()
        self.assertEqual(response.status_code, 200)
        self.assertIn("Secret — customer list", response.text)
