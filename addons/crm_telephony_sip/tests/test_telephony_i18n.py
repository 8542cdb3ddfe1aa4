from odoo.tests import TransactionCase


class TestTelephonyTranslation(TransactionCase):
    def test_russian_user_sees_the_call_log_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(["crm_telephony_sip"], ["ru_RU"])
        fields_ru = (
            self.env["crm.telephony.call"]
            .with_context(lang="ru_RU")
            .fields_get(["summary", "status"], ["string", "selection"])
        )
        self.assertEqual(fields_ru["summary"]["string"], "Итог")
        self.assertIn(("no_answer", "Нет ответа"), fields_ru["status"]["selection"])
