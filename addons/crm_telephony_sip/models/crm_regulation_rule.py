from odoo import api, models
from odoo.tools import SQL


class CrmRegulationRule(models.Model):
    """Calls feed the rule engine: first contacts (R02), missed calls not called back
    (R04), answered calls without a written summary (R13).

    Stop-gap on the engine's extension points until the glue addon
    crm_telephony_regulation takes these over (then delete this file).
    """

    _inherit = "crm.regulation.rule"

    @api.model
    def _contact_moments(self):
        """Calls are contacts too (R02): outbound attempts and answered calls."""
        return SQL(
            """%s UNION ALL
               SELECT call.lead_id, call.started_at FROM crm_telephony_call call
                WHERE call.lead_id IS NOT NULL AND call.started_at IS NOT NULL
                  AND (call.direction = 'outbound' OR call.status = 'answered')""",
            super()._contact_moments(),
        )

    def _offender_queries(self):
        queries = super()._offender_queries()
        if self.code == "R04":
            queries.append(self._offenders_missed_calls())
        elif self.code == "R13":
            queries.append(self._offenders_calls_without_note())
        return queries

    def _offenders_missed_calls(self):
        """R04: missed inbound calls not called back within the limit (working minutes)."""
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                  AND EXISTS (
                      SELECT 1 FROM crm_telephony_call call
                       WHERE call.lead_id = lead.id AND call.is_missed
                         AND call.handled_at IS NULL AND call.direction = 'inbound'
                         AND call.started_at > (now() at time zone 'UTC') - interval '30 days'
                         AND %(late)s)""",
            scope=self._scope(),
            late=self._late(SQL("call.started_at")),
        )

    def _offenders_calls_without_note(self):
        """R13: answered calls whose written summary did not follow within the limit."""
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                  AND EXISTS (
                      SELECT 1 FROM crm_telephony_call call
                       WHERE call.lead_id = lead.id AND call.status = 'answered'
                         AND coalesce(call.summary, '') = ''
                         AND call.ended_at > (now() at time zone 'UTC') - interval '30 days'
                         AND %(late)s)""",
            scope=self._scope(),
            late=self._late(SQL("call.ended_at")),
        )
