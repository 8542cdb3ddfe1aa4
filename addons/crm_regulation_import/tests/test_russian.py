from odoo.tests import tagged

from .common import ImportCase


@tagged("post_install", "-at_install")
class TestRussian(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["ir.module.module"]._load_module_terms(
            ["crm_regulation_import"], ["ru_RU"], overwrite=True
        )
        cls.importer.lang = "ru_RU"

    def test_summary_and_rejected_rows_speak_russian(self):
        result = self.import_fixture("bitrix24_deals.csv")
        self.assertIn("строка 8: отклонена: валюта «XYZ» неизвестна", result["log"])
        self.assertIn("Отклонено: 1", result["summary"])
