from odoo.modules.migration import load_script
from odoo.tests import TransactionCase

SCRIPT = "crm_regulation/migrations/18.0.2.2.0/post-migrate.py"


class TestMigrationHowToFix(TransactionCase):
    """18.0.2.2.0: rules of an older database get the data file's "how to fix" texts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.migration = load_script(SCRIPT, "crm_regulation_how_to_fix")
        cls.r02 = cls.env.ref("crm_regulation.rule_r02")
        cls.r03 = cls.env.ref("crm_regulation.rule_r03")

    def migrate(self):
        self.env.flush_all()
        self.migration.migrate(self.env.cr, "18.0.2.1.0")
        self.env.invalidate_all()

    def test_empty_text_is_filled_from_the_data_file(self):
        self.r02.how_to_fix = False
        self.migrate()
        self.assertEqual(
            self.r02.how_to_fix,
            "No contact with the customer is recorded yet: call them or send a message "
            "from the deal (a logged call, a sent e-mail or a message clears it).",
        )

    def test_text_an_admin_edited_is_kept(self):
        self.r03.how_to_fix = "Call the client within half an hour."
        self.migrate()
        self.assertEqual(self.r03.how_to_fix, "Call the client within half an hour.")

    def test_rules_of_other_companies_are_filled_too(self):
        company = self.env["res.company"].create({"name": "Branch office"})
        copy = self.env["crm.regulation.rule"].search(
            [("code", "=", "R02"), ("company_id", "=", company.id)]
        ) or self.r02.copy({"company_id": company.id})
        copy.how_to_fix = False
        self.migrate()
        self.assertEqual(copy.how_to_fix, self.r02.how_to_fix)
