from unittest.mock import patch

from odoo.sql_db import BaseCursor

from odoo.addons.crm_telephony_sip.models.crm_telephony_call_ingest import (
    COMPUTED_COLUMNS,
)

from .common import TelephonyCase

# Queries of whole requests (the request itself, journal, processing), measured in this
# test with the test's own overhead (the connection key read by the test, the database
# list of the test server): the connection, the journal row, the merge, the caller
# lookup and the journal's done state; an end event adds the final flags of the call.
# scripts/bench/README.md has the figures of the whole path on a real server.
START_EVENT_QUERIES = 6
ANSWERED_END_QUERIES = 7
# An end that asks for a deal or a to-do (a missed call from an unknown number, an
# answered call on a deal with a salesperson) leaves them, and the call's note, to the
# follow-up job: the end event's queries, the call marked due and the job woken by the
# same statement as the call's final flags.
MISSED_END_QUERIES = 7
ANSWERED_DEAL_END_QUERIES = 7
# An answered call back on a deal: the missed calls it handles (one statement, what rule
# R04 reads), the deal's first contact, the call marked due and the job woken; the job
# closes the call-back to-do.
CALL_BACK_QUERIES = 9
# A recording that comes after the call's note: the merge, the call marked due and the
# job woken (one statement).
LATE_RECORDING_QUERIES = 7
BATCH_QUERIES = 9


class TestTelephonyQueries(TelephonyCase):
    follow_up_after_requests = False  # the requests alone; the job is measured apart

    def post_ok(self, payload):
        response = self.post_generic(payload)
        self.assertEqual(response.status_code, 200)

    def warm_up(self, prefix):
        for index in range(3):  # warm the caches
            self.post_ok(self.generic_call(f"{prefix}-warm-{index}", client_number="+79990000001"))
            self.post_ok(
                self.generic_call(
                    f"{prefix}-warm-{index}",
                    client_number="+79990000001",
                    status="no_answer",
                    ended_at="2024-05-01T10:01:00Z",
                )
            )

    def test_a_start_event_costs_a_constant_number_of_queries(self):
        self.warm_up("qs")
        with self.assertQueryCount(START_EVENT_QUERIES):
            self.post_ok(
                self.generic_call("qs-start", client_number="+79990000002", extension="101")
            )

    def test_an_answered_end_costs_a_constant_number_of_queries(self):
        self.warm_up("qa")
        start = self.generic_call("qa-call", client_number="+79990000003", extension="101")
        self.post_ok(start)
        with self.assertQueryCount(ANSWERED_END_QUERIES):
            self.post_ok(
                dict(
                    start,
                    status="answered",
                    answered_at="2024-05-01T10:00:05Z",
                    ended_at="2024-05-01T10:01:00Z",
                )
            )

    def test_an_answered_end_on_a_deal_costs_a_constant_number_of_queries(self):
        self.warm_up("qd")
        deals = self.env["crm.lead"].create(
            [
                {
                    "name": f"Deal {number}",
                    "type": "opportunity",
                    "phone": number,
                    "user_id": self.salesman.id,
                }
                for number in ("+79990000021", "+79990000022")
            ]
        )
        for index, deal in enumerate(deals):
            start = self.generic_call(f"qd-call-{index}", client_number=deal.phone, extension="101")
            self.post_ok(start)
            end = dict(
                start,
                status="answered",
                answered_at="2024-05-01T10:00:05Z",
                ended_at="2024-05-01T10:01:00Z",
            )
            if index == 0:  # warms the caches of a summary to-do
                self.post_ok(end)
                continue
            with self.assertQueryCount(ANSWERED_DEAL_END_QUERIES):
                self.post_ok(end)
        self.assertFalse(deals[1].activity_ids)  # the job's
        self.run_followups()
        summary = self.env.ref("crm_telephony_sip.mail_activity_type_call_summary")
        activity = deals[1].activity_ids
        self.assertEqual(activity.activity_type_id, summary)
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.res_name, deals[1].name)
        self.assertIn(self.salesman.partner_id, deals[1].message_partner_ids)

    def test_a_missed_end_costs_a_constant_number_of_queries(self):
        self.warm_up("qm")
        with self.assertQueryCount(MISSED_END_QUERIES):
            self.post_ok(
                self.generic_call(
                    "qm-call",
                    client_number="+79990000004",
                    status="no_answer",
                    ended_at="2024-05-01T10:01:00Z",
                )
            )
        self.assertFalse(self.calls("qm-call").lead_id)  # the job's
        self.run_followups()
        deal = self.calls("qm-call").lead_id
        self.assertEqual(deal.stage_id, self.unsorted)
        self.assertEqual(len(deal.message_ids), 2)  # the creation log and the call's note

    def test_a_call_back_costs_a_constant_number_of_queries(self):
        self.warm_up("qb")
        for index in range(2):  # the first warms the caches of a call back
            number = f"+7999000003{index}"
            deal = self.env["crm.lead"].create(
                {
                    "name": number,
                    "type": "opportunity",
                    "phone": number,
                    "user_id": self.salesman.id,
                }
            )
            missed = self.generic_call(
                f"qb-missed-{index}",
                client_number=number,
                status="no_answer",
                ended_at="2024-05-01T10:01:00Z",
            )
            self.post_ok(missed)
            self.run_followups()  # the call-back to-do
            start = self.generic_call(
                f"qb-out-{index}",
                direction="outbound",
                client_number=number,
                extension="101",
                started_at="2024-05-01T10:05:00Z",
            )
            self.post_ok(start)
            end = dict(
                start,
                status="answered",
                answered_at="2024-05-01T10:05:05Z",
                ended_at="2024-05-01T10:06:00Z",
            )
            if index == 0:
                self.post_ok(end)
                continue
            with self.assertQueryCount(CALL_BACK_QUERIES):
                self.post_ok(end)
        self.assertTrue(self.calls("qb-missed-1").handled_at)
        self.run_followups()
        call_back = self.env.ref("mail.mail_activity_data_call")
        self.assertNotIn(call_back, deal.activity_ids.activity_type_id)

    def test_a_late_recording_costs_a_constant_number_of_queries(self):
        self.warm_up("qr")
        for index in range(2):  # the first warms the caches of a recording's note
            number = f"+7999000004{index}"
            self.env["crm.lead"].create(
                {
                    "name": number,
                    "type": "opportunity",
                    "phone": number,
                    "user_id": self.salesman.id,
                }
            )
            end = self.generic_call(
                f"qr-call-{index}",
                client_number=number,
                extension="101",
                status="answered",
                answered_at="2024-05-01T10:00:05Z",
                ended_at="2024-05-01T10:01:00Z",
            )
            self.post_ok(end)
            self.run_followups()
            recording = dict(end, recording_url=f"https://pbx.example.com/rec/{index}.mp3")
            if index == 0:
                self.post_ok(recording)
                self.run_followups()
                continue
            with self.assertQueryCount(LATE_RECORDING_QUERIES):
                self.post_ok(recording)
        self.run_followups()
        self.assertTrue(self.calls("qr-call-1").recording_posted)

    def test_queries_per_event_do_not_grow_with_the_calls_stored(self):
        self.warm_up("qg")
        with self.assertQueryCount(START_EVENT_QUERIES):
            self.post_ok(self.generic_call("q-first", client_number="+79990000005"))
        self.post_generic(
            {
                "events": [
                    self.generic_call(f"q-bulk-{index}", client_number=f"+7999100{index:04d}")
                    for index in range(150)
                ]
            }
        )
        with self.assertQueryCount(START_EVENT_QUERIES):
            self.post_ok(self.generic_call("q-last", client_number="+79990000006"))

    def post_batch(self, prefix, count, queries=None):
        """One request carrying ``count`` answered outbound calls to numbers nobody has
        yet (every call is looked up, checked for a click-to-call attempt to merge and
        for missed calls it handles), costing ``queries`` queries when given."""
        events = [
            self.generic_call(
                f"{prefix}-{index}",
                direction="outbound",
                status="answered",
                extension="101",
                client_number=f"+7998{count:03d}{index:04d}",
                answered_at="2024-05-01T10:00:05Z",
                ended_at="2024-05-01T10:01:00Z",
            )
            for index in range(count)
        ]
        if queries is None:
            self.post_ok({"events": events})
        else:
            with self.assertQueryCount(queries):
                self.post_ok({"events": events})
        calls = self.env["crm.telephony.call"].search(
            [("provider_call_id", "=like", f"{prefix}-%")]
        )
        self.assertEqual(len(calls), count)
        self.assertEqual(set(calls.mapped("status")), {"answered"})
        self.assertEqual(calls.user_id, self.salesman)

    def test_a_batch_of_50_events_costs_the_queries_of_a_batch_of_5(self):
        self.post_batch("warm", 3)  # warm the caches
        self.post_batch("five", 5, queries=BATCH_QUERIES)
        self.post_batch("fifty", 50, queries=BATCH_QUERIES)

    def test_a_request_counts_its_attempt_with_its_journal_row(self):
        """The first processing attempt is written with the journal row, not by an
        UPDATE in a transaction of its own (one query and one commit less per event)."""
        self.warm_up("qj")
        self.post_ok(self.generic_call("qa-start", client_number="+79990000012"))
        event = self.env["crm.telephony.event"].search([("body", "like", "qa-start")])
        self.assertEqual((event.state, event.attempts), ("done", 1))
        self.assertEqual(event.call_ids, self.calls("qa-start"))

    def test_a_request_is_journaled_and_processed_in_its_own_transaction(self):
        """The request's transaction writes the journal row, commits it, then processes
        the request: no cursor besides Odoo's two (the registry check and the request's
        own), where journal and processing once had one each."""
        self.warm_up("qt")
        init = BaseCursor.__init__
        opened = []

        def counting_init(cursor, *args, **kwargs):
            opened.append(cursor)
            init(cursor, *args, **kwargs)

        with patch.object(BaseCursor, "__init__", counting_init):
            self.post_ok(self.generic_call("qt-start", client_number="+79990000013"))
        # (a cursor on the "postgres" database lists the databases when its cache expires)
        of_this_database = [c for c in opened if c.dbname == self.env.cr.dbname]
        self.assertEqual(len(of_this_database), 2)
        event = self.env["crm.telephony.event"].search([("body", "like", "qt-start")])
        self.assertEqual((event.state, event.attempts), ("done", 1))

    def test_the_merge_statement_computes_the_stored_fields_as_the_orm_does(self):
        """The merge writes the stored computed fields of a call in SQL: they agree
        with what the computes of crm.telephony.call give for the same calls."""
        payloads = [
            self.generic_call("qc-ring", client_number="8 916 555-44-33"),
            self.generic_call("qc-missed", status="no_answer", ended_at="2024-05-01T10:01:00Z"),
            self.generic_call(
                "qc-answered",
                direction="outbound",
                status="answered",
                answered_at="2024-05-01T10:00:05Z",
                ended_at="2024-05-01T10:01:00Z",
                recording_url="https://pbx.example.com/rec/1.mp3",
            ),
            self.generic_call("qc-internal", direction="internal", client_number="102"),
        ]
        for payload in payloads:
            self.post_generic(payload)
        calls = self.env["crm.telephony.call"].search([("provider_call_id", "=like", "qc-%")])
        self.assertEqual(len(calls), 4)
        names = list(COMPUTED_COLUMNS) + ["client_number_e164", "provider"]
        merged = calls.read(names)
        for name in names:
            self.env.add_to_compute(calls._fields[name], calls)
        calls.flush_recordset()
        self.env.invalidate_all()
        self.assertEqual(calls.read(names), merged)
        self.assertEqual(
            calls.filtered(lambda c: c.provider_call_id == "qc-ring").client_number_e164,
            "+79165554433",
        )

    def test_the_merge_statement_writes_every_stored_computed_field(self):
        """A stored computed field added to calls must be written by the merge
        statement too (``COMPUTED_COLUMNS``)."""
        Call = self.env["crm.telephony.call"]
        stored_computed = {
            name for name, field in Call._fields.items() if field.store and field.compute
        }
        self.assertEqual(
            stored_computed, set(COMPUTED_COLUMNS) | {"client_number_e164", "provider"}
        )
