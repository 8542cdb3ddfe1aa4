from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class CrmQualityReviewCheck(models.Model):
    """One checklist item of a call-script audit, ticked or not by the reviewer.

    The reviewer ticks items of an open audit of someone else's call; the list itself
    comes from the script, and a closed audit's checklist is what it scored.
    """

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

    def write(self, vals):
        if not self.env.su:
            self._check_may_tick(vals)
        return super().write(vals)

    def _check_may_tick(self, vals):
        if set(vals) - {"done"}:
            raise AccessError(_("Only the tick of a checklist item can be changed."))
        reviews = self.review_id
        if reviews.filtered(
            lambda review: review.state not in ("todo", "in_progress", "unreachable")
        ):
            raise UserError(_("A closed review cannot be changed."))
        if not self.env.user.has_group("crm_quality_review.group_quality_manager"):
            reviews._check_not_own_deal()
