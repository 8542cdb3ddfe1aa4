from odoo import api, fields, models

from .crm_capture_submission import (
    DEFAULT_KEEP_DONE_DAYS,
    DEFAULT_KEEP_REJECTED_DAYS,
    KEEP_DONE_DAYS_PARAM,
    KEEP_REJECTED_DAYS_PARAM,
)
from .crm_lead import DEDUPE_CLOSED_PARAM, DEDUPE_DAYS_PARAM, DEFAULT_DEDUPE_DAYS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # stored by hand: a config_parameter field would turn 0 (dedupe off) into the default
    crm_utm_dedupe_days = fields.Integer(
        "Duplicate matching window (days)",
        help="A new inquiry with the phone or e-mail of a deal created within this many "
        "days is added to that deal instead of creating a lead (web forms of sites that "
        "dedupe, e-mails to teams that dedupe). 0 turns dedupe off everywhere.",
    )
    crm_utm_dedupe_closed = fields.Boolean(
        "Match won and lost deals",
        config_parameter=DEDUPE_CLOSED_PARAM,
        help="Also add inquiries to won and lost deals instead of opening a new lead.",
    )
    crm_utm_journal_keep_days = fields.Integer(
        "Keep recorded submissions (days)",
        config_parameter=KEEP_DONE_DAYS_PARAM,
        default=DEFAULT_KEEP_DONE_DAYS,
        help="Submissions recorded on a lead are deleted from the capture journal after "
        "this many days (the lead and its touchpoints keep the inquiry).",
    )
    crm_utm_rejected_keep_days = fields.Integer(
        "Keep spam, invalid and held submissions (days)",
        config_parameter=KEEP_REJECTED_DAYS_PARAM,
        default=DEFAULT_KEEP_REJECTED_DAYS,
        help="Spam, invalid and held submissions are deleted after this many days. "
        "Failed ones stay until they are retried.",
    )

    @api.model
    def get_values(self):
        res = super().get_values()
        value = self.env["ir.config_parameter"].sudo().get_param(DEDUPE_DAYS_PARAM)
        res["crm_utm_dedupe_days"] = int(value) if str(value).isdigit() else DEFAULT_DEDUPE_DAYS
        return res

    def set_values(self):
        res = super().set_values()
        self.env["ir.config_parameter"].sudo().set_param(
            DEDUPE_DAYS_PARAM, str(max(self.crm_utm_dedupe_days, 0))
        )
        return res
