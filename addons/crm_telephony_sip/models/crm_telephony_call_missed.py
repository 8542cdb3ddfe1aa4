from odoo import _, fields, models
from odoo.tools import SQL


class CrmTelephonyCallMissed(models.AbstractModel):
    """Missed-call policy: a missed call opens a deal or asks for a call-back, and a
    later call to the number handles it."""

    _name = "crm.telephony.call.missed"
    _description = "Phone call: missed calls"

    def _handle_missed(self):
        """A missed call becomes a new deal (unknown number, in the stage of
        ``_missed_call_stage``, even when it was called back already) or asks the
        deal's salesperson to call back (known client, not called back yet)."""
        calls = self.filtered("client_number_e164")
        if not calls:
            return
        xmlids = self.env["ir.model.data"]
        # ids of data records from the registry's cache: no query to check they exist
        call_back_id = xmlids._xmlid_to_res_id("mail.mail_activity_data_call", True)
        unknown = self.browse()
        for call in calls:
            lead = call.lead_id
            if not lead:
                unknown |= call
                continue
            if call.handled_at or lead.activity_ids.filtered(
                lambda act: act.activity_type_id.id == call_back_id and act.telephony_call_id
            ):
                continue  # called back already, or asked for already
            lead.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=fields.Date.context_today(call),
                summary=_("Call back %(number)s", number=call.client_number_e164),
                user_id=(lead.user_id or call.user_id or self.env.user).id,
                telephony_call_id=call.id,
            )
        if unknown:
            unknown._open_missed_call_deals()

    def _open_missed_call_deals(self):
        """One new deal per number (and company) of these missed calls from unknown
        numbers, however many of them a batch holds: every call of the number gets it."""
        first_calls = {}
        for call in self:
            first_calls.setdefault((call.company_id.id, call.client_number_e164), call)
        medium_id = self.env["ir.model.data"]._xmlid_to_res_id("utm.utm_medium_phone")
        leads = self.env["crm.lead"]._telephony_create_deals(
            [
                {
                    "name": self.env._(
                        "Missed call from %(number)s", number=call.client_number_e164
                    ),
                    "type": "opportunity",
                    "stage_id": call._missed_call_stage().id,
                    "phone": call.client_number_e164,
                    "partner_id": call.partner_id.id,
                    "medium_id": medium_id or False,
                    "user_id": False,
                    "company_id": call.company_id.id,
                }
                for call in first_calls.values()
            ]
        )
        lead_of = dict(zip(first_calls, leads, strict=True))
        for call in self:
            call.lead_id = lead_of[(call.company_id.id, call.client_number_e164)]

    def _missed_call_stage(self):
        """The stage of the deal a missed call from an unknown number opens: the first
        open stage, as a deal created by hand. Glue addons override it (the regulation
        sends it to Unsorted)."""
        return self.env["crm.lead"]._stage_find(domain=[("fold", "=", False)], limit=1)

    def _mark_missed_handled(self):
        """An answered or logged outbound call handles the earlier missed inbound calls
        from the same number (the earliest such call of the batch wins): one statement
        for the whole batch. Their call-back to-dos are closed by
        ``_close_call_back_activities``.

        :returns: the calls that handled missed calls
        """
        calls = self.filtered("client_number_e164")
        if not calls:
            return self.browse()
        now = fields.Datetime.now()
        self.flush_model()
        table = SQL.identifier(self._table)
        callers = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s::timestamp)",
                call.id,
                call.company_id.id,
                call.client_number_e164,
                call.answered_at or call.started_at or now,
            )
            for call in calls
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s missed
                   SET callback_call_id = pick.call_id, handled_at = pick.at
                  FROM (SELECT DISTINCT ON (candidate.id) candidate.id, caller.call_id, caller.at
                          FROM %(table)s candidate
                          JOIN (VALUES %(callers)s) caller(call_id, company_id, number, at)
                            ON candidate.company_id = caller.company_id
                           AND candidate.client_number_e164 = caller.number
                           AND (candidate.started_at IS NULL OR candidate.started_at <= caller.at)
                         WHERE candidate.is_missed AND candidate.handled_at IS NULL
                         ORDER BY candidate.id, caller.at, caller.call_id) pick
                 WHERE missed.id = pick.id
             RETURNING pick.call_id
                """,
                table=table,
                callers=callers,
            )
        )
        handling = self.browse(sorted({row[0] for row in self.env.cr.fetchall()}))
        self.invalidate_model(["callback_call_id", "handled_at"])
        return handling

    def _close_call_back_activities(self):
        """The call-back to-dos of the missed calls these calls handled are done (see
        ``_mark_missed_handled``): one search for the whole batch."""
        callers = self.filtered(
            lambda call: call.direction == "outbound" and call.client_number_e164
        )
        if not callers:
            return
        call_back_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "mail.mail_activity_data_call", True
        )
        # the system closes them, also on deals the writer of a summary cannot see
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("telephony_call_id.callback_call_id", "in", callers.ids),
                    ("activity_type_id", "=", call_back_id),
                ]
            )
        )
        activities.action_feedback(feedback=_("Called back."))
