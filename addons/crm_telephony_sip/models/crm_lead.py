from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class CrmLead(models.Model):
    _inherit = "crm.lead"

    telephony_call_ids = fields.One2many(
        "crm.telephony.call", "lead_id", "Phone calls", groups="sales_team.group_sale_salesman"
    )
    telephony_call_count = fields.Integer("Calls", compute="_compute_telephony_call_count")
    first_contact_at = fields.Datetime(
        "First contact",
        copy=False,
        index=True,
        help="When the deal was first contacted (rule R02): the first attempted or answered call.",
    )

    def _compute_telephony_call_count(self):
        counts = self.env["crm.telephony.call"]._count_by("lead_id", self)
        for lead in self:
            lead.telephony_call_count = counts.get(lead.id, 0)

    def action_view_telephony_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_telephony_sip.crm_telephony_call_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id, "search_default_filter_mine": 0}
        return action

    def action_telephony_click_to_call(self):
        """Log the attempt at once and hand the number to the softphone."""
        self.ensure_one()
        number = self.phone or self.mobile
        if not number:
            raise UserError(_("This deal has no phone number."))
        call = self.env["crm.telephony.call"]._log_click_to_call(number, lead=self)
        return {
            "type": "ir.actions.act_url",
            "url": f"tel:{call.client_number_e164 or number}",
            "target": "new",
        }

    # ------------------------------------------------ regulation rule hooks

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

    @api.model
    def _regulation_missed_call_offenders(self, rule):
        """R04: missed inbound calls not called back within the limit (working minutes)."""
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                  AND EXISTS (
                      SELECT 1 FROM crm_telephony_call call
                       WHERE call.lead_id = lead.id AND call.is_missed
                         AND call.handled_at IS NULL AND call.direction = 'inbound'
                         AND call.started_at > (now() at time zone 'UTC') - interval '30 days'
                         AND %(late)s)""",
            scope=rule._scope(),
            late=rule._late(SQL("call.started_at")),
        )

    @api.model
    def _regulation_calls_without_note(self, rule):
        """R13: answered calls whose written summary did not follow within the limit."""
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                  AND EXISTS (
                      SELECT 1 FROM crm_telephony_call call
                       WHERE call.lead_id = lead.id AND call.status = 'answered'
                         AND coalesce(call.summary, '') = ''
                         AND call.ended_at > (now() at time zone 'UTC') - interval '30 days'
                         AND %(late)s)""",
            scope=rule._scope(),
            late=rule._late(SQL("call.ended_at")),
        )
