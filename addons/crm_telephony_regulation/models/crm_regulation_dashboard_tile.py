from datetime import timedelta

from odoo import _, api, fields, models

# The same window as rule R04 (``crm_regulation_rule.RECENT_CALLS``): older missed calls
# are history.
RECENT_DAYS = 30


class CrmRegulationDashboardTile(models.TransientModel):
    _inherit = "crm.regulation.dashboard.tile"

    @api.model
    def _dashboard_tiles(self):
        return super()._dashboard_tiles() + [self._tile_missed_calls()]

    def _tile_missed_calls(self):
        """Missed inbound calls of the last 30 days on open deals of regulation teams
        that nobody has called back yet (R04's calls, late or not yet)."""
        since = fields.Datetime.now() - timedelta(days=RECENT_DAYS)
        domain = [
            ("company_id", "in", self.env.companies.ids),
            ("direction", "=", "inbound"),
            ("is_missed", "=", True),
            ("handled_at", "=", False),
            ("started_at", ">", fields.Datetime.to_string(since)),
            ("lead_id.team_id.use_regulation", "=", True),
            ("lead_id.stage_id.is_won", "=", False),
        ]
        count = self.env["crm.telephony.call"].search_count(domain)
        return {
            "code": "missed_calls",
            "name": _("Missed calls not called back"),
            "sequence": 60,
            "res_model": "crm.telephony.call",
            "domain": domain,
            "description": _(
                "Missed inbound calls of the last 30 days on open regulation deals, "
                "still waiting for a call-back."
            ),
            "level": "danger" if count else "ok",
            "action": "crm_telephony_sip.crm_telephony_call_action",
            "views": "list,form",
            "context": {"group_by": ["user_id"]},
        }
