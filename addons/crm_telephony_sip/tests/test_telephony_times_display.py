from odoo.tests import TransactionCase


class TestTimesDisplay(TransactionCase):
    """Talk time and duration read as a clock in the call list and form, not seconds."""

    def test_seconds_read_as_minutes_and_hours(self):
        connection = self.env["crm.telephony.connection"].create(
            {"name": "Clock PBX", "provider": "generic"}
        )
        Call = self.env["crm.telephony.call"]
        cases = [
            # (duration, talk time) in seconds, then as shown
            ((600, 564), ("10:00", "09:24")),
            ((75, 59), ("01:15", "00:59")),
            ((3630, 3600), ("1:00:30", "1:00:00")),
            ((36000, 3725), ("10:00:00", "1:02:05")),
            ((30, 0), ("00:30", "")),
        ]
        for (duration, talk_time), shown in cases:
            with self.subTest(duration=duration, talk_time=talk_time):
                call = Call.create(
                    {
                        "connection_id": connection.id,
                        "provider_call_id": f"clock-{duration}-{talk_time}",
                        "duration": duration,
                        "talk_time": talk_time,
                    }
                )
                self.assertEqual((call.duration_display, call.talk_time_display), shown)

    def test_the_list_and_form_show_the_clock_fields(self):
        Call = self.env["crm.telephony.call"]
        for view_type in ("list", "form"):
            with self.subTest(view=view_type):
                arch = Call.get_view(view_type=view_type)["arch"]
                self.assertIn('name="talk_time_display"', arch)
                self.assertNotIn('name="talk_time"', arch)
