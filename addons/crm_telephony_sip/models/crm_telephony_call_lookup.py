from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_phone_base.tools.phone import parse_phone


class CrmTelephonyCallLookup(models.AbstractModel):
    """Client lookup: the caller's number in E.164, and the contact and open deal that
    own it (through ``crm_phone_base``'s caller lookup), for a whole batch at once."""

    _name = "crm.telephony.call.lookup"
    _description = "Phone call: client lookup"

    @api.model
    def _normalize_number(self, number, country=None):
        """E.164 of a client number, or False for an extension (six digits or fewer)
        or what cannot be a phone number."""
        if not number:
            return False
        return parse_phone(number, country).e164

    @api.model
    def _find_client(self, e164, company=None):
        """The contact and the open deal that own a number (E.164).

        :returns: (res.partner, crm.lead) — each possibly empty
        """
        return self._find_clients([e164], company).get(
            e164, (self.env["res.partner"], self.env["crm.lead"])
        )

    @api.model
    def _find_clients(self, numbers, company=None):
        """The contact and the open deal of each number, in three queries at most: the
        latest open deal with the number, else the first contact with it and that
        contact's company's latest open deal.

        :returns: {E.164: (res.partner, crm.lead)} for the numbers found
        """
        Lead = self.env["crm.lead"].with_context(active_test=True)
        Partner = self.env["res.partner"]
        company_domain = [("company_id", "in", [False, company.id])] if company else []
        open_domain = [("stage_id.is_won", "=", False)] + company_domain
        leads = Lead._find_by_phone(numbers, open_domain, order="id desc")
        clients = {number: (lead.partner_id, lead) for number, lead in leads.items()}
        unmatched = [n for n in numbers if n and not (n in clients and clients[n][0])]
        partners = Partner._find_by_phone(unmatched, company_domain, order="id")
        commercial = Partner.union(*partners.values()).commercial_partner_id
        latest = {}
        if commercial:
            for lead in Lead.search(
                [("partner_id", "child_of", commercial.ids)] + open_domain, order="id desc"
            ):
                latest.setdefault(lead.partner_id.commercial_partner_id, lead)
        for number, partner in partners.items():
            lead = clients.get(number, (Partner, Lead))[1]
            clients[number] = (partner, lead or latest.get(partner.commercial_partner_id, Lead))
        return clients

    def _match_clients(self):
        """Calls without a deal get the contact and deal of their number (as
        ``_find_clients`` finds them): one statement for the whole batch."""
        calls = self.filtered(
            lambda c: c.client_number_e164 and c.direction != "internal" and not c.lead_id
        )
        if not calls:
            return
        self.env["crm.lead"].flush_model()
        self.env["res.partner"].flush_model()
        self.env["crm.stage"].flush_model(["is_won"])
        calls.flush_recordset()
        wanted = SQL(", ").join(
            SQL("(%s, %s, %s)", call.id, call.client_number_e164, call.company_id.id)
            for call in calls
        )
        self.env.cr.execute(
            SQL(
                """
                WITH wanted (call_id, number, company_id) AS (VALUES %(wanted)s),
                by_number AS (
                    SELECT wanted.call_id, wanted.company_id, lead.id AS lead_id,
                           lead.partner_id AS lead_partner_id, partner.id AS partner_id,
                           partner.commercial_partner_id
                      FROM wanted
                      -- the latest open deal with the number
                      LEFT JOIN LATERAL (
                            SELECT lead.id, lead.partner_id
                              FROM crm_lead lead
                              JOIN crm_stage stage ON stage.id = lead.stage_id
                             WHERE lead.phone_sanitized = wanted.number AND lead.active
                               AND stage.is_won IS NOT TRUE
                               AND (lead.company_id = wanted.company_id
                                    OR lead.company_id IS NULL)
                             ORDER BY lead.id DESC LIMIT 1) lead ON TRUE
                      -- else (or when that deal has no contact) the first contact with it
                      LEFT JOIN LATERAL (
                            SELECT partner.id, partner.commercial_partner_id
                              FROM res_partner partner
                             WHERE lead.partner_id IS NULL
                               AND partner.phone_sanitized = wanted.number AND partner.active
                               AND (partner.company_id = wanted.company_id
                                    OR partner.company_id IS NULL)
                             ORDER BY partner.id LIMIT 1) partner ON TRUE),
                found AS (
                    SELECT call_id, COALESCE(partner_id, lead_partner_id) AS partner_id,
                           -- the deal, else that contact's company's latest open deal
                           COALESCE(lead_id, (
                                SELECT lead.id
                                  FROM crm_lead lead
                                  JOIN res_partner lead_partner
                                    ON lead_partner.id = lead.partner_id
                                  JOIN crm_stage stage ON stage.id = lead.stage_id
                                 WHERE lead_partner.commercial_partner_id
                                       = by_number.commercial_partner_id
                                   AND lead.active AND lead_partner.active
                                   AND stage.is_won IS NOT TRUE
                                   AND (lead.company_id = by_number.company_id
                                        OR lead.company_id IS NULL)
                                 ORDER BY lead.id DESC LIMIT 1)) AS lead_id
                      FROM by_number)
                UPDATE crm_telephony_call call
                   SET lead_id = COALESCE(found.lead_id, call.lead_id),
                       partner_id = COALESCE(call.partner_id, found.partner_id),
                       write_uid = %(uid)s, write_date = %(now)s
                  FROM found
                 WHERE call.id = found.call_id
                   AND (found.lead_id IS NOT NULL
                        OR (call.partner_id IS NULL AND found.partner_id IS NOT NULL))
             RETURNING call.id, call.lead_id, call.partner_id
                """,
                wanted=wanted,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        self._cache_rows(
            self.env.cr.fetchall(), [self._fields["lead_id"], self._fields["partner_id"]]
        )

    def _set_first_contact(self):
        """The first attempted or answered outbound call (or answered inbound call) to
        a deal is its first contact: one statement for the whole batch."""
        firsts = {}
        # deals that have a first contact already are left alone by the statement
        for call in self.filtered(
            lambda c: c.lead_id and (c.direction == "outbound" or c.status == "answered")
        ):
            firsts.setdefault(call.lead_id.id, call.started_at or fields.Datetime.now())
        if not firsts:
            return
        leads = self.env["crm.lead"].browse(firsts)
        leads.flush_recordset(["first_contact_at"])
        self.env.cr.execute(
            SQL(
                """UPDATE crm_lead lead
                      SET first_contact_at = first.at, write_uid = %s, write_date = %s
                     FROM (VALUES %s) first(id, at)
                    WHERE lead.id = first.id AND lead.first_contact_at IS NULL""",
                self.env.uid,
                fields.Datetime.now(),
                SQL(", ").join(SQL("(%s, %s::timestamp)", id_, at) for id_, at in firsts.items()),
            )
        )
        leads.invalidate_recordset(["first_contact_at", "write_uid", "write_date"])
