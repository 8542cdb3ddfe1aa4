from odoo import api, fields, models

from ..tools.text import fold


class CrmRegulationImportStageMap(models.Model):
    _name = "crm.regulation.import.stage.map"
    _description = "Import: a stage of the source pipeline and its regulation stage"
    _order = "job_id, sequence, id"

    job_id = fields.Many2one(
        "crm.regulation.import.job", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    source_name = fields.Char("Stage in the file", required=True)
    source_key = fields.Char(compute="_compute_source_key", store=True)
    row_count = fields.Integer("Rows", readonly=True)
    is_lost = fields.Boolean("Lost", help="Deals in this stage are archived as lost.")
    stage_id = fields.Many2one(
        "crm.stage",
        string="Regulation stage",
        domain="[('regulation_code', '!=', False)]",
        help="Empty and not lost: the rows are rejected.",
    )

    @api.depends("source_name")
    def _compute_source_key(self):
        for line in self:
            line.source_key = fold(line.source_name)
