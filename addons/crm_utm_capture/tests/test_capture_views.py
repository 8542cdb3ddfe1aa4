from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCaptureViews(TransactionCase):
    def test_deal_form_shows_first_and_last_touch(self):
        source = self.env["utm.source"].create({"name": "views-seo"})
        lead = self.env["crm.lead"].create(
            {"name": "Form deal", "type": "opportunity", "source_id": source.id, "utm_term": "crm"}
        )
        form = Form(lead)
        self.assertEqual(form.last_source_id, source)
        self.assertEqual(form.utm_term, "crm")

    def test_settings_form_edits_the_dedupe_window(self):
        settings = Form(self.env["res.config.settings"])
        settings.crm_utm_dedupe_days = 12
        settings.crm_utm_dedupe_closed = True
        settings.save().execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("crm_utm_capture.dedupe_days"), "12")
        self.assertTrue(params.get_param("crm_utm_capture.dedupe_closed"))
