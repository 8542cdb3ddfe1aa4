from odoo.exceptions import AccessError, UserError

from .common import RegulationCase


class TestDealsStayInTheRegulationPipeline(RegulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generic_stage = cls.env["crm.stage"].search([("regulation_code", "=", False)], limit=1)
        cls.classic_team = cls.env["crm.team"].create({"name": "Classic (no regulation)"})

    def test_a_salesperson_cannot_drag_a_deal_into_a_generic_stage(self):
        deal = self.make_deal()
        with self.assertRaises(UserError) as error:
            deal.with_user(self.salesman).write({"stage_id": self.generic_stage.id})
        self.assertIn("cannot leave", str(error.exception))
        self.assertEqual(deal.stage_id, self.stage["in_work"])

    def test_a_salesperson_cannot_take_a_deal_to_a_team_without_the_regulation(self):
        deal = self.make_deal()
        with self.assertRaises(UserError):
            deal.with_user(self.salesman).write({"team_id": self.classic_team.id})
        self.assertEqual(deal.team_id, self.team)

    def test_a_salesperson_cannot_force_it_out_with_a_reason(self):
        deal = self.make_deal()
        with self.assertRaises(AccessError):
            deal.with_user(self.salesman).with_context(regulation_force_reason="please").write(
                {"stage_id": self.generic_stage.id}
            )

    def test_a_regulation_manager_moves_it_out_on_purpose_and_it_is_logged(self):
        deal = self.make_deal()
        deal.with_user(self.manager).with_context(
            regulation_force_reason="Handed over to the wholesale team"
        ).write({"team_id": self.classic_team.id, "stage_id": self.generic_stage.id})
        self.assertEqual(deal.stage_id, self.generic_stage)
        self.assertIn(
            "Handed over to the wholesale team", " ".join(deal.message_ids.mapped("body"))
        )

    def test_moves_inside_the_regulation_pipeline_are_untouched(self):
        deal = self.make_deal(stage="new")
        deal.with_user(self.salesman).write({"stage_id": self.stage["in_work"].id})
        self.assertEqual(deal.stage_id, self.stage["in_work"])
