from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    quality_review_ids = fields.One2many("crm.quality.review", "lead_id", string="Quality reviews")
    revived_by_review_id = fields.Many2one(
        "crm.quality.review",
        string="Revived by review",
        readonly=True,
        index="btree_not_null",
        help="The quality call-back that brought this deal back to life.",
    )
