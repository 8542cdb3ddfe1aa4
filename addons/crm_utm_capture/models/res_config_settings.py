from odoo import api, fields, models

from .crm_lead import DEDUPE_DAYS_PARAM, DEFAULT_DEDUPE_DAYS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # stored by hand: a config_parameter field would turn 0 (dedupe off) into the default
    crm_utm_dedupe_days = fields.Integer(
        "Duplicate matching window (days)",
        help="A new inquiry with the phone or e-mail of a deal created within this many "
        "days is added to that deal instead of creating a lead. 0 turns dedupe off.",
    )
    crm_utm_dedupe_closed = fields.Boolean(
        "Match won and lost deals",
        config_parameter="crm_utm_capture.dedupe_closed",
        help="Also add inquiries to won and lost deals instead of opening a new lead.",
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
