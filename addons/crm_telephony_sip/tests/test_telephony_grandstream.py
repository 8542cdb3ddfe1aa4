"""Grandstream UCM: CDR API items of real call flows, and the poller against a
local UCM.

The fixtures follow Grandstream's "UCM6xxx / UCM63xx HTTPS API Guide" (CDR API:
``POST /api`` with ``{"request": {"action": "challenge" | "login" | "cdrapi", ...}}``,
the challenge answer ``{"response": {"challenge": ...}, "status": 0}``, login with
``token = md5(challenge + password)`` answering a ``cookie``, status -6 for an expired
cookie, ``cdrapi`` with ``format``, ``startTime``, ``timeFilterType``, ``numRecords``,
``offset`` answering ``cdr_root`` items of ``main_cdr`` / ``sub_cdr_N`` rows) and the
row fields a UCM writes (``session``, ``channel_ext``, ``dstchannel_ext``,
``action_type`` such as ``QUEUE[6500]``, ``userfield``, ``recordfiles``, ``dstanswer``).
"""

import hashlib
import json
from datetime import datetime
from http.server import BaseHTTPRequestHandler

import pytz

from odoo.exceptions import UserError

from .common import SECRET, LocalHttpServer, TelephonyCase

MOSCOW = pytz.timezone("Europe/Moscow")
CHALLENGE = "0000001652831717"
PASSWORD = "cdrapi123"


def ucm_row(**values):
    row = {
        "AcctId": "1",
        "accountcode": "",
        "src": "79031234567",
        "dst": "6500",
        "dcontext": "from-trunk-1",
        "clid": '"79031234567" <79031234567>',
        "channel": "PJSIP/trunk_1-00000001",
        "dstchannel": "",
        "lastapp": "Queue",
        "lastdata": "6500",
        "start": "2024-05-01 13:00:00",
        "answer": "",
        "end": "2024-05-01 13:01:40",
        "duration": "100",
        "billsec": "0",
        "disposition": "NO ANSWER",
        "amaflags": "DOCUMENTATION",
        "uniqueid": "1714557600.21",
        "userfield": "Inbound",
        "channel_ext": "trunk_1",
        "dstchannel_ext": "",
        "service": "s",
        "caller_name": "79031234567",
        "recordfiles": "",
        "dstanswer": "",
        "session": "1714557600021-79031234567",
        "action_owner": "79031234567",
        "action_type": "QUEUE[6500]",
        "src_trunk_name": "Trunk1",
        "dst_trunk_name": "",
        "sn": "ec74d7123456",
    }
    row.update(values)
    return row


def queue_call(session="1714557600021-79031234567", start="2024-05-01 13:00:00", minute="01"):
    """trunk -> queue 6500 (answers the caller at once) -> 1001 no answer, 1002 answers."""
    return {
        "main_cdr": ucm_row(
            session=session,
            start=start,
            answer=start,
            end=f"2024-05-01 13:{minute}:40",
            dstchannel_ext="6500",
            disposition="ANSWERED",
            billsec="100",
        ),
        "sub_cdr_1": ucm_row(
            session=session,
            uniqueid="1714557602.22",
            dst="1001",
            dstchannel="PJSIP/1001-00000002",
            dstchannel_ext="1001",
            start="2024-05-01 13:00:02",
            end="2024-05-01 13:00:22",
            duration="20",
        ),
        "sub_cdr_2": ucm_row(
            session=session,
            uniqueid="1714557622.23",
            dst="1002",
            dstchannel="PJSIP/1002-00000003",
            dstchannel_ext="1002",
            start="2024-05-01 13:00:22",
            answer="2024-05-01 13:00:30",
            end=f"2024-05-01 13:{minute}:40",
            duration="78",
            billsec="70",
            disposition="ANSWERED",
            dstanswer="1002",
            recordfiles="2024-05/auto-1714557630-1002-79031234567.wav@",
        ),
    }


class FakeUcm(LocalHttpServer):
    """A local UCM HTTPS API (served over HTTP): challenge, login, cdrapi with the
    time filter and paging of the guide."""

    def __init__(self, items, password=PASSWORD):
        self.items = list(items)
        self.password = password
        self.cookies = set()
        self.requests = []
        ucm = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}").get("request", {})
                ucm.requests.append(request)
                data = json.dumps(ucm.answer(request)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args):
                return

        self._serve(Handler)

    def answer(self, request):
        action = request.get("action")
        if action == "challenge":
            return {"response": {"challenge": CHALLENGE}, "status": 0}
        if action == "login":
            expected = hashlib.md5(f"{CHALLENGE}{self.password}".encode()).hexdigest()
            if request.get("token") != expected:
                return {"response": {}, "status": -37}
            cookie = f"sid{len(self.cookies) + 1}-1652831718"
            self.cookies.add(cookie)
            return {"response": {"cookie": cookie}, "status": 0}
        if action == "cdrapi":
            if request.get("cookie") not in self.cookies:
                return {"response": {}, "status": -6}
            since = datetime.fromisoformat(request["startTime"])
            matching = [item for item in self.items if self.ended(item) >= since]
            offset, count = int(request.get("offset", 0)), int(request.get("numRecords", 1000))
            return {"cdr_root": matching[offset : offset + count]}
        return {"response": {}, "status": -1}

    @staticmethod
    def ended(item):
        rows = [item["main_cdr"]] if "main_cdr" in item else [item]
        end = max(row["end"] for row in rows)
        return MOSCOW.localize(datetime.strptime(end, "%Y-%m-%d %H:%M:%S"))


class TestTelephonyGrandstream(TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna, cls.boris = cls.anna_and_boris("gs")
        cls.ucm = cls.env["crm.telephony.connection"].create(
            {
                "name": "UCM6304",
                "provider": "grandstream",
                "secret": SECRET,
                "country_id": cls.russia.id,
                "tz": "Europe/Moscow",
                "ucm_user": "cdrapi",
                "ucm_password": PASSWORD,
                "extension_ids": [
                    (0, 0, {"extension": "1001", "user_id": cls.anna.id}),
                    (0, 0, {"extension": "1002", "user_id": cls.boris.id}),
                ],
            }
        )

    def all_calls(self):
        return self.env["crm.telephony.call"].search([("connection_id", "=", self.ucm.id)])

    def journal(self):
        return self.env["crm.telephony.event"].search([("connection_id", "=", self.ucm.id)])

    def assert_queue_call_credited_to_1002(self, call):
        self.assertEqual(call.user_id, self.boris, "the agent who talked, not queue 6500")
        self.assertEqual(call.extension, "1002")
        self.assertEqual(call.status, "answered")
        self.assertEqual(str(call.answered_at), "2024-05-01 10:00:30")
        self.assertEqual(call.talk_time, 70, "the queue wait is not talk time")
        self.assertFalse(call.is_missed)

    def test_queue_call_in_the_api_envelope_is_credited_to_the_agent(self):
        body = {"response": {"cdr_root": [queue_call()]}, "status": 0}
        response = self.post_generic(body, connection=self.ucm)
        self.assertEqual(response.status_code, 200, response.text)
        call = self.calls("1714557600021-79031234567", self.ucm)
        self.assert_queue_call_credited_to_1002(call)
        self.assertEqual(call.recording_ref, "2024-05/auto-1714557630-1002-79031234567.wav")

    def test_legacy_cdr_list_is_accepted(self):
        row = ucm_row(
            session="1714560000031-79031234567",
            dst="1001",
            lastapp="Dial",
            action_type="DIAL",
            dstchannel="PJSIP/1001-00000031",
            dstchannel_ext="1001",
            answer="2024-05-01 13:00:04",
            billsec="96",
            disposition="ANSWERED",
        )
        response = self.post_generic({"cdr": [row]}, connection=self.ucm)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.calls("1714560000031-79031234567", self.ucm).user_id, self.anna)

    def test_caller_who_hangs_up_in_the_ivr_is_missed(self):
        row = ucm_row(
            session="1714560600041-79031234567",
            dst="7000",
            lastapp="BackGround",
            action_type="IVR[7000]",
            dstchannel_ext="7000",
            answer="2024-05-01 13:00:01",
            end="2024-05-01 13:00:15",
            billsec="14",
            disposition="ANSWERED",
        )
        self.post_generic({"cdr_root": [row]}, connection=self.ucm)
        call = self.calls("1714560600041-79031234567", self.ucm)
        self.assertTrue(call.is_missed)
        self.assertFalse(call.user_id)
        self.assertEqual(call.lead_id.stage_id, self.unsorted)

    def test_poller_fetches_each_call_once_across_restarts(self):
        first = queue_call()
        with FakeUcm([first]) as ucm:
            self.ucm.write({"ucm_url": ucm.url, "ucm_cursor_at": datetime(2024, 5, 1, 9, 0)})
            self.assertEqual(self.ucm._grandstream_poll(), 1)
            self.env.invalidate_all()
            self.assert_queue_call_credited_to_1002(self.all_calls())
            self.assertEqual(str(self.ucm.ucm_cursor_at), "2024-05-01 10:01:40")
            # polled again (a restart: a new client, the cursor from the database)
            self.assertEqual(self.ucm._grandstream_poll(), 0)
            self.assertEqual(len(self.journal()), 1, "nothing fetched twice")
            # a call that ended later, and one the UCM wrote late, inside the overlap
            later = queue_call(session="1714557900099-79031234567", minute="05")
            late = queue_call(session="1714557700077-79031234567", minute="00")
            ucm.items += [later, late]
            self.assertEqual(self.ucm._grandstream_poll(), 2)
        self.env.invalidate_all()
        self.assertEqual(len(self.all_calls()), 3)
        self.assertEqual(len(self.journal()), 2)
        self.assertEqual(str(self.ucm.ucm_cursor_at), "2024-05-01 10:05:40")
        starts = {request.get("startTime") for request in ucm.requests if "startTime" in request}
        self.assertIn("2024-05-01T12:46:40+03:00", starts, "the overlap before the cursor")

    def test_poller_logs_in_again_when_the_cookie_expired(self):
        with FakeUcm([queue_call()]) as ucm:
            self.ucm.write({"ucm_url": ucm.url, "ucm_cursor_at": datetime(2024, 5, 1, 9, 0)})
            original = ucm.answer

            def expire_once(request):
                if request.get("action") == "cdrapi" and not getattr(ucm, "expired", False):
                    ucm.expired = True
                    ucm.cookies.clear()
                return original(request)

            ucm.answer = expire_once
            self.assertEqual(self.ucm._grandstream_poll(), 1)
        logins = [request for request in ucm.requests if request.get("action") == "login"]
        self.assertEqual(len(logins), 2)

    def test_cron_keeps_the_error_of_an_unreachable_ucm(self):
        with FakeUcm([], password="other") as ucm:
            self.ucm.ucm_url = ucm.url
            self.env["crm.telephony.connection"]._cron_poll_grandstream()
        self.assertIn("status -37", self.ucm.ucm_last_error)
        self.assertFalse(self.ucm.ucm_cursor_at)

    def test_test_connection_button(self):
        with FakeUcm([]) as ucm:
            self.ucm.ucm_url = ucm.url
            result = self.ucm.with_user(self.manager).action_ucm_test_connection()
            self.assertEqual(result["params"]["type"], "success")
            self.ucm.ucm_password = "wrong"
            with self.assertRaisesRegex(UserError, "did not accept"):
                self.ucm.with_user(self.manager).action_ucm_test_connection()
