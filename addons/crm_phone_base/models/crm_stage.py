from odoo import api, models, tools

from ..tools.compat import STAGE_TEAMS

# Context key set while a new lead is created (web capture, a missed call) and scored:
# Odoo's searches of the won stages read cached ids (CrmStage.search), its search of the
# scoring frequencies fetches their values at once (CrmLeadScoringFrequency.search)
SCORING_CACHE = "crm_capture_scoring_cache"
# What the cached answers depend on: a write of any of these clears them
CACHE_FIELDS = {"is_won", "sequence", STAGE_TEAMS}


class CrmStage(models.Model):
    _inherit = "crm.stage"

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        self.env.registry.clear_cache()
        return stages

    def write(self, vals):
        result = super().write(vals)
        if CACHE_FIELDS.intersection(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    @api.model
    def search(self, domain, offset=0, limit=None, order=None):
        """Odoo searches the won stages twice for a new lead (``_handle_won_lost`` and
        predictive lead scoring): with ``SCORING_CACHE`` in the context, the search
        exactly as Odoo writes it answers from the cache (``_won_stage_ids``)."""
        if (
            self.env.context.get(SCORING_CACHE)
            and domain == [("is_won", "=", True)]
            and not offset
            and limit is None
            and order is None
        ):
            return self.browse(self._won_stage_ids())
        return super().search(domain, offset=offset, limit=limit, order=order)

    @api.model
    @tools.ormcache()
    def _won_stage_ids(self):
        """The won stages (ids, in the stages' order); cleared when a stage is created,
        deleted, or its won flag, sequence or teams change."""
        return tuple(
            self.sudo().with_context(**{SCORING_CACHE: False}).search([("is_won", "=", True)]).ids
        )

    @api.model
    @tools.ormcache()
    def _first_generic_stage_id(self):
        """The first stage of no team (predictive lead scoring's "first stage");
        cleared as ``_won_stage_ids``."""
        return self.sudo().search([(STAGE_TEAMS, "=", False)], order="sequence, id", limit=1).id
