from odoo import fields, models, tools
from odoo.tools import SQL


class CrmRegulationStageReport(models.Model):
    """Pipeline bottlenecks: per stage, how many deals wait and for how long."""

    _name = "crm.regulation.stage.report"
    _description = "Pipeline bottlenecks"
    _auto = False
    _order = "sequence, id"
    _rec_name = "stage_id"

    stage_id = fields.Many2one("crm.stage", readonly=True)
    sequence = fields.Integer(readonly=True)
    is_regulation_stage = fields.Boolean(readonly=True)
    open_deals = fields.Integer(
        "Open deals", readonly=True, help="Active deals waiting in the stage (none in a won stage)."
    )
    rotting_deals = fields.Integer("Rotting deals", readonly=True)
    entered = fields.Integer("Entries", readonly=True, help="Stays recorded in this stage.")
    moved_forward = fields.Integer("Moved forward", readonly=True)
    conversion_rate = fields.Float("Conversion to next stage (%)", readonly=True, aggregator="avg")
    median_hours = fields.Float("Median hours in stage", readonly=True, aggregator="avg")
    p90_hours = fields.Float("90th percentile hours", readonly=True, aggregator="avg")
    median_days = fields.Float(
        "Median days in stage", readonly=True, aggregator="avg", digits=(16, 1)
    )
    p90_days = fields.Float("90th percentile days", readonly=True, aggregator="avg", digits=(16, 1))

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %s AS (
                   WITH stays AS (
                       SELECT h.stage_id,
                              count(*) AS entered,
                              count(*) FILTER (WHERE CASE
                                  WHEN cur.regulation_rank > 0 AND nxt.regulation_rank > 0
                                  THEN nxt.regulation_rank > cur.regulation_rank
                                  ELSE nxt.sequence > cur.sequence END) AS moved_forward,
                              percentile_cont(0.5) WITHIN GROUP (ORDER BY
                                  EXTRACT(EPOCH FROM coalesce(h.left_at, now() at time zone 'UTC')
                                          - h.entered_at) / 3600.0) AS median_hours,
                              percentile_cont(0.9) WITHIN GROUP (ORDER BY
                                  EXTRACT(EPOCH FROM coalesce(h.left_at, now() at time zone 'UTC')
                                          - h.entered_at) / 3600.0) AS p90_hours
                         FROM crm_lead_stage_history h
                         JOIN crm_stage cur ON cur.id = h.stage_id
                    LEFT JOIN crm_stage nxt ON nxt.id = h.next_stage_id
                     GROUP BY h.stage_id
                   ), waiting AS (
                       SELECT lead.stage_id,
                              count(*) AS open_deals,
                              count(*) FILTER (WHERE stage.max_days_in_stage > 0
                                  AND lead.date_last_stage_update < now() at time zone 'UTC'
                                      - make_interval(days => stage.max_days_in_stage + 1))
                                  AS rotting_deals
                         FROM crm_lead lead
                         JOIN crm_stage stage ON stage.id = lead.stage_id
                        WHERE lead.active AND lead.type = 'opportunity'
                          AND NOT coalesce(stage.is_won, FALSE)
                     GROUP BY lead.stage_id
                   )
                   SELECT stage.id AS id,
                          stage.id AS stage_id,
                          stage.sequence AS sequence,
                          stage.regulation_code IS NOT NULL AS is_regulation_stage,
                          coalesce(waiting.open_deals, 0) AS open_deals,
                          coalesce(waiting.rotting_deals, 0) AS rotting_deals,
                          coalesce(stays.entered, 0) AS entered,
                          coalesce(stays.moved_forward, 0) AS moved_forward,
                          CASE WHEN coalesce(stays.entered, 0) = 0 THEN 0
                               ELSE 100.0 * stays.moved_forward / stays.entered END
                              AS conversion_rate,
                          coalesce(stays.median_hours, 0) AS median_hours,
                          coalesce(stays.p90_hours, 0) AS p90_hours,
                          coalesce(stays.median_hours, 0) / 24.0 AS median_days,
                          coalesce(stays.p90_hours, 0) / 24.0 AS p90_days
                     FROM crm_stage stage
                LEFT JOIN stays ON stays.stage_id = stage.id
                LEFT JOIN waiting ON waiting.stage_id = stage.id
                )""",
                SQL.identifier(self._table),
            )
        )
