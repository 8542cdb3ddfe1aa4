from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_phone_base.tools.compat import open_activity_sql


class ResPartner(models.Model):
    _inherit = "res.partner"

    regulation_repeat_opt_out = fields.Boolean(
        "No repeat-sale reminders",
        help="The customer asked not to be contacted again: no monthly follow-up.",
    )

    @api.model
    def _cron_repeat_sales(self):
        """Plan a follow-up for won customers not reminded of us within the interval."""
        activity_type = self.env.ref("crm_regulation.mail_activity_type_repeat_sale")
        self.env.flush_all()
        self.env.cr.execute(self._repeat_sale_candidates_query(activity_type))
        rows = self.env.cr.fetchall()
        deals = self.env["crm.lead"].browse({deal_id for row in rows for deal_id in row[2]})
        names = dict(zip(deals.ids, deals.mapped("name"), strict=True))
        return (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    {
                        "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                        "res_id": partner_id,
                        "activity_type_id": activity_type.id,
                        "user_id": user_id,
                        "summary": _("Remind the customer of us: a repeat sale?"),
                        "note": self._repeat_sale_note(deal_ids, names),
                    }
                    for partner_id, user_id, deal_ids in rows
                ]
            )
        )

    @api.model
    def _repeat_sale_note(self, deal_ids, names):
        links = Markup(", ").join(
            Markup('<a href="/odoo/crm.lead/%s">%s</a>') % (deal_id, escape(names[deal_id]))
            for deal_id in deal_ids
        )
        return Markup("<p>%s %s</p>") % (_("Past deals:"), links)

    @api.model
    def _repeat_sale_candidates_query(self, activity_type):
        return SQL(
            """WITH won AS (
                   SELECT lead.partner_id, lead.company_id,
                          max(lead.date_closed) AS last_won,
                          (array_agg(lead.user_id ORDER BY lead.date_closed DESC NULLS LAST)
                              FILTER (WHERE lead.user_id IS NOT NULL))[1] AS user_id,
                          array_agg(lead.id ORDER BY lead.date_closed DESC NULLS LAST) AS deal_ids
                     FROM crm_lead lead
                     JOIN crm_stage stage ON stage.id = lead.stage_id AND stage.is_won
                    WHERE lead.partner_id IS NOT NULL AND lead.active
                 GROUP BY lead.partner_id, lead.company_id
               )
               SELECT won.partner_id, won.user_id, won.deal_ids[1:5]
                 FROM won
                 JOIN res_company company ON company.id = won.company_id
                 JOIN res_partner partner ON partner.id = won.partner_id
                WHERE company.regulation_repeat_interval_days > 0
                  AND won.user_id IS NOT NULL
                  AND NOT coalesce(partner.regulation_repeat_opt_out, FALSE)
                  AND won.last_won < (now() at time zone 'UTC')
                      - make_interval(days => company.regulation_repeat_interval_days)
                  AND NOT EXISTS (
                      SELECT 1 FROM crm_lead open_deal
                   LEFT JOIN crm_stage open_stage ON open_stage.id = open_deal.stage_id
                       WHERE open_deal.partner_id = won.partner_id AND open_deal.active
                         AND NOT coalesce(open_stage.is_won, FALSE))
                  AND NOT EXISTS (
                      SELECT 1 FROM mail_activity planned
                       WHERE planned.res_model = 'res.partner'
                         AND planned.res_id = won.partner_id
                         AND planned.activity_type_id = %(type)s AND %(open)s)
                  AND NOT EXISTS (
                      SELECT 1 FROM mail_message done
                       WHERE done.model = 'res.partner' AND done.res_id = won.partner_id
                         AND done.mail_activity_type_id = %(type)s
                         AND done.date > (now() at time zone 'UTC')
                             - make_interval(days => company.regulation_repeat_interval_days))""",
            type=activity_type.id,
            open=open_activity_sql("planned"),
        )
