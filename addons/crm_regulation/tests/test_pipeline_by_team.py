from odoo.exceptions import UserError

from .common import RegulationCase


class TestPipelineByTeam(RegulationCase):
    def test_new_deal_of_a_regulation_team_starts_in_new_lead(self):
        deal = self.env["crm.lead"].create(
            {"name": "Fresh — inquiry", "type": "opportunity", "team_id": self.team.id}
        )
        self.assertEqual(deal.stage_id, self.stage["new"])

    def test_new_deal_of_another_team_never_lands_in_a_regulation_stage(self):
        team = self.env["crm.team"].create({"name": "Classic"})
        deal = self.env["crm.lead"].create(
            {"name": "Classic deal", "type": "opportunity", "team_id": team.id}
        )
        self.assertFalse(deal.stage_id.regulation_code)

    def test_regulation_team_kanban_shows_the_regulation_stages_only(self):
        self.make_deal(stage="new")
        groups = (
            self.env["crm.lead"]
            .with_context(default_team_id=self.team.id)
            .read_group([("team_id", "=", self.team.id)], ["stage_id"], ["stage_id"])
        )
        stage_ids = [group["stage_id"][0] for group in groups]
        self.assertEqual(
            stage_ids, [stage.id for stage in self.stage.values()], "eleven regulation columns"
        )

    def test_other_team_kanban_does_not_show_regulation_stages(self):
        team = self.env["crm.team"].create({"name": "Classic"})
        groups = (
            self.env["crm.lead"]
            .with_context(default_team_id=team.id)
            .read_group([("team_id", "=", team.id)], ["stage_id"], ["stage_id"])
        )
        stages = self.env["crm.stage"].browse([group["stage_id"][0] for group in groups])
        self.assertTrue(stages)
        self.assertFalse(any(stages.mapped("regulation_code")))

    def test_won_deal_goes_to_the_regulation_won_stage(self):
        deal = self.ready_for_contract_agreed(self.make_deal(stage="qualified", expected_revenue=1))
        deal.write({"stage_id": self.stage["final_payment"].id})
        deal.action_set_won()
        self.assertEqual(deal.stage_id, self.stage["won"])

    def test_losing_a_deal_needs_a_lost_reason(self):
        deal = self.make_deal()
        with self.assertRaises(UserError):
            deal.action_set_lost()
        self.assertTrue(deal.active)

    def test_lost_reason_through_the_lost_wizard_closes_the_deal(self):
        deal = self.make_deal()
        reason = self.env["crm.lost.reason"].create({"name": "Too expensive"})
        wizard = self.env["crm.lead.lost"].create(
            {"lead_ids": [(6, 0, deal.ids)], "lost_reason_id": reason.id}
        )
        wizard.action_lost_reason_apply()
        self.assertFalse(deal.active)
        self.assertEqual(deal.lost_reason_id, reason)

    def test_installing_left_odoo_stages_untouched(self):
        new_stage = self.env.ref("crm.stage_lead1")
        self.assertEqual(new_stage.with_context(lang="en_US").name, "New")
        self.assertEqual(new_stage.sequence, 1)
        self.assertFalse(new_stage.regulation_code)
        self.assertFalse(self.env.ref("crm.stage_lead4").regulation_code)
