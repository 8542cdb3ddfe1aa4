from odoo.exceptions import AccessError, UserError

from .common import RegulationCase


class TestStageGates(RegulationCase):
    def test_entering_qualified_without_budget_is_refused(self):
        deal = self.make_deal()
        with self.assertRaises(UserError) as error:
            deal.write({"stage_id": self.stage["qualified"].id})
        self.assertIn("Cannot move 'ACME — 40 chairs' to Qualified", str(error.exception))
        self.assertIn("fill in the budget (expected revenue)", str(error.exception))

    def test_entering_qualified_with_budget_passes(self):
        deal = self.make_deal(expected_revenue=50000)
        deal.write({"stage_id": self.stage["qualified"].id})
        self.assertEqual(deal.stage_id, self.stage["qualified"])

    def test_budget_written_with_the_move_counts(self):
        deal = self.make_deal()
        deal.write({"stage_id": self.stage["qualified"].id, "expected_revenue": 50000})
        self.assertEqual(deal.stage_id, self.stage["qualified"])

    def test_skipping_stages_lists_every_unmet_condition_in_one_error(self):
        deal = self.make_deal()
        with self.assertRaises(UserError) as error:
            deal.write({"stage_id": self.stage["contract_agreed"].id})
        message = str(error.exception)
        self.assertIn("to Invoice and contract agreed", message)
        for condition in (
            "fill in the budget (expected revenue)",
            "write a note on what the customer agreed to",
            "fill in the customer's company",
            "fill in the customer's VAT or registration number",
            "fill in the customer's address",
            "attach a contract scan",
        ):
            self.assertIn(condition, message)

    def test_contract_scan_lets_the_deal_into_contract_agreed(self):
        deal = self.ready_for_contract_agreed(self.make_deal(stage="qualified", expected_revenue=1))
        deal.write({"stage_id": self.stage["contract_agreed"].id})
        self.assertEqual(deal.stage_id, self.stage["contract_agreed"])

    def test_a_file_of_another_type_is_no_contract_scan(self):
        deal = self.make_deal(stage="proposal_sent", expected_revenue=100000)
        deal.write({"expected_revenue": 100000, "partner_id": self.customer.id})
        self.note(deal)
        self.attach(deal, "invoice")
        self.attach(deal, False, name="contract.pdf")
        with self.assertRaises(UserError) as error:
            deal.write({"stage_id": self.stage["contract_agreed"].id})
        self.assertIn("attach a contract scan", str(error.exception))
        self.assertNotIn("VAT", str(error.exception))

    def test_registration_number_replaces_a_missing_vat(self):
        self.customer.write({"vat": False, "company_registry": "1027700132195"})
        deal = self.ready_for_contract_agreed(self.make_deal(stage="qualified", expected_revenue=1))
        deal.write({"stage_id": self.stage["contract_agreed"].id})
        self.assertEqual(deal.stage_id, self.stage["contract_agreed"])

    def test_note_written_before_the_last_stage_change_does_not_count(self):
        deal = self.make_deal(stage="qualified", expected_revenue=1000)
        self.note(deal)
        self.env.cr.execute(
            "UPDATE mail_message SET date = date - interval '1 hour' "
            "WHERE model = 'crm.lead' AND res_id = %s",
            [deal.id],
        )
        self.env["mail.message"].invalidate_model(["date"])
        deal.write({"stage_id": self.stage["proposal_sent"].id})
        with self.assertRaises(UserError) as error:
            deal.write({"stage_id": self.stage["proposal_agreed"].id})
        self.assertIn("write a note", str(error.exception))
        self.note(deal)
        deal.write({"stage_id": self.stage["proposal_agreed"].id})
        self.assertEqual(deal.stage_id, self.stage["proposal_agreed"])

    def test_backward_move_passes_no_gate(self):
        deal = self.make_deal(stage="qualified", expected_revenue=1000)
        deal.write({"expected_revenue": 0})
        deal.write({"stage_id": self.stage["new"].id})
        self.assertEqual(deal.stage_id, self.stage["new"])

    def test_creating_a_deal_directly_in_a_gated_stage_is_refused(self):
        with self.assertRaises(UserError) as error:
            self.make_deal(name="Direct — import", stage="qualified")
        self.assertIn("Cannot move 'Direct — import' to Qualified", str(error.exception))

    def test_batch_write_names_each_failing_deal_and_moves_none(self):
        good = self.make_deal(name="Good — 1", expected_revenue=10)
        bad_one = self.make_deal(name="Bad — 1")
        bad_two = self.make_deal(name="Bad — 2")
        deals = good | bad_one | bad_two
        with self.assertRaises(UserError) as error:
            deals.write({"stage_id": self.stage["qualified"].id})
        self.assertIn("'Bad — 1'", str(error.exception))
        self.assertIn("'Bad — 2'", str(error.exception))
        self.assertNotIn("'Good — 1'", str(error.exception))

    def test_gate_of_another_team_does_not_apply(self):
        other_team = self.env["crm.team"].create({"name": "Other", "use_regulation": True})
        self.env.ref("crm_regulation.gate_qualified_budget").team_ids = other_team
        deal = self.make_deal()
        deal.write({"stage_id": self.stage["qualified"].id})
        self.assertEqual(deal.stage_id, self.stage["qualified"])

    def test_archived_gate_does_not_apply(self):
        self.env.ref("crm_regulation.gate_qualified_budget").active = False
        deal = self.make_deal()
        deal.write({"stage_id": self.stage["qualified"].id})
        self.assertEqual(deal.stage_id, self.stage["qualified"])

    def test_gate_with_unknown_field_is_refused(self):
        with self.assertRaises(Exception) as error:
            self.env["crm.stage.gate"].create(
                {
                    "name": "fill in the moon phase",
                    "stage_id": self.stage["qualified"].id,
                    "field_paths": "moon_phase",
                }
            )
        self.assertIn("moon_phase", str(error.exception))

    def test_moves_between_stages_outside_the_regulation_are_not_gated(self):
        team = self.env["crm.team"].create({"name": "Classic"})
        first, second = self.env["crm.stage"].create(
            [{"name": "Classic A", "sequence": 1}, {"name": "Classic B", "sequence": 2}]
        )
        deal = self.env["crm.lead"].create(
            {
                "name": "Classic deal",
                "type": "opportunity",
                "team_id": team.id,
                "stage_id": first.id,
            }
        )
        deal.write({"stage_id": second.id})
        self.assertEqual(deal.stage_id, second)

    def test_gate_is_enforced_for_a_salesperson_too(self):
        deal = self.make_deal().with_user(self.salesman)
        with self.assertRaises(UserError):
            deal.write({"stage_id": self.stage["qualified"].id})


class TestForcedMoves(RegulationCase):
    def test_salesperson_cannot_force_a_move(self):
        deal = self.make_deal().with_user(self.salesman)
        with self.assertRaises(AccessError):
            deal.with_context(regulation_force_reason="I want to").write(
                {"stage_id": self.stage["qualified"].id}
            )

    def test_forced_move_needs_a_reason(self):
        deal = self.make_deal().with_user(self.manager)
        with self.assertRaises(UserError):
            deal.with_context(regulation_force_reason="  ").write(
                {"stage_id": self.stage["qualified"].id}
            )

    def test_manager_forces_a_move_which_is_posted_and_recorded(self):
        deal = self.make_deal()
        wizard = (
            self.env["crm.lead.force.stage"]
            .with_user(self.manager)
            .create(
                {
                    "lead_ids": [(6, 0, deal.ids)],
                    "stage_id": self.stage["qualified"].id,
                    "reason": "Budget agreed by phone, paperwork follows",
                }
            )
        )
        wizard.action_force()
        self.assertEqual(deal.stage_id, self.stage["qualified"])
        stay = deal.stage_history_ids.filtered(lambda h: not h.left_at)
        self.assertTrue(stay.forced)
        self.assertEqual(stay.force_reason, "Budget agreed by phone, paperwork follows")
        self.assertEqual(stay.moved_by_id, self.manager)
        self.env.flush_all()
        bodies = " ".join(deal.message_ids.mapped("body"))
        self.assertIn("Forced into Qualified", bodies)
        self.assertIn("fill in the budget", bodies)
        self.assertIn("Budget agreed by phone", bodies)
