import json

from odoo.addons.crm_phone_base.tools.compat import USER_GROUPS

from .common import FakeProviderApi, TelephonyCase


class TestTelephonyOnlinePbx(TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.onlinepbx = cls.env["crm.telephony.connection"].create(
            {
                "name": "OnlinePBX",
                "provider": "onlinepbx",
                "country_id": cls.russia.id,
                "extension_ids": [(0, 0, {"extension": "505", "user_id": cls.salesman.id})],
            }
        )

    def send(self, payload, connection=None, headers=None):
        response = self.url_open(
            self.url_for(connection or self.onlinepbx),
            data=json.dumps(payload),
            headers=dict({"Content-Type": "application/json"}, **(headers or {})),
        )
        self.env.invalidate_all()
        return response

    def event(self, event, uuid="op-1", direction="inbound", **values):
        caller, callee = (
            ("79111117960", "505") if direction == "inbound" else ("505", "79111117960")
        )
        payload = {
            "domain": "example.onpbx.ru",
            "event": event,
            "direction": direction,
            "uuid": uuid,
            "caller": caller,
            "callee": callee,
            "from_domain": "example.onpbx.ru",
            "to_domain": "",
            "gateway": "74991111282",
            "date": "1714557600",
        }
        payload.update(values)
        return payload

    def test_start_answer_end_build_one_answered_call(self):
        self.send(self.event("call_start"))
        self.send(self.event("call_answered", date="1714557605"))
        response = self.send(
            self.event(
                "call_end",
                date="1714557665",
                call_duration="65",
                dialog_duration="60",
                hangup_cause="NORMAL_CLEARING",
            )
        )
        self.assertEqual(response.status_code, 200)
        call = self.calls("op-1", self.onlinepbx)
        self.assertEqual(call.status, "answered")
        self.assertEqual(call.talk_time, 60)
        self.assertEqual(call.user_id, self.salesman)
        self.assertEqual(call.client_number_e164, "+79111117960")
        self.assertEqual(call.our_number, "74991111282")

    def test_missed_event_makes_a_missed_call_and_an_unsorted_deal(self):
        self.send(self.event("call_start", uuid="op-2"))
        self.send(self.event("call_missed", uuid="op-2", date="1714557630"))
        call = self.calls("op-2", self.onlinepbx)
        self.assertTrue(call.is_missed)
        self.assertEqual(call.lead_id.stage_id, self.unsorted)

    def test_outbound_call_names_the_client_from_the_callee(self):
        self.send(self.event("call_start", uuid="op-3", direction="outbound"))
        call = self.calls("op-3", self.onlinepbx)
        self.assertEqual(call.direction, "outbound")
        self.assertEqual(call.extension, "505")
        self.assertEqual(call.client_number_e164, "+79111117960")

    def test_form_encoded_webhook_is_accepted(self):
        response = self.url_open(
            self.url_for(self.onlinepbx),
            data=self.event("call_start", uuid="op-form"),
        )
        self.env.invalidate_all()
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.calls("op-form", self.onlinepbx))

    def test_sender_outside_the_ip_allow_list_answers_403(self):
        self.onlinepbx.ip_allowlist = "10.1.2.0/24"
        response = self.send(self.event("call_start", uuid="op-ip"))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.calls("op-ip", self.onlinepbx))

    def test_unknown_event_is_journaled_and_ignored(self):
        response = self.send(self.event("call_exploded", uuid="op-new"))
        self.assertEqual(response.status_code, 200)
        event = self.env["crm.telephony.event"].search([("body", "like", "call_exploded")])
        self.assertEqual(event.state, "done")
        self.assertFalse(self.calls("op-new", self.onlinepbx))

    def test_unknown_direction_is_read_from_the_numbers(self):
        # the knowledge base example shape (kb.onlinepbx.ru "Веб-хуки"), with a
        # direction value this adapter does not know
        self.send(
            dict(
                self.event("call_start", uuid="op-dir-in", direction="incoming_call"),
                caller="79111117960",
                callee="74991111282",
            )
        )
        self.send(
            dict(
                self.event("call_start", uuid="op-dir-out", direction=""),
                caller="505",
                callee="79111117960",
            )
        )
        self.send(
            dict(
                self.event("call_start", uuid="op-dir-int", direction="local_call"),
                caller="505",
                callee="506",
            )
        )
        inbound = self.calls("op-dir-in", self.onlinepbx)
        self.assertEqual(inbound.direction, "inbound")
        self.assertEqual(inbound.client_number_e164, "+79111117960")
        self.assertEqual(self.calls("op-dir-out", self.onlinepbx).direction, "outbound")
        internal = self.calls("op-dir-int", self.onlinepbx)
        self.assertEqual(internal.direction, "internal")
        self.assertFalse(internal.client_number)

    def test_transfer_is_credited_to_the_last_agent_who_answered(self):
        colleague = self.env["res.users"].create(
            {
                "name": "Pavel",
                "login": "op_pavel",
                USER_GROUPS: [(6, 0, self.salesman[USER_GROUPS].ids)],
            }
        )
        self.onlinepbx.write(
            {"extension_ids": [(0, 0, {"extension": "506", "user_id": colleague.id})]}
        )
        self.send(self.event("call_start", uuid="op-tr"))
        self.send(self.event("call_answered", uuid="op-tr", date="1714557605"))
        self.send(self.event("call_answered", uuid="op-tr", date="1714557640", callee="506"))
        self.send(
            self.event(
                "call_end",
                uuid="op-tr",
                callee="506",
                date="1714557700",
                call_duration="100",
                dialog_duration="95",
                hangup_cause="NORMAL_CLEARING",
            )
        )
        call = self.calls("op-tr", self.onlinepbx)
        self.assertEqual(call.user_id, colleague)
        self.assertEqual(call.status, "answered")

    def test_recording_is_fetched_through_the_onlinepbx_api_on_play(self):
        routes = {
            ("POST", "/example.onpbx.ru/auth.json"): (
                200,
                {},
                {"status": "1", "data": {"key_id": "kid", "key": "kkk"}},
            ),
            ("POST", "/example.onpbx.ru/mongo_history/search.json"): (
                200,
                {},
                {"status": "1", "data": "https://rec.onlinepbx.example/op-rec.mp3"},
            ),
        }
        with FakeProviderApi(routes) as api:
            self.onlinepbx.write(
                {"api_url": api.url, "api_domain": "example.onpbx.ru", "api_key": "auth-key"}
            )
            self.send(
                self.event("call_end", uuid="op-rec", call_duration="30", dialog_duration="25")
            )
            call = self.calls("op-rec", self.onlinepbx)
            self.authenticate("tel_salesman", "tel_salesman")
            response = self.url_open(f"/crm_telephony/recording/{call.id}", allow_redirects=False)
        self.assertEqual(response.headers["Location"], "https://rec.onlinepbx.example/op-rec.mp3")
        search = api.requests[-1]
        self.assertEqual(search[2]["x-pbx-authentication"], "kid:kkk")
        self.assertIn("uuid=op-rec", search[3])

    def test_end_before_start_gives_the_same_call(self):
        self.send(
            self.event(
                "call_end",
                uuid="op-ooo",
                date="1714557665",
                call_duration="65",
                dialog_duration="60",
            )
        )
        self.send(self.event("call_start", uuid="op-ooo"))
        call = self.calls("op-ooo", self.onlinepbx)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.status, "answered")
        self.assertEqual(str(call.started_at), "2024-05-01 10:00:00")
