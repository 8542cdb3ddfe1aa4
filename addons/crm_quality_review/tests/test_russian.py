from odoo.tests import TransactionCase


class TestRussian(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["ir.module.module"]._load_module_terms(
            ["crm_quality_review"], ["ru_RU"], overwrite=True
        )

    def test_default_survey_and_script_speak_russian(self):
        ru = self.env(context={"lang": "ru_RU"})
        survey = ru.ref("crm_quality_review.survey_lost_callback")
        self.assertEqual(survey.title, "Обзвон отказника")
        self.assertIn("служба качества", str(survey.description))
        self.assertEqual(
            ru.ref("crm_quality_review.survey_lost_callback_q_need").title,
            "Вам всё ещё нужен наш товар?",
        )
        self.assertEqual(ru.ref("crm_quality_review.script_item_budget").name, "Спросил бюджет")
