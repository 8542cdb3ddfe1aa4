from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user

from odoo.addons.crm_phone_base.tools.compat import stage_teams

from .common import RegulationCase


class TestPlainTeams(RegulationCase):
    """One team follows the regulation, another does not: what Odoo users do every day
    on the plain team gives Odoo's own result; the regulated team is unchanged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_salesman = new_test_user(
            cls.env, login="plain_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.plain_team = cls.env["crm.team"].create(
            {"name": "Plain team", "member_ids": [(6, 0, cls.plain_salesman.ids)]}
        )
        cls.odoo_new = cls.env.ref("crm.stage_lead1")
        cls.odoo_won = cls.env.ref("crm.stage_lead4")

    def make_plain_deal(self, name="Quote request", **values):
        vals = {
            "name": name,
            "type": "opportunity",
            "team_id": self.plain_team.id,
            "user_id": self.plain_salesman.id,
        }
        vals.update(values)
        # created by its salesperson (the naming standard judges them), used as admin
        return self.env["crm.lead"].with_user(self.plain_salesman).create(vals).with_env(self.env)

    def make_ready_to_win(self):
        deal = self.ready_for_contract_agreed(self.make_deal())
        deal.stage_id = self.stage["final_payment"]
        return deal

    # ---------------------------------------------------------- mark as won

    def test_plain_deal_starts_in_odoo_first_stage(self):
        self.assertEqual(self.make_plain_deal().stage_id, self.odoo_new)

    def test_mark_won_in_a_mixed_batch_uses_each_team_won_stage(self):
        plain = self.make_plain_deal()
        regulated = self.make_ready_to_win()
        (plain | regulated).action_set_won()
        self.assertEqual(plain.stage_id, self.odoo_won)
        self.assertEqual(plain.probability, 100)
        self.assertEqual(regulated.stage_id, self.stage["won"])

    def test_mark_won_in_a_mixed_batch_still_gates_the_regulated_deal(self):
        plain = self.make_plain_deal()
        regulated = self.make_deal()  # no budget, no customer, no contract
        with self.assertRaises(UserError):
            (plain | regulated).action_set_won()

    def test_plain_deal_moves_between_odoo_stages_without_gates(self):
        deal = self.make_plain_deal()
        deal.stage_id = self.env.ref("crm.stage_lead3")
        self.assertEqual(deal.stage_id, self.env.ref("crm.stage_lead3"))

    def test_plain_deal_put_into_a_payroll_stage_still_passes_its_gates(self):
        deal = self.make_plain_deal()
        with self.assertRaises(UserError):
            deal.stage_id = self.stage["prepayment"]

    # ------------------------------------------------------ delete a stage

    def test_plain_team_deletes_a_stage_deals_went_through(self):
        stage = self.env["crm.stage"].create(
            {"name": "Site visit", **stage_teams(self.plain_team), "sequence": 2}
        )
        deal = self.make_plain_deal()
        deal.stage_id = stage
        deal.stage_id = self.odoo_won
        stay = deal.stage_history_ids.filtered(lambda row: row.stage_id == stage)
        self.assertTrue(stay)
        stage.unlink()
        self.assertFalse(stage.exists())
        self.assertFalse(stay.stage_id)
        self.assertEqual(stay.stage_name, "Site visit")
        self.assertEqual(stay.display_name, "Site visit")

    def test_stage_that_paid_payroll_cannot_be_deleted(self):
        deal = self.ready_for_contract_agreed(self.make_deal())
        deal.stage_id = self.stage["prepayment"]
        with self.assertRaisesRegex(UserError, "paid payroll"):
            self.stage["prepayment"].unlink()

    # --------------------------------------------------- reorder the stages

    def test_every_stage_at_the_same_sequence_moves_no_gate(self):
        # Odoo's own crm tests set every stage to 9999.
        self.env["crm.stage"].search([]).write({"sequence": 9999})
        self.assertEqual(self.make_deal(stage="new").stage_id, self.stage["new"])
        with self.assertRaises(UserError):
            self.make_deal(stage="qualified")  # its gate asks for a budget, as before
        self.assertTrue(self.make_plain_deal())

    def test_reversed_stages_keep_forward_and_backward_moves(self):
        stages = self.env["crm.stage"].search([("regulation_code", "!=", False)])
        for stage in stages:
            stage.sequence = 1000 - stage.regulation_rank
        deal = self.make_deal()
        with self.assertRaises(UserError):
            deal.stage_id = self.stage["qualified"]  # forward: gated
        deal.expected_revenue = 5000
        deal.stage_id = self.stage["qualified"]
        deal.expected_revenue = 0
        deal.stage_id = self.stage["in_work"]  # backward: no gate
        self.assertEqual(deal.stage_id, self.stage["in_work"])

    def test_reordered_payroll_stage_left_backwards_is_still_a_clawback(self):
        deal = self.ready_for_contract_agreed(self.make_deal())
        deal.stage_id = self.stage["prepayment"]
        self.stage["prepayment"].sequence = 1
        deal.stage_id = self.stage["contract_agreed"]
        paid = deal.stage_history_ids.filtered(lambda row: row.stage_id == self.stage["prepayment"])
        self.assertTrue(paid.is_clawback)
        self.assertEqual(paid.clawback_amount, 100000)

    # --------------------------------------------------------- mark as lost

    def test_plain_deal_is_lost_without_a_reason(self):
        deal = self.make_plain_deal()
        deal.action_set_lost()
        self.assertFalse(deal.active)
        self.assertEqual(deal.probability, 0)

    def test_regulated_deal_still_needs_a_lost_reason(self):
        deal = self.make_deal()
        with self.assertRaises(UserError):
            deal.action_set_lost()

    # ----------------------------------------------------- naming standard

    def test_plain_salesperson_creates_quote_request_under_a_naming_standard(self):
        self.env.company.regulation_deal_name_pattern = r".+ — .+"
        self.assertEqual(self.make_plain_deal("Quote request").name, "Quote request")
        with self.assertRaises(ValidationError):
            self.env["crm.lead"].with_user(self.salesman).create(
                {"name": "Quote request", "type": "opportunity", "team_id": self.team.id}
            )

    # ------------------------------------------------- documents responsible

    def test_deal_rule_of_documents_responsible_is_not_read_for_other_salespeople(self):
        rule = self.env.ref("crm_regulation.crm_lead_rule_document_user")
        self.assertNotIn(rule, self.env["ir.rule"].with_user(self.salesman)._get_rules("crm.lead"))
        deal = self.make_plain_deal()
        deal.document_user_id = self.salesman
        self.assertIn(rule, self.env["ir.rule"].with_user(self.salesman)._get_rules("crm.lead"))

    # ------------------------------------------------- company-wide choices

    def save_settings(self, **values):
        self.env["res.config.settings"].create(values).execute()

    def test_tag_names_differing_by_case_are_refused_unless_settings_allow(self):
        tags = self.env["crm.tag"]
        tags.create({"name": "Wholesale"})
        with self.assertRaises(ValidationError):
            tags.create({"name": "wholesale "})
        self.save_settings(regulation_unique_tag_names=False)
        self.assertEqual(tags.create({"name": "WHOLESALE"}).name, "WHOLESALE")
        self.assertFalse(self.env["res.config.settings"].create({}).regulation_unique_tag_names)

    def test_sales_administrators_are_regulation_managers_unless_settings_say_no(self):
        admin = new_test_user(
            self.env, login="plain_sales_admin", groups="sales_team.group_sale_manager"
        )
        self.assertTrue(admin.has_group("crm_regulation.group_regulation_manager"))
        self.save_settings(regulation_sale_admins_are_managers=False)
        self.assertFalse(admin.has_group("crm_regulation.group_regulation_manager"))
        later = new_test_user(
            self.env, login="plain_sales_admin2", groups="sales_team.group_sale_manager"
        )
        self.assertFalse(later.has_group("crm_regulation.group_regulation_manager"))
        self.save_settings(regulation_sale_admins_are_managers=True)
        self.assertTrue(admin.has_group("crm_regulation.group_regulation_manager"))
