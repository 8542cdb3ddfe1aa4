import json

from odoo import fields
from odoo.exceptions import AccessError

from .common import TelephonyCase


class TestTelephonyFollowups(TelephonyCase):
    """A PBX request records the call; the deal of a missed call, the to-dos of ended
    calls and their notes come from the follow-up job, woken by the request."""

    follow_up_after_requests = False  # the job is run by each test when it wants

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("crm_telephony_sip.ir_cron_telephony_followups")
        cls.deal = cls.env["crm.lead"].create(
            {
                "name": "Known client",
                "type": "opportunity",
                "phone": "+7 903 222-33-44",
                "user_id": cls.salesman.id,
            }
        )

    def missed(self, call_id, number, **values):
        response = self.post_generic(
            self.generic_call(
                call_id,
                client_number=number,
                status="no_answer",
                ended_at="2024-05-01T10:00:30Z",
                **values,
            )
        )
        self.assertEqual(response.status_code, 200)

    def wake_ups(self):
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)])

    def deals_of(self, number):
        return self.env["crm.lead"].search([("phone_sanitized", "=", number)])

    def test_a_missed_call_from_an_unknown_number_gets_its_deal_from_the_job(self):
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()
        self.missed("f-new", "+7 926 777-00-01")
        call = self.calls("f-new")
        self.assertFalse(call.lead_id)
        self.assertEqual(call.followup, "call")
        self.assertEqual(self.wake_ups(), 1)

        self.run_followups()
        deal = call.lead_id
        self.assertEqual(deal, self.deals_of("+79267770001"))
        self.assertEqual(deal.stage_id, self.unsorted)
        self.assertFalse(call.followup)
        # its creation log, then the call's note, posted there by the job
        self.assertEqual(len(deal.message_ids), 2)
        self.assertIn("+79267770001", deal.message_ids.sorted("id")[-1].body)

    def test_a_request_that_leaves_work_wakes_the_job_and_another_does_not(self):
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()
        self.post_generic(self.generic_call("f-ringing", client_number="+79267770019"))
        self.assertEqual(self.wake_ups(), 0)
        for index in range(3):
            self.missed(f"f-burst-{index}", f"+7926777001{index}")
        # one each: a wake-up of its own is never one that a running job deletes
        self.assertEqual(self.wake_ups(), 3)
        self.run_followups()
        self.assertEqual(len(self.calls("f-burst-2").lead_id), 1)

    def test_missed_calls_of_one_number_waiting_for_the_job_make_one_deal(self):
        self.missed("f-twice-1", "+7 926 777-00-02")
        self.missed("f-twice-2", "8 926 777-00-02", started_at="2024-05-01T10:02:00Z")
        self.run_followups()
        deal = self.deals_of("+79267770002")
        self.assertEqual(len(deal), 1)
        self.assertEqual(self.calls("f-twice-1").lead_id, deal)
        self.assertEqual(self.calls("f-twice-2").lead_id, deal)

    def test_a_deal_created_before_the_job_runs_takes_the_call(self):
        self.missed("f-late-deal", "+7 926 777-00-03")
        deal = self.env["crm.lead"].create(
            {"name": "From the web form", "type": "opportunity", "phone": "+79267770003"}
        )
        self.run_followups()
        self.assertEqual(self.deals_of("+79267770003"), deal)
        self.assertEqual(self.calls("f-late-deal").lead_id, deal)

    def test_a_call_back_before_the_job_runs_leaves_no_call_back_to_do(self):
        self.missed("f-cb", "+7 903 222-33-44")
        self.assertEqual(self.calls("f-cb").lead_id, self.deal)
        self.post_generic(
            self.generic_call(
                "f-cb-out",
                direction="outbound",
                client_number="+79032223344",
                extension="101",
                started_at="2024-05-01T10:05:00Z",
                answered_at="2024-05-01T10:05:10Z",
                ended_at="2024-05-01T10:06:00Z",
                status="answered",
            )
        )
        self.run_followups()
        call_back = self.env.ref("mail.mail_activity_data_call")
        self.assertFalse(self.deal.activity_ids.filtered(lambda a: a.activity_type_id == call_back))
        self.assertTrue(self.calls("f-cb").handled_at)

    def test_the_summary_to_do_comes_from_the_job(self):
        self.answered("f-summary", "+79032223344", extension="101")

        def call_notes():
            return self.deal.message_ids.filtered(lambda m: "+79032223344" in (m.body or ""))

        self.assertFalse(self.deal.activity_ids)
        self.assertFalse(call_notes())
        self.run_followups()
        self.assertEqual(len(call_notes()), 1)
        summary = self.env.ref("crm_telephony_sip.mail_activity_type_call_summary")
        self.assertEqual(self.deal.activity_ids.activity_type_id, summary)
        self.assertEqual(self.deal.activity_ids.user_id, self.salesman)
        self.run_followups()  # a second run creates nothing more
        self.assertEqual(len(self.deal.activity_ids), 1)
        self.assertEqual(len(call_notes()), 1)

    def test_the_job_takes_a_batch_and_wakes_itself_for_the_rest(self):
        # (calls left due in the database by end-to-end runs would come first)
        self.env["crm.telephony.call"].search([("followup", "!=", False)]).followup = False
        for index in range(3):
            self.missed(f"f-batch-{index}", f"+7926777002{index}")
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()
        self.env["crm.telephony.call"]._cron_run_followups(limit=2)
        self.env.invalidate_all()
        due = self.env["crm.telephony.call"].search(
            [("followup", "!=", False), ("provider_call_id", "=like", "f-batch-%")]
        )
        self.assertEqual(len(due), 1)
        self.assertEqual(self.wake_ups(), 1)

    def test_a_call_that_cannot_be_followed_up_holds_up_no_other(self):
        self.answered("f-stuck", "+79032223344", extension="101")
        self.missed("f-unstuck", "+7 926 777-00-04")
        data = self.env["ir.model.data"].search(
            [("module", "=", "crm_telephony_sip"), ("name", "=", "mail_activity_type_call_summary")]
        )
        data.name = "mail_activity_type_call_summary_hidden"  # the summary to-do fails
        with self.assertLogs(
            "odoo.addons.crm_telephony_sip.models.crm_telephony_call_followup", "WARNING"
        ):
            self.run_followups()
        self.assertTrue(self.calls("f-unstuck").lead_id)
        self.assertFalse(self.calls("f-unstuck").followup)
        self.assertEqual(self.calls("f-stuck").followup, "call")
        self.assertFalse(self.deal.activity_ids)

        data.name = "mail_activity_type_call_summary"
        self.run_followups()
        self.assertFalse(self.calls("f-stuck").followup)
        self.assertEqual(len(self.deal.activity_ids), 1)

    def answered(self, call_id, number, **values):
        start = self.generic_call(call_id, client_number=number, **values)
        self.post_generic(start)
        end = dict(
            start,
            status="answered",
            answered_at="2024-05-01T10:00:05Z",
            ended_at="2024-05-01T10:01:00Z",
        )
        self.post_generic(end)
        return end

    def notes_with(self, text, record=None):
        record = record or self.deal
        return record.message_ids.filtered(lambda m: text in (m.body or ""))

    def test_the_note_of_a_call_on_a_deal_without_a_salesperson_comes_from_the_job(self):
        deal = self.env["crm.lead"].create(
            {"name": "Nobody's", "type": "opportunity", "phone": "+7 903 222-33-55"}
        )
        self.answered("f-nobody", "+79032223355")
        self.assertFalse(self.notes_with("+79032223355", deal))
        self.run_followups()
        self.assertEqual(len(self.notes_with("+79032223355", deal)), 1)

    def test_a_recording_that_comes_after_the_note_gets_a_note_of_its_own(self):
        end = self.answered("f-late-rec", "+79032223344", extension="101")
        self.run_followups()
        self.assertFalse(self.notes_with("/crm_telephony/recording/"))
        self.post_generic(dict(end, recording_url="https://pbx.example.com/rec/late.mp3"))
        call = self.calls("f-late-rec")
        self.assertEqual(call.followup, "recording")
        self.assertFalse(self.notes_with("/crm_telephony/recording/"))
        self.run_followups()
        self.assertEqual(len(self.notes_with("/crm_telephony/recording/")), 1)
        self.assertTrue(call.recording_posted)
        self.assertFalse(call.followup)
        self.post_generic(dict(end, recording_url="https://pbx.example.com/rec/late.mp3"))
        self.run_followups()  # the same recording again: nothing more
        self.assertEqual(len(self.notes_with("/crm_telephony/recording/")), 1)

    def test_a_recording_that_comes_before_the_job_goes_with_the_call_note(self):
        end = self.answered("f-early-rec", "+79032223344", extension="101")
        self.post_generic(dict(end, recording_url="https://pbx.example.com/rec/early.mp3"))
        self.assertEqual(self.calls("f-early-rec").followup, "call")
        self.run_followups()
        notes = self.notes_with("+79032223344")
        self.assertEqual(len(notes), 1)
        self.assertIn("/crm_telephony/recording/", notes.body)
        self.assertTrue(self.calls("f-early-rec").recording_posted)

    def test_a_call_back_is_handled_at_once_and_its_to_do_closed_by_the_job(self):
        self.missed("f-cb-todo", "+7 903 222-33-44")
        self.run_followups()
        call_back = self.env.ref("mail.mail_activity_data_call")
        self.assertEqual(self.deal.activity_ids.activity_type_id, call_back)
        self.answered("f-cb-todo-out", "+79032223344", direction="outbound", extension="101")
        missed = self.calls("f-cb-todo")
        # what rule R04 reads is written by the request itself
        self.assertEqual(missed.callback_call_id, self.calls("f-cb-todo-out"))
        self.assertTrue(missed.handled_at)
        self.assertIn(call_back, self.deal.activity_ids.activity_type_id)
        self.run_followups()
        self.assertNotIn(call_back, self.deal.activity_ids.activity_type_id)

    def test_a_missed_call_called_back_before_the_job_still_gets_its_deal(self):
        self.missed("f-cb-new", "+7 926 777-00-05")
        self.answered("f-cb-new-out", "+79267770005", direction="outbound", extension="101")
        self.assertTrue(self.calls("f-cb-new").handled_at)
        self.run_followups()
        deal = self.deals_of("+79267770005")
        self.assertEqual(len(deal), 1)
        self.assertEqual(self.calls("f-cb-new").lead_id, deal)
        self.assertEqual(self.calls("f-cb-new-out").lead_id, deal)
        call_back = self.env.ref("mail.mail_activity_data_call")
        self.assertNotIn(call_back, deal.activity_ids.activity_type_id)

    def test_an_answered_call_of_a_number_whose_deal_is_pending_joins_it(self):
        self.missed("f-pending", "+7 926 777-00-06")
        self.answered("f-pending-again", "+79267770006", extension="101")
        self.run_followups()
        deal = self.deals_of("+79267770006")
        self.assertEqual(self.calls("f-pending-again").lead_id, deal)
        summary = self.env.ref("crm_telephony_sip.mail_activity_type_call_summary")
        self.assertEqual(deal.activity_ids.activity_type_id, summary)
        self.assertEqual(len(self.notes_with("+79267770006", deal)), 2)  # both calls

    def test_a_recording_processed_at_once_while_its_call_is_due_is_posted_once(self):
        end = self.answered("f-inline-rec", "+79032223344", extension="101")
        self.assertEqual(self.calls("f-inline-rec").followup, "call")
        # the retry cron (or a poll) processes the recording's request at once
        recording = dict(end, recording_url="https://pbx.example.com/rec/inline.mp3")
        events = self.connection._adapter().parse(
            self.connection, json.dumps(recording), fields.Datetime.now()
        )
        self.env["crm.telephony.call"]._upsert_events(self.connection, events)
        self.run_followups()
        self.assertEqual(len(self.notes_with("/crm_telephony/recording/")), 1)

    def test_the_job_gives_up_on_a_call_after_five_failed_runs_until_asked_again(self):
        self.answered("f-poison", "+79032223344", extension="101")
        data = self.env["ir.model.data"].search(
            [("module", "=", "crm_telephony_sip"), ("name", "=", "mail_activity_type_call_summary")]
        )
        data.name = "mail_activity_type_call_summary_hidden"  # the summary to-do fails
        logger = "odoo.addons.crm_telephony_sip.models.crm_telephony_call_followup"
        for _run in range(5):
            with self.assertLogs(logger, "WARNING"):
                self.run_followups()
        call = self.calls("f-poison")
        self.assertEqual((call.followup, call.followup_attempts), ("call", 5))
        with self.assertNoLogs(logger, "WARNING"):
            self.run_followups()  # left alone
        self.assertEqual(call.followup_attempts, 5)

        data.name = "mail_activity_type_call_summary"
        with self.assertRaises(AccessError):
            call.with_user(self.salesman).action_follow_up_again()
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()
        answer = call.with_user(self.manager).action_follow_up_again()
        self.assertEqual(answer["params"]["type"], "success")
        self.assertEqual(self.wake_ups(), 1)
        self.run_followups()
        self.assertFalse(call.followup)
        self.assertEqual(len(self.deal.activity_ids), 1)
