from odoo import api, fields, models


class CrmQualityScript(models.Model):
    """A sales call script as a checklist the reviewer ticks while listening to a call."""

    _name = "crm.quality.script"
    _description = "Call script"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    team_ids = fields.Many2many(
        "crm.team", string="Sales teams", help="Teams whose calls follow this script."
    )
    item_ids = fields.One2many("crm.quality.script.item", "script_id", string="Checklist")

    @api.model
    def _for_team(self, team):
        """The team's own script, else a script for every team."""
        scripts = self.search([])
        return (
            scripts.filtered(lambda script: team in script.team_ids)[:1]
            or scripts.filtered(lambda script: not script.team_ids)[:1]
        )
