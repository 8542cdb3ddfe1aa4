import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

from odoo.tests import new_test_user

from .common import TelephonyCase

ZADARMA_SECRET = "c8a7e3f0d2b94b6e9a1f"


class FakeZadarmaApi(BaseHTTPRequestHandler):
    """A real HTTP server answering like Zadarma's ``/v1/pbx/record/request/``."""

    requests_seen = []

    def do_GET(self):
        self.requests_seen.append((self.path, self.headers.get("Authorization")))
        call_id = parse_qs(urlparse(self.path).query)["call_id"][0]
        body = json.dumps(
            {"status": "success", "link": f"https://files.zadarma.example/{call_id}.mp3"}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        return


def zadarma_connection(case, **values):
    """A Zadarma connection (Moscow time) signed with ZADARMA_SECRET, extension 100 the
    case's salesperson."""
    return case.env["crm.telephony.connection"].create(
        {
            "name": "Zadarma",
            "provider": "zadarma",
            "secret": ZADARMA_SECRET,
            "country_id": case.russia.id,
            "tz": "Europe/Moscow",
            "extension_ids": [(0, 0, {"extension": "100", "user_id": case.salesman.id})],
            **values,
        }
    )


class TestTelephonyZadarma(TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zadarma = zadarma_connection(cls, api_key="zd-user-key")

    def start(self, call_id="zd-1"):
        return {
            "event": "NOTIFY_START",
            "call_start": "2024-05-01 13:00:00",
            "pbx_call_id": call_id,
            "caller_id": "79161234567",
            "called_did": "74950000000",
        }

    def end(self, call_id="zd-1", disposition="answered"):
        return {
            "event": "NOTIFY_END",
            "call_start": "2024-05-01 13:00:00",
            "pbx_call_id": call_id,
            "caller_id": "79161234567",
            "called_did": "74950000000",
            "internal": "100",
            "duration": "75",
            "disposition": disposition,
            "status_code": "16",
            "is_recorded": "1",
            "call_id_with_rec": f"{call_id}.rec",
        }

    def test_zd_echo_url_check_is_answered(self):
        response = self.url_open(self.url_for(self.zadarma) + "?zd_echo=abc123")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text, "abc123")

    def test_inbound_notifications_build_one_answered_call(self):
        self.post_zadarma(self.start(), self.zadarma)
        self.post_zadarma(
            {
                "event": "NOTIFY_ANSWER",
                "call_start": "2024-05-01 13:00:00",
                "pbx_call_id": "zd-1",
                "caller_id": "79161234567",
                "destination": "100",
                "internal": "100",
            },
            self.zadarma,
        )
        response = self.post_zadarma(self.end(), self.zadarma)
        self.assertEqual(response.status_code, 200)
        call = self.calls("zd-1", self.zadarma)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.status, "answered")
        self.assertEqual(call.client_number_e164, "+79161234567")
        self.assertEqual(call.user_id, self.salesman)
        self.assertEqual(str(call.started_at), "2024-05-01 10:00:00")
        self.assertEqual(call.recording_ref, "zd-1.rec")

    def test_end_before_start_gives_the_same_call(self):
        self.post_zadarma(self.end("zd-2", "no answer"), self.zadarma)
        self.post_zadarma(self.start("zd-2"), self.zadarma)
        call = self.calls("zd-2", self.zadarma)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.status, "no_answer")
        self.assertTrue(call.is_missed)

    def test_signature_made_with_another_secret_answers_401(self):
        response = self.post_zadarma(self.start("zd-3"), self.zadarma, secret="not-the-secret")
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self.calls("zd-3", self.zadarma))

    def test_outbound_notifications_build_an_outbound_call(self):
        out = {
            "event": "NOTIFY_OUT_START",
            "call_start": "2024-05-01 14:00:00",
            "pbx_call_id": "zd-out",
            "internal": "100",
            "destination": "79161234567",
        }
        self.post_zadarma(out, self.zadarma)
        out.update(
            event="NOTIFY_OUT_END",
            caller_id="74950000000",
            duration="20",
            disposition="busy",
            status_code="17",
            is_recorded="0",
        )
        self.post_zadarma(out, self.zadarma)
        call = self.calls("zd-out", self.zadarma)
        self.assertEqual(call.direction, "outbound")
        self.assertEqual(call.status, "busy")
        self.assertEqual(call.our_number, "74950000000")

    def test_expiring_recording_is_resolved_through_the_api_on_play(self):
        server = HTTPServer(("127.0.0.1", 0), FakeZadarmaApi)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.zadarma.api_url = f"http://127.0.0.1:{server.server_port}"
        self.post_zadarma(self.end("zd-rec"), self.zadarma)
        self.post_zadarma(
            {"event": "NOTIFY_RECORD", "pbx_call_id": "zd-rec", "call_id_with_rec": "zd-rec.rec"},
            self.zadarma,
        )
        call = self.calls("zd-rec", self.zadarma)
        self.authenticate("tel_salesman", "tel_salesman")
        response = self.url_open(f"/crm_telephony/recording/{call.id}", allow_redirects=False)
        self.assertEqual(
            response.headers["Location"], "https://files.zadarma.example/zd-rec.rec.mp3"
        )
        path, authorization = FakeZadarmaApi.requests_seen[-1]
        self.assertTrue(path.startswith("/v1/pbx/record/request/"))
        self.assertTrue(authorization.startswith("zd-user-key:"))


class TestTelephonyZadarmaCallFlows(TelephonyCase):
    """Group calls and the IVR, with the events, fields and signed strings of Zadarma's
    own client library (github.com/zadarma/user-api-v1, lib/Webhook/Notify*.php)."""

    start = TestTelephonyZadarma.start
    end = TestTelephonyZadarma.end

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zadarma = zadarma_connection(cls)
        cls.colleague = new_test_user(
            cls.env, login="zd_colleague", groups="sales_team.group_sale_salesman", name="Petr"
        )
        cls.zadarma.write(
            {"extension_ids": [(0, 0, {"extension": "101", "user_id": cls.colleague.id})]}
        )

    def internal(self, call_id, extension):
        return {
            "event": "NOTIFY_INTERNAL",
            "call_start": "2024-05-01 13:00:00",
            "pbx_call_id": call_id,
            "caller_id": "79161234567",
            "called_did": "74950000000",
            "internal": extension,
        }

    def answer(self, call_id, extension):
        return {
            "event": "NOTIFY_ANSWER",
            "call_start": "2024-05-01 13:00:00",
            "pbx_call_id": call_id,
            "caller_id": "79161234567",
            "destination": extension,
            "internal": extension,
        }

    def test_missed_group_call_has_the_salesperson_of_the_extension_that_rang(self):
        self.post_zadarma(self.start("zd-grp"), self.zadarma)
        for extension in ("100", "101"):
            response = self.post_zadarma(self.internal("zd-grp", extension), self.zadarma)
            self.assertEqual(response.status_code, 200)
        end = dict(self.end("zd-grp", disposition="no answer"), duration="30", is_recorded="0")
        end.pop("internal")
        self.post_zadarma(end, self.zadarma)
        call = self.calls("zd-grp", self.zadarma)
        self.assertTrue(call.is_missed)
        self.assertEqual(call.user_id, self.salesman)

    def test_group_call_is_credited_to_the_extension_that_answered(self):
        self.post_zadarma(self.start("zd-ans"), self.zadarma)
        self.post_zadarma(self.internal("zd-ans", "100"), self.zadarma)
        self.post_zadarma(self.internal("zd-ans", "101"), self.zadarma)
        self.post_zadarma(self.answer("zd-ans", "101"), self.zadarma)
        self.post_zadarma(dict(self.end("zd-ans"), internal="101"), self.zadarma)
        call = self.calls("zd-ans", self.zadarma)
        self.assertEqual(call.user_id, self.colleague)
        self.assertEqual(call.extension, "101")
        self.assertEqual(call.status, "answered")

    def test_ivr_notification_is_accepted(self):
        ivr = dict(
            self.start("zd-ivr"),
            event="NOTIFY_IVR",
            wait_dtmf="",
        )
        response = self.post_zadarma(ivr, self.zadarma)
        self.assertEqual(response.status_code, 200, response.text)
        call = self.calls("zd-ivr", self.zadarma)
        self.assertEqual(call.direction, "inbound")
        self.assertEqual(call.client_number_e164, "+79161234567")

    def test_ivr_notification_with_a_wrong_signature_is_refused(self):
        ivr = dict(self.start("zd-ivr-bad"), event="NOTIFY_IVR")
        response = self.post_zadarma(ivr, self.zadarma, secret="not-the-secret")
        self.assertEqual(response.status_code, 401)

    def test_unknown_event_is_journaled_and_ignored(self):
        response = self.post_zadarma(
            {"event": "NOTIFY_SOMETHING_NEW", "pbx_call_id": "zd-new"}, self.zadarma
        )
        self.assertEqual(response.status_code, 200)
        event = self.env["crm.telephony.event"].search([("body", "like", "NOTIFY_SOMETHING_NEW")])
        self.assertEqual(event.state, "done")
        self.assertFalse(self.calls("zd-new", self.zadarma))
