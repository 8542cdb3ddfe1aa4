from odoo import fields, models, tools
from odoo.tools import SQL


class CrmRegulationFirstContactReport(models.Model):
    """Time to first contact per team and month: median and 90th percentile (R02),
    from the deal's creation (or its import); a deal contacted before that counts 0."""

    _name = "crm.regulation.first.contact.report"
    _description = "Time to first contact"
    _auto = False
    _order = "month desc, team_id"
    _rec_name = "team_id"

    month = fields.Date(readonly=True)
    team_id = fields.Many2one("crm.team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    lead_count = fields.Integer("Leads", readonly=True)
    contacted_count = fields.Integer("Contacted", readonly=True)
    median_minutes = fields.Float("Median minutes", readonly=True, aggregator="avg")
    p90_minutes = fields.Float("90th percentile minutes", readonly=True, aggregator="avg")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        contacts = self.env["crm.lead"]._regulation_contact_moments()
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %(view)s AS (
                WITH firsts AS (
                    SELECT lead.id, lead.team_id, lead.company_id,
                           date_trunc('month', %(start)s)::date AS month,
                           -- A deal already in contact when it was created or imported
                           -- (like rule R02, any contact counts) waited 0 minutes;
                           -- greatest() skips NULL, hence the CASE for no contact.
                           CASE WHEN first_contact.contact_at IS NOT NULL THEN greatest(
                               0.0, EXTRACT(EPOCH FROM first_contact.contact_at - %(start)s) / 60.0)
                           END AS minutes
                      FROM crm_lead lead
                      JOIN crm_team team ON team.id = lead.team_id AND team.use_regulation
                      LEFT JOIN LATERAL (SELECT min(contact.contact_at) AS contact_at
                                           FROM (%(contacts)s) contact
                                          WHERE contact.lead_id = lead.id) first_contact ON TRUE
                )
                SELECT row_number() OVER (ORDER BY month, team_id) AS id, month, team_id,
                       company_id,
                       count(*) AS lead_count, count(minutes) AS contacted_count,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) AS median_minutes,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) AS p90_minutes
                  FROM firsts GROUP BY month, team_id, company_id
                )""",
                view=SQL.identifier(self._table),
                contacts=contacts,
                # Like rule R02: an imported deal is measured from its import.
                start=SQL("greatest(lead.create_date, lead.regulation_start_at)"),
            )
        )
