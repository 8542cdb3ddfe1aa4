from odoo import fields, models, tools
from odoo.tools import SQL

from ..tools.utm import UTM_DIMENSIONS


class CrmUtmReport(models.Model):
    """Leads, won deals, revenue and conversion by UTM tags, once by first touch and
    once by last touch: every lead has a row of each, so figures are read for one
    attribution at a time (the action filters on last touch; a total over both would
    count every lead twice)."""

    _name = "crm.utm.report"
    _description = "UTM attribution analysis"
    _auto = False
    _order = "create_date desc"

    lead_id = fields.Many2one("crm.lead", readonly=True)
    touch = fields.Selection(
        [("first", "First touch"), ("last", "Last touch")], "Attribution", readonly=True
    )
    create_date = fields.Datetime("Created on", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales team", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    utm_term = fields.Char("Keyword", readonly=True)
    utm_content = fields.Char("Content", readonly=True)
    lead_count = fields.Integer("Leads", readonly=True, aggregator="sum")
    won_count = fields.Integer("Won deals", readonly=True, aggregator="sum")
    won_revenue = fields.Float("Revenue", readonly=True, aggregator="sum")
    conversion = fields.Float("Conversion (%)", readonly=True, aggregator="avg")

    def _select_touch(self, touch):
        """The rows of one attribution: the lead's first-touch fields (Odoo's own UTM
        fields) or its last-touch fields."""
        columns = SQL(", ").join(
            SQL(
                "%s AS %s",
                SQL.identifier("lead", dimension.field)
                if touch == "first"
                # no later touch recorded (tags set after creation, an import): the
                # last touch is the first one
                else SQL(
                    "coalesce(%s, %s)",
                    SQL.identifier("lead", dimension.last_field),
                    SQL.identifier("lead", dimension.field),
                ),
                SQL.identifier(dimension.field),
            )
            for dimension in UTM_DIMENSIONS
        )
        return SQL(
            """
            SELECT lead.id * 2 + %(offset)s AS id, lead.id AS lead_id, %(touch)s AS touch,
                   lead.create_date, lead.company_id, lead.team_id, lead.user_id,
                   %(columns)s, 1 AS lead_count,
                   CASE WHEN stage.is_won THEN 1 ELSE 0 END AS won_count,
                   CASE WHEN stage.is_won THEN COALESCE(lead.expected_revenue, 0)
                        ELSE 0 END AS won_revenue,
                   CASE WHEN stage.is_won THEN 100.0 ELSE 0.0 END AS conversion
              FROM crm_lead lead
              LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
             WHERE lead.active OR lead.probability = 0
            """,
            offset=0 if touch == "first" else 1,
            touch=touch,
            columns=columns,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s UNION ALL %s)",
                SQL.identifier(self._table),
                self._select_touch("first"),
                self._select_touch("last"),
            )
        )
