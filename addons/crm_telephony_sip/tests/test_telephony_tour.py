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
