"""The one definition of the money figures: payroll, clawbacks, fines, score and KPI.

``figures_query(periods)`` gives, per period, salesperson and company:

- payroll: what entering payroll-eligible stages paid (``payroll_amount`` of the
  payroll-eligible stays — an import's stays are not: the old system paid them —
  a deal pays once per stage, re-entering pays only what was clawed back) and the
  number of deals and entries; clawbacks: what backward moves took back, in the period
  of the move; net = payroll - clawbacks;
- violations detected in the period and their fines (waived ones carry none), and the
  violations still open at the end of the period (whenever detected);
- the compliance score: the average of the daily snapshots of the period;
- the KPI bonus: a score at or above the company's threshold and no violation open at
  the end of the period (a salesperson without a score earns none).

The payroll summary is this query by month; ``get_regulation_report`` (the CLI) runs it
for one period. ``MonthlyPeriods`` and ``OnePeriod`` say how moments map to periods.
"""

from odoo.tools import SQL


class MonthlyPeriods:
    """Every calendar month, every company, team and salesperson."""

    kpi_threshold = None

    def key(self, moment):
        return SQL("date_trunc('month', %s)::date", moment)

    def within(self, moment):
        return SQL("%s IS NOT NULL", moment)

    def end(self, period):
        return SQL("(%s + interval '1 month')", period)

    def scope(self, alias, team=True):
        return SQL("TRUE")


class OnePeriod:
    """One period [start, end), filtered by companies, and optionally a team and a
    salesperson; its lines (entries, clawbacks, violations by rule) come with it."""

    def __init__(self, start, end, companies, team_id=None, user_id=None, kpi_threshold=None):
        self.start, self.stop = start, end
        self.companies, self.team_id, self.user_id = companies, team_id, user_id
        self.kpi_threshold = kpi_threshold

    def key(self, moment):
        return SQL("%s::date", self.start)

    def within(self, moment):
        return SQL(
            "(%s >= %s::timestamp AND %s < %s::timestamp)", moment, self.start, moment, self.stop
        )

    def end(self, period):
        return SQL("%s::timestamp", self.stop)

    def scope(self, alias, team=True):
        """Rows of ``alias`` in the companies, team and salesperson asked for."""
        alias = SQL.identifier(alias)
        user_column = "salesperson_id" if team == "stay" else "user_id"
        conditions = [SQL("%s.company_id = ANY(%s)", alias, self.companies)]
        if self.team_id and team:
            conditions.append(SQL("%s.team_id = %s", alias, self.team_id))
        if self.user_id:
            conditions.append(SQL("%s.%s = %s", alias, SQL.identifier(user_column), self.user_id))
        return SQL(" AND ").join(conditions)

    # -------------------------------------------------------------- the lines

    def payroll_entries(self):
        return SQL(
            """SELECT stay.entered_at AS date, stay.lead_id AS deal_id,
                      coalesce(lead.name, stay.lead_name) AS deal, stage.name->>'en_US' AS stage,
                      stay.salesperson_id AS user_id, stay.payroll_amount AS amount, stay.forced
                 FROM crm_lead_stage_history stay
                 JOIN crm_stage stage ON stage.id = stay.stage_id
            LEFT JOIN crm_lead lead ON lead.id = stay.lead_id
                WHERE stay.is_payroll_eligible AND stay.payroll_amount > 0
                  AND %(within)s AND %(scope)s
             ORDER BY stay.entered_at, stay.id""",
            within=self.within(SQL("stay.entered_at")),
            scope=self.scope("stay", team="stay"),
        )

    def clawbacks(self):
        return SQL(
            """SELECT stay.clawed_back_at AS date, stay.lead_id AS deal_id,
                      coalesce(lead.name, stay.lead_name) AS deal, stage.name->>'en_US' AS stage,
                      coalesce(target.name->>'en_US', '') AS moved_to,
                      stay.salesperson_id AS user_id, stay.clawback_amount AS amount
                 FROM crm_lead_stage_history stay
                 JOIN crm_stage stage ON stage.id = stay.stage_id
            LEFT JOIN crm_stage target ON target.id = stay.clawed_back_to_id
            LEFT JOIN crm_lead lead ON lead.id = stay.lead_id
                WHERE stay.clawback_amount > 0 AND %(within)s AND %(scope)s
             ORDER BY stay.clawed_back_at, stay.id""",
            within=self.within(SQL("stay.clawed_back_at")),
            scope=self.scope("stay", team="stay"),
        )

    def violations_by_rule(self):
        return SQL(
            """SELECT violation.rule_code AS rule, min(rule.name->>'en_US') AS name,
                      count(*) FILTER (WHERE violation.state = 'open') AS open,
                      count(*) FILTER (WHERE violation.state = 'resolved') AS resolved,
                      count(*) FILTER (WHERE violation.state = 'waived') AS waived,
                      coalesce(sum(violation.fine_due), 0) AS fines
                 FROM crm_regulation_violation violation
                 JOIN crm_regulation_rule rule ON rule.id = violation.rule_id
                WHERE %(within)s AND %(scope)s
             GROUP BY violation.rule_code
             ORDER BY violation.rule_code""",
            within=self.within(SQL("violation.detected_at")),
            scope=self.scope("violation"),
        )


def figures_query(periods):
    """SQL of the figures per (period, user_id, company_id); see the module doc."""
    return SQL(
        """
        WITH paid AS (
            SELECT %(paid_key)s AS period, stay.salesperson_id AS user_id, stay.company_id,
                   count(DISTINCT stay.lead_id) AS payroll_deals, count(*) AS payroll_entries,
                   sum(stay.payroll_amount) AS payroll_amount
              FROM crm_lead_stage_history stay
             WHERE stay.is_payroll_eligible AND stay.payroll_amount > 0
               AND stay.salesperson_id IS NOT NULL
               AND %(paid_within)s AND %(stay_scope)s
          GROUP BY 1, 2, 3
        ), clawed AS (
            SELECT %(clawed_key)s AS period, stay.salesperson_id AS user_id, stay.company_id,
                   count(*) AS clawback_count, sum(stay.clawback_amount) AS clawback_amount
              FROM crm_lead_stage_history stay
             WHERE stay.clawback_amount > 0 AND stay.salesperson_id IS NOT NULL
               AND %(clawed_within)s AND %(stay_scope)s
          GROUP BY 1, 2, 3
        ), fined AS (
            SELECT %(fined_key)s AS period, violation.user_id, violation.company_id,
                   count(*) AS violation_count,
                   count(*) FILTER (WHERE violation.state = 'open') AS open,
                   count(*) FILTER (WHERE violation.state = 'resolved') AS resolved,
                   count(*) FILTER (WHERE violation.state = 'waived') AS waived,
                   sum(violation.fine_due) AS fines
              FROM crm_regulation_violation violation
             WHERE violation.user_id IS NOT NULL AND %(fined_within)s AND %(violation_scope)s
          GROUP BY 1, 2, 3
        ), scored AS (
            SELECT %(scored_key)s AS period, snapshot.user_id, snapshot.company_id,
                   avg(snapshot.score) AS score
              FROM crm_regulation_compliance_snapshot snapshot
             WHERE %(scored_within)s AND %(snapshot_scope)s
          GROUP BY 1, 2, 3
        ), keys AS (
            SELECT period, user_id, company_id FROM paid
            UNION SELECT period, user_id, company_id FROM clawed
            UNION SELECT period, user_id, company_id FROM fined
            UNION SELECT period, user_id, company_id FROM scored
        )
        SELECT keys.period, keys.user_id, keys.company_id,
               coalesce(paid.payroll_deals, 0) AS payroll_deals,
               coalesce(paid.payroll_entries, 0) AS payroll_entries,
               coalesce(paid.payroll_amount, 0) AS payroll_amount,
               coalesce(clawed.clawback_count, 0) AS clawback_count,
               coalesce(clawed.clawback_amount, 0) AS clawback_amount,
               coalesce(paid.payroll_amount, 0) - coalesce(clawed.clawback_amount, 0)
                   AS net_amount,
               coalesce(fined.violation_count, 0) AS violation_count,
               coalesce(fined.open, 0) AS open,
               coalesce(fined.resolved, 0) AS resolved,
               coalesce(fined.waived, 0) AS waived,
               open_at_end.count AS open_violation_count,
               coalesce(fined.fines, 0) AS fines,
               scored.score AS compliance_score,
               coalesce(scored.score >= coalesce(%(threshold)s,
                                                 company.regulation_kpi_threshold), FALSE)
                   AND open_at_end.count = 0 AS kpi_eligible
          FROM keys
          JOIN res_company company ON company.id = keys.company_id
     LEFT JOIN paid USING (period, user_id, company_id)
     LEFT JOIN clawed USING (period, user_id, company_id)
     LEFT JOIN fined USING (period, user_id, company_id)
     LEFT JOIN scored USING (period, user_id, company_id)
    CROSS JOIN LATERAL (
               SELECT count(*) AS count FROM crm_regulation_violation violation
                WHERE violation.user_id = keys.user_id
                  AND violation.company_id = keys.company_id
                  AND violation.state != 'waived'
                  AND violation.detected_at < %(period_end)s
                  AND (violation.resolved_at IS NULL
                       OR violation.resolved_at >= %(period_end)s)
               ) open_at_end
      ORDER BY keys.period, keys.user_id, keys.company_id
        """,
        paid_key=periods.key(SQL("stay.entered_at")),
        paid_within=periods.within(SQL("stay.entered_at")),
        clawed_key=periods.key(SQL("stay.clawed_back_at")),
        clawed_within=periods.within(SQL("stay.clawed_back_at")),
        stay_scope=periods.scope("stay", team="stay"),
        fined_key=periods.key(SQL("violation.detected_at")),
        fined_within=periods.within(SQL("violation.detected_at")),
        violation_scope=periods.scope("violation"),
        scored_key=periods.key(SQL("snapshot.date")),
        scored_within=periods.within(SQL("snapshot.date")),
        snapshot_scope=periods.scope("snapshot", team=False),
        threshold=periods.kpi_threshold,
        period_end=periods.end(SQL("keys.period")),
    )
