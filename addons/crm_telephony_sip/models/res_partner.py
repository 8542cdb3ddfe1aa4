from odoo import _, fields, models


class ResPartner(models.Model):
    _name = "res.partner"
    # phone_sanitized (E.164, indexed) for caller matching, as the sms addon does
    _inherit = [
        "mail.thread.phone",
        "res.partner",
        "crm.phone.lookup.mixin",
        "crm.telephony.dial.mixin",
    ]
    _telephony_call_field = "partner_id"

    phone_sanitized = fields.Char(index="btree_not_null")
    telephony_call_ids = fields.One2many(
        "crm.telephony.call", "partner_id", "Phone calls", groups="sales_team.group_sale_salesman"
    )
    telephony_call_count = fields.Integer("Calls", compute="_compute_telephony_call_count")

    def _telephony_no_number_message(self):
        return _("This contact has no phone number.")
