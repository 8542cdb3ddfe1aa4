from odoo.tests import tagged

from .common import ImportCase


@tagged("post_install", "-at_install")
class TestImportOneCClients(ImportCase):
    def partners(self, vat):
        return self.env["res.partner"].search([("vat", "=", vat)])

    def check_client_list(self, name):
        result = self.import_fixture(name)
        self.assertEqual(result["preset"], "onec_clients")
        self.assertEqual(result["mode"], "contacts")
        self.assertEqual(result["rows"], 3)
        self.assertEqual(result["rejected"], 0, result["log"])
        self.assertIn("Totals rows left out: 1", result["summary"])
        romashka = self.partners("7701234567")
        self.assertEqual(romashka.name, "Ромашка ООО")
        self.assertTrue(romashka.is_company)
        self.assertEqual(romashka.phone, "+74951111111")
        self.assertEqual(romashka.email, "info@romashka.example")
        self.assertEqual(romashka.user_id, self.anna)
        self.assertIn("КПП: 770101001", romashka.comment)
        self.assertEqual(self.partners("7702345678").user_id, self.igor)
        self.assertFalse(self.env["crm.lead"].search([("import_job_id", "=", result["job_id"])]))
        again = self.import_fixture(name)
        self.assertEqual(again["created"], 0)
        self.assertEqual(again["skipped"], 3)
        self.assertEqual(len(self.partners("7701234567")), 1)

    def test_csv_with_title_row_and_two_row_header(self):
        self.check_client_list("onec_clients.csv")

    def test_xlsx_with_merged_header(self):
        self.check_client_list("onec_clients.xlsx")


@tagged("post_install", "-at_install")
class TestImportBitrix24Companies(ImportCase):
    def test_company_list_creates_companies_only(self):
        result = self.import_fixture("bitrix24_companies.csv")
        self.assertEqual((result["preset"], result["mode"]), ("bitrix24_companies", "contacts"))
        self.assertEqual((result["created"], result["rejected"]), (2, 0), result["log"])
        sever = self.env["res.partner"].search([("vat", "=", "7810000001")])
        self.assertEqual(sever.name, "ООО Север")
        self.assertTrue(sever.is_company)
        self.assertEqual(sever.email, "info@sever.example")
        self.assertEqual(sever.phone, "+78123000001")
        self.assertEqual(sever.user_id, self.igor)
        self.assertEqual(sever.city, "Санкт-Петербург")
        self.assertIn("КПП: 781001001", sever.comment)
