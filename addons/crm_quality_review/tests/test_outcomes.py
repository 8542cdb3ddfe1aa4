from odoo.exceptions import AccessError, UserError

from .common import QualityCase


class TestOutcomes(QualityCase):
    def review_of_lost_deal(self):
        deal = self.lost_deals(self.sellers[0], 1)
        review = self.env["crm.quality.review"].create(
            {
                "lead_id": deal.id,
                "salesperson_id": self.sellers[0].id,
                "team_id": self.team.id,
                "reviewer_id": self.reviewer_a.id,
            }
        )
        return deal, review.with_user(self.reviewer_a)

    def test_confirmed_reason_changes_nothing_on_the_deal(self):
        deal, review = self.review_of_lost_deal()
        review.action_take()
        review.outcome = "confirmed"
        review.action_done()
        self.assertEqual(review.state, "done")
        self.assertEqual(deal.lost_reason_id, self.reason)
        self.assertFalse(deal.active)

    def test_corrected_reason_updates_the_deal(self):
        deal, review = self.review_of_lost_deal()
        real = self.env["crm.lost.reason"].create({"name": "Slow delivery"})
        review.write({"outcome": "corrected", "corrected_lost_reason_id": real.id})
        review.action_take()
        review.action_done()
        self.assertEqual(deal.lost_reason_id, real)

    def test_salesperson_error_opens_a_violation_with_the_fine(self):
        deal, review = self.review_of_lost_deal()
        review.action_take()
        review.outcome = "salesperson_error"
        review.action_done()
        violation = review.violation_id
        self.assertEqual(violation.rule_code, "Q01")
        self.assertEqual(violation.user_id, self.sellers[0])
        self.assertEqual(violation.lead_id, deal)
        self.assertEqual(violation.state, "open")
        self.assertEqual(violation.fine, self.env.ref("crm_quality_review.rule_q01").fine_amount)

    def test_revive_reopens_the_deal_for_the_chosen_salesperson(self):
        deal, review = self.review_of_lost_deal()
        review.write(
            {
                "outcome": "revive",
                "revive_user_id": self.sellers[1].id,
                "note": "<p>Wants 40 chairs</p>",
            }
        )
        review.action_take()
        review.action_done()
        self.assertTrue(deal.active)
        self.assertEqual(deal.user_id, self.sellers[1])
        self.assertEqual(review.revived_lead_id, deal)
        self.assertIn(self.sellers[1], deal.activity_ids.user_id)
        self.assertIn("Wants 40 chairs", " ".join(deal.message_ids.mapped("body")))

    def test_revived_revenue_is_reported_per_month(self):
        deal, review = self.review_of_lost_deal()
        review.write({"outcome": "revive", "revive_user_id": self.sellers[1].id})
        review.action_take()
        review.action_done()
        deal.write({"expected_revenue": 250000})
        deal.action_set_won()
        self.env.flush_all()
        report = self.env["crm.quality.revival.report"].search([])
        self.assertEqual(sum(report.mapped("won_count")), 1)
        self.assertEqual(sum(report.mapped("won_revenue")), 250000)

    def test_closing_a_call_back_needs_an_outcome(self):
        _deal, review = self.review_of_lost_deal()
        review.action_take()
        with self.assertRaises(UserError):
            review.action_done()

    def test_unreachable_customer_counts_attempts(self):
        _deal, review = self.review_of_lost_deal()
        review.action_unreachable()
        review.action_unreachable()
        self.assertEqual((review.state, review.attempts), ("unreachable", 2))

    def test_survey_answer_is_created_for_the_reviewer(self):
        _deal, review = self.review_of_lost_deal()
        action = review.action_start_survey()
        self.assertEqual(review.survey_answer_id.partner_id, self.reviewer_a.partner_id)
        self.assertIn(review.survey_answer_id.access_token, action["url"])
        self.assertEqual(review.state, "in_progress")

    def test_salesperson_cannot_work_the_queue(self):
        _deal, review = self.review_of_lost_deal()
        with self.assertRaises(AccessError):
            review.with_user(self.sellers[0]).action_take()


class TestScriptAudit(QualityCase):
    def audit(self, ticked):
        deal = self.env["crm.lead"].create(
            {"name": "Audited call", "type": "opportunity", "user_id": self.sellers[2].id}
        )
        script = self.env.ref("crm_quality_review.script_sales_call")
        review = (
            self.env["crm.quality.review"]
            .create(
                {
                    "review_type": "call_audit",
                    "lead_id": deal.id,
                    "salesperson_id": self.sellers[2].id,
                    "reviewer_id": self.reviewer_a.id,
                    "script_id": script.id,
                    "check_ids": [
                        (0, 0, {"item_id": item.id, "done": item.sequence in ticked})
                        for item in script.item_ids
                    ],
                }
            )
            .with_user(self.reviewer_a)
        )
        review.action_take()
        review.action_done()
        return review

    def test_score_weighs_the_ticked_items(self):
        # Weights 1, 2, 1, 1, 2: greeting + need + next step = 5 of 7.
        self.assertAlmostEqual(self.audit({1, 2, 5}).score, 500 / 7, places=2)

    def test_score_under_the_threshold_opens_a_script_violation(self):
        review = self.audit({1})
        self.assertEqual(review.violation_id.rule_code, "Q02")
        self.assertEqual(review.violation_id.user_id, self.sellers[2])

    def test_good_call_opens_no_violation(self):
        self.assertFalse(self.audit({1, 2, 3, 4, 5}).violation_id)
