from odoo.exceptions import AccessError

from .common import TelephonyCase


class TestTelephonyJournal(TelephonyCase):
    def break_followup_job(self):
        """Make processing fail the way a misconfiguration would: the follow-up job
        that a missed call wakes cannot be found."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "crm_telephony_sip"), ("name", "=", "ir_cron_telephony_followups")]
        )
        data.name = "ir_cron_telephony_followups_hidden"
        return data

    def test_processing_failure_is_kept_in_the_journal_and_answers_202(self):
        self.break_followup_job()
        response = self.post_generic(
            self.generic_call("j-fail", client_number="+79269998877", status="no_answer")
        )
        self.assertEqual(response.status_code, 202)
        event = self.env["crm.telephony.event"].search([("body", "like", "j-fail")])
        self.assertEqual(event.state, "failed")
        self.assertIn("ir_cron_telephony_followups", event.error)
        self.assertFalse(self.calls("j-fail"))

    def test_manager_reprocesses_a_failed_request(self):
        data = self.break_followup_job()
        self.post_generic(
            self.generic_call("j-again", client_number="+79269998866", status="no_answer")
        )
        data.name = "ir_cron_telephony_followups"
        self.env.flush_all()
        event = self.env["crm.telephony.event"].search([("body", "like", "j-again")])
        event.with_user(self.manager).action_reprocess()
        self.env.invalidate_all()
        self.assertEqual(event.state, "done")
        self.assertEqual(self.calls("j-again").lead_id.stage_id, self.unsorted)

    def test_cron_retries_failed_requests(self):
        data = self.break_followup_job()
        self.post_generic(
            self.generic_call("j-cron", client_number="+79269998855", status="no_answer")
        )
        data.name = "ir_cron_telephony_followups"
        self.env.flush_all()
        self.env["crm.telephony.event"]._cron_retry_failed()
        self.env.invalidate_all()
        self.assertTrue(self.calls("j-cron").lead_id)

    def test_salesman_cannot_read_the_journal(self):
        self.post_generic(self.generic_call("j-acl"))
        events = self.env["crm.telephony.event"].with_user(self.salesman)
        with self.assertRaises(AccessError):
            events.search([])

    def test_processed_requests_are_forgotten_after_ninety_days(self):
        self.post_generic(self.generic_call("j-old"))
        event = self.env["crm.telephony.event"].search([("body", "like", "j-old")])
        event.received_at = "2020-01-01 00:00:00"
        self.env["crm.telephony.event"]._cron_purge()
        self.assertFalse(event.exists())
        self.assertTrue(self.calls("j-old"))

    def test_manager_sees_the_requests_of_a_connection(self):
        self.post_generic(self.generic_call("j-count-1"))
        self.post_generic(self.generic_call("j-count-2"), secret="whsec_d3Jvbmc=")
        connection = self.connection.with_user(self.manager)
        self.assertEqual(connection.event_count, 2)
        action = connection.action_view_events()
        self.assertEqual(self.env["crm.telephony.event"].search_count(action["domain"]), 2)
