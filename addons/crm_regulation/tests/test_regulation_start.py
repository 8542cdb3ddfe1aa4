from datetime import timedelta

from odoo import fields

from .rule_common import RuleCase

A_MONTH = 30 * 24 * 60


class TestImportedDealsAreJudgedFromTheirImport(RuleCase):
    """Every rule measures from greatest(its event, the deal's regulation start)."""

    def imported(self, deal, minutes_ago):
        """The deal came in through an import ``minutes_ago`` minutes ago."""
        self.env.flush_all()
        start = fields.Datetime.now() - timedelta(minutes=minutes_ago)
        self.env.cr.execute(
            "UPDATE crm_lead SET regulation_start_at = %s WHERE id = %s", [start, deal.id]
        )
        deal.invalidate_recordset()
        return start

    def offends(self, code, deal):
        return bool(self.detect(code).filtered(lambda v: v.lead_id == deal and v.is_current))

    def test_r02_deal_created_a_month_ago_and_imported_now_is_not_late(self):
        deal = self.make_deal(stage="new")
        self.age(deal, A_MONTH)
        self.imported(deal, 0)
        self.assertFalse(self.offends("R02", deal))

    def test_r02_twenty_working_minutes_after_the_import_it_is_late(self):
        deal = self.make_deal(stage="new")
        self.age(deal, A_MONTH)
        self.imported(deal, 20)
        self.assertTrue(self.offends("R02", deal))

    def test_r02_a_deal_without_regulation_start_counts_from_its_creation(self):
        deal = self.make_deal(stage="new")
        self.age(deal, 20)
        self.assertTrue(self.offends("R02", deal))

    def test_r02_contact_soon_after_the_import_is_no_late_contact(self):
        deal = self.make_deal(stage="new")
        self.age(deal, A_MONTH)
        start = self.imported(deal, 60)
        message = deal.message_post(
            body="Hello", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        message.date = start + timedelta(minutes=5)
        self.detect("R02")
        self.assertFalse(self.violations("R02", deal))

    def test_r03_unsorted_is_counted_from_the_import(self):
        deal = self.make_deal(stage="unsorted")
        self.age_stay(deal, A_MONTH)
        self.imported(deal, 5)
        self.assertFalse(self.offends("R03", deal))
        self.imported(deal, 45)
        self.assertTrue(self.offends("R03", deal))

    def test_r06_no_task_is_counted_from_the_import(self):
        deal = self.make_deal()
        self.age(deal, A_MONTH)
        self.imported(deal, 30)
        self.assertFalse(self.offends("R06", deal))
        self.imported(deal, 90)
        self.assertTrue(self.offends("R06", deal))

    def test_r13_proposal_note_is_counted_from_the_import(self):
        deal = self.make_deal(stage="proposal_sent", expected_revenue=100)
        self.age_stay(deal, 30 * 24 * 60)
        self.imported(deal, 10)
        self.assertFalse(self.offends("R13", deal))
        self.imported(deal, 90)
        self.assertTrue(self.offends("R13", deal))

    def overdue_deal(self):
        deal = self.make_deal()
        deal.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.salesman.id,
            date_deadline=fields.Date.today() - timedelta(days=20),
        )
        return deal

    def test_r07_an_imported_deal_gets_the_rules_limit_to_sort_its_tasks_out(self):
        deal = self.overdue_deal()
        self.imported(deal, self.rules["R07"].threshold_minutes - 60)
        self.assertFalse(self.offends("R07", deal))
        self.imported(deal, self.rules["R07"].threshold_minutes + 60)
        self.assertTrue(self.offends("R07", deal))

    def test_r07_a_deal_made_in_odoo_gets_no_grace(self):
        self.assertTrue(self.offends("R07", self.overdue_deal()))

    def test_r11_an_imported_deal_gets_the_rules_limit_to_complete_its_data(self):
        deal = self.make_deal(stage="qualified", expected_revenue=100)
        deal.with_user(self.manager).with_context(regulation_force_reason="Import").write(
            {"stage_id": self.stage["contract_sent"].id}
        )
        self.imported(deal, self.rules["R11"].threshold_minutes - 60)
        self.assertFalse(self.offends("R11", deal))
        self.imported(deal, self.rules["R11"].threshold_minutes + 60)
        self.assertTrue(self.offends("R11", deal))
