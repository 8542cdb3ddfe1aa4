from odoo import SUPERUSER_ID, models

from .crm_stage import SCORING_CACHE
from .ir_cron import COALESCE_CRON_TRIGGERS


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def _with_cheap_creation(self):
        """These records' model in the context in which the capture and telephony create
        deals: no creation message (the caller posts or logs one), crons the new deal
        wakes (enrichment) not woken again while a wake-up is due, scoring's stages read
        from the cache of ``crm.stage``."""
        context = {
            "mail_create_nolog": True,
            COALESCE_CRON_TRIGGERS: True,
            SCORING_CACHE: True,
        }
        if self.env.uid == SUPERUSER_ID:
            # Odoo subscribes the creator when active: OdooBot never is (saves its read)
            context["mail_create_nosubscribe"] = True
        return self.with_context(**context)

    def _pls_get_naive_bayes_probabilities(self, batch_mode=False, **kwargs):
        """Odoo's predictive lead scoring searches the first stage once per team of
        the frequency table (and once more for all teams), and the won stages: both
        come from the cache of ``crm.stage`` here. (``kwargs``: what else the series
        passes, 19.0's ``is_tooltip``.)"""
        if not self:
            return super()._pls_get_naive_bayes_probabilities(batch_mode=batch_mode, **kwargs)
        leads = self.with_context(
            crm_pls_first_stage_id=self.env["crm.stage"]._first_generic_stage_id(),
            **{SCORING_CACHE: True},
        )
        return super(CrmLead, leads)._pls_get_naive_bayes_probabilities(
            batch_mode=batch_mode, **kwargs
        )

    def _pls_get_won_lost_total_count(self, team_results):
        """Odoo's count, with the first stage searched once per scoring (see above)."""
        if "crm_pls_first_stage_id" not in self.env.context:
            return super()._pls_get_won_lost_total_count(team_results)
        first_stage_id = str(self.env.context["crm_pls_first_stage_id"])
        if first_stage_id not in team_results.get("stage_id", []):
            return 0, 0, 0
        stage_result = team_results["stage_id"][first_stage_id]
        return stage_result["won"], stage_result["lost"], stage_result["won"] + stage_result["lost"]
