from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .rule_common import RuleCase


class TestEvidence(RuleCase):
    """Violations and stage history: append-only for all but the administrator, and
    they outlive their deal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_admin = new_test_user(
            cls.env, login="reg_sales_admin_ev", groups="sales_team.group_sale_manager"
        )
        cls.administrator = new_test_user(
            cls.env, login="reg_system_ev", groups="base.group_system,sales_team.group_sale_manager"
        )

    def late_deal(self):
        deal = self.make_deal(stage="new")
        self.age(deal, 30)
        return deal, self.detect("R02").filtered(lambda v: v.lead_id == deal)

    def test_a_regulation_manager_cannot_rewrite_a_fine(self):
        _deal, violation = self.late_deal()
        for field, value in (("fine", 0), ("state", "resolved"), ("user_id", self.manager.id)):
            with self.subTest(field=field), self.assertRaises(AccessError):
                violation.with_user(self.sales_admin).write({field: value})
        self.assertEqual((violation.fine, violation.state), (self.rules["R02"].fine_amount, "open"))

    def test_waiving_records_who_when_and_why(self):
        _deal, violation = self.late_deal()
        violation.with_user(self.manager).action_waive("Customer asked for tomorrow")
        self.assertEqual(violation.waived_by_id, self.manager)
        self.assertTrue(violation.waived_at)
        self.assertEqual((violation.fine, violation.fine_due), (violation.fine, 0))

    def test_the_administrator_corrects_a_violation_and_the_chatter_keeps_it(self):
        _deal, violation = self.late_deal()
        violation.with_user(self.administrator).write({"fine": 1})
        self.env.cr.precommit.run()  # tracking is written when the transaction commits
        tracked = violation.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "fine"
        )
        self.assertTrue(tracked)

    def test_nobody_but_the_administrator_edits_the_stage_history(self):
        deal = self.make_deal(stage="new")
        stay = deal.stage_history_ids
        for user in (self.salesman, self.manager, self.sales_admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                stay.with_user(user).write({"entered_at": "2020-01-01 00:00:00"})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                stay.with_user(user).unlink()

    def test_a_deal_with_fines_is_archived_not_deleted(self):
        deal, _violation = self.late_deal()
        with self.assertRaises(UserError):
            deal.with_user(self.sales_admin).unlink()
        self.assertTrue(deal.exists())

    def test_a_deal_that_earned_payroll_is_archived_not_deleted(self):
        deal = self.ready_for_contract_agreed(self.make_deal(stage="qualified", expected_revenue=1))
        deal.write({"stage_id": self.stage["prepayment"].id})
        with self.assertRaises(UserError):
            deal.with_user(self.sales_admin).unlink()

    def test_deleting_a_deal_keeps_its_history_with_its_name(self):
        deal = self.make_deal(name="Spam — delete me", stage="new")
        stays = deal.stage_history_ids
        deal.with_user(self.sales_admin).unlink()
        self.assertTrue(stays.exists())
        self.assertEqual(set(stays.mapped("lead_name")), {"Spam — delete me"})

    def test_the_administrator_deletes_a_fined_deal_and_the_fine_stays(self):
        deal, violation = self.late_deal()
        name = deal.name
        deal.with_user(self.administrator).unlink()
        self.assertTrue(violation.exists())
        self.assertEqual((violation.lead_name, violation.state), (name, "open"))
        self.assertFalse(violation.is_current)
