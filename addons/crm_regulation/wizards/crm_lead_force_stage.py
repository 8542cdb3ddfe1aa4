from odoo import _, fields, models
from odoo.exceptions import UserError


class CrmLeadForceStage(models.TransientModel):
    """A regulation manager moves deals past unmet stage gates, with a reason."""

    _name = "crm.lead.force.stage"
    _description = "Force a stage move"

    lead_ids = fields.Many2many("crm.lead", string="Deals", required=True)
    stage_id = fields.Many2one(
        "crm.stage",
        "Move to",
        required=True,
        help="A stage of the regulation pipeline, or one outside it to take the deals out of "
        "the regulation on purpose.",
    )
    reason = fields.Text(required=True)

    def action_force(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(_("A forced stage move needs a reason."))
        self.lead_ids.with_context(regulation_force_reason=self.reason.strip()).write(
            {"stage_id": self.stage_id.id}
        )
        return {"type": "ir.actions.act_window_close"}
