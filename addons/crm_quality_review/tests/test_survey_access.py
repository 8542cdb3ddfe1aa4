from odoo.exceptions import AccessError

from .common import QualityCase


class TestSurveyAccess(QualityCase):
    """A reviewer resumes and reads the call-back answers of their own reviews."""

    def review_for(self, reviewer):
        deal = self.lost_deals(self.sellers[0], 1)
        review = self.env["crm.quality.review"].create(
            {
                "lead_id": deal.id,
                "salesperson_id": self.sellers[0].id,
                "team_id": self.team.id,
                "reviewer_id": reviewer.id,
            }
        )
        return review.with_user(reviewer)

    def answer_a_question(self, answer):
        question = self.env.ref("crm_quality_review.survey_lost_callback_q_offer")
        answer.sudo()._save_lines(question, "Too slow delivery")

    def open_answer_form(self, answer):
        """What the web client reads when the reviewer opens the "Survey Answer" link."""
        answer = answer.with_user(answer.env.user)
        form = answer.get_views([(False, "form")])["models"][answer._name]["fields"]
        spec = {
            name: ({"fields": {"display_name": {}}} if field.get("relation") else {})
            for name, field in form.items()
        }
        return answer.web_read(spec)[0]

    def test_second_press_resumes_the_same_answer(self):
        review = self.review_for(self.reviewer_a)
        first = review.action_start_survey()
        answer = review.sudo().survey_answer_id
        self.env.invalidate_all()
        second = review.action_start_survey()
        self.assertEqual(review.sudo().survey_answer_id, answer)
        self.assertEqual(first["url"], second["url"])
        self.assertIn(answer.access_token, second["url"])

    def test_survey_opens_in_the_same_tab(self):
        review = self.review_for(self.reviewer_a)
        action = review.action_start_survey()
        self.assertEqual(action["target"], "self")
        self.env.invalidate_all()
        self.assertEqual(review.survey_url, action["url"])

    def test_reviewer_reads_their_answer_and_its_lines(self):
        review = self.review_for(self.reviewer_a)
        review.action_start_survey()
        self.answer_a_question(review.sudo().survey_answer_id)
        self.env.invalidate_all()
        answer = review.survey_answer_id
        values = self.open_answer_form(answer)
        self.assertEqual(values["survey_id"]["display_name"], "Lost deal call-back")
        self.assertEqual(answer.user_input_line_ids.mapped("value_text_box"), ["Too slow delivery"])

    def test_reviewer_cannot_read_another_reviewers_answer(self):
        review = self.review_for(self.reviewer_a)
        review.action_start_survey()
        answer = review.sudo().survey_answer_id
        self.answer_a_question(answer)
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            answer.with_user(self.reviewer_b).read(["state"])
        with self.assertRaises(AccessError):
            answer.user_input_line_ids.with_user(self.reviewer_b).read(["value_text_box"])
