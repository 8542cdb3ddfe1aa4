from odoo.tests import tagged

from odoo.addons.crm_phone_base.tools.compat import SERIES

from .common import CaptureHttpCase

# Queries of a capture request (site, journal, processing), measured here on a plain
# team; scripts/bench/README.md has the figures of the benchmark (a regulation team).
# Per series: the capture's own queries are the same, Odoo's differ (19.0's message_post
# reads the message bodies back, looks for duplicates and for mail servers).
# A new lead with a salesperson: Odoo's creation message notifies its followers.
NEW_LEAD_QUERIES = {"18.0": 53, "19.0": 54}[SERIES]
# A new lead nobody follows: a log says where it came from (see _capture_create_lead).
NEW_UNFOLLOWED_LEAD_QUERIES = 26
# A repeat inquiry: a touchpoint and a note on the open deal.
DEDUPE_QUERIES = {"18.0": 36, "19.0": 38}[SERIES]


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
