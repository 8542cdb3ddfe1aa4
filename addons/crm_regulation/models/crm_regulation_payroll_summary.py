from datetime import date, datetime, timedelta

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .regulation_figures import MonthlyPeriods, OnePeriod, figures_query


class CrmRegulationPayrollSummary(models.Model):
    """One line per salesperson and month: what payroll needs from the CRM.

    The figures (payroll, clawbacks, violations, fines, compliance score, KPI bonus)
    are defined once, in ``regulation_figures.figures_query``: this report, the
    compliance dashboard (its pivot) and ``regulation_report`` (through
    ``get_regulation_report``) all read that definition.
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
    payroll_entries = fields.Integer("Payroll entries", readonly=True)
    payroll_amount = fields.Monetary("Payroll amount", readonly=True)
    clawback_count = fields.Integer("Clawback entries", readonly=True)
    clawback_amount = fields.Monetary("Clawbacks", readonly=True)
    net_amount = fields.Monetary("Net payroll", readonly=True)
    violation_count = fields.Integer("Violations", readonly=True)
    open_violation_count = fields.Integer(
        "Open at month end", readonly=True, help="Violations still open when the month ended."
    )
    fines = fields.Monetary(readonly=True, help="Fines of the month's violations, waived excluded.")
    compliance_score = fields.Float("Compliance (%)", readonly=True, aggregator="avg")
    kpi_eligible = fields.Boolean(
        "KPI bonus",
        readonly=True,
        help="The compliance score reaches the company's threshold and no violation was "
        "open at the end of the month.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %(view)s AS (
                   SELECT row_number() OVER (ORDER BY figures.period, figures.user_id,
                                                      figures.company_id) AS id,
                          figures.period AS month, figures.user_id, figures.company_id,
                          figures.payroll_deals, figures.payroll_entries,
                          figures.payroll_amount, figures.clawback_count,
                          figures.clawback_amount, figures.net_amount,
                          figures.violation_count, figures.open_violation_count,
                          figures.fines, figures.compliance_score, figures.kpi_eligible
                     FROM (%(figures)s) figures)""",
                view=SQL.identifier(self._table),
                figures=figures_query(MonthlyPeriods()),
            )
        )

    # ------------------------------------------------------------ over RPC

    @api.model
    def get_regulation_report(
        self, date_from, date_to, team_id=False, user_id=False, kpi_threshold=None
    ):
        """The regulation report of a period (dates, ``date_to`` included): per
        salesperson the same figures as this report, and the lines behind them (payroll
        entries, clawbacks, violations by rule). ``scripts/regulation_report`` prints it.

        Regulation managers (and Sales administrators) see everyone of their companies;
        a salesperson only themself.
        """
        self.check_access("read")
        start = fields.Date.to_date(date_from)
        end = fields.Date.to_date(date_to) + timedelta(days=1)
        if end <= start:
            raise UserError(_("The report period ends before it starts."))
        user_id = self._report_user(user_id)
        period = OnePeriod(
            start,
            end,
            companies=self.env.companies.ids,
            team_id=team_id or None,
            user_id=user_id or None,
            kpi_threshold=kpi_threshold,
        )
        self.env.flush_all()
        return {
            "period": {"from": str(start), "to": str(end - timedelta(days=1))},
            "kpi_threshold": kpi_threshold
            if kpi_threshold is not None
            else self.env.company.regulation_kpi_threshold,
            "salespeople": self._report_rows(figures_query(period), "figures"),
            "entries": self._report_rows(period.payroll_entries(), "entries"),
            "clawbacks": self._report_rows(period.clawbacks(), "clawbacks"),
            "rules": self._report_rows(period.violations_by_rule(), "rules"),
        }

    @api.model
    def _report_user(self, user_id):
        if self.env.user.has_group("crm_regulation.group_regulation_manager"):
            return user_id
        if user_id and user_id != self.env.uid:
            raise AccessError(_("You may only see your own payroll and compliance figures."))
        return self.env.uid

    @api.model
    def _report_rows(self, query, kind):
        self.env.cr.execute(query)
        columns = [column.name for column in self.env.cr.description]
        rows = [dict(zip(columns, row, strict=True)) for row in self.env.cr.fetchall()]
        users = self.env["res.users"].browse({row["user_id"] for row in rows if row.get("user_id")})
        names = {user.id: user.name for user in users.sudo()}
        for row in rows:
            if "user_id" in row:
                row["salesperson"] = names.get(row["user_id"], "")
            for key, value in row.items():
                if isinstance(value, datetime):
                    row[key] = fields.Datetime.to_string(value)
                elif isinstance(value, date):
                    row[key] = fields.Date.to_string(value)
                elif value is not None and key in NUMERIC_KEYS[kind]:
                    row[key] = float(value)
        return rows


# Columns returned as numbers (PostgreSQL numeric arrives as Decimal).
NUMERIC_KEYS = {
    "figures": {"payroll_amount", "clawback_amount", "net_amount", "fines", "compliance_score"},
    "entries": {"amount"},
    "clawbacks": {"amount"},
    "rules": {"fines"},
}
