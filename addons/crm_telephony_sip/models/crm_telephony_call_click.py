import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

CLICK_MERGE_BEFORE = timedelta(minutes=5)
CLICK_MERGE_AFTER = timedelta(minutes=2)


class CrmTelephonyCallClick(models.AbstractModel):
    """Click-to-call: the attempt is logged by the CRM at once, and merged with the
    PBX's record of the same call when it arrives."""

    _name = "crm.telephony.call.click"
    _description = "Phone call: click-to-call"

    @api.model
    def _log_click_to_call(self, number, lead=None, partner=None):
        """Log a call the user starts from the CRM, before the PBX reports it. The call
        log is written by the system (salespeople only read it): the call is the
        user's, on a deal or contact the user has opened."""
        lead = lead or self.env["crm.lead"]
        partner = partner or lead.partner_id
        for record in (lead, partner):
            if record:
                record.check_access("read")
        call = self.sudo().create(
            {
                "origin": "click",
                "provider_call_id": f"click-{uuid.uuid4()}",
                "direction": "outbound",
                "client_number": number,
                "user_id": self.env.user.id,
                "lead_id": lead.id,
                "partner_id": partner.id if partner else False,
                "started_at": fields.Datetime.now(),
                "company_id": (lead.company_id or self.env.company).id,
            }
        )
        call._set_first_contact()
        return self.browse(call.id)

    def _merge_click_attempts(self):
        """A click-to-call attempt logged by the CRM and the PBX's record of the same
        call become one: the PBX call inherits the deal and the summary. One query
        for the whole batch (and a write per merged attempt)."""
        calls = self.filtered(
            lambda c: c.origin == "pbx" and c.direction == "outbound" and c.client_number_e164
        )
        if not calls:
            return
        now = fields.Datetime.now()
        starts = {call: call.started_at or now for call in calls}
        self.flush_model(["origin", "merged_into_id", "client_number_e164", "started_at"])
        # one query: the calls that have an attempt merged already, and the attempts
        self.env.cr.execute(
            SQL(
                """SELECT merged_into_id, NULL FROM crm_telephony_call
                    WHERE merged_into_id = ANY(%(calls)s)
                    UNION ALL
                   (SELECT NULL, id FROM crm_telephony_call
                     WHERE origin = 'click' AND merged_into_id IS NULL AND active
                       AND client_number_e164 = ANY(%(numbers)s)
                       AND started_at >= %(since)s AND started_at <= %(until)s
                     ORDER BY started_at DESC, id DESC)""",
                calls=calls.ids,
                numbers=list(set(calls.mapped("client_number_e164"))),
                since=min(starts.values()) - CLICK_MERGE_BEFORE,
                until=max(starts.values()) + CLICK_MERGE_AFTER,
            )
        )
        rows = self.env.cr.fetchall()
        merged = {call_id for call_id, _attempt in rows if call_id}
        attempts = self.browse([attempt for _call, attempt in rows if attempt])
        starts = {call: started for call, started in starts.items() if call.id not in merged}
        if not attempts or not starts:
            return
        taken = self.browse()
        for call, started in starts.items():
            attempt = next(
                (
                    attempt
                    for attempt in attempts - taken
                    if attempt.client_number_e164 == call.client_number_e164
                    and started - CLICK_MERGE_BEFORE
                    <= attempt.started_at
                    <= started + CLICK_MERGE_AFTER
                    and (not call.user_id or attempt.user_id == call.user_id)
                ),
                None,
            )
            if not attempt:
                continue
            taken |= attempt
            vals = {"lead_id": attempt.lead_id.id or call.lead_id.id}
            if attempt.partner_id and not call.partner_id:
                vals["partner_id"] = attempt.partner_id.id
            if attempt.summary and not call.summary:
                vals["summary"] = attempt.summary
            call.with_context(telephony_summary_posted=True).write(vals)
            attempt.write({"merged_into_id": call.id, "active": False})
