from odoo import models


class CrmQualityReviewBatch(models.Model):
    _inherit = "crm.quality.review.batch"

    def _call_candidates(self):
        """Answered calls of the period with a deal, not audited before, by salesperson."""
        audited = (
            self.env["crm.quality.review"]
            .search([("review_type", "=", "call_audit"), ("call_id", "!=", False)])
            .call_id
        )
        start, end = self._period_bounds()
        calls = self.env["crm.telephony.call"].search(
            [
                ("status", "=", "answered"),
                ("user_id", "!=", False),
                ("lead_id", "!=", False),
                ("company_id", "=", self.company_id.id),
                ("started_at", ">=", start),
                ("started_at", "<", end),
                ("id", "not in", audited.ids),
            ],
            order="id",
        )
        return self._by_salesperson(calls)

    def _review_values(self, record, reviewer, due):
        values = super()._review_values(record, reviewer, due)
        if self.review_type == "call_audit":
            values["call_id"] = record.id
        return values
