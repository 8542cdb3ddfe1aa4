from odoo import api, fields, models

from ..tools.text import fold


class CrmRegulationImportUserMap(models.Model):
    _name = "crm.regulation.import.user.map"
    _description = "Import: a salesperson named in the file and the Odoo user"
    _order = "job_id, source_name"

    job_id = fields.Many2one(
        "crm.regulation.import.job", required=True, ondelete="cascade", index=True
    )
    source_name = fields.Char("Name in the file", required=True)
    source_key = fields.Char(compute="_compute_source_key", store=True)
    row_count = fields.Integer("Rows", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False)]",
        help="Empty: the rows of this person are rejected.",
    )

    @api.depends("source_name")
    def _compute_source_key(self):
        for line in self:
            line.source_key = fold(line.source_name)
