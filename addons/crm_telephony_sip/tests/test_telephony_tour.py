from odoo.tests import tagged

from .common import TelephonyCase


@tagged("post_install", "-at_install")
class TestTelephonyTour(TelephonyCase):
    def test_call_form_plays_the_recording(self):
        self.post_generic(
            self.generic_call(
                "tour-1",
                status="answered",
                recording_url="https://records.example.com/tour-1.mp3",
            )
        )
        call = self.calls("tour-1")
        self.start_tour(
            f"/odoo/action-crm_telephony_sip.crm_telephony_call_action/{call.id}",
            "crm_telephony_sip_recording_player",
            login="admin",
        )

    def test_deal_smart_button_lists_its_calls(self):
        client = self.env["res.partner"].create({"name": "Tour client", "phone": "+79031112233"})
        deal = self.env["crm.lead"].create(
            {"name": "Tour deal", "type": "opportunity", "partner_id": client.id}
        )
        self.post_generic(
            self.generic_call("tour-2", client_number="+7 903 111-22-33", status="answered")
        )
        self.assertEqual(self.calls("tour-2").lead_id, deal)
        self.start_tour(
            f"/odoo/crm/{deal.id}",
            "crm_telephony_sip_deal_calls",
            login="admin",
        )

    def test_a_sales_admin_follows_up_again_a_call_the_job_gave_up_on(self):
        self.env["crm.lead"].create(
            {
                "name": "Tour follow-up",
                "type": "opportunity",
                "phone": "+7 903 222-33-66",
                "user_id": self.salesman.id,
            }
        )
        self.follow_up_after_requests = False
        self.post_generic(
            self.generic_call(
                "tour-3",
                client_number="+79032223366",
                extension="101",
                status="answered",
                answered_at="2024-05-01T10:00:05Z",
                ended_at="2024-05-01T10:01:00Z",
            )
        )
        # a call nothing is due for: the list shows two calls until the tour filters it
        # (a tour step that finds one row before the filter's reload would be undone by it)
        self.post_generic(self.generic_call("tour-4", client_number="+79032223367"))
        call = self.calls("tour-3")
        call.followup_attempts = 5  # the job gave up on it
        self.env["crm.telephony.call"].search(
            [("followup", "!=", False), ("id", "!=", call.id)]
        ).followup = False
        self.start_tour(
            "/odoo/action-crm_telephony_sip.crm_telephony_call_action",
            "crm_telephony_sip_follow_up_again",
            login=self.manager.login,
        )
        self.assertEqual(call.followup_attempts, 0)
        self.run_followups()
        self.assertFalse(call.followup)
        self.assertTrue(call.lead_id.activity_ids)
