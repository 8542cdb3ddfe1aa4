from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    use_regulation = fields.Boolean(
        "Follows the regulation",
        tracking=True,
        help="The team works the regulation pipeline: its pipeline shows the regulation "
        "stages only and the stage gates apply to its deals.",
    )

    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="Regulation time limits (first contact, Unsorted, call-backs...) count "
        "working time of this calendar only.",
    )

    def action_open_regulation_apply_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_regulation.crm_regulation_apply_wizard_action"
        )
        action["context"] = {"default_team_id": self.id}
        return action
