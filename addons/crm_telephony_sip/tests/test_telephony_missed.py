from .common import TelephonyCase


class TestTelephonyMissedCalls(TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = cls.env["res.partner"].create(
            {"name": "Client LLC", "phone": "+7 903 111-22-33", "country_id": cls.russia.id}
        )
        cls.deal = cls.env["crm.lead"].create(
            {
                "name": "Client deal",
                "type": "opportunity",
                "partner_id": cls.client.id,
                "user_id": cls.salesman.id,
            }
        )

    def missed(self, call_id, number, **values):
        return self.post_generic(
            self.generic_call(
                call_id,
                client_number=number,
                status="no_answer",
                ended_at="2024-05-01T10:00:30Z",
                **values,
            )
        )

    def test_missed_call_from_unknown_number_creates_a_deal(self):
        self.missed("m-unknown", "8 (926) 555-44-33")
        lead = self.calls("m-unknown").lead_id
        self.assertEqual(lead.stage_id, self.unsorted)
        self.assertEqual(lead.phone_sanitized, "+79265554433")
        self.assertEqual(lead.medium_id, self.env.ref("utm.utm_medium_phone"))

    def test_missed_call_from_known_client_asks_their_salesperson_to_call_back(self):
        self.missed("m-known", "+79031112233")
        call = self.calls("m-known")
        self.assertEqual(call.lead_id, self.deal)
        self.assertEqual(call.partner_id, self.client)
        activity = self.deal.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))

    def test_answered_call_back_marks_the_missed_call_handled(self):
        self.missed("m-cb", "+79031112233")
        self.post_generic(
            self.generic_call(
                "m-cb-out",
                direction="outbound",
                client_number="89031112233",
                started_at="2024-05-01T10:05:00Z",
                answered_at="2024-05-01T10:05:10Z",
                status="answered",
            )
        )
        missed = self.calls("m-cb")
        self.assertEqual(missed.callback_call_id, self.calls("m-cb-out"))
        self.assertEqual(str(missed.handled_at), "2024-05-01 10:05:10")

    def test_unanswered_call_back_leaves_the_missed_call_open(self):
        self.missed("m-open", "+79031112233")
        self.post_generic(
            self.generic_call(
                "m-open-out",
                direction="outbound",
                client_number="+79031112233",
                started_at="2024-05-01T10:05:00Z",
                status="busy",
            )
        )
        self.assertFalse(self.calls("m-open").handled_at)

    def test_short_number_is_an_extension_and_creates_no_deal(self):
        self.missed("m-ext", "102")
        call = self.calls("m-ext")
        self.assertFalse(call.client_number_e164)
        self.assertFalse(call.lead_id)

    def test_answered_inbound_call_is_not_missed(self):
        self.post_generic(
            self.generic_call("m-ans", client_number="+79265550000", status="answered")
        )
        call = self.calls("m-ans")
        self.assertFalse(call.is_missed)
        self.assertFalse(call.lead_id)

    def test_outbound_attempt_sets_the_deal_first_contact_time(self):
        self.post_generic(
            self.generic_call(
                "m-first",
                direction="outbound",
                client_number="+79031112233",
                started_at="2024-05-01T11:00:00Z",
                status="no_answer",
            )
        )
        self.assertEqual(str(self.deal.first_contact_at), "2024-05-01 11:00:00")

    def test_ended_call_is_logged_in_the_deal_chatter_with_its_recording(self):
        self.post_generic(
            self.generic_call(
                "m-chat",
                client_number="+79031112233",
                status="answered",
                talk_time=90,
                recording_url="https://records.example.com/m-chat.mp3",
            )
        )
        call = self.calls("m-chat")
        message = self.deal.message_ids.filtered(lambda m: "/crm_telephony/recording/" in m.body)
        self.assertEqual(len(message), 1)
        self.assertIn(f"/crm_telephony/recording/{call.id}", message.body)

    def test_written_summary_is_posted_on_the_deal(self):
        self.post_generic(
            self.generic_call("m-sum", client_number="+79031112233", status="answered")
        )
        call = self.calls("m-sum").with_user(self.salesman)
        call.summary = "Wants 20 units, send the proposal"
        self.assertTrue(call.summary_at)
        self.assertTrue(
            self.deal.message_ids.filtered(lambda m: "Wants 20 units" in m.body),
        )

    def test_click_to_call_is_logged_at_once_and_merged_with_the_pbx_call(self):
        action = self.deal.with_user(self.salesman).action_telephony_click_to_call()
        self.assertEqual(action["url"], "tel:+79031112233")
        attempt = self.deal.telephony_call_ids
        self.assertEqual(attempt.origin, "click")
        self.assertTrue(self.deal.first_contact_at)
        self.post_generic(
            {
                "call_id": "m-click",
                "direction": "outbound",
                "client_number": "89031112233",
                "extension": "101",
                "started_at": attempt.started_at.isoformat() + "Z",
                "status": "answered",
            }
        )
        self.env.invalidate_all()
        self.assertEqual(self.deal.telephony_call_ids, self.calls("m-click"))
        self.assertEqual(attempt.merged_into_id, self.calls("m-click"))

    def test_recording_link_redirects_to_the_stored_url(self):
        self.post_generic(
            self.generic_call(
                "m-rec",
                client_number="+79031112233",
                status="answered",
                recording_url="https://records.example.com/m-rec.mp3",
            )
        )
        self.authenticate("tel_salesman", "tel_salesman")
        response = self.url_open(
            f"/crm_telephony/recording/{self.calls('m-rec').id}", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers["Location"], "https://records.example.com/m-rec.mp3")

    def test_answered_call_asks_its_salesperson_for_a_summary(self):
        self.post_generic(
            self.generic_call(
                "m-ask", client_number="+79031112233", extension="101", status="answered"
            )
        )
        activity = self.deal.activity_ids.filtered("telephony_call_id")
        self.assertEqual(activity.telephony_call_id, self.calls("m-ask"))
        self.assertEqual(activity.user_id, self.salesman)

    def test_summary_activity_done_with_feedback_writes_the_call_summary(self):
        self.post_generic(
            self.generic_call(
                "m-fb", client_number="+79031112233", extension="101", status="answered"
            )
        )
        activity = self.deal.activity_ids.filtered("telephony_call_id")
        activity.with_user(self.salesman).action_feedback(feedback="<p>Agreed on a demo</p>")
        self.assertEqual(self.calls("m-fb").summary, "Agreed on a demo")

    def test_summary_written_on_the_call_closes_the_summary_activity(self):
        self.post_generic(
            self.generic_call(
                "m-close", client_number="+79031112233", extension="101", status="answered"
            )
        )
        self.calls("m-close").with_user(self.salesman).summary = "Call back on Monday"
        self.assertFalse(self.deal.activity_ids.filtered("telephony_call_id"))

    def test_answered_call_back_closes_the_call_back_activity(self):
        self.missed("m-act", "+79031112233")
        self.post_generic(
            self.generic_call(
                "m-act-out",
                direction="outbound",
                client_number="+79031112233",
                started_at="2024-05-01T10:05:00Z",
                status="answered",
            )
        )
        call_back = self.env.ref("mail.mail_activity_data_call")
        self.assertFalse(self.deal.activity_ids.filtered(lambda a: a.activity_type_id == call_back))

    def test_closing_the_call_back_leaves_the_missed_call_without_a_summary(self):
        self.missed("m-nosum", "+79031112233")
        self.post_generic(
            self.generic_call(
                "m-nosum-out",
                direction="outbound",
                client_number="+79031112233",
                started_at="2024-05-01T10:05:00Z",
                status="answered",
            )
        )
        missed = self.calls("m-nosum")
        self.assertEqual(missed.callback_call_id, self.calls("m-nosum-out"))
        self.assertFalse(missed.summary, "nobody talked on a missed call: no summary")
        self.assertFalse(missed.summary_at)

    def test_call_back_done_by_hand_with_feedback_writes_no_summary(self):
        self.missed("m-hand", "+79031112233")
        call_back = self.env.ref("mail.mail_activity_data_call")
        activity = self.deal.activity_ids.filtered(lambda a: a.activity_type_id == call_back)
        activity.with_user(self.salesman).action_feedback(feedback="<p>Phoned from my mobile</p>")
        self.assertFalse(self.calls("m-hand").summary)

    def test_logged_call_back_with_a_summary_marks_the_missed_call_handled(self):
        self.missed("m-log", "+79031112233")
        self.post_generic(
            self.generic_call(
                "m-log-out",
                direction="outbound",
                client_number="+79031112233",
                started_at="2024-05-01T10:07:00Z",
                status="no_answer",
            )
        )
        self.assertFalse(self.calls("m-log").handled_at)
        self.calls("m-log-out").with_user(self.salesman).summary = "Left a voice message"
        self.assertEqual(self.calls("m-log").callback_call_id, self.calls("m-log-out"))

    def test_second_missed_call_does_not_add_a_second_call_back_activity(self):
        self.missed("m-twice-1", "+79031112233")
        self.missed("m-twice-2", "+79031112233")
        call_back = self.env.ref("mail.mail_activity_data_call")
        activities = self.deal.activity_ids.filtered(lambda a: a.activity_type_id == call_back)
        self.assertEqual(len(activities), 1)
