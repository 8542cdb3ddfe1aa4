from odoo import fields, models, tools
from odoo.tools import SQL


class CrmRegulationPayrollSummary(models.Model):
    """One line per salesperson and month: what payroll needs from the CRM.

    Payroll-eligible deals (amount entering Prepayment / Final payment received),
    clawbacks, violations and fines (waived ones excluded), the compliance score and
    the KPI bonus eligibility.
    """

    _name = "crm.regulation.payroll.summary"
    _description = "Monthly payroll summary"
    _auto = False
    _order = "month desc, user_id"
    _rec_name = "user_id"

    month = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    payroll_deals = fields.Integer("Payroll deals", readonly=True)
    payroll_amount = fields.Monetary("Payroll amount", readonly=True)
    clawback_amount = fields.Monetary("Clawbacks", readonly=True)
    violation_count = fields.Integer("Violations", readonly=True)
    fines = fields.Monetary(readonly=True)
    compliance_score = fields.Float("Compliance (%)", readonly=True, aggregator="avg")
    kpi_eligible = fields.Boolean("KPI bonus", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %s AS (
                WITH payroll AS (
                    SELECT date_trunc('month', stay.entered_at)::date AS month,
                           stay.salesperson_id AS user_id, stay.company_id,
                           count(*) FILTER (WHERE NOT stay.is_clawback) AS payroll_deals,
                           sum(stay.expected_revenue) FILTER (WHERE NOT stay.is_clawback)
                               AS payroll_amount,
                           sum(stay.expected_revenue) FILTER (WHERE stay.is_clawback)
                               AS clawback_amount
                      FROM crm_lead_stage_history stay
                     WHERE stay.is_payroll_eligible AND stay.salesperson_id IS NOT NULL
                  GROUP BY 1, 2, 3
                ), fines AS (
                    SELECT date_trunc('month', violation.detected_at)::date AS month,
                           violation.user_id, violation.company_id,
                           count(*) AS violation_count,
                           sum(violation.fine) FILTER (WHERE violation.state != 'waived') AS fines
                      FROM crm_regulation_violation violation
                     WHERE violation.user_id IS NOT NULL
                  GROUP BY 1, 2, 3
                ), scores AS (
                    SELECT date_trunc('month', snapshot.date)::date AS month,
                           snapshot.user_id, snapshot.company_id, avg(snapshot.score) AS score
                      FROM crm_regulation_compliance_snapshot snapshot
                  GROUP BY 1, 2, 3
                ), keys AS (
                    SELECT month, user_id, company_id FROM payroll
                    UNION SELECT month, user_id, company_id FROM fines
                    UNION SELECT month, user_id, company_id FROM scores
                )
                SELECT row_number() OVER (ORDER BY keys.month, keys.user_id, keys.company_id)
                           AS id,
                       keys.month, keys.user_id, keys.company_id,
                       coalesce(payroll.payroll_deals, 0) AS payroll_deals,
                       coalesce(payroll.payroll_amount, 0) AS payroll_amount,
                       coalesce(payroll.clawback_amount, 0) AS clawback_amount,
                       coalesce(fines.violation_count, 0) AS violation_count,
                       coalesce(fines.fines, 0) AS fines,
                       scores.score AS compliance_score,
                       coalesce(scores.score >= company.regulation_kpi_threshold, FALSE)
                           AS kpi_eligible
                  FROM keys
                  JOIN res_company company ON company.id = keys.company_id
             LEFT JOIN payroll USING (month, user_id, company_id)
             LEFT JOIN fines USING (month, user_id, company_id)
             LEFT JOIN scores USING (month, user_id, company_id)
                )""",
                SQL.identifier(self._table),
            )
        )
