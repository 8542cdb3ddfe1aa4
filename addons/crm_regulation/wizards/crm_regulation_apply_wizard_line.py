from odoo import fields, models


class CrmRegulationApplyWizardLine(models.TransientModel):
    _name = "crm.regulation.apply.wizard.line"
    _description = "Stage mapping of the regulation wizard"
    _order = "source_sequence, id"

    wizard_id = fields.Many2one("crm.regulation.apply.wizard", required=True, ondelete="cascade")
    source_stage_id = fields.Many2one("crm.stage", "Current stage", required=True, readonly=True)
    source_sequence = fields.Integer(related="source_stage_id.sequence")
    target_stage_id = fields.Many2one(
        "crm.stage",
        "Regulation stage",
        required=True,
        domain="[('regulation_code', '!=', False)]",
    )
    deal_count = fields.Integer("Deals to move", readonly=True)
