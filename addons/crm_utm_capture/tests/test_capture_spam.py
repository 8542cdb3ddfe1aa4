import time

from odoo.tests import tagged

from .common import CaptureHttpCase


@tagged("post_install", "-at_install")
class TestCaptureSpam(CaptureHttpCase):
    def submissions(self):
        return self.env["crm.capture.submission"].search([("site_id", "=", self.site.id)])

    def test_honeypot_is_stored_as_rejected_without_a_lead(self):
        response = self.post_json({"email": "bot@example.com", "website": "http://spam"})
        self.assertEqual(response.status_code, 201)
        submission = self.submissions()
        self.assertEqual(submission.state, "rejected")
        self.assertEqual(submission.reject_reason, "honeypot")
        self.assertFalse(self.Lead.search([("email_from", "=", "bot@example.com")]))

    def test_bot_gets_the_same_answer_as_a_person(self):
        person = self.post_json({"email": "person@example.com"})
        bot = self.post_json({"email": "bot2@example.com", "website": "x"})
        self.assertEqual(bot.status_code, person.status_code)
        self.assertEqual(set(bot.json()), set(person.json()))
        self.assertNotIn("honeypot", bot.text)

    def test_submit_sooner_than_the_minimum_is_rejected_as_too_fast(self):
        self.site.min_submit_seconds = 5
        loaded_ms = int((time.time() - 1) * 1000)
        self.post_json({"email": "fast@example.com", "_utm_loaded_at": loaded_ms})
        self.assertEqual(self.submissions().reject_reason, "too_fast")
        self.assertFalse(self.Lead.search([("email_from", "=", "fast@example.com")]))

    def test_submit_after_the_minimum_creates_a_lead(self):
        self.site.min_submit_seconds = 5
        loaded_ms = int((time.time() - 60) * 1000)
        response = self.post_json({"email": "slow@example.com", "_utm_loaded_at": loaded_ms})
        self.assertEqual(self.lead_of(response).email_from, "slow@example.com")

    def test_rate_limit_per_ip_answers_429_and_journals_the_rejection(self):
        self.site.write({"rate_limit_ip": 2, "rate_limit_window": 3600})
        statuses = [self.post_json({"email": f"rate{i}@example.com"}).status_code for i in range(3)]
        self.assertEqual(statuses, [201, 201, 429])
        self.assertEqual(
            self.submissions().filtered(lambda s: s.state == "rejected").reject_reason,
            "rate_limit",
        )

    def test_rate_limit_per_site_counts_every_client(self):
        self.site.write({"rate_limit_ip": 0, "rate_limit_site": 1, "rate_limit_window": 3600})
        self.post_json({"email": "first@example.com"})
        response = self.post_json({"email": "second@example.com"})
        self.assertEqual(response.status_code, 429)
        self.assertTrue(response.headers["Retry-After"])

    def test_disabled_rate_limit_never_rejects(self):
        self.site.write({"rate_limit_window": 0, "rate_limit_ip": 1})
        statuses = {self.post_json({"email": f"n{i}@example.com"}).status_code for i in range(3)}
        self.assertEqual(statuses, {201})
