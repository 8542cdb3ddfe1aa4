from odoo import api, fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    # A regulation team records every inquiry of a customer on their open deal (R01);
    # a plain team keeps Odoo's mail gateway behaviour. Either can change it.
    inquiry_dedupe = fields.Boolean(compute="_compute_inquiry_dedupe", store=True, readonly=False)

    @api.depends("use_regulation")
    def _compute_inquiry_dedupe(self):
        for team in self:
            team.inquiry_dedupe = team.use_regulation
