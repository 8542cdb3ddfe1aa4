from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCaptureSite(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site = cls.env["crm.capture.site"].create(
            {
                "name": "Main site",
                "allowed_origins": "https://a.example.com\nhttps://b.example.com/",
            }
        )

    def test_new_site_gets_a_secret_key_and_its_capture_url(self):
        with Form(self.env["crm.capture.site"]) as form:
            form.name = "Landing"
        site = form.save()
        self.assertGreaterEqual(len(site.key), 16)
        self.assertTrue(site.capture_url.endswith(f"/crm/capture/{site.key}"))

    def test_snippet_carries_the_capture_url_and_cookie_lifetime(self):
        self.site.cookie_days = 45
        self.assertIn(f'data-capture-url="{self.site.capture_url}"', self.site.snippet)
        self.assertIn('data-cookie-days="45"', self.site.snippet)

    def test_snippet_has_a_form_example_with_the_honeypot(self):
        self.site.honeypot_field = "website_url"
        self.assertIn("<form data-crm-capture>", self.site.snippet)
        self.assertIn('<input name="phone" type="tel"', self.site.snippet)
        self.assertIn('<input name="website_url" style="display:none"', self.site.snippet)

    def test_form_copies_the_snippet_and_confirms_a_new_key(self):
        arch = etree.fromstring(
            self.env["crm.capture.site"].get_views([(False, "form")])["views"]["form"]["arch"]
        )
        # Odoo 18's web client has a CopyClipboardButton, no CopyClipboardText widget
        widgets = [node.get("widget") for node in arch.xpath("//field[@name='snippet']")]
        self.assertIn("CopyClipboardButton", widgets)
        [new_key] = arch.xpath("//button[@name='action_regenerate_key']")
        self.assertIn("stops working", new_key.get("confirm"))

    def test_new_key_replaces_the_capture_url(self):
        old_url = self.site.capture_url
        self.site.action_regenerate_key()
        self.assertNotEqual(self.site.capture_url, old_url)
        self.assertFalse(self.env["crm.capture.site"]._find_by_key(old_url.rsplit("/", 1)[1]))

    def test_listed_origins_are_allowed_with_or_without_trailing_slash(self):
        self.assertTrue(self.site._is_origin_allowed("https://b.example.com"))
        self.assertTrue(self.site._is_origin_allowed("https://a.example.com/"))
        self.assertFalse(self.site._is_origin_allowed("https://c.example.com"))

    def test_star_allows_any_origin(self):
        self.site.allowed_origins = "*"
        self.assertTrue(self.site._is_origin_allowed("https://anything.example.org"))

    def test_body_limit_above_one_mebibyte_is_refused(self):
        with self.assertRaises(ValidationError):
            self.site.max_body_bytes = 2 * 1024 * 1024
