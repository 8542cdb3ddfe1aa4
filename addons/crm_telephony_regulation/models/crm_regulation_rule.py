from odoo import models
from odoo.tools import SQL

# Calls older than this are history: a rule does not open a violation for them.
RECENT_CALLS = SQL("(now() at time zone 'UTC') - interval '30 days'")


class CrmRegulationRule(models.Model):
    _inherit = "crm.regulation.rule"

    def _offenders_r04(self):
        """Missed inbound calls not called back within the limit (working minutes)."""
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                  AND EXISTS (
                      SELECT 1 FROM crm_telephony_call call
                       WHERE call.lead_id = lead.id AND call.is_missed
                         AND call.handled_at IS NULL AND call.direction = 'inbound'
                         AND call.started_at > %(recent)s
                         AND %(late)s)""",
            scope=self._scope(),
            recent=RECENT_CALLS,
            late=self._late(SQL("call.started_at")),
        )

    def _offenders_r13(self):
        """Also answered calls whose written summary did not follow within the limit."""
        return SQL(
            """%(rest)s UNION
            SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
               AND EXISTS (
                   SELECT 1 FROM crm_telephony_call call
                    WHERE call.lead_id = lead.id AND call.status = 'answered'
                      AND coalesce(call.summary, '') = ''
                      AND call.ended_at > %(recent)s
                      AND %(late)s)""",
            rest=super()._offenders_r13(),
            scope=self._scope(),
            recent=RECENT_CALLS,
            late=self._late(SQL("call.ended_at")),
        )
