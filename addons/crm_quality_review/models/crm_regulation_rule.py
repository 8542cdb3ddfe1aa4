from odoo import fields, models


class CrmRegulationRule(models.Model):
    """Rules whose violations are found by the quality department, not by the cron."""

    _inherit = "crm.regulation.rule"

    code = fields.Selection(
        selection_add=[
            ("Q01", "Q01 Salesperson error found on a lost-deal call-back"),
            ("Q02", "Q02 Call does not follow the script"),
        ],
        ondelete={"Q01": "cascade", "Q02": "cascade"},
    )

    def _offenders_q01(self):
        return None

    def _offenders_q02(self):
        return None
