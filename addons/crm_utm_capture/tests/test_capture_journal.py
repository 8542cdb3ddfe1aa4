from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CaptureHttpCase


@tagged("post_install", "-at_install")
class TestCaptureJournal(CaptureHttpCase):
    """The journal keeps what may still matter, and forgets the rest on schedule."""

    def journal(self, state, days_ago, **values):
        submission = self.env["crm.capture.submission"].create(
            {"site_id": self.site.id, "state": state, "payload": {"email": "j@example.com"}}
            | values
        )
        self.env.cr.execute(
            "UPDATE crm_capture_submission SET create_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=days_ago), submission.id),
        )
        return submission

    def purge(self):
        self.env.ref("crm_utm_capture.ir_cron_capture_rate_gc").method_direct_trigger()

    def test_recorded_submissions_are_kept_for_the_journal_retention(self):
        old, recent = self.journal("done", 91), self.journal("done", 89)
        self.purge()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

    def test_spam_invalid_and_held_submissions_go_after_the_shorter_retention(self):
        old = self.journal("rejected", 15) | self.journal("invalid", 15) | self.journal("held", 15)
        recent = self.journal("rejected", 13)
        self.purge()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

    def test_failed_submissions_stay_until_handled(self):
        failed = self.journal("error", 400)
        self.purge()
        self.assertTrue(failed.exists())

    def test_retention_is_a_setting(self):
        self.env["res.config.settings"].create({"crm_utm_journal_keep_days": 10}).execute()
        old = self.journal("done", 11)
        self.purge()
        self.assertFalse(old.exists())

    def test_touchpoint_outlives_its_purged_submission(self):
        response = self.post_json({"email": "outlive@example.com"})
        submission = self.submission_of(response)
        lead = submission.lead_id
        self.env.cr.execute(
            "UPDATE crm_capture_submission SET create_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=200), submission.id),
        )
        self.purge()
        self.assertFalse(submission.exists())
        self.assertEqual(lead.touchpoint_ids.channel, "form")

    def test_interrupted_submission_is_processed_by_the_retry_cron(self):
        # journaled, then the worker was killed before it recorded the lead
        interrupted = self.journal(
            "received", 0, payload={"email": "interrupted@example.com", "channel": "form"}
        )
        self.env.cr.execute(
            "UPDATE crm_capture_submission SET create_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(minutes=6), interrupted.id),
        )
        self.env.ref("crm_utm_capture.ir_cron_capture_process_pending").method_direct_trigger()
        interrupted.invalidate_recordset()
        self.assertEqual(interrupted.state, "done")
        self.assertEqual(interrupted.lead_id.email_from, "interrupted@example.com")

    def test_submission_just_received_is_left_to_its_request(self):
        in_flight = self.journal("received", 0)
        self.env.ref("crm_utm_capture.ir_cron_capture_process_pending").method_direct_trigger()
        in_flight.invalidate_recordset()
        self.assertEqual(in_flight.state, "received")

    def test_reference_finds_its_submission(self):
        submission = self.journal("done", 0)
        found = self.env["crm.capture.submission"].search([("name", "=", submission.name)])
        self.assertEqual(found, submission)
        self.assertRegex(submission.name, r"^CAP-\d{7}$")
