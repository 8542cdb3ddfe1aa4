from odoo import fields, models
from odoo.tools import html2plaintext


class MailActivity(models.Model):
    _inherit = "mail.activity"

    telephony_call_id = fields.Many2one(
        "crm.telephony.call", "Phone call", index="btree_not_null", ondelete="cascade"
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking a "call summary" activity done with a feedback writes that feedback
        as the call's summary. Other activities of a call (the call-back of a missed
        call) leave the call's summary alone."""
        summary_type = self.env.ref(
            "crm_telephony_sip.mail_activity_type_call_summary", raise_if_not_found=False
        )
        calls = self.filtered(
            lambda activity: activity.activity_type_id == summary_type
        ).telephony_call_id.filtered(lambda call: not call.summary)
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        text = html2plaintext(feedback or "").strip()
        if calls and text:
            calls.with_context(telephony_summary_posted=True).write({"summary": text})
        return result
