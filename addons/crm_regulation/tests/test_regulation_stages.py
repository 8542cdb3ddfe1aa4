from odoo.tests import TransactionCase

from ..models.crm_stage import REGULATION_STAGE_CODES

# the stage codes in spec order (REGULATION.md): the selection of crm.stage.regulation_code
REGULATION_ORDER = [code for code, _label in REGULATION_STAGE_CODES]


class TestRegulationStages(TransactionCase):
    def test_pipeline_has_the_eleven_stages_in_spec_order(self):
        stages = self.env["crm.stage"].search([("regulation_code", "!=", False)])
        self.assertEqual(len(stages), 11)
        self.assertEqual(stages.mapped("regulation_code"), REGULATION_ORDER)
        for code in REGULATION_ORDER:
            self.assertEqual(self.env.ref(f"crm_regulation.stage_{code}").regulation_code, code)

    def test_only_prepayment_and_final_payment_are_payroll_eligible(self):
        eligible = self.env["crm.stage"].search(
            [("regulation_code", "!=", False), ("is_payroll_eligible", "=", True)]
        )
        self.assertEqual(set(eligible.mapped("regulation_code")), {"prepayment", "final_payment"})

    def test_unsorted_is_the_technical_inbox_and_won_is_won(self):
        self.assertTrue(self.env.ref("crm_regulation.stage_unsorted").is_technical_inbox)
        self.assertTrue(self.env.ref("crm_regulation.stage_won").is_won)
