from datetime import datetime

import psycopg2

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ImportCase


@tagged("post_install", "-at_install")
class TestImportAmoCRM(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.result = cls.import_fixture("amocrm_deals.csv")

    def test_preset_and_counts(self):
        self.assertEqual(self.result["preset"], "amocrm_deals")
        self.assertEqual(self.result["created"], 7, self.result["log"])
        self.assertEqual(self.result["rejected"], 1)
        self.assertIn("unknown salesperson 'Неизвестный Менеджер'", self.result["log"])

    def test_default_stages_of_amocrm(self):
        expected = {
            "amocrm_deals:31001": "new",
            "amocrm_deals:31002": "qualified",
            "amocrm_deals:31003": "proposal_sent",
            "amocrm_deals:31004": "contract_sent",
            "amocrm_deals:31005": "won",
            "amocrm_deals:31007": "unsorted",
        }
        for key, code in expected.items():
            self.assertEqual(self.deal(key).stage_id.regulation_code, code, key)
        lost = self.deal("amocrm_deals:31006")
        self.assertFalse(lost.active)
        self.assertEqual(lost.lost_reason_id.name, "Дорого")

    def test_salespeople_surname_first_with_yo(self):
        self.assertEqual(self.deal("amocrm_deals:31001").user_id, self.anna)
        self.assertEqual(self.deal("amocrm_deals:31002").user_id, self.igor)

    def test_amounts(self):
        self.assertEqual(self.deal("amocrm_deals:31001").expected_revenue, 1250000.5)
        self.assertEqual(self.deal("amocrm_deals:31002").expected_revenue, 1250000)
        self.assertEqual(self.deal("amocrm_deals:31003").expected_revenue, 0)
        self.assertEqual(self.deal("amocrm_deals:31004").expected_revenue, 0)

    def test_phones_from_several_columns_and_cells_are_normalised(self):
        deal = self.deal("amocrm_deals:31001")
        self.assertEqual(deal.phone, "+79123456789")
        self.assertEqual(self.second_phone(deal), "+74951234567")
        self.assertIn(deal.phone_sanitized, ("+79123456789", "+74951234567"))
        self.assertEqual(self.deal("amocrm_deals:31003").phone, "+79161112233")
        self.assertEqual(deal.partner_id.phone_sanitized, "+79123456789")
        self.assertEqual(deal.partner_id.parent_id.name, "ООО Ромашка")

    def test_emails_of_several_columns(self):
        deal = self.deal("amocrm_deals:31002")
        self.assertEqual(deal.email_from, "olga@lutik.example")
        self.assertIn("o.sidorova@mail.example", deal.description)

    def test_history_tags_source_and_notes_are_carried(self):
        deal = self.deal("amocrm_deals:31001")
        self.assertEqual(deal.create_date, datetime(2024, 1, 12, 10, 15))
        self.assertEqual(sorted(deal.tag_ids.mapped("name")), ["VIP", "опт"])
        self.assertEqual(deal.source_id.name, "Сайт")
        self.assertEqual(deal.medium_id.name, "cpc")
        self.assertEqual(deal.campaign_id.name, "spring")
        self.assertIn("Звонил в январе", deal.description)
        won = self.deal("amocrm_deals:31005")
        self.assertEqual(won.date_closed, datetime(2024, 3, 20, 17, 30))

    def test_imported_deals_are_marked_and_judged_from_the_import(self):
        deal = self.deal("amocrm_deals:31002")
        self.assertEqual(deal.import_job_id.id, self.result["job_id"])
        self.assertTrue(deal.regulation_start_at)
        self.assertGreater(deal.regulation_start_at, deal.create_date)
        self.assertTrue(deal.import_contacted)
        self.assertFalse(self.deal("amocrm_deals:31001").import_contacted)

    def test_no_payroll_for_imported_won_deals(self):
        won = self.deal("amocrm_deals:31005")
        self.assertTrue(won.stage_history_ids)
        self.assertFalse(any(won.stage_history_ids.mapped("is_payroll_eligible")))
        self.assertEqual(sum(won.stage_history_ids.mapped("payroll_amount")), 0)

    def test_no_violation_right_after_the_import(self):
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("import_job_id", "=", self.result["job_id"])])
        )
        self.assert_no_violation_after_the_import(leads)

    def test_reimport_creates_no_duplicates(self):
        again = self.import_fixture("amocrm_deals.csv")
        self.assertEqual(again["created"], 0)
        self.assertEqual(again["skipped"], 7)
        keys = [f"amocrm_deals:{number}" for number in range(31001, 31009)]
        leads = self.env["crm.lead"].with_context(active_test=False)
        count = leads.search_count([("import_external_id", "in", keys)])
        self.assertEqual(count, 7)

    @mute_logger("odoo.sql_db")
    def test_external_id_is_unique_in_the_database(self):
        self.env.flush_all()
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.cr.savepoint():
            self.env.cr.execute(
                "UPDATE crm_lead SET import_external_id = 'amocrm_deals:31001' "
                "WHERE import_external_id = 'amocrm_deals:31002'"
            )

    def test_rules_judge_imported_deals_from_the_import(self):
        """Half an hour after the import, a deal imported as New still waits for its first
        contact (R02 is late), one imported past it was contacted in the old system."""
        new, talking = self.deal("amocrm_deals:31001"), self.deal("amocrm_deals:31002")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET regulation_start_at = now() at time zone 'UTC' "
            "- interval '30 minutes' WHERE id IN %s",
            [(new.id, talking.id)],
        )
        self.env["crm.lead"].invalidate_model()
        late = self.detect("R02").filtered("is_current").mapped("lead_id")
        self.assertIn(new, late)
        self.assertNotIn(talking, late)
