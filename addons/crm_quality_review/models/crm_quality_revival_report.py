from odoo import fields, models, tools
from odoo.tools import SQL


class CrmQualityRevivalReport(models.Model):
    """What the quality department brought back: revived deals and their won revenue."""

    _name = "crm.quality.revival.report"
    _description = "Deals revived by the quality department"
    _auto = False
    _order = "month desc"

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    revived_count = fields.Integer("Revived deals", readonly=True)
    won_count = fields.Integer("Won", readonly=True)
    won_revenue = fields.Monetary("Revenue won", readonly=True)
    open_revenue = fields.Monetary("Revenue in progress", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %s AS (
                SELECT row_number() OVER (ORDER BY month, company_id) AS id, month, company_id,
                       count(*) AS revived_count,
                       count(*) FILTER (WHERE is_won) AS won_count,
                       coalesce(sum(revenue) FILTER (WHERE is_won), 0) AS won_revenue,
                       coalesce(sum(revenue) FILTER (WHERE NOT is_won AND active), 0)
                           AS open_revenue
                  FROM (SELECT date_trunc('month', review.write_date)::date AS month,
                               review.company_id, lead.expected_revenue AS revenue,
                               lead.active, coalesce(stage.is_won, FALSE) AS is_won
                          FROM crm_quality_review review
                          JOIN crm_lead lead ON lead.id = review.revived_lead_id
                     LEFT JOIN crm_stage stage ON stage.id = lead.stage_id) revived
              GROUP BY month, company_id
                )""",
                SQL.identifier(self._table),
            )
        )
