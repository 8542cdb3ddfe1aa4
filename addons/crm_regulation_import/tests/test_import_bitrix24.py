from odoo.tests import tagged

from .common import ImportCase


@tagged("post_install", "-at_install")
class TestImportBitrix24(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.result = cls.import_fixture("bitrix24_deals.csv")

    def test_preset_and_counts(self):
        self.assertEqual(self.result["preset"], "bitrix24_deals")
        self.assertEqual(self.result["created"], 5, self.result["log"])
        self.assertEqual(self.result["rejected"], 1)

    def test_unknown_currency_is_refused_clearly(self):
        self.assertIn("row 8: rejected: currency 'XYZ' is unknown", self.result["log"])
        self.assertFalse(self.deal("bitrix24_deals:506"))

    def test_stages_including_latin_c(self):
        self.assertEqual(self.deal("bitrix24_deals:501").stage_id.regulation_code, "new")
        self.assertEqual(self.deal("bitrix24_deals:502").stage_id.regulation_code, "qualified")
        self.assertEqual(self.deal("bitrix24_deals:503").stage_id.regulation_code, "contract_sent")
        self.assertEqual(self.deal("bitrix24_deals:504").stage_id.regulation_code, "won")
        self.assertFalse(self.deal("bitrix24_deals:505").active)

    def test_amounts_converted_to_the_company_currency(self):
        self.assertEqual(self.deal("bitrix24_deals:501").expected_revenue, 10000)
        self.assertAlmostEqual(self.deal("bitrix24_deals:502").expected_revenue, 450000, 2)
        self.assertAlmostEqual(self.deal("bitrix24_deals:503").expected_revenue, 200000, 2)

    def test_people_and_work_email(self):
        deal = self.deal("bitrix24_deals:502")
        self.assertEqual(deal.user_id, self.igor)
        self.assertEqual(deal.email_from, "nina@print.example")
        self.assertEqual(deal.phone, "+73432002020")

    def test_two_deals_of_one_contact_share_the_partner(self):
        self.assertEqual(
            self.deal("bitrix24_deals:502").partner_id, self.deal("bitrix24_deals:503").partner_id
        )

    def test_expected_closing_of_an_open_deal(self):
        self.assertEqual(str(self.deal("bitrix24_deals:501").date_deadline), "2024-04-30")

    def test_no_violation_right_after_the_import(self):
        leads = self.env["crm.lead"].search([("import_job_id", "=", self.result["job_id"])])
        self.assert_no_violation_after_the_import(leads)

    def test_stage_mapping_can_be_changed(self):
        again = self.import_fixture(
            "bitrix24_deals.csv", preset="bitrix24_deals", stages={"Новая": "in_work"},
            columns={"ID": None},
        )  # fmt: skip
        job = self.job_of(again)
        line = job.stage_map_ids.filtered(lambda m: m.source_name == "Новая")
        self.assertEqual(line.stage_id.regulation_code, "in_work")
        self.assertEqual(
            set(
                job.lead_ids.filtered(lambda d: d.name == "Поставка бумаги").stage_id.mapped(
                    "regulation_code"
                )
            ),
            {"in_work"},
        )
