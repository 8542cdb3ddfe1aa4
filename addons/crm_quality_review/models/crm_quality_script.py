from odoo import fields, models


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
