from datetime import timedelta

from odoo import fields
from odoo.tests import Form

from .rule_common import RuleCase


class TestSettingsAndCompanies(RuleCase):
    def test_rules_are_switched_and_tuned_in_settings(self):
        settings = Form(self.env["res.config.settings"])
        with settings.regulation_rule_ids.edit(0) as rule:
            rule.active = False
            rule.threshold_minutes = 45
        settings.save().execute()
        first = self.env.company.with_context(active_test=False).regulation_rule_ids[0]
        self.assertFalse(first.active)
        self.assertEqual(first.threshold_minutes, 45)

    def test_a_new_company_gets_its_own_rules(self):
        company = self.env["res.company"].create({"name": "Branch LLC"})
        rules = self.env["crm.regulation.rule"].search([("company_id", "=", company.id)])
        self.assertLessEqual(
            {"R02", "R03", "R04", "R06", "R07", "R11", "R13"}, set(rules.mapped("code"))
        )


class TestKpiAndPayroll(RuleCase):
    def test_daily_snapshot_scores_the_share_of_clean_deals(self):
        clean = self.make_deal(name="Clean — 1", stage="new")
        late = self.make_deal(name="Late — 1", stage="new")
        clean.activity_schedule("mail.mail_activity_data_todo", user_id=self.salesman.id)
        self.age(late, 30)
        self.detect("R02")
        self.env["crm.regulation.compliance.snapshot"]._cron_snapshot()
        snapshot = self.env["crm.regulation.compliance.snapshot"].search(
            [("user_id", "=", self.salesman.id), ("date", "=", fields.Date.today())]
        )
        self.assertEqual((snapshot.open_deals, snapshot.deals_with_violations), (2, 1))
        self.assertAlmostEqual(snapshot.score, 50.0)

    def test_payroll_summary_combines_deals_fines_score_and_kpi(self):
        self.env.company.regulation_kpi_threshold = 40
        deal = self.ready_for_contract_agreed(self.make_deal(stage="qualified", expected_revenue=1))
        deal.write({"stage_id": self.stage["prepayment"].id, "expected_revenue": 300000})
        late = self.make_deal(name="Late — 2", stage="new")
        self.age(late, 30)
        self.detect("R02")
        self.env["crm.regulation.compliance.snapshot"]._cron_snapshot()
        self.env.flush_all()
        line = self.env["crm.regulation.payroll.summary"].search(
            [("user_id", "=", self.salesman.id)]
        )
        self.assertEqual(line.payroll_deals, 1)
        self.assertEqual(line.payroll_amount, 300000)
        self.assertEqual(line.violation_count, 1)
        self.assertEqual(line.fines, self.rules["R02"].fine_amount)
        self.assertEqual(line.compliance_score, 50.0)
        self.assertFalse(line.kpi_eligible, "a violation is still open")
        late.message_post(body="Hello", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.env.flush_all()
        line.invalidate_recordset()
        self.assertEqual(line.fines, self.rules["R02"].fine_amount, "a late contact stays fined")
        self.assertTrue(line.kpi_eligible, "score over the threshold, nothing open")

    def test_waived_violation_carries_no_fine(self):
        late = self.make_deal(name="Late — 3", stage="new")
        self.age(late, 30)
        self.detect("R02").filtered(lambda v: v.lead_id == late).with_user(
            self.manager
        ).action_waive("Holiday")
        self.env.flush_all()
        line = self.env["crm.regulation.payroll.summary"].search(
            [("user_id", "=", self.salesman.id)]
        )
        self.assertEqual(line.fines, 0)

    def test_first_contact_report_gives_median_and_90th_percentile(self):
        for minutes in (10, 20, 30, 40):
            deal = self.make_deal(name=f"Contact — {minutes}", stage="new")
            created = self.age(deal, 120)
            message = deal.message_post(
                body="Hi", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            message.date = created + timedelta(minutes=minutes)
        self.env.flush_all()
        row = self.env["crm.regulation.first.contact.report"].search(
            [("team_id", "=", self.team.id)]
        )
        self.assertEqual(row.contacted_count, 4)
        self.assertAlmostEqual(row.median_minutes, 25, delta=0.1)
        self.assertAlmostEqual(row.p90_minutes, 37, delta=0.1)


class TestRepeatSales(RuleCase):
    def won_customer(self, name="Loyal LLC", days_ago=45):
        partner = self.env["res.partner"].create(
            {"name": name, "is_company": True, "vat": "7707083893", "street": "Lenina 1"}
        )
        deal = self.ready_for_contract_agreed(
            self.make_deal(name=f"{name} — order", stage="qualified", expected_revenue=1)
        )
        deal.partner_id = partner
        deal.write({"stage_id": self.stage["final_payment"].id})
        deal.action_set_won()
        deal.date_closed = fields.Datetime.now() - timedelta(days=days_ago)
        return partner, deal

    def test_won_customer_gets_a_follow_up_for_the_salesperson(self):
        partner, deal = self.won_customer()
        self.env["res.partner"]._cron_repeat_sales()
        activity = partner.activity_ids
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.activity_type_id.name, "Repeat sale")
        self.assertIn(f"/odoo/crm.lead/{deal.id}", str(activity.note))

    def test_follow_up_is_planned_once(self):
        partner, _deal = self.won_customer()
        self.env["res.partner"]._cron_repeat_sales()
        self.env["res.partner"]._cron_repeat_sales()
        self.assertEqual(len(partner.activity_ids), 1)

    def test_customer_who_opted_out_is_left_alone(self):
        partner, _deal = self.won_customer()
        partner.regulation_repeat_opt_out = True
        self.env["res.partner"]._cron_repeat_sales()
        self.assertFalse(partner.activity_ids)

    def test_customer_who_bought_recently_is_left_alone(self):
        partner, _deal = self.won_customer(days_ago=3)
        self.env["res.partner"]._cron_repeat_sales()
        self.assertFalse(partner.activity_ids)
