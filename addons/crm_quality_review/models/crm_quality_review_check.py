from odoo import api, fields, models


class CrmQualityReviewCheck(models.Model):
    """One checklist item of a call-script audit, ticked or not by the reviewer."""

    _name = "crm.quality.review.check"
    _description = "Call script audit item"
    _order = "sequence, id"

    review_id = fields.Many2one("crm.quality.review", required=True, ondelete="cascade")
    item_id = fields.Many2one("crm.quality.script.item", required=True, ondelete="restrict")
    sequence = fields.Integer(related="item_id.sequence", store=True)
    name = fields.Char(related="item_id.name")
    weight = fields.Integer(related="item_id.weight", store=True)
    done = fields.Boolean("Done on the call")
    salesperson_id = fields.Many2one(related="review_id.salesperson_id", store=True)
    done_rate = fields.Float("Done (%)", compute="_compute_done_rate", store=True, aggregator="avg")

    @api.depends("done")
    def _compute_done_rate(self):
        for check in self:
            check.done_rate = 100.0 if check.done else 0.0
