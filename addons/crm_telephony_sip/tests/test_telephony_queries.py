from .common import TelephonyCase

# Queries of a start event (journal, processing, the request itself), measured in this
# test; scripts/bench/README.md has the figures of the whole path
START_EVENT_QUERIES = 19


class TestTelephonyQueries(TelephonyCase):
    def queries_for(self, payload):
        before = self.cr.sql_log_count
        response = self.post_generic(payload)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def test_queries_per_event_do_not_grow_with_the_calls_stored(self):
        for index in range(3):  # warm the caches
            self.queries_for(self.generic_call(f"q-warm-{index}", client_number="+79990000001"))
        first = self.queries_for(self.generic_call("q-first", client_number="+79990000002"))
        self.post_generic(
            {
                "events": [
                    self.generic_call(f"q-bulk-{index}", client_number=f"+7999100{index:04d}")
                    for index in range(150)
                ]
            }
        )
        last = self.queries_for(self.generic_call("q-last", client_number="+79990000003"))
        self.assertGreater(first, 5)  # the request's own queries are counted
        self.assertEqual(last, first)

    def batch_queries(self, prefix, count):
        """Queries of one request carrying ``count`` answered outbound calls to numbers
        nobody has yet: every call is looked up, checked for a click-to-call attempt to
        merge and for missed calls it handles."""
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
        queries = self.queries_for({"events": events})
        calls = self.env["crm.telephony.call"].search(
            [("provider_call_id", "=like", f"{prefix}-%")]
        )
        self.assertEqual(len(calls), count)
        self.assertEqual(set(calls.mapped("status")), {"answered"})
        self.assertEqual(calls.user_id, self.salesman)
        return queries

    def test_a_batch_of_50_events_costs_the_queries_of_a_batch_of_5(self):
        self.batch_queries("warm", 3)  # warm the caches
        five = self.batch_queries("five", 5)
        fifty = self.batch_queries("fifty", 50)
        self.assertEqual(fifty, five)

    def test_a_request_counts_its_attempt_with_its_journal_row(self):
        """The first processing attempt is written with the journal row, not by an
        UPDATE in a transaction of its own (one query and one commit less per event)."""
        for index in range(3):  # warm the caches
            self.queries_for(self.generic_call(f"qa-warm-{index}", client_number="+79990000011"))
        queries = self.queries_for(self.generic_call("qa-start", client_number="+79990000012"))
        event = self.env["crm.telephony.event"].search([("body", "like", "qa-start")])
        self.assertEqual((event.state, event.attempts), ("done", 1))
        self.assertLessEqual(queries, START_EVENT_QUERIES)
