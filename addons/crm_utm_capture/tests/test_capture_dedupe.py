from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CaptureHttpCase


@tagged("post_install", "-at_install")
class TestCaptureDedupe(CaptureHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deal = cls.env["crm.lead"].create(
            {
                "name": "Existing deal",
                "type": "opportunity",
                "phone": "+79991234567",
                "email_from": "Client <client@example.com>",
                "user_id": cls.salesperson.id,
                "source_id": cls.env["utm.source"].create({"name": "seo"}).id,
            }
        )

    def count_leads(self):
        return self.Lead.search_count([])

    def test_same_phone_in_another_format_adds_a_touchpoint_to_the_open_deal(self):
        before = self.count_leads()
        response = self.post_json({"phone": "8 (999) 123-45-67", "utm_source": "yandex"})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(self.count_leads(), before)
        self.assertEqual(self.lead_of(response), self.deal)
        self.assertEqual(self.deal.touchpoint_ids.source_id.name, "yandex")

    def test_same_email_matches_case_insensitively(self):
        response = self.post_json({"email": "CLIENT@Example.com"})
        self.assertEqual(self.lead_of(response), self.deal)

    def test_repeat_inquiry_moves_last_touch_and_keeps_first_touch(self):
        self.post_json({"email": "client@example.com", "utm_source": "vk", "utm_term": "crm"})
        self.assertEqual(self.deal.source_id.name, "seo")
        self.assertEqual(self.deal.last_source_id.name, "vk")
        self.assertEqual(self.deal.last_utm_term, "crm")

    def test_salesperson_is_notified_of_the_repeat_inquiry(self):
        self.post_json({"email": "client@example.com", "message": "Call me back"})
        message = self.deal.message_ids[0]
        self.assertIn(self.salesperson.partner_id, message.partner_ids)
        self.assertIn("Call me back", message.body)

    def test_won_deal_does_not_count_by_default(self):
        self.deal.stage_id = self.env.ref("crm.stage_lead4")
        response = self.post_json({"email": "client@example.com"})
        self.assertNotEqual(self.lead_of(response), self.deal)

    def test_won_deal_counts_when_the_setting_says_so(self):
        self.deal.stage_id = self.env.ref("crm.stage_lead4")
        self.env["res.config.settings"].create({"crm_utm_dedupe_closed": True}).execute()
        response = self.post_json({"email": "client@example.com"})
        self.assertEqual(self.lead_of(response), self.deal)

    def test_lost_deal_does_not_count_by_default(self):
        self.deal.action_set_lost(
            lost_reason_id=self.env["crm.lost.reason"].create({"name": "Bought elsewhere"}).id
        )
        response = self.post_json({"email": "client@example.com"})
        self.assertNotEqual(self.lead_of(response), self.deal)

    def test_deal_older_than_the_window_does_not_count(self):
        self.env["res.config.settings"].create({"crm_utm_dedupe_days": 7}).execute()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=8), self.deal.id),
        )
        self.deal.invalidate_recordset(["create_date"])
        response = self.post_json({"email": "client@example.com"})
        self.assertNotEqual(self.lead_of(response), self.deal)

    def test_zero_window_turns_dedupe_off(self):
        self.env["res.config.settings"].create({"crm_utm_dedupe_days": 0}).execute()
        response = self.post_json({"email": "client@example.com"})
        self.assertNotEqual(self.lead_of(response), self.deal)

    def test_new_lead_starts_with_first_and_last_touch_equal(self):
        response = self.post_json(
            {"email": "fresh@example.com", "utm_source": "google", "utm_campaign": "brand"}
        )
        lead = self.lead_of(response)
        self.assertEqual(lead.last_source_id, lead.source_id)
        self.assertEqual(lead.last_campaign_id.name, "brand")
        self.assertTrue(lead.touchpoint_ids.is_first_touch)

    def test_submission_says_it_was_added_to_a_deal(self):
        response = self.post_json({"email": "client@example.com"})
        submission = self.env["crm.capture.submission"].search(
            [("name", "=", response.json()["reference"])]
        )
        self.assertTrue(submission.is_duplicate)
