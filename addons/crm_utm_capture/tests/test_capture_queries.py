from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCaptureQueries(TransactionCase):
    """A capture costs the same number of queries whatever is already stored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site = cls.env["crm.capture.site"].create(
            {"name": "Queries", "rate_limit_window": 0, "user_id": cls.env.user.id}
        )

    def capture_queries(self, email):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        status, _body, _headers = self.site.sudo().capture(
            {"email": email, "name": "Q", "utm_source": "queries", "utm_medium": "cpc"},
            {"remote_ip": "192.0.2.1", "body_size": 80, "raw_body": b"{}"},
        )
        self.env.flush_all()
        self.assertEqual(status, 201)
        return self.env.cr.sql_log_count - before

    def test_new_lead_capture_costs_a_constant_number_of_queries(self):
        self.capture_queries("warmup@example.com")
        counts = {self.capture_queries(f"new{i}@example.com") for i in range(3)}
        self.assertEqual(len(counts), 1, counts)

    def test_dedupe_capture_costs_a_constant_number_of_queries(self):
        self.capture_queries("same@example.com")
        self.capture_queries("same@example.com")
        counts = {self.capture_queries("same@example.com") for _i in range(3)}
        self.assertEqual(len(counts), 1, counts)
