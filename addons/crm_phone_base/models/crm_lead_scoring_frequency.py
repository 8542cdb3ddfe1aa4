from odoo import api, models

from .crm_stage import SCORING_CACHE

# the fields predictive lead scoring reads of every frequency it searches
SCORING_FIELDS = ["variable", "value", "won_count", "lost_count", "team_id"]


class CrmLeadScoringFrequency(models.Model):
    _inherit = "crm.lead.scoring.frequency"

    @api.model
    def search(self, domain, offset=0, limit=None, order=None):
        """Predictive lead scoring searches the frequencies, then reads them: with
        ``SCORING_CACHE`` in the context, the search fetches what it reads (one
        query instead of two)."""
        if self.env.context.get(SCORING_CACHE):
            return self.search_fetch(
                domain, SCORING_FIELDS, offset=offset, limit=limit, order=order
            )
        return super().search(domain, offset=offset, limit=limit, order=order)
