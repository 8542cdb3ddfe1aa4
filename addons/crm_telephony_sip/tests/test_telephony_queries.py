from .common import TelephonyCase

# Queries of a start event (journal, processing, the request itself), measured in this
# test; scripts/bench/README.md has the figures of the whole path
START_EVENT_QUERIES = 19
# Queries of one request carrying a batch of answered outbound calls, whatever its size
BATCH_QUERIES = 33


class TestTelephonyQueries(TelephonyCase):
    def post_ok(self, payload):
        response = self.post_generic(payload)
        self.assertEqual(response.status_code, 200)

    def test_queries_per_event_do_not_grow_with_the_calls_stored(self):
        for index in range(3):  # warm the caches
            self.post_ok(self.generic_call(f"q-warm-{index}", client_number="+79990000001"))
        with self.assertQueryCount(START_EVENT_QUERIES):
            self.post_ok(self.generic_call("q-first", client_number="+79990000002"))
        self.post_generic(
            {
                "events": [
                    self.generic_call(f"q-bulk-{index}", client_number=f"+7999100{index:04d}")
                    for index in range(150)
                ]
            }
        )
        with self.assertQueryCount(START_EVENT_QUERIES):
            self.post_ok(self.generic_call("q-last", client_number="+79990000003"))

    def batch(self, prefix, count):
        """One request's ``count`` answered outbound calls to numbers nobody has yet:
        every call is looked up, checked for a click-to-call attempt to merge and for
        missed calls it handles."""
        return [
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

    def assert_batch_recorded(self, prefix, count):
        calls = self.env["crm.telephony.call"].search(
            [("provider_call_id", "=like", f"{prefix}-%")]
        )
        self.assertEqual(len(calls), count)
        self.assertEqual(set(calls.mapped("status")), {"answered"})
        self.assertEqual(calls.user_id, self.salesman)

    def test_a_batch_of_50_events_costs_the_queries_of_a_batch_of_5(self):
        self.post_ok({"events": self.batch("warm", 3)})  # warm the caches
        for prefix, count in (("five", 5), ("fifty", 50)):
            with self.assertQueryCount(BATCH_QUERIES):
                self.post_ok({"events": self.batch(prefix, count)})
            self.assert_batch_recorded(prefix, count)

    def test_a_request_counts_its_attempt_with_its_journal_row(self):
        """The first processing attempt is written with the journal row, not by an
        UPDATE in a transaction of its own (one query and one commit less per event)."""
        for index in range(3):  # warm the caches
            self.post_ok(self.generic_call(f"qa-warm-{index}", client_number="+79990000011"))
        with self.assertQueryCount(START_EVENT_QUERIES):
            self.post_ok(self.generic_call("qa-start", client_number="+79990000012"))
        event = self.env["crm.telephony.event"].search([("body", "like", "qa-start")])
        self.assertEqual((event.state, event.attempts), ("done", 1))
