from odoo.tests import tagged

from .common import CaptureHttpCase


@tagged("post_install", "-at_install")
class TestCaptureQueries(CaptureHttpCase):
    """A capture costs the same number of queries whatever is already stored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.write({"rate_limit_window": 0})

    def capture_queries(self, email):
        self.env.flush_all()
        before = self.cr.sql_log_count
        response = self.post_json(
            {"email": email, "name": "Q", "utm_source": "yandex", "utm_medium": "cpc"}
        )
        self.assertEqual(response.status_code, 201)
        return self.cr.sql_log_count - before

    def test_new_lead_capture_costs_a_constant_number_of_queries(self):
        self.capture_queries("warmup@example.com")
        counts = {self.capture_queries(f"new{i}@example.com") for i in range(3)}
        self.assertEqual(len(counts), 1, counts)

    def test_new_lead_costs_the_same_with_many_leads_stored(self):
        self.capture_queries("warm@example.com")
        few = self.capture_queries("few@example.com")
        for i in range(30):
            self.capture_queries(f"filler{i}@example.com")
        self.assertEqual(self.capture_queries("many@example.com"), few)

    def test_dedupe_capture_costs_a_constant_number_of_queries(self):
        self.capture_queries("same@example.com")
        self.capture_queries("same@example.com")
        counts = {self.capture_queries("same@example.com") for _i in range(3)}
        self.assertEqual(len(counts), 1, counts)
