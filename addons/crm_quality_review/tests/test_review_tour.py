from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestReviewTour(HttpCase):
    """A reviewer works the queue in Chromium and revives a lost deal."""

    def test_reviewer_fills_the_survey_and_revives_the_deal(self):
        reviewer = new_test_user(
            self.env,
            login="qa_tour_reviewer",
            groups="crm_quality_review.group_quality_reviewer",
        )
        seller = new_test_user(
            self.env,
            login="qa_tour_seller",
            name="Tour Seller",
            groups="sales_team.group_sale_salesman",
        )
        reason = self.env["crm.lost.reason"].create({"name": "Tour reason"})
        deal = self.env["crm.lead"].create(
            {"name": "Tour — lost desks", "type": "opportunity", "user_id": seller.id}
        )
        deal.action_set_lost(lost_reason_id=reason.id)
        review = self.env["crm.quality.review"].create(
            {"lead_id": deal.id, "salesperson_id": seller.id, "reviewer_id": reviewer.id}
        )
        # The reviewer answers the call-back questionnaire during the call...
        url = review.with_user(reviewer).action_start_survey()["url"]
        self.start_tour(url, "crm_quality_review_survey", login="qa_tour_reviewer")
        answer = review.survey_answer_id
        self.assertEqual(answer.state, "done")
        self.assertIn(
            "Delivery in six weeks was too long",
            " ".join(filter(None, answer.user_input_line_ids.mapped("value_text_box"))),
        )
        # ... then works the review in the queue and revives the deal.
        self.start_tour(
            "/odoo/action-crm_quality_review.crm_quality_review_action",
            "crm_quality_review_revive",
            login="qa_tour_reviewer",
        )
        self.assertEqual(review.state, "done")
        self.assertTrue(deal.active)
        self.assertEqual(deal.user_id, seller)
