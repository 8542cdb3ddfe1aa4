from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..models.crm_capture_rate_bucket import client_key


@tagged("post_install", "-at_install")
class TestCaptureRateBucket(TransactionCase):
    def test_daily_cron_forgets_counters_of_finished_windows(self):
        site = self.env["crm.capture.site"].create({"name": "Counters"})
        Bucket = self.env["crm.capture.rate.bucket"]
        now = fields.Datetime.now()
        old, current = Bucket.create(
            [
                {"site_id": site.id, "scope": "site", "window_start": now - timedelta(days=2)},
                {"site_id": site.id, "scope": "site", "window_start": now},
            ]
        )
        # The cron's code in this transaction (19.0 runs a triggered cron in its own).
        self.env.ref("crm_utm_capture.ir_cron_capture_rate_gc").ir_actions_server_id.run()
        self.assertFalse(old.exists())
        self.assertTrue(current.exists())

    def test_daily_cron_forgets_contacts_not_seen_for_a_day(self):
        Lock = self.env["crm.capture.contact.lock"]
        now = fields.Datetime.now()
        old, recent = Lock.create(
            [
                {"contact_key": "old@example.com", "touched": now - timedelta(days=2)},
                {"contact_key": "recent@example.com", "touched": now},
            ]
        )
        # The cron's code in this transaction (19.0 runs a triggered cron in its own).
        self.env.ref("crm_utm_capture.ir_cron_capture_rate_gc").ir_actions_server_id.run()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

    def test_ipv4_client_is_counted_by_address(self):
        self.assertEqual(client_key("203.0.113.7"), "203.0.113.7")

    def test_ipv6_clients_of_one_64_network_share_a_counter(self):
        self.assertEqual(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:2:ffff::9"))
        self.assertNotEqual(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:3::1"))

    def test_ipv4_mapped_ipv6_is_counted_as_ipv4(self):
        self.assertEqual(client_key("::ffff:203.0.113.7"), "203.0.113.7")
