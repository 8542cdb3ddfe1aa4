from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCaptureTranslation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["ir.module.module"]._load_module_terms(["crm_utm_capture"], ["ru_RU"])
        cls.site = cls.env["crm.capture.site"].create({"name": "Сайт"})

    def test_field_errors_speak_russian_to_russian_users(self):
        _values, errors = self.site.with_context(lang="ru_RU")._inquiry_values({"name": "Иван"})
        self.assertEqual(errors[0]["message"], "Укажите телефон или адрес e-mail.")

    def test_menus_use_the_regulation_words(self):
        menu = self.env.ref("crm_utm_capture.crm_capture_submission_menu")
        self.assertEqual(menu.with_context(lang="ru_RU").name, "Журнал заявок")

    def test_held_inquiries_speak_russian(self):
        states = dict(
            self.env["crm.capture.submission"]
            .with_context(lang="ru_RU")
            ._fields["state"]
            ._description_selection(self.env(context={"lang": "ru_RU"}))
        )
        self.assertEqual(states["held"], "Задержана (сайт превысил лимит)")
