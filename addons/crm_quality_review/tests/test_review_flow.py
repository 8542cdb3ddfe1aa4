from odoo.tests import Form, new_test_user

from odoo.addons.crm_regulation.tests.rule_common import RuleCase


class TestReviewFlow(RuleCase):
    """A lost deal of a regulation team, called back by a reviewer (around-the-clock
    working hours: minutes are wall-clock)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewer = new_test_user(
            cls.env, login="flow_reviewer", groups="crm_quality_review.group_quality_reviewer"
        )
        cls.reason = cls.env["crm.lost.reason"].create({"name": "Too expensive"})

    def lost_review(self, deal):
        deal.action_set_lost(lost_reason_id=self.reason.id)
        return (
            self.env["crm.quality.review"]
            .create(
                {
                    "lead_id": deal.id,
                    "salesperson_id": self.salesman.id,
                    "team_id": self.team.id,
                    "reviewer_id": self.reviewer.id,
                }
            )
            .with_user(self.reviewer)
        )

    def test_revive_for_defaults_to_the_original_salesperson(self):
        review = self.lost_review(self.make_deal())
        review.action_take()
        with Form(review) as form:
            form.outcome = "revive"
            self.assertEqual(form.revive_user_id, self.salesman)

    def test_revived_deal_is_not_fined_for_what_was_late_before(self):
        """Proposal sent 3 hours ago without a note (R13 limit: 60 minutes), lost, then
        revived: the rules judge it from the revival, so no R13 violation opens."""
        deal = self.make_deal(stage="proposal_sent", expected_revenue=100)
        self.age_stay(deal, 3 * 60)
        review = self.lost_review(deal)
        review.action_take()
        review.write({"outcome": "revive", "revive_user_id": self.salesman.id})
        review.action_done()
        self.assertTrue(deal.active)
        self.assertTrue(deal.regulation_start_at)
        self.assertFalse(self.detect("R13").filtered(lambda v: v.lead_id == deal))

    def test_review_summarises_the_answers(self):
        review = self.lost_review(self.make_deal())
        review.action_start_survey()
        answer = review.sudo().survey_answer_id
        served = self.env.ref("crm_quality_review.survey_lost_callback_q_served")
        offer = self.env.ref("crm_quality_review.survey_lost_callback_q_offer")
        answer._save_lines(
            served, self.env.ref("crm_quality_review.survey_lost_callback_q_served_a4").id
        )
        answer._save_lines(offer, "Delivery takes a month")
        review.invalidate_recordset()
        summary = str(review.survey_summary)
        self.assertIn("How were you served by our salesperson?</strong> Poorly", summary)
        self.assertIn(
            "What did not suit you in our offer?</strong> Delivery takes a month", summary
        )
