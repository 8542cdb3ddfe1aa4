from odoo import fields, models


class CrmQualityReview(models.Model):
    _inherit = "crm.quality.review"

    call_id = fields.Many2one(
        "crm.telephony.call",
        "Audited call",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    call_has_recording = fields.Boolean(related="call_id.has_recording")

    def action_play_call_recording(self):
        self.ensure_one()
        return self.call_id.action_play_recording()
