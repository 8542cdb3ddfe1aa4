from odoo import _, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _name = "crm.lead"
    # callers are found by phone_sanitized (E.164, from mail.thread.phone)
    _inherit = ["crm.lead", "crm.phone.lookup.mixin"]

    telephony_call_ids = fields.One2many(
        "crm.telephony.call", "lead_id", "Phone calls", groups="sales_team.group_sale_salesman"
    )
    telephony_call_count = fields.Integer("Calls", compute="_compute_telephony_call_count")
    first_contact_at = fields.Datetime(
        "First contact",
        copy=False,
        index=True,
        help="When the deal was first contacted by phone: the first attempted or answered call.",
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
