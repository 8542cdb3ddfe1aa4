from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_phone_base.tools.compat import sql_constraints


@sql_constraints
class CrmRegulationComplianceSnapshot(models.Model):
    """Per salesperson and day: open deals and how many of them break a rule.

    The monthly compliance score is the average over the month of the daily share of
    open deals without an open violation.
    """

    _name = "crm.regulation.compliance.snapshot"
    _description = "Daily compliance of a salesperson"
    _order = "date desc, user_id"

    date = fields.Date(required=True, index=True)
    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True)
    open_deals = fields.Integer()
    deals_with_violations = fields.Integer()
    score = fields.Float("Compliance (%)", aggregator="avg")

    _sql_constraints = [
        ("user_date_uniq", "unique(user_id, company_id, date)", "One snapshot per day."),
    ]

    @api.model
    def _cron_snapshot(self):
        """Record today's compliance of every salesperson in one statement."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_regulation_compliance_snapshot
                       (date, user_id, company_id, open_deals, deals_with_violations, score,
                        create_uid, create_date, write_uid, write_date)
                   SELECT (now() at time zone 'UTC')::date, lead.user_id, lead.company_id,
                          count(*),
                          count(*) FILTER (WHERE EXISTS (
                              SELECT 1 FROM crm_regulation_violation violation
                               WHERE violation.lead_id = lead.id AND violation.state = 'open')),
                          100.0 * count(*) FILTER (WHERE NOT EXISTS (
                              SELECT 1 FROM crm_regulation_violation violation
                               WHERE violation.lead_id = lead.id AND violation.state = 'open'))
                                / count(*),
                          %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                     FROM crm_lead lead
                     JOIN crm_team team ON team.id = lead.team_id AND team.use_regulation
                LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                    WHERE lead.active AND lead.user_id IS NOT NULL AND lead.company_id IS NOT NULL
                      AND coalesce(stage.is_won, FALSE) IS FALSE
                 GROUP BY lead.user_id, lead.company_id
                ON CONFLICT (user_id, company_id, date) DO UPDATE
                      SET open_deals = EXCLUDED.open_deals,
                          deals_with_violations = EXCLUDED.deals_with_violations,
                          score = EXCLUDED.score, write_date = EXCLUDED.write_date""",
                uid=self.env.uid,
            )
        )
        self.invalidate_model()
