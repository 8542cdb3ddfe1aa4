from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    use_regulation = fields.Boolean(
        "Follows the regulation",
        tracking=True,
        help="The team works the regulation pipeline: its pipeline shows the regulation "
        "stages only and the stage gates apply to its deals.",
    )

    def action_open_regulation_apply_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_regulation.crm_regulation_apply_wizard_action"
        )
        action["context"] = {"default_team_id": self.id}
        return action
