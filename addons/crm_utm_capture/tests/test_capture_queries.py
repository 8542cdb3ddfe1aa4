from odoo.tests import tagged

from odoo.addons.crm_phone_base.tools.compat import MAJOR

from .common import CaptureHttpCase

# Queries of a capture request (site, journal, processing), measured here on a plain
# team; scripts/bench/README.md has the figures of the benchmark (a regulation team).
# A new lead with a salesperson: Odoo's creation message notifies its followers (one
# query more on 19.0, Odoo's notification).
NEW_LEAD_QUERIES = 41 if MAJOR < 19 else 42
# A new lead nobody follows: a log says where it came from (see _capture_create_lead).
NEW_UNFOLLOWED_LEAD_QUERIES = 14
# A repeat inquiry: a note that notifies the salesperson (two queries more on 19.0).
DEDUPE_QUERIES = 30 if MAJOR < 19 else 32


@tagged("post_install", "-at_install")
class TestCaptureQueries(CaptureHttpCase):
    """A capture costs the same number of queries whatever is already stored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.write({"rate_limit_window": 0})

    def capture(self, email):
        response = self.post_json(
            {"email": email, "name": "Q", "utm_source": "yandex", "utm_medium": "cpc"}
        )
        self.assertEqual(response.status_code, 201)

    def test_new_lead_capture_costs_a_constant_number_of_queries(self):
        self.capture("warmup@example.com")
        for i in range(3):
            with self.assertQueryCount(NEW_LEAD_QUERIES):
                self.capture(f"new{i}@example.com")

    def test_new_lead_costs_the_same_with_many_leads_stored(self):
        self.capture("warm@example.com")
        with self.assertQueryCount(NEW_LEAD_QUERIES):
            self.capture("few@example.com")
        for i in range(30):
            self.capture(f"filler{i}@example.com")
        with self.assertQueryCount(NEW_LEAD_QUERIES):
            self.capture("many@example.com")

    def test_new_lead_nobody_follows_costs_fewer_queries(self):
        self.site.user_id = False
        self.capture("unfollowed-warmup@example.com")
        for i in range(2):
            with self.assertQueryCount(NEW_UNFOLLOWED_LEAD_QUERIES):
                self.capture(f"unfollowed{i}@example.com")

    def test_dedupe_capture_costs_a_constant_number_of_queries(self):
        self.capture("same@example.com")
        self.capture("same@example.com")
        for _i in range(3):
            with self.assertQueryCount(DEDUPE_QUERIES):
                self.capture("same@example.com")
