from odoo import _, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _name = "res.partner"
    # phone_sanitized (E.164, indexed) for caller matching, as the sms addon does
    _inherit = ["mail.thread.phone", "res.partner", "crm.phone.lookup.mixin"]

    phone_sanitized = fields.Char(index="btree_not_null")
    telephony_call_ids = fields.One2many(
        "crm.telephony.call", "partner_id", "Phone calls", groups="sales_team.group_sale_salesman"
    )
    telephony_call_count = fields.Integer("Calls", compute="_compute_telephony_call_count")

    def _compute_telephony_call_count(self):
        counts = self.env["crm.telephony.call"]._count_by("partner_id", self)
        for partner in self:
            partner.telephony_call_count = counts.get(partner.id, 0)

    def action_view_telephony_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_telephony_sip.crm_telephony_call_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_filter_mine": 0}
        return action

    def action_telephony_click_to_call(self):
        self.ensure_one()
        number = self.phone or self.mobile
        if not number:
            raise UserError(_("This contact has no phone number."))
        call = self.env["crm.telephony.call"]._log_click_to_call(number, partner=self)
        return {
            "type": "ir.actions.act_url",
            "url": f"tel:{call.client_number_e164 or number}",
            "target": "new",
        }
