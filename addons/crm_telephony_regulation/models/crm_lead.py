from odoo import api, models
from odoo.tools import SQL


class CrmLead(models.Model):
    _inherit = "crm.lead"

    @api.model
    def _regulation_contact_moments(self):
        """Calls are contacts too (R02): outbound attempts and answered calls."""
        return SQL(
            """%s UNION ALL
               SELECT call.lead_id, call.started_at FROM crm_telephony_call call
                WHERE call.lead_id IS NOT NULL AND call.started_at IS NOT NULL
                  AND (call.direction = 'outbound' OR call.status = 'answered')""",
            super()._regulation_contact_moments(),
        )
