import logging
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user

from odoo.addons.crm_telephony_sip.adapters.common import RequestData
from odoo.addons.crm_telephony_sip.models.crm_telephony_event import MAX_ATTEMPTS, MAX_EVENTS

from .common import TelephonyCase


class TestTelephonyHostileTraffic(TelephonyCase):
    """The event endpoint faces the internet: bounded reads, nothing stored for what is
    refused before the key and address checks, poison batches end, exact matching."""

    def events(self, connection=None):
        return self.env["crm.telephony.event"].search(
            [("connection_id", "=", (connection or self.connection).id)]
        )

    def test_unknown_key_answers_404_without_reading_or_storing_the_body(self):
        before = self.env["crm.telephony.event"].search_count([])
        response = self.url_open(
            "/crm_telephony/no-such-key/event",
            data=(b"x" * 65536 for _chunk in range(64)),  # 4 MB, chunked
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.env["crm.telephony.event"].search_count([]), before)

    def test_oversize_chunked_body_answers_413_and_stores_nothing(self):
        before = self.events()
        response = self.url_open(
            self.url_for(self.connection),
            data=(b"x" * 65536 for _chunk in range(32)),  # 2 MB, no Content-Length
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 413)
        self.assertEqual(self.events(), before)

    def test_sender_outside_the_allow_list_is_refused_before_anything_is_stored(self):
        self.connection.ip_allowlist = "10.1.2.0/24"
        before = self.events()
        response = self.post_generic(self.generic_call("h-ip"))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.events(), before)

    def test_body_that_is_not_utf8_is_journaled_as_malformed_with_its_bytes(self):
        raw = '{"call_id": "h-cp1251", "client_number": "Иван"}'.encode("cp1251")
        response = self.post_generic(raw)
        self.assertEqual(response.status_code, 400)
        event = self.events().filtered(lambda e: "h-cp1251" in (e.body or ""))
        self.assertEqual(event.state, "invalid")
        self.assertEqual(event.body.encode("latin-1"), raw)

    def test_access_log_does_not_show_the_connection_key(self):
        key = self.connection.key
        werkzeug = logging.getLogger("werkzeug")
        # the line werkzeug's request handler logs for every request
        record = werkzeug.makeRecord(
            "werkzeug",
            logging.INFO,
            __file__,
            0,
            '127.0.0.1 - - [30/Nov/2026 03:00:00] "%s" %s %s',
            (f"POST /crm_telephony/{key}/event HTTP/1.1", 200, "-"),
            None,
        )
        self.assertTrue(werkzeug.filter(record))
        self.assertIn("/crm_telephony/***/event", record.getMessage())
        self.assertNotIn(key, record.getMessage())

    def test_user_email_names_only_an_internal_user_of_the_company_exactly(self):
        portal = new_test_user(
            self.env, login="portal_caller", groups="base.group_portal", email="port@example.com"
        )
        other_company = self.env["res.company"].create({"name": "Other PBX company"})
        outsider = new_test_user(
            self.env,
            login="other_company_seller",
            groups="sales_team.group_sale_salesman",
            email="outsider@example.com",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        self.post_generic(
            {
                "events": [
                    self.generic_call("h-wild", user_email="port%"),
                    self.generic_call("h-portal", user_email=portal.email),
                    self.generic_call("h-outsider", user_email=outsider.email),
                    self.generic_call("h-exact", user_email="IVAN@example.com"),
                ]
            }
        )
        self.assertFalse(self.calls("h-wild").user_id)
        self.assertFalse(self.calls("h-portal").user_id)
        self.assertFalse(self.calls("h-outsider").user_id)
        self.assertEqual(self.calls("h-exact").user_id, self.salesman)

    def test_recording_links_are_http_urls_only(self):
        self.post_generic(
            {
                "events": [
                    self.generic_call(
                        "h-js", status="answered", recording_url="javascript:alert(1)"
                    ),
                    self.generic_call(
                        "h-rel", status="answered", recording_url="//evil.example.com/x"
                    ),
                ]
            }
        )
        self.assertFalse(self.calls("h-js").has_recording)
        self.assertFalse(self.calls("h-rel").has_recording)

    def test_a_stored_link_that_is_not_http_is_never_redirected_to(self):
        self.post_generic(self.generic_call("h-stored", status="answered"))
        call = self.calls("h-stored")
        call.recording_url = "data:text/html,<script>alert(1)</script>"
        self.authenticate("tel_manager", "tel_manager")
        response = self.url_open(f"/crm_telephony/recording/{call.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 404)

    def test_batch_over_the_cap_is_refused_and_kept_as_malformed(self):
        events = [self.generic_call(f"h-cap-{n}") for n in range(MAX_EVENTS + 1)]
        response = self.post_generic({"events": events})
        self.assertEqual(response.status_code, 413)
        event = self.events().filtered(lambda e: "h-cap-0" in (e.body or ""))
        self.assertEqual(event.state, "invalid")
        self.assertFalse(self.calls("h-cap-0"))

    def test_batch_of_several_chunks_is_processed_whole(self):
        events = [
            self.generic_call(f"h-chunk-{n}", client_number=f"+7999200{n:04d}") for n in range(250)
        ]
        response = self.post_generic({"events": events})
        self.assertEqual(response.status_code, 200)
        calls = self.env["crm.telephony.call"].search([("provider_call_id", "=like", "h-chunk-%")])
        self.assertEqual(len(calls), 250)

    def test_request_whose_every_attempt_died_ends_failed_and_is_not_retried(self):
        body = '{"call_id": "h-killed", "client_number": "+79990001111"}'
        event = self.env["crm.telephony.event"]._journal(
            self.connection, RequestData(remote_addr="127.0.0.1"), body
        )
        event.write(
            {
                "attempts": MAX_ATTEMPTS,
                "received_at": fields.Datetime.now() - timedelta(hours=1),
            }
        )
        self.env["crm.telephony.event"]._cron_retry_failed()
        self.assertEqual(event.state, "failed")
        self.assertIn("Given up", event.error)
        self.assertEqual(event.attempts, MAX_ATTEMPTS)
        self.assertFalse(self.calls("h-killed"))

    def test_an_attempt_is_counted_before_processing_starts(self):
        self.post_generic(self.generic_call("h-count"))
        event = self.events().filtered(lambda e: "h-count" in (e.body or ""))
        self.assertEqual((event.state, event.attempts), ("done", 1))
