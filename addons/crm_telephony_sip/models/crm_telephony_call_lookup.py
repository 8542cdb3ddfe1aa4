from odoo import api, fields, models

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
        """Calls without a deal get the contact and deal of their number."""
        Lead, Partner = self.env["crm.lead"], self.env["res.partner"]
        calls = self.filtered(
            lambda c: c.client_number_e164 and c.direction != "internal" and not c.lead_id
        )
        for company, company_calls in calls.grouped("company_id").items():
            clients = self._find_clients(company_calls.mapped("client_number_e164"), company)
            for call in company_calls:
                partner, lead = clients.get(call.client_number_e164, (Partner, Lead))
                vals = {}
                if lead:
                    vals["lead_id"] = lead.id
                if partner and not call.partner_id:
                    vals["partner_id"] = partner.id
                if vals:
                    call.write(vals)

    def _set_first_contact(self):
        """The first attempted or answered outbound call (or answered inbound call) to
        a deal is its first contact."""
        for call in self.filtered(
            lambda c: (
                c.lead_id
                and not c.lead_id.first_contact_at
                and (c.direction == "outbound" or c.status == "answered")
            )
        ):
            call.lead_id.first_contact_at = call.started_at or fields.Datetime.now()
