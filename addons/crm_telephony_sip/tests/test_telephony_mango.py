import json

from odoo.exceptions import AccessError

from odoo.addons.crm_telephony_sip.adapters import mango

from .common import FakeProviderApi, TelephonyCase

API_KEY = "mango-vpbx-key"
SALT = "mango-salt-123"
T0 = 1714557600  # 2024-05-01 10:00:00 UTC
LINE = "74951234567"
CLIENT = {"number": "79161112233"}
EXT_101 = {"extension": "101", "number": "sip:user101@vpbx400001234.mangosip.ru"}
EXT_102 = {"extension": "102", "number": "sip:user102@vpbx400001234.mangosip.ru"}
INTERNAL_102 = {"extension": "102", "number": "sip:user102@vpbx400001234.mangosip.ru"}


def mango_connection(case, users_by_extension):
    """A Mango Office connection signed with API_KEY and SALT, in the case's country."""
    return case.env["crm.telephony.connection"].create(
        {
            "name": "Mango Office",
            "provider": "mango",
            "api_key": API_KEY,
            "secret": SALT,
            "country_id": case.russia.id,
            "extension_ids": [
                (0, 0, {"extension": extension, "user_id": user.id})
                for extension, user in users_by_extension.items()
            ],
        }
    )


class TestTelephonyMango(TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mango = mango_connection(cls, {"201": cls.salesman})

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


class TestTelephonyMangoCallFlows(TelephonyCase):
    """Multi-leg flows as Mango Office sends them. The fixtures follow Mango's "API
    Виртуальной АТС" v1.9 section 3.1 (API Realtime: events/call with ``location``
    ivr/queue/abonent and one ``call_id`` per leg under one ``entry_id``,
    events/summary, events/recording, events/record/added, events/dtmf) and the
    event structs of the Go client github.com/TrashPony/Mango-api-wrapper
    (``mango_objects/call.go``, ``record.go``, ``dtmf.go``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna, cls.boris = cls.anna_and_boris("mango")
        cls.mango = mango_connection(cls, {"101": cls.anna, "102": cls.boris})

    send = TestTelephonyMango.send

    @staticmethod
    def leg(entry, state, at, to, location="abonent", caller=None, leg="1"):
        return {
            "entry_id": entry,
            "call_id": f"{entry}-leg-{leg}",
            "timestamp": at,
            "seq": at - T0 + 1,
            "call_state": state,
            "location": location,
            "from": caller or CLIENT,
            "to": dict(to, line_number=LINE),
        }

    @staticmethod
    def summary(entry, to, result=1, talk=T0 + 20, direction=1, caller=None):
        return {
            "entry_id": entry,
            "call_direction": direction,
            "from": caller or CLIENT,
            "to": to,
            "line_number": LINE,
            "create_time": T0,
            "forward_time": T0 + 5,
            "talk_time": talk,
            "end_time": T0 + 80,
            "entry_result": result,
            "disconnect_reason": 1110,
        }

    def test_ring_group_call_is_credited_to_the_agent_who_answered(self):
        # ring group 555: 101 and 102 ring, 102 answers
        self.send("call", self.leg("RG", "Appeared", T0 + 5, EXT_101, leg="1"))
        self.send("call", self.leg("RG", "Appeared", T0 + 5, EXT_102, leg="2"))
        self.send("call", self.leg("RG", "Connected", T0 + 20, EXT_102, leg="2"))
        self.send("call", self.leg("RG", "Disconnected", T0 + 20, EXT_101, leg="1"))
        self.send("call", self.leg("RG", "Disconnected", T0 + 80, EXT_102, leg="2"))
        self.send("summary", self.summary("RG", EXT_102))
        call = self.calls("RG", self.mango)
        self.assertEqual(call.user_id, self.boris)
        self.assertEqual(call.extension, "102")
        self.assertEqual(call.status, "answered")
        self.assertFalse(call.is_missed)
        self.assertEqual(call.talk_time, 60)

    def test_summary_extension_wins_over_a_late_ringing_leg(self):
        self.send("summary", self.summary("RG2", EXT_102))
        self.send("call", self.leg("RG2", "Appeared", T0 + 5, EXT_101, leg="1"))
        self.send("call", self.leg("RG2", "Connected", T0 + 20, EXT_101, leg="1"))
        self.assertEqual(self.calls("RG2", self.mango).user_id, self.boris)

    def test_transfer_is_credited_to_the_last_agent_who_talked(self):
        # 101 answers and transfers to 102, who ends the conversation
        self.send("call", self.leg("TR", "Connected", T0 + 10, EXT_101, leg="1"))
        self.send("call", self.leg("TR", "Connected", T0 + 40, EXT_102, caller=EXT_101, leg="2"))
        call = self.calls("TR", self.mango)
        self.assertEqual(call.user_id, self.boris)
        self.assertEqual(call.direction, "inbound")
        self.send("summary", self.summary("TR", EXT_102, talk=T0 + 10))
        self.assertEqual(self.calls("TR", self.mango).user_id, self.boris)

    def test_hidden_caller_id_stays_inbound_and_is_missed(self):
        hidden = {"number": ""}
        self.send("call", self.leg("HID", "Appeared", T0 + 5, EXT_101, caller=hidden))
        self.send("summary", self.summary("HID", EXT_101, result=0, talk=0, caller=hidden))
        call = self.calls("HID", self.mango)
        self.assertEqual(call.direction, "inbound")
        self.assertFalse(call.client_number)
        self.assertEqual(call.our_number, LINE)
        self.assertTrue(call.is_missed)

    def test_internal_call_between_employees_is_internal(self):
        self.send("call", self.leg("INT", "Appeared", T0, INTERNAL_102, caller=EXT_101))
        self.send("call", self.leg("INT", "Connected", T0 + 3, INTERNAL_102, caller=EXT_101))
        self.send(
            "summary",
            self.summary("INT", INTERNAL_102, direction=0, talk=T0 + 3, caller=EXT_101),
        )
        call = self.calls("INT", self.mango)
        self.assertEqual(call.direction, "internal")
        self.assertFalse(call.client_number)
        self.assertFalse(call.lead_id)
        self.assertFalse(call.is_missed)

    def test_caller_who_hangs_up_in_the_ivr_is_a_missed_call(self):
        ivr = {"number": LINE}
        self.send("call", self.leg("IVR", "Appeared", T0, ivr, location="ivr"))
        self.send("call", self.leg("IVR", "Connected", T0 + 1, ivr, location="ivr"))
        self.send("summary", self.summary("IVR", {"number": LINE}, result=1, talk=0))
        call = self.calls("IVR", self.mango)
        self.assertTrue(call.is_missed)
        self.assertFalse(call.user_id)
        self.assertEqual(call.lead_id.stage_id, self.unsorted)
        self.assertEqual(call.lead_id.phone_sanitized, "+79161112233")

    def test_answer_without_an_agent_is_missed(self):
        # entry_result=1 and a talk moment, but the IVR "answered", no employee did
        self.send("summary", self.summary("IVR2", {"number": LINE}, result=1))
        self.assertTrue(self.calls("IVR2", self.mango).is_missed)

    def test_recording_not_saved_is_not_kept(self):
        self.send("summary", self.summary("REC0", EXT_101))
        response = self.send(
            "recording",
            {
                "entry_id": "REC0",
                "call_id": "REC0-leg-1",
                "extension": "101",
                "recording_id": "MToxMDA1NzU5MzoxNDI3MTk5MTI1OjA=",
                "recording_state": "Completed",
                "completion_code": 2050,
                "seq": 4,
                "timestamp": T0 + 81,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.calls("REC0", self.mango).has_recording)

    def test_recording_added_later_is_kept(self):
        self.send("summary", self.summary("RECL", EXT_102))
        response = self.send(
            "record/added",
            {
                "entry_id": "RECL",
                "product_id": 10057593,
                "user_id": 4001,
                "recording_id": "MToxMDA1NzU5MzoxNDI3MTk5MTI1OjE=",
                "timestamp": T0 + 300,
            },
        )
        self.assertEqual(response.status_code, 200)
        call = self.calls("RECL", self.mango)
        self.assertEqual(call.recording_ref, "MToxMDA1NzU5MzoxNDI3MTk5MTI1OjE=")
        self.assertEqual(call.user_id, self.boris)

    def test_dtmf_tagged_and_unknown_kinds_are_journaled_and_ignored(self):
        self.send("summary", self.summary("DT", EXT_101))
        dtmf = {
            "seq": 2,
            "dtmf": "1",
            "timestamp": T0 + 2,
            "call_id": "DT-leg-1",
            "entry_id": "DT",
            "location": "ivr",
        }
        tagged = {"entry_id": "DT", "recording_id": "R1", "user_id": 4001, "product_id": 1}
        for kind, body in (
            ("dtmf", dtmf),
            ("record/tagged", tagged),
            ("recognized/offline", {"entry_id": "DT"}),
        ):
            response = self.send(kind, body)
            self.assertEqual(response.status_code, 200, kind)
        events = self.env["crm.telephony.event"].search([("connection_id", "=", self.mango.id)])
        self.assertIn("_kind=record%2Ftagged", " ".join(events.mapped("body")))
        self.assertEqual(set(events.mapped("state")), {"done"})
        call = self.calls("DT", self.mango)
        self.assertEqual(call.user_id, self.anna)
        self.assertEqual(call.status, "answered")

    def test_the_agent_who_answered_gets_the_summary_to_do_of_the_deal(self):
        client = self.env["res.partner"].create(
            {"name": "Known client", "phone": "+7 916 111-22-33", "country_id": self.russia.id}
        )
        deal = self.env["crm.lead"].create(
            {"name": "Known deal", "type": "opportunity", "partner_id": client.id}
        )
        self.send("call", self.leg("RGD", "Appeared", T0 + 5, EXT_101, leg="1"))
        self.send("call", self.leg("RGD", "Appeared", T0 + 5, EXT_102, leg="2"))
        self.send("call", self.leg("RGD", "Connected", T0 + 20, EXT_102, leg="2"))
        self.send("summary", self.summary("RGD", EXT_102))
        call = self.calls("RGD", self.mango)
        self.assertEqual(call.lead_id, deal)
        summary_type = self.env.ref("crm_telephony_sip.mail_activity_type_call_summary")
        todo = deal.activity_ids.filtered(lambda act: act.activity_type_id == summary_type)
        self.assertEqual(todo.user_id, self.boris, "the summary is asked of who talked")
