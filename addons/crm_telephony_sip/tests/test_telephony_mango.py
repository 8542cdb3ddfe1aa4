import json

from odoo.exceptions import AccessError

from odoo.addons.crm_telephony_sip.adapters import mango

from .common import FakeProviderApi, TelephonyCase

API_KEY = "mango-vpbx-key"
SALT = "mango-salt-123"


class TestTelephonyMango(TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mango = cls.env["crm.telephony.connection"].create(
            {
                "name": "Mango Office",
                "provider": "mango",
                "api_key": API_KEY,
                "secret": SALT,
                "country_id": cls.russia.id,
                "extension_ids": [(0, 0, {"extension": "201", "user_id": cls.salesman.id})],
            }
        )

    def send(self, kind, body, salt=SALT):
        json_text = json.dumps(body)
        response = self.url_open(
            f"/crm_telephony/{self.mango.key}/events/{kind}",
            data={
                "vpbx_api_key": API_KEY,
                "sign": mango.sign(API_KEY, json_text, salt),
                "json": json_text,
            },
        )
        self.env.invalidate_all()
        return response

    def call_event(self, state, timestamp, entry="MTox"):
        return {
            "entry_id": entry,
            "call_id": "MToxMDA1NzU5Mzo1MDI6NjI1ODM4MzQ=",
            "timestamp": timestamp,
            "seq": 1,
            "call_state": state,
            "location": "abonent",
            "from": {"number": "79161112233"},
            "to": {
                "extension": "201",
                "number": "sip:user@vpbx.mangosip.ru",
                "line_number": "74951234567",
            },
        }

    def summary(self, entry="MTox", result=1):
        return {
            "entry_id": entry,
            "call_direction": 1,
            "from": {"number": "79161112233"},
            "to": {"extension": "201", "number": "sip:user@vpbx.mangosip.ru"},
            "line_number": "74951234567",
            "create_time": 1714557600,
            "forward_time": 1714557601,
            "talk_time": 1714557610 if result else 0,
            "end_time": 1714557700,
            "entry_result": result,
            "disconnect_reason": 1110,
        }

    def test_call_and_summary_events_build_one_answered_call(self):
        self.send("call", self.call_event("Appeared", 1714557600))
        self.send("call", self.call_event("Connected", 1714557610))
        response = self.send("summary", self.summary())
        self.assertEqual(response.status_code, 200)
        call = self.calls("MTox", self.mango)
        self.assertEqual(call.status, "answered")
        self.assertEqual(call.talk_time, 90)
        self.assertEqual(call.user_id, self.salesman)
        self.assertEqual(call.client_number_e164, "+79161112233")

    def test_summary_without_answer_is_a_missed_call(self):
        self.send("summary", self.summary(entry="MTmissed", result=0))
        self.assertTrue(self.calls("MTmissed", self.mango).is_missed)

    def test_recording_event_stores_the_recording_id(self):
        self.send("summary", self.summary(entry="MTrec"))
        self.send(
            "recording",
            {
                "entry_id": "MTrec",
                "product_id": 1,
                "recording_id": "MToxMDA1NzU5MzoxNDI3MTk5MTI1OjA=",
                "recording_state": "Completed",
                "seq": 3,
                "timestamp": 1714557701,
            },
        )
        self.assertEqual(
            self.calls("MTrec", self.mango).recording_ref, "MToxMDA1NzU5MzoxNDI3MTk5MTI1OjA="
        )

    def test_sign_made_with_another_salt_answers_401(self):
        response = self.send("summary", self.summary(entry="MTbad"), salt="wrong")
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self.calls("MTbad", self.mango))

    def test_recording_is_fetched_through_the_mango_api_on_play(self):
        location = "https://files.mango.example/MTplay.mp3"
        routes = {("POST", "/queries/recording/post"): (302, {"Location": location}, {})}
        with FakeProviderApi(routes) as api:
            self.mango.api_url = api.url
            self.send("summary", self.summary(entry="MTplay"))
            self.send(
                "recording",
                {"entry_id": "MTplay", "recording_id": "REC-1", "recording_state": "Completed"},
            )
            call = self.calls("MTplay", self.mango)
            self.authenticate("tel_salesman", "tel_salesman")
            response = self.url_open(f"/crm_telephony/recording/{call.id}", allow_redirects=False)
        self.assertEqual(response.headers["Location"], location)
        self.assertIn("REC-1", api.requests[-1][3])

    def test_salesman_cannot_read_the_connection_secrets(self):
        with self.assertRaises(AccessError):
            self.mango.with_user(self.salesman).read(["secret"])

    def test_summary_before_the_call_events_gives_the_same_call(self):
        self.send("summary", self.summary(entry="MTooo"))
        self.send("call", self.call_event("Appeared", 1714557600, entry="MTooo"))
        self.send("call", self.call_event("Connected", 1714557610, entry="MTooo"))
        call = self.calls("MTooo", self.mango)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.status, "answered")
        self.assertEqual(call.talk_time, 90)
