from odoo import fields, models

from odoo.addons.crm_phone_base.tools.compat import sql_constraints


@sql_constraints
class CrmQualityScriptItem(models.Model):
    _name = "crm.quality.script.item"
    _description = "Call script checklist item"
    _order = "sequence, id"

    script_id = fields.Many2one("crm.quality.script", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    weight = fields.Integer(default=1, help="How much the item counts in the call's score.")

    _sql_constraints = [
        ("weight_positive", "check(weight > 0)", "A checklist item weighs at least 1."),
    ]
