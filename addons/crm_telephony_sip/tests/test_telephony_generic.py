import json
import time

from odoo.tests import new_test_user

from .common import TelephonyCase


class TestTelephonyGeneric(TelephonyCase):
    def test_signed_event_creates_a_call_with_e164_number_and_salesperson(self):
        response = self.post_generic(
            self.generic_call(
                "g-1",
                extension="101",
                answered_at="2024-05-01T10:00:05Z",
                ended_at="2024-05-01T10:01:05Z",
                duration=65,
                talk_time=60,
                status="answered",
            )
        )
        self.assertEqual(response.status_code, 200)
        call = self.calls("g-1")
        self.assertEqual(call.client_number_e164, "+79161234567")
        self.assertEqual(call.user_id, self.salesman)
        self.assertEqual(call.status, "answered")
        self.assertEqual(call.talk_time, 60)

    def test_unknown_connection_answers_404(self):
        response = self.url_open(
            "/crm_telephony/no-such-key/event",
            data=b"{}",
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 404)

    def test_bad_signature_answers_401_and_creates_no_call(self):
        response = self.post_generic(self.generic_call("g-bad"), secret="whsec_d3Jvbmc=")
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self.calls("g-bad"))

    def test_missing_signature_answers_401(self):
        response = self.url_open(
            self.url_for(self.connection),
            data=json.dumps(self.generic_call("g-unsigned")),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 401)

    def test_signature_older_than_five_minutes_answers_401(self):
        response = self.post_generic(self.generic_call("g-old"), timestamp=int(time.time()) - 600)
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self.calls("g-old"))

    def test_malformed_json_answers_400_with_a_reason(self):
        response = self.post_generic(b"{not json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("JSON", response.json()["error"])

    def test_unknown_status_answers_400_with_a_reason(self):
        response = self.post_generic(self.generic_call("g-st", status="exploded"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("status", response.json()["error"])

    def test_oversize_body_answers_413(self):
        big = self.generic_call("g-big", hangup_cause="x" * (2 * 1024 * 1024))
        response = self.post_generic(big)
        self.assertEqual(response.status_code, 413)

    def test_same_event_twice_gives_one_unchanged_call(self):
        payload = self.generic_call("g-dup", status="no_answer", ended_at="2024-05-01T10:00:30Z")
        self.post_generic(payload)
        call = self.calls("g-dup")
        before = call.read(["status", "ended_at", "lead_id", "write_date"])
        response = self.post_generic(payload)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.calls("g-dup")), 1)
        self.assertEqual(call.read(["status", "ended_at", "lead_id", "write_date"]), before)
        self.assertEqual(len(self.env["crm.lead"].search([("phone", "=", "+79161234567")])), 1)

    def test_end_before_start_gives_the_same_call(self):
        end = self.generic_call(
            "g-ooo",
            started_at=None,
            answered_at="2024-05-01T10:00:04Z",
            ended_at="2024-05-01T10:02:00Z",
            status="answered",
            talk_time=116,
        )
        start = self.generic_call("g-ooo", status="ringing")
        self.post_generic(end)
        self.post_generic(start)
        call = self.calls("g-ooo")
        self.assertEqual(len(call), 1)
        self.assertEqual(call.status, "answered")
        self.assertEqual(str(call.started_at), "2024-05-01 10:00:00")
        self.assertEqual(str(call.ended_at), "2024-05-01 10:02:00")

    def test_every_request_is_journaled_with_its_body(self):
        self.post_generic(self.generic_call("g-journal"))
        self.post_generic(self.generic_call("g-journal-bad"), secret="whsec_d3Jvbmc=")
        events = self.env["crm.telephony.event"].search(
            [("connection_id", "=", self.connection.id)]
        )
        by_state = {event.state: event for event in events}
        self.assertIn("g-journal", by_state["done"].body)
        self.assertIn("g-journal-bad", by_state["rejected"].body)
        self.assertIn("webhook-id", by_state["done"].headers)

    def test_batch_of_calls_in_one_request(self):
        response = self.post_generic(
            {"events": [self.generic_call("g-b1"), self.generic_call("g-b2", direction="outbound")]}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.json()["calls"]), 2)

    def test_transferred_call_is_credited_to_the_agent_who_answered_last(self):
        colleague = new_test_user(
            self.env, login="gen_colleague", groups="sales_team.group_sale_salesman"
        )
        self.connection.write(
            {"extension_ids": [(0, 0, {"extension": "102", "user_id": colleague.id})]}
        )
        self.post_generic(self.generic_call("g-tr", extension="101", status="ringing"))
        self.post_generic(
            self.generic_call(
                "g-tr", extension="101", status="in_progress", answered_at="2024-05-01T10:00:05Z"
            )
        )
        self.post_generic(
            self.generic_call(
                "g-tr",
                extension="102",
                status="answered",
                answered_at="2024-05-01T10:00:40Z",
                ended_at="2024-05-01T10:02:00Z",
                talk_time=110,
            )
        )
        call = self.calls("g-tr")
        self.assertEqual(call.user_id, colleague)
        self.assertEqual(call.extension, "102")

    def test_events_of_one_call_in_one_request_merge_as_if_sent_one_by_one(self):
        """A request may carry several events of one call (one merge statement per event
        of that call): the call is the one separate requests give."""

        def events(call_id):
            return [
                self.generic_call(call_id, extension="101", status="ringing"),
                self.generic_call(
                    call_id,
                    extension="101",
                    status="answered",
                    answered_at="2024-05-01T10:00:05Z",
                    ended_at="2024-05-01T10:01:00Z",
                    talk_time=55,
                    recording_url="https://pbx.example.com/rec/g-one.mp3",
                ),
                self.generic_call(call_id, extension="101", status="in_progress"),
            ]

        for event in events("g-one-by-one"):
            self.post_generic(event)
        response = self.post_generic({"events": events("g-one-request") + [events("g-b3")[0]]})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(set(response.json()["calls"])), 2)
        names = [
            "status",
            "direction",
            "client_number_e164",
            "extension",
            "user_id",
            "started_at",
            "answered_at",
            "ended_at",
            "talk_time",
            "recording_url",
            "has_recording",
            "is_final",
            "final_done",
        ]
        one_by_one = self.calls("g-one-by-one").read(names)[0]
        in_one_request = self.calls("g-one-request").read(names)[0]
        del one_by_one["id"], in_one_request["id"]
        self.assertEqual(in_one_request, one_by_one)
        self.assertEqual(in_one_request["status"], "answered")
        self.assertEqual(in_one_request["user_id"][0], self.salesman.id)
