from .common import QualityCase


class TestSuggestedOutcome(QualityCase):
    """The review suggests an outcome from the customer's answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deal = cls.lost_deals(cls.sellers[0], 1)

    def setUp(self):
        super().setUp()
        self.review = (
            self.env["crm.quality.review"]
            .create(
                {
                    "lead_id": self.deal.id,
                    "salesperson_id": self.sellers[0].id,
                    "team_id": self.team.id,
                    "reviewer_id": self.reviewer_a.id,
                }
            )
            .with_user(self.reviewer_a)
        )
        self.review.action_start_survey()

    def answer(self, **choices):
        """Pick answers: question suffix → answer suffix (``need="a1"``)."""
        answer = self.review.sudo().survey_answer_id
        for question, choice in choices.items():
            ref = f"crm_quality_review.survey_lost_callback_q_{question}"
            answer._save_lines(self.env.ref(ref), self.env.ref(f"{ref}_{choice}").id)
        self.env.invalidate_all()

    def test_no_answer_no_suggestion(self):
        self.assertFalse(self.review.suggested_outcome)

    def test_customer_still_needs_the_product_suggests_revive(self):
        self.answer(served="a2", reason="a1", need="a2")
        self.assertEqual(self.review.suggested_outcome, "revive")
        self.assertIn("still needs", self.review.suggested_outcome_reason)

    def test_another_real_reason_suggests_correcting_it(self):
        self.answer(served="a1", reason="a2", need="a3")
        self.assertEqual(self.review.suggested_outcome, "corrected")

    def test_poor_service_suggests_a_salesperson_error(self):
        self.answer(served="a4", reason="a1", need="a3")
        self.assertEqual(self.review.suggested_outcome, "salesperson_error")

    def test_confirmed_reason_and_no_need_suggests_confirm_lost(self):
        self.answer(served="a2", reason="a1", need="a3")
        self.assertEqual(self.review.suggested_outcome, "confirmed")

    def test_reviewer_takes_the_suggested_revive_for_the_deals_salesperson(self):
        self.answer(need="a1")
        self.review.action_apply_suggested_outcome()
        self.assertEqual(self.review.outcome, "revive")
        self.assertEqual(self.review.revive_user_id, self.sellers[0])
