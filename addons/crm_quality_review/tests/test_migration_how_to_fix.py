from odoo.modules.migration import load_script
from odoo.tests import TransactionCase

SCRIPT = "crm_quality_review/migrations/18.0.3.1.0/post-migrate.py"


class TestMigrationHowToFix(TransactionCase):
    """18.0.3.1.0: rules Q01 and Q02 of an older database get their "how to fix" texts."""

    def test_empty_text_is_filled_and_an_edited_one_kept(self):
        q01 = self.env.ref("crm_quality_review.rule_q01")
        q02 = self.env.ref("crm_quality_review.rule_q02")
        q01.how_to_fix = False
        q02.how_to_fix = "Ask your team leader."
        self.env.flush_all()
        load_script(SCRIPT, "crm_quality_review_how_to_fix").migrate(self.env.cr, "18.0.3.0.0")
        self.env.invalidate_all()
        self.assertTrue(q01.how_to_fix.startswith("The quality department found a salesperson"))
        self.assertEqual(q02.how_to_fix, "Ask your team leader.")
