from .common import RegulationCase


class TestPayrollCannotBeMultiplied(RegulationCase):
    """A deal pays once per payroll-eligible stage, whatever the moves."""

    def paid_deal(self, amount=250000):
        deal = self.ready_for_contract_agreed(self.make_deal(stage="qualified", expected_revenue=1))
        deal.write({"stage_id": self.stage["prepayment"].id, "expected_revenue": amount})
        return deal

    def move(self, deal, *codes):
        forced = deal.with_user(self.manager).with_context(regulation_force_reason="test")
        for code in codes:
            forced.write({"stage_id": self.stage[code].id})

    def pay(self, deal):
        """(paid, clawed back) over the deal's whole stage history."""
        stays = deal.stage_history_ids
        return sum(stays.mapped("payroll_amount")), sum(stays.mapped("clawback_amount"))

    def test_entering_a_payroll_stage_pays_the_amount(self):
        deal = self.paid_deal()
        self.assertEqual(self.pay(deal), (250000, 0))

    def test_cycling_through_won_and_back_pays_the_deal_once(self):
        deal = self.paid_deal()
        self.move(deal, "won", "in_work", "prepayment", "won", "in_work", "prepayment")
        paid, clawed = self.pay(deal)
        self.assertEqual(paid - clawed, 250000)

    def test_going_back_across_payroll_stages_claws_back_each_of_them(self):
        deal = self.paid_deal()
        self.move(deal, "final_payment", "won", "in_work")
        clawed = deal.stage_history_ids.filtered("is_clawback")
        self.assertEqual(clawed.stage_id, self.stage["prepayment"] | self.stage["final_payment"])
        self.assertEqual(self.pay(deal), (500000, 500000))
        self.assertEqual(clawed.clawed_back_to_id, self.stage["in_work"])

    def test_entering_again_pays_only_what_was_clawed_back(self):
        deal = self.paid_deal(amount=100000)
        self.move(deal, "contract_agreed")
        deal.expected_revenue = 900000
        self.move(deal, "prepayment")
        again = deal.stage_history_ids.filtered(lambda stay: not stay.left_at)
        self.assertEqual(again.payroll_amount, 100000)
        self.assertEqual(self.pay(deal), (200000, 100000))

    def test_coming_back_to_a_stage_whose_pay_stands_pays_nothing(self):
        deal = self.paid_deal()
        self.move(deal, "final_payment", "prepayment")
        # Leaving Final payment backwards claws it back; Prepayment was never undone.
        self.assertEqual(self.pay(deal), (500000, 250000))
        self.assertEqual(
            deal.stage_history_ids.filtered(lambda stay: not stay.left_at).payroll_amount, 0
        )

    def test_moving_forward_claws_nothing_back(self):
        deal = self.paid_deal()
        self.move(deal, "final_payment", "won")
        self.assertFalse(deal.stage_history_ids.filtered("is_clawback"))

    def test_the_summary_nets_a_cycled_deal_to_one_payment(self):
        deal = self.paid_deal()
        self.move(deal, "won", "in_work", "prepayment", "won", "in_work", "prepayment")
        self.env.flush_all()
        line = self.env["crm.regulation.payroll.summary"].search(
            [("user_id", "=", self.salesman.id)]
        )
        self.assertEqual((line.payroll_deals, line.net_amount), (1, 250000))
        self.assertEqual(line.payroll_amount - line.clawback_amount, 250000)
