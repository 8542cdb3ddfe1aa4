from odoo.tests import tagged

from .common import CaptureHttpCase


@tagged("post_install", "-at_install")
class TestCaptureChatter(CaptureHttpCase):
    """A captured lead starts its chatter with one line that says it was created."""

    def creation_messages(self, lead):
        return lead.message_ids.filtered(lambda m: m.message_type != "user_notification")

    def test_lead_nobody_follows_logs_where_the_inquiry_came_from(self):
        self.site.user_id = False
        response = self.post_json({"email": "unfollowed@example.com"})
        lead = self.lead_of(response)
        self.assertFalse(lead.message_follower_ids)
        message = self.creation_messages(lead)
        self.assertEqual(len(message), 1)
        self.assertIn(lead._creation_message(), message.body)
        self.assertIn(response.json()["reference"], message.body)
        self.assertIn(self.site.name, message.body)
        self.assertEqual(message.author_id, self.env.ref("base.partner_root"))

    def test_lead_with_a_salesperson_gets_odoos_creation_message(self):
        response = self.post_json({"email": "followed@example.com"})
        lead = self.lead_of(response)
        self.assertIn(self.salesperson.partner_id, lead.message_partner_ids)
        message = self.creation_messages(lead)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.subtype_id, self.env.ref("crm.mt_lead_create"))
        self.assertIn(lead._creation_message(), message.body)
