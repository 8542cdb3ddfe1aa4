from .common import TelephonyCase


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
