from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    quality_sample_rate = fields.Float(related="company_id.quality_sample_rate", readonly=False)
    quality_sample_min = fields.Integer(related="company_id.quality_sample_min", readonly=False)
    quality_sample_max = fields.Integer(related="company_id.quality_sample_max", readonly=False)
    quality_auto_sample = fields.Boolean(related="company_id.quality_auto_sample", readonly=False)
    quality_script_threshold = fields.Float(
        related="company_id.quality_script_threshold", readonly=False
    )
