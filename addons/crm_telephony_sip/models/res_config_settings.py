from odoo import fields, models

from .crm_telephony_event import (
    DEFAULT_KEEP_DONE_DAYS,
    DEFAULT_KEEP_FAILED_DAYS,
    KEEP_DONE_DAYS_PARAM,
    KEEP_FAILED_DAYS_PARAM,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_telephony_journal_keep_days = fields.Integer(
        "Keep processed PBX requests (days)",
        config_parameter=KEEP_DONE_DAYS_PARAM,
        default=DEFAULT_KEEP_DONE_DAYS,
        help="Processed and refused PBX requests are deleted from the telephony journal "
        "after this many days (the calls keep what they said).",
    )
    crm_telephony_failed_keep_days = fields.Integer(
        "Keep failed PBX requests (days)",
        config_parameter=KEEP_FAILED_DAYS_PARAM,
        default=DEFAULT_KEEP_FAILED_DAYS,
        help="Failed and malformed PBX requests are deleted after this many days.",
    )
