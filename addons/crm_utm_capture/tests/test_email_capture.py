from email.message import EmailMessage

from odoo.tests import TransactionCase, tagged

from .common import create_known_utm


@tagged("post_install", "-at_install")
class TestEmailCapture(TransactionCase):
    """Web forms that can only e-mail: the team alias turns the e-mail into a lead with
    the UTM tags and contact fields of its body."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ru")
        create_known_utm(cls.env)
        cls.team = cls.env["crm.team"].create({"name": "Mail inquiries", "inquiry_dedupe": True})
        cls.plain_team = cls.env["crm.team"].create({"name": "Plain mail"})
        cls.message_count = 0

    def receive(
        self, body, subtype="plain", sender="Site form <noreply@shop.example.com>", team=None
    ):
        """Feed one e-mail through the mail gateway, as the team alias does."""
        type(self).message_count += 1
        message = EmailMessage()
        message["From"] = sender
        message["To"] = "sales@example.com"
        message["Subject"] = "New request from the website"
        message["Message-ID"] = f"<utm-capture-{self.message_count}@shop.example.com>"
        message.set_content(body, subtype=subtype)
        lead_id = self.env["mail.thread"].message_process(
            "crm.lead", message.as_bytes(), custom_values={"team_id": (team or self.team).id}
        )
        return self.env["crm.lead"].browse(lead_id)

    def test_labelled_plain_text_lines(self):
        lead = self.receive(
            "New request\n\nName: Ivan Petrov\nPhone: 8 (999) 765-43-21\n"
            "utm_source: yandex\nutm_medium: cpc\nutm_campaign: spring_sale\n"
        )
        self.assertEqual(lead.source_id.name, "yandex")
        self.assertEqual(lead.medium_id.name, "cpc")
        self.assertEqual(lead.campaign_id.name, "spring_sale")
        self.assertEqual(lead.phone, "+79997654321")
        self.assertEqual(lead.contact_name, "Ivan Petrov")

    def test_key_value_pairs_in_one_line(self):
        lead = self.receive(
            "E-mail: olga@example.com\nUTM: utm_source=google&utm_medium=cpc&utm_term=buy%20crm\n"
        )
        self.assertEqual(lead.source_id.name, "google")
        self.assertEqual(lead.utm_term, "buy crm")
        self.assertEqual(lead.email_from, "olga@example.com")

    def test_full_landing_url_with_query_string(self):
        lead = self.receive(
            "Page: https://shop.example.com/promo?utm_source=vk&utm_campaign=autumn"
            "&utm_content=video&yclid=777\nPhone: +7 999 111-22-33\n"
        )
        self.assertEqual(lead.source_id.name, "vk")
        self.assertEqual(lead.utm_content, "video")
        self.assertEqual(lead.touchpoint_ids.yclid, "777")
        self.assertIn("shop.example.com/promo", lead.touchpoint_ids.landing_url)

    def test_html_table_with_russian_labels(self):
        lead = self.receive(
            "<html><body><h3>Заявка с сайта</h3><table>"
            "<tr><td>Имя</td><td>Пётр</td></tr>"
            "<tr><td>Телефон</td><td>8 (999) 222-33-44</td></tr>"
            "<tr><td>utm_source</td><td>yandex</td></tr>"
            "<tr><td>utm_medium</td><td>cpc</td></tr>"
            "<tr><td>utm_term</td><td>купить crm</td></tr>"
            "</table></body></html>",
            subtype="html",
        )
        self.assertEqual(lead.contact_name, "Пётр")
        self.assertEqual(lead.phone, "+79992223344")
        self.assertEqual(lead.source_id.name, "yandex")
        self.assertEqual(lead.utm_term, "купить crm")

    def test_html_link_to_the_landing_page(self):
        lead = self.receive(
            '<p>Sent from <a href="https://shop.example.com/?utm_source=facebook&amp;'
            'utm_medium=social&amp;fbclid=FB1">our landing page</a></p>'
            "<p>Email: anna@example.com</p>",
            subtype="html",
        )
        self.assertEqual(lead.source_id.name.lower(), "facebook")
        self.assertEqual(lead.medium_id.name, "social")
        self.assertEqual(lead.touchpoint_ids.fbclid, "FB1")

    def test_email_lead_has_an_email_touchpoint(self):
        lead = self.receive("utm_source: yandex\nPhone: +7 999 000-11-22\n")
        self.assertEqual(lead.touchpoint_ids.channel, "email")
        self.assertTrue(lead.touchpoint_ids.is_first_touch)

    def test_email_without_tags_still_creates_a_lead(self):
        lead = self.receive("Hello, please call me.")
        self.assertTrue(lead)
        self.assertFalse(lead.source_id)

    def test_team_without_dedupe_keeps_one_lead_per_email_as_odoo_does(self):
        sender = "Maria <maria.plain@example.com>"
        first = self.receive("Hello, I need a quote.", sender=sender, team=self.plain_team)
        second = self.receive("Another question.", sender=sender, team=self.plain_team)
        self.assertNotEqual(second, first)
        self.assertFalse(self.plain_team.inquiry_dedupe)

    def test_unknown_source_in_an_email_is_kept_as_text(self):
        sources = self.env["utm.source"].search_count([])
        lead = self.receive("utm_source: mail-only-network\nPhone: +7 999 300-00-01\n")
        self.assertEqual(self.env["utm.source"].search_count([]), sources)
        self.assertEqual(lead.touchpoint_ids.source_text, "mail-only-network")

    def test_huge_email_body_is_read_only_up_to_the_cap(self):
        padding = "x" * 300_000
        lead = self.receive(f"{padding}\nutm_source: yandex\n")
        self.assertFalse(lead.source_id)

    def test_repeat_email_from_the_same_customer_goes_to_the_open_deal(self):
        first = self.receive("Phone: +7 999 555-66-77\nutm_source: yandex\n")
        second = self.receive("Телефон: 8 999 555 66 77\nutm_source: google\n")
        self.assertEqual(second, first)
        self.assertEqual(len(first.touchpoint_ids), 2)
        # anyone can send an e-mail with a customer's phone: the deal keeps its attribution
        self.assertEqual(first.last_source_id.name, "yandex")
        self.assertTrue(first.touchpoint_ids.filtered("is_appended"))

    def test_forms_mailed_by_the_same_site_mailer_stay_separate_leads(self):
        first = self.receive("Phone: +7 999 100-00-01\nutm_source: yandex\n")
        second = self.receive("Phone: +7 999 100-00-02\nutm_source: yandex\n")
        self.assertNotEqual(first, second)

    def test_plain_email_from_a_customer_goes_to_their_open_deal(self):
        sender = "Maria <maria@example.com>"
        first = self.receive("Hello, I need a quote.", sender=sender)
        second = self.receive("Any news about my quote?", sender=sender)
        self.assertEqual(second, first)

    def test_known_sender_keeps_the_contact_of_their_partner(self):
        partner = self.env["res.partner"].create(
            {"name": "Boris Known", "email": "boris@example.com", "phone": "+79990001122"}
        )
        lead = self.receive("Hello, I need a quote.", sender="Boris <boris@example.com>")
        self.assertEqual(lead.partner_id, partner)
        self.assertEqual(lead.contact_name, "Boris Known")
