from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_utm_dedupe_days = fields.Integer(
        "Duplicate matching window (days)",
        config_parameter="crm_utm_capture.dedupe_days",
        default=30,
        help="A new inquiry with the phone or e-mail of a deal created within this many "
        "days is added to that deal instead of creating a lead. 0 turns dedupe off.",
    )
    crm_utm_dedupe_closed = fields.Boolean(
        "Match won and lost deals",
        config_parameter="crm_utm_capture.dedupe_closed",
        help="Also add inquiries to won and lost deals instead of opening a new lead.",
    )
