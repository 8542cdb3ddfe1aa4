from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUnknownUtm(TransactionCase):
    """Tags nobody created are kept as text until a manager creates them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="utm_unknown_manager", groups="sales_team.group_sale_manager"
        )
        cls.salesperson = new_test_user(
            cls.env, login="utm_unknown_sales", groups="sales_team.group_sale_salesman"
        )
        Lead = cls.env["crm.lead"]
        cls.first = Lead._capture_inquiry(
            {
                "email": "u1@example.com",
                "email_normalized": "u1@example.com",
                "utm_source": "Telegram-Ads",
                "utm_campaign": "winter_%",
            }
        )
        cls.second = Lead._capture_inquiry(
            {"email": "u2@example.com", "email_normalized": "u2@example.com"}
            | {"utm_source": "telegram-ads"}
        )

    def test_unknown_tags_are_listed_as_text(self):
        unknown = self.env["crm.touchpoint"].search([("has_unknown_utm", "=", True)])
        self.assertIn(self.first, unknown)
        self.assertEqual(self.first.source_text, "Telegram-Ads")
        self.assertEqual(self.first.campaign_text, "winter_%")

    def test_manager_creates_them_once_and_every_touchpoint_and_first_touch_follows(self):
        sources = self.env["utm.source"].search_count([])
        self.first.with_user(self.manager).action_create_utm_records()
        self.assertEqual(self.env["utm.source"].search_count([]), sources + 1)
        source = self.first.source_id
        self.assertEqual(source.name, "Telegram-Ads")
        self.assertEqual(self.second.source_id, source)
        self.assertFalse(self.second.source_text)
        self.assertEqual(self.second.lead_id.source_id, source)
        self.assertEqual(self.second.lead_id.last_source_id, source)
        self.assertEqual(self.first.campaign_id.name, "winter_%")

    def test_existing_record_is_linked_not_duplicated(self):
        source = self.env["utm.source"].create({"name": "TELEGRAM-ADS"})
        self.second.with_user(self.manager).action_create_utm_records()
        self.assertEqual(self.first.source_id, source)

    def test_salesperson_cannot_create_them(self):
        self.first.lead_id.user_id = self.salesperson
        with self.assertRaises(AccessError):
            self.first.with_user(self.salesperson).action_create_utm_records()
