from odoo import _, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    # callers are found by phone_sanitized (E.164, from mail.thread.phone)
    _inherit = ["crm.lead", "crm.phone.lookup.mixin", "crm.telephony.dial.mixin"]
    _telephony_call_field = "lead_id"

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

    def _telephony_calls_context(self):
        return dict(super()._telephony_calls_context(), default_lead_id=self.id)

    def _telephony_no_number_message(self):
        return _("This deal has no phone number.")
