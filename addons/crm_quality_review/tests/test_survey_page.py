from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSurveyPage(HttpCase):
    """The call-back questionnaire names the deal and its lost reason, and leads back to
    the review."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewer = new_test_user(
            cls.env, login="qa_page_reviewer", groups="crm_quality_review.group_quality_reviewer"
        )
        seller = new_test_user(
            cls.env, login="qa_page_seller", groups="sales_team.group_sale_salesman"
        )
        reason = cls.env["crm.lost.reason"].create({"name": "Delivery too slow"})
        cls.deal = cls.env["crm.lead"].create(
            {"name": "Page — lost shelves", "type": "opportunity", "user_id": seller.id}
        )
        cls.deal.action_set_lost(lost_reason_id=reason.id)
        cls.review = cls.env["crm.quality.review"].create(
            {"lead_id": cls.deal.id, "salesperson_id": seller.id, "reviewer_id": cls.reviewer.id}
        )

    def test_survey_page_shows_the_deal_the_lost_reason_and_the_way_back(self):
        url = self.review.with_user(self.reviewer).action_start_survey()["url"]
        self.authenticate(self.reviewer.login, self.reviewer.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Page — lost shelves", page)
        self.assertIn("Delivery too slow", page)
        self.assertIn(
            f'href="/odoo/action-crm_quality_review.crm_quality_review_action/{self.review.id}"',
            page,
        )

    def test_other_surveys_show_no_review(self):
        survey = self.env["survey.survey"].create(
            {"title": "Plain survey", "access_mode": "public"}
        )
        answer = survey._create_answer(user=self.reviewer)
        self.authenticate(self.reviewer.login, self.reviewer.login)
        response = self.url_open(answer.get_start_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_quality_review_context", response.text)
