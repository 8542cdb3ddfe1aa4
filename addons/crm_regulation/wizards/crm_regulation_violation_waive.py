from odoo import fields, models


class CrmRegulationViolationWaive(models.TransientModel):
    _name = "crm.regulation.violation.waive"
    _description = "Waive regulation violations"

    violation_ids = fields.Many2many("crm.regulation.violation", required=True)
    reason = fields.Text(required=True)

    def action_waive(self):
        self.violation_ids.action_waive(self.reason)
        return {"type": "ir.actions.act_window_close"}
