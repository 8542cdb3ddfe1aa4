from ast import literal_eval

from .common import RegulationCase


class TestStageHistory(RegulationCase):
    def test_move_closes_the_stay_and_opens_the_next(self):
        deal = self.make_deal(stage="new")
        deal.with_user(self.salesman).write({"stage_id": self.stage["in_work"].id})
        stays = deal.stage_history_ids.sorted("id")
        self.assertEqual(stays.stage_id, self.stage["new"] | self.stage["in_work"])
        first, second = stays
        self.assertTrue(first.left_at)
        self.assertEqual(first.next_stage_id, self.stage["in_work"])
        self.assertFalse(second.left_at)
        self.assertEqual(second.moved_by_id, self.salesman)
        self.assertEqual(second.salesperson_id, self.salesman)
        self.assertFalse(second.forced)

    def test_rewriting_the_same_stage_records_nothing(self):
        deal = self.make_deal(stage="new")
        deal.write({"stage_id": self.stage["new"].id})
        self.assertEqual(len(deal.stage_history_ids), 1)

    def test_payroll_stage_left_backwards_is_a_clawback(self):
        deal = self.ready_for_contract_agreed(self.make_deal(stage="qualified", expected_revenue=1))
        deal.write({"stage_id": self.stage["prepayment"].id})
        deal.write({"stage_id": self.stage["contract_agreed"].id})
        prepayment = deal.stage_history_ids.filtered(
            lambda h: h.stage_id == self.stage["prepayment"]
        )
        self.assertTrue(prepayment.is_payroll_eligible)
        self.assertTrue(prepayment.is_clawback)

    def test_payroll_stage_left_forwards_is_no_clawback(self):
        deal = self.ready_for_contract_agreed(self.make_deal(stage="qualified", expected_revenue=1))
        deal.write({"stage_id": self.stage["prepayment"].id})
        deal.write({"stage_id": self.stage["final_payment"].id})
        prepayment = deal.stage_history_ids.filtered(
            lambda h: h.stage_id == self.stage["prepayment"]
        )
        self.assertFalse(prepayment.is_clawback)

    def test_a_stage_made_payroll_eligible_pays_the_next_deal_entering_it(self):
        self.make_deal(stage="qualified", expected_revenue=1)  # the stage facts are cached
        self.stage["qualified"].is_payroll_eligible = True
        deal = self.make_deal(stage="qualified", expected_revenue=500)
        self.assertTrue(deal.stage_history_ids.is_payroll_eligible)
        self.assertEqual(deal.stage_history_ids.payroll_amount, 500)

    def test_payroll_report_lists_deals_entering_payroll_stages_with_amounts(self):
        deal = self.ready_for_contract_agreed(
            self.make_deal(name="Payroll — racks", stage="qualified", expected_revenue=1)
        )
        deal.write({"stage_id": self.stage["prepayment"].id, "expected_revenue": 777000})
        action = self.env.ref("crm_regulation.crm_lead_stage_history_action_payroll")
        rows = self.env["crm.lead.stage.history"].search(
            literal_eval(action.domain) + [("lead_id", "=", deal.id)]
        )
        self.assertEqual(rows.stage_id, self.stage["prepayment"])
        self.assertEqual(rows.expected_revenue, 777000)
        self.assertEqual(rows.salesperson_id, self.salesman)

    def test_backfill_rebuilds_stays_from_tracked_stage_changes(self):
        team = self.env["crm.team"].create({"name": "Before the regulation"})
        first, second = self.env["crm.stage"].create(
            [{"name": "Old A", "sequence": 1}, {"name": "Old B", "sequence": 2}]
        )
        deal = self.env["crm.lead"].create(
            {"name": "Old deal", "type": "opportunity", "team_id": team.id, "stage_id": first.id}
        )
        # Odoo tracks changes at commit time, and not for records created in the same
        # transaction: commit the creation, then the move.
        self.env.cr.precommit.run()
        deal.write({"stage_id": second.id})
        self.env.cr.precommit.run()
        deal.stage_history_ids.unlink()
        inserted = self.env["crm.lead.stage.history"]._backfill_from_tracking()
        self.assertEqual(inserted, 2)
        stays = deal.stage_history_ids.sorted("id")
        self.assertEqual(stays.stage_id, first | second)
        self.assertTrue(all(stays.mapped("is_backfilled")))
        self.assertEqual(stays[0].next_stage_id, second)
        self.assertFalse(stays[1].left_at)

    def test_backfill_leaves_deals_with_history_alone(self):
        self.make_deal(stage="new")
        self.assertEqual(self.env["crm.lead.stage.history"]._backfill_from_tracking(), 0)

    def test_install_backfilled_the_deals_that_existed_before(self):
        # Odoo's demo deals exist before crm_regulation is installed.
        demo_deal = self.env.ref("crm.crm_case_13", raise_if_not_found=False)
        if not demo_deal:
            self.skipTest("needs Odoo's crm demo data")
        self.assertTrue(demo_deal.stage_history_ids.filtered("is_backfilled"))
