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

    def test_repeat_inquiry_does_not_change_the_deal(self):
        before = self.deal.read(["name", "phone", "email_from", "source_id", "last_source_id"])
        self.post_json({"email": "client@example.com", "name": "Someone Else", "utm_source": "vk"})
        self.deal.invalidate_recordset()
        after = self.deal.read(["name", "phone", "email_from", "source_id", "last_source_id"])
        self.assertEqual(after, before)

    def test_repeat_inquiry_is_marked_as_appended(self):
        response = self.post_json({"email": "client@example.com", "utm_source": "vk"})
        touchpoint = self.submission_of(response).lead_id.touchpoint_ids
        self.assertTrue(touchpoint.is_appended)
        self.assertFalse(touchpoint.is_first_touch)
        self.assertIn("check with the customer", self.deal.message_ids[0].body)

    def test_confirmed_repeat_inquiry_becomes_the_last_touch(self):
        self.post_json({"email": "client@example.com", "utm_source": "vk", "utm_term": "crm"})
        self.deal.touchpoint_ids.with_user(self.salesperson).action_use_as_last_touch()
        self.assertEqual(self.deal.source_id.name, "seo")
        self.assertEqual(self.deal.last_source_id.name, "vk")
        self.assertEqual(self.deal.last_utm_term, "crm")
        self.assertFalse(self.deal.touchpoint_ids.is_appended)

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

    def test_site_without_dedupe_always_creates_a_lead(self):
        self.site.dedupe = False
        response = self.post_json({"email": "client@example.com"})
        self.assertNotEqual(self.lead_of(response), self.deal)
        self.assertTrue(self.lead_of(response).touchpoint_ids.is_first_touch)

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
        self.assertTrue(self.submission_of(response).is_duplicate)
