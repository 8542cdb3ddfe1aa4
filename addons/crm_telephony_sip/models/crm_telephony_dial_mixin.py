from odoo import models
from odoo.exceptions import UserError

from odoo.addons.crm_phone_base.tools.compat import PHONE_FIELDS


class CrmTelephonyDialMixin(models.AbstractModel):
    """What a record with phone calls offers (deals, contacts): its call count, the list
    of its calls and click-to-call. A model sets ``_telephony_call_field`` (the call's
    Many2one to it), declares ``telephony_call_count`` and says what is missing in
    ``_telephony_no_number_message``."""

    _name = "crm.telephony.dial.mixin"
    _description = "Phone calls and click-to-call of a record"
    _telephony_call_field = None  # "lead_id", "partner_id"

    def _compute_telephony_call_count(self):
        counts = self.env["crm.telephony.call"]._count_by(self._telephony_call_field, self)
        for record in self:
            record.telephony_call_count = counts.get(record.id, 0)

    def _telephony_calls_context(self):
        return {"search_default_filter_mine": 0}

    def action_view_telephony_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_telephony_sip.crm_telephony_call_action"
        )
        action["domain"] = [(self._telephony_call_field, "=", self.id)]
        action["context"] = self._telephony_calls_context()
        return action

    def _telephony_no_number_message(self):
        raise NotImplementedError()

    def action_telephony_click_to_call(self):
        """Log the attempt at once and hand the number to the softphone."""
        self.ensure_one()
        number = next((self[name] for name in PHONE_FIELDS if self[name]), False)
        if not number:
            raise UserError(self._telephony_no_number_message())
        # lead_id -> lead=self, partner_id -> partner=self
        target = {self._telephony_call_field.removesuffix("_id"): self}
        call = self.env["crm.telephony.call"]._log_click_to_call(number, **target)
        return {
            "type": "ir.actions.act_url",
            "url": f"tel:{call.client_number_e164 or number}",
            "target": "new",
        }
