import time

from odoo.tests import tagged

from .common import CaptureHttpCase


@tagged("post_install", "-at_install")
class TestCaptureSpam(CaptureHttpCase):
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

    def test_client_over_its_limit_gets_429_and_leaves_only_a_counter(self):
        self.site.write({"rate_limit_ip": 2, "rate_limit_window": 3600})
        statuses = [self.post_json({"email": f"rate{i}@example.com"}).status_code for i in range(3)]
        self.assertEqual(statuses, [201, 201, 429])
        self.assertEqual(len(self.submissions()), 2)
        bucket = self.env["crm.capture.rate.bucket"].search(
            [("site_id", "=", self.site.id), ("scope", "=", "ip")]
        )
        self.assertEqual((bucket.client_key, bucket.hits), ("127.0.0.1", 3))

    def test_requests_over_the_client_limit_do_not_count_against_the_site(self):
        self.site.write({"rate_limit_ip": 2, "rate_limit_site": 3, "rate_limit_window": 3600})
        for i in range(10):
            self.post_json({"email": f"flood{i}@example.com"})
        site_bucket = self.env["crm.capture.rate.bucket"].search(
            [("site_id", "=", self.site.id), ("scope", "=", "site")]
        )
        self.assertEqual(site_bucket.hits, 2)

    def test_inquiry_over_the_site_limit_is_held_for_a_retry(self):
        self.site.write({"rate_limit_ip": 0, "rate_limit_site": 1, "rate_limit_window": 3600})
        self.post_json({"email": "first@example.com"})
        response = self.post_json({"email": "second@example.com"})
        self.assertEqual(response.status_code, 429)
        self.assertTrue(response.headers["Retry-After"])
        held = self.submission_of(response)
        self.assertEqual(held.state, "held")
        self.assertFalse(self.Lead.search([("email_from", "=", "second@example.com")]))
        held.action_retry()
        self.assertEqual(held.state, "done")
        self.assertEqual(held.lead_id.email_from, "second@example.com")

    def test_held_inquiries_are_capped(self):
        self.site.write({"rate_limit_ip": 0, "rate_limit_site": 1, "rate_limit_window": 3600})
        answers = [self.post_json({"email": f"cap{i}@example.com"}).json() for i in range(4)]
        self.assertEqual(["reference" in answer for answer in answers], [True, True, False, False])
        self.assertEqual(self.submissions().mapped("state"), ["held", "done"])

    def test_spam_over_the_site_limit_is_not_stored(self):
        self.site.write({"rate_limit_ip": 0, "rate_limit_site": 1, "rate_limit_window": 3600})
        self.post_json({"email": "first@example.com"})
        response = self.post_json({"email": "bot@example.com", "website": "http://spam"})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(len(self.submissions()), 1)

    def test_spam_verdict_can_be_overruled_by_a_retry(self):
        self.post_json({"email": "autofill@example.com", "website": "https://autofill.example"})
        rejected = self.submissions()
        self.assertEqual(rejected.state, "rejected")
        rejected.action_retry()
        self.assertEqual(rejected.lead_id.email_from, "autofill@example.com")

    def test_disabled_rate_limit_never_rejects(self):
        self.site.write({"rate_limit_window": 0, "rate_limit_ip": 1})
        statuses = {self.post_json({"email": f"n{i}@example.com"}).status_code for i in range(3)}
        self.assertEqual(statuses, {201})
