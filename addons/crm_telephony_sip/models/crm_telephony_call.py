import re
import uuid
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_duration

from odoo.addons.phone_validation.tools import phone_validation

from ..adapters.common import FINAL_STATUSES

STATUS_RANK = {
    "ringing": 0,
    "in_progress": 1,
    "no_answer": 2,
    "busy": 2,
    "failed": 2,
    "cancelled": 2,
    "answered": 3,
}
MISSED_STATUSES = ("no_answer", "busy", "failed", "cancelled")
FILL_KEYS = (
    "direction",
    "client_number",
    "our_number",
    "extension",
    "hangup_cause",
    "recording_url",
    "recording_ref",
)
EXTENSION_MAX_DIGITS = 6
CLICK_MERGE_BEFORE = timedelta(minutes=5)
CLICK_MERGE_AFTER = timedelta(minutes=2)


class CrmTelephonyCall(models.Model):
    _name = "crm.telephony.call"
    _description = "Phone call"
    _order = "started_at desc, id desc"
    _check_company_auto = True

    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    origin = fields.Selection(
        [("pbx", "PBX"), ("click", "Click-to-call")], default="pbx", required=True
    )
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound"), ("internal", "Internal")],
        index=True,
    )
    client_number = fields.Char(help="The client's number as the PBX sent it.")
    client_number_e164 = fields.Char(
        "Client number (E.164)",
        compute="_compute_client_number_e164",
        store=True,
        index="btree_not_null",
    )
    our_number = fields.Char("Our number", help="The number (DID) the call came through.")
    extension = fields.Char()
    user_id = fields.Many2one("res.users", "Salesperson", index=True)
    started_at = fields.Datetime(index=True)
    answered_at = fields.Datetime()
    ended_at = fields.Datetime()
    duration = fields.Integer(help="Seconds from start to hang-up.")
    talk_time = fields.Integer(help="Seconds of conversation.")
    status = fields.Selection(
        [
            ("ringing", "Ringing"),
            ("in_progress", "In progress"),
            ("answered", "Answered"),
            ("no_answer", "No answer"),
            ("busy", "Busy"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="ringing",
        required=True,
        index=True,
    )
    hangup_cause = fields.Char()
    connection_id = fields.Many2one(
        "crm.telephony.connection", "PBX connection", ondelete="restrict", index=True
    )
    provider = fields.Selection(related="connection_id.provider", store=True)
    provider_call_id = fields.Char("Provider call id", required=True, copy=False)
    recording_url = fields.Char()
    recording_ref = fields.Char("Recording reference")
    has_recording = fields.Boolean(compute="_compute_has_recording", store=True)
    partner_id = fields.Many2one("res.partner", "Contact", index="btree_not_null")
    lead_id = fields.Many2one("crm.lead", "Deal", index="btree_not_null")
    summary = fields.Text(help="What was said and agreed: the written note after the call.")
    summary_at = fields.Datetime(readonly=True, index=True)
    is_final = fields.Boolean(compute="_compute_is_final", store=True)
    is_missed = fields.Boolean(compute="_compute_is_missed", store=True, index=True)
    callback_call_id = fields.Many2one(
        "crm.telephony.call", "Called back by", readonly=True, index="btree_not_null"
    )
    handled_at = fields.Datetime(
        readonly=True,
        index=True,
        help="When a missed call was called back (an answered or logged outbound call).",
    )
    answered_count = fields.Integer(
        "Answered calls", compute="_compute_answer_rate", store=True, aggregator="sum"
    )
    answer_rate = fields.Float(
        "Answer rate (%)", compute="_compute_answer_rate", store=True, aggregator="avg"
    )
    final_done = fields.Boolean(readonly=True, copy=False)
    recording_posted = fields.Boolean(readonly=True, copy=False)
    merged_into_id = fields.Many2one("crm.telephony.call", "Merged into", readonly=True)

    _sql_constraints = [
        (
            "provider_call_uniq",
            "unique(connection_id, provider_call_id)",
            "A provider call is recorded once per PBX connection.",
        ),
    ]

    @api.depends("client_number", "connection_id.country_id", "company_id.country_id")
    def _compute_client_number_e164(self):
        for call in self:
            country = call.connection_id.country_id or call.company_id.country_id
            call.client_number_e164 = self._normalize_number(call.client_number, country)

    @api.model
    def _count_by(self, field_name, records):
        """{record id: number of its calls}; empty for users without the call log."""
        if not self.has_access("read"):
            return {}
        groups = self._read_group([(field_name, "in", records.ids)], [field_name], ["__count"])
        return {record.id: count for record, count in groups}

    @api.depends("recording_url", "recording_ref")
    def _compute_has_recording(self):
        for call in self:
            call.has_recording = bool(call.recording_url or call.recording_ref)

    @api.depends("status")
    def _compute_is_final(self):
        for call in self:
            call.is_final = call.status in FINAL_STATUSES

    @api.depends("direction", "status")
    def _compute_is_missed(self):
        for call in self:
            call.is_missed = call.direction == "inbound" and call.status in MISSED_STATUSES

    @api.depends("status", "direction")
    def _compute_answer_rate(self):
        for call in self:
            answered = call.status == "answered"
            call.answered_count = int(answered)
            call.answer_rate = 100.0 if answered else 0.0

    @api.depends("direction", "client_number", "started_at")
    def _compute_display_name(self):
        labels = dict(self._fields["direction"]._description_selection(self.env))
        for call in self:
            call.display_name = " ".join(
                filter(None, [labels.get(call.direction), call.client_number or call.extension])
            ) or _("Call")

    def write(self, vals):
        if "summary" in vals:
            vals = dict(vals, summary_at=fields.Datetime.now() if vals["summary"] else False)
        res = super().write(vals)
        if vals.get("summary"):
            if not self.env.context.get("telephony_summary_posted"):
                self._post_summary()
            self._close_summary_activities()
            self.filtered(lambda c: c.direction == "outbound")._mark_missed_handled()
        return res

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_play_recording(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/crm_telephony/recording/{self.id}",
            "target": "new",
        }

    def action_open_lead(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # Numbers and caller matching
    # ------------------------------------------------------------

    @api.model
    def _normalize_number(self, number, country=None):
        """E.164 of a client number, or False for an extension (six digits or fewer)
        or what cannot be a phone number."""
        if not number:
            return False
        number = re.sub(r"^(sips?|tel):", "", str(number).strip()).split("@")[0]
        digits = re.sub(r"\D", "", number)
        if len(digits) <= EXTENSION_MAX_DIGITS:
            return False
        candidates = [number] if number.startswith("+") else [number, "+" + digits]
        for candidate in candidates:
            try:
                return phone_validation.phone_format(
                    candidate,
                    country.code if country else None,
                    country.phone_code if country else None,
                    force_format="E164",
                    raise_exception=True,
                )
            except UserError:
                continue
        return False

    @api.model
    def _find_client(self, e164, company=None):
        """The contact and the open deal that own a number (E.164).

        :returns: (res.partner, crm.lead) — each possibly empty
        """
        Lead = self.env["crm.lead"].with_context(active_test=True)
        Partner = self.env["res.partner"]
        if not e164:
            return Partner, Lead
        company_domain = [("company_id", "in", [False, company.id])] if company else []
        open_domain = [("stage_id.is_won", "=", False)]
        lead = Lead.search(
            [("phone_sanitized", "=", e164)] + open_domain + company_domain,
            order="id desc",
            limit=1,
        )
        partner = lead.partner_id or Partner.search(
            [("phone_sanitized", "=", e164)] + company_domain, order="id", limit=1
        )
        if partner and not lead:
            lead = Lead.search(
                [("partner_id", "child_of", partner.commercial_partner_id.id)]
                + open_domain
                + company_domain,
                order="id desc",
                limit=1,
            )
        return partner, lead

    # ------------------------------------------------------------
    # Merging PBX events
    # ------------------------------------------------------------

    @api.model
    def _upsert_events(self, connection, events):
        """Apply normalized call events of a connection: one call per provider call
        id, created at most once even by concurrent workers (unique constraint and
        INSERT ... ON CONFLICT), merged whatever the order of the events.

        :returns: the calls touched
        """
        calls = self.browse()
        for event in events:
            call = self._lock_or_insert(connection, event["provider_call_id"])
            call._merge_event(connection, event)
            calls |= call
        calls._after_merge()
        return calls

    @api.model
    def _lock_or_insert(self, connection, provider_call_id):
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (connection_id, provider_call_id, company_id, status,
                                       origin, active, final_done, recording_posted,
                                       create_uid, write_uid, create_date, write_date)
                VALUES (%(connection)s, %(call_id)s, %(company)s, 'ringing', 'pbx', TRUE,
                        FALSE, FALSE, %(uid)s, %(uid)s, %(now)s, %(now)s)
                ON CONFLICT (connection_id, provider_call_id) DO NOTHING
                RETURNING id
                """,
                table=SQL.identifier(self._table),
                connection=connection.id,
                call_id=provider_call_id,
                company=connection.company_id.id,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        row = self.env.cr.fetchone()
        if row:
            call = self.browse(row[0])
            for fname in ("client_number_e164", "is_final", "is_missed", "answered_count"):
                self.env.add_to_compute(self._fields[fname], call)
            self.env.add_to_compute(self._fields["answer_rate"], call)
            self.env.add_to_compute(self._fields["has_recording"], call)
            return call
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE connection_id = %s AND provider_call_id = %s "
                "FOR NO KEY UPDATE",
                SQL.identifier(self._table),
                connection.id,
                provider_call_id,
            )
        )
        return self.browse(self.env.cr.fetchone()[0])

    def _merge_event(self, connection, event):
        """Merge one event into the call: fill what is unknown, keep the earliest
        start and answer, the latest end, the longest durations and the most final
        status. Applying the same event twice changes nothing."""
        self.ensure_one()
        vals = {key: event[key] for key in FILL_KEYS if event.get(key) and not self[key]}
        for key in ("started_at", "answered_at"):
            if event.get(key) and (not self[key] or event[key] < self[key]):
                vals[key] = event[key]
        if event.get("ended_at") and (not self.ended_at or event["ended_at"] > self.ended_at):
            vals["ended_at"] = event["ended_at"]
        for key in ("duration", "talk_time"):
            if event.get(key) and event[key] > (self[key] or 0):
                vals[key] = event[key]
        status = event.get("status")
        if status and STATUS_RANK[status] > STATUS_RANK[self.status]:
            vals["status"] = status
        if not self.user_id:
            user = connection._user_for(
                event.get("extension") or self.extension, event.get("user_email")
            )
            if user:
                vals["user_id"] = user.id
        vals.update(self._merge_agent_and_final_say(connection, event))
        if vals:
            self.write(vals)

    def _merge_agent_and_final_say(self, connection, event):
        """What overrides first-value-wins (see ``adapters/common.py``): the agent who
        talked (``agent_extension``) replaces the ringing extension and its salesperson
        — from a live event only while the call is not over, from the PBX's final
        record (``final``) always — and a final record's direction and parties replace
        the guesses of the live events.

        :returns: the values to write
        """
        vals = {}
        final = event.get("final")
        if final:
            vals.update(
                {
                    key: event[key]
                    for key in ("direction", "client_number", "our_number")
                    if event.get(key) and event[key] != self[key]
                }
            )
        agent = event.get("agent_extension")
        if agent and (final or self.status not in FINAL_STATUSES):
            user = connection._user_for(agent)
            if agent != self.extension:
                vals["extension"] = agent
            if user != self.user_id:
                vals["user_id"] = user.id
        return vals

    def _after_merge(self):
        """What calls do to deals, once per call whatever the number of events."""
        self._match_clients()
        self._merge_click_attempts()
        self._set_first_contact()
        ending = self.filtered(lambda call: call.is_final and not call.final_done)
        if ending:
            ending.write({"final_done": True})
            ending.filtered("is_missed")._handle_missed()
            ending.filtered(
                lambda call: call.direction == "outbound" and call.status == "answered"
            )._mark_missed_handled()
            ending._post_call_message()
            ending.filtered(lambda call: call.status == "answered")._ask_for_summary()
        late_recordings = (self - ending).filtered(
            lambda call: call.final_done and call.has_recording and not call.recording_posted
        )
        late_recordings._post_recording_message()

    def _match_clients(self):
        for call in self.filtered(
            lambda c: c.client_number_e164 and c.direction != "internal" and not c.lead_id
        ):
            partner, lead = self._find_client(call.client_number_e164, call.company_id)
            vals = {}
            if lead:
                vals["lead_id"] = lead.id
            if partner and not call.partner_id:
                vals["partner_id"] = partner.id
            if vals:
                call.write(vals)

    def _merge_click_attempts(self):
        """A click-to-call attempt logged by the CRM and the PBX's record of the same
        call become one: the PBX call inherits the deal and the summary."""
        for call in self.filtered(
            lambda c: c.origin == "pbx" and c.direction == "outbound" and c.client_number_e164
        ):
            merged = self.with_context(active_test=False).search_count(
                [("merged_into_id", "=", call.id)], limit=1
            )
            if merged:
                continue
            started = call.started_at or fields.Datetime.now()
            domain = [
                ("origin", "=", "click"),
                ("merged_into_id", "=", False),
                ("client_number_e164", "=", call.client_number_e164),
                ("started_at", ">=", started - CLICK_MERGE_BEFORE),
                ("started_at", "<=", started + CLICK_MERGE_AFTER),
            ]
            if call.user_id:
                domain.append(("user_id", "=", call.user_id.id))
            attempt = self.search(domain, order="started_at desc", limit=1)
            if not attempt:
                continue
            vals = {"lead_id": attempt.lead_id.id or call.lead_id.id}
            if attempt.partner_id and not call.partner_id:
                vals["partner_id"] = attempt.partner_id.id
            if attempt.summary and not call.summary:
                vals["summary"] = attempt.summary
            call.with_context(telephony_summary_posted=True).write(vals)
            attempt.write({"merged_into_id": call.id, "active": False})

    def _set_first_contact(self):
        """R02: the first attempted or answered outbound call (or answered inbound
        call) to a deal is its first contact."""
        for call in self.filtered(
            lambda c: (
                c.lead_id
                and not c.lead_id.first_contact_at
                and (c.direction == "outbound" or c.status == "answered")
            )
        ):
            call.lead_id.first_contact_at = call.started_at or fields.Datetime.now()

    def _handle_missed(self):
        """R04: a missed call lands in Unsorted as a new deal (unknown number) or asks
        the deal's salesperson to call back (known client)."""
        unsorted = self.env.ref("crm_regulation.stage_unsorted")
        medium = self.env.ref("utm.utm_medium_phone", raise_if_not_found=False)
        call_back = self.env.ref("mail.mail_activity_data_call")
        for call in self.filtered("client_number_e164"):
            lead = call.lead_id
            pending = lead.activity_ids.filtered(
                lambda act: act.activity_type_id == call_back and act.telephony_call_id
            )
            if pending:
                continue
            if lead:
                lead.activity_schedule(
                    "mail.mail_activity_data_call",
                    date_deadline=fields.Date.context_today(call),
                    summary=_("Call back %(number)s", number=call.client_number_e164),
                    user_id=(lead.user_id or call.user_id or self.env.user).id,
                    telephony_call_id=call.id,
                )
                continue
            lead = self.env["crm.lead"].create(
                {
                    "name": _("Missed call from %(number)s", number=call.client_number_e164),
                    "type": "opportunity",
                    "stage_id": unsorted.id,
                    "phone": call.client_number_e164,
                    "partner_id": call.partner_id.id,
                    "medium_id": medium.id if medium else False,
                    "user_id": False,
                    "company_id": call.company_id.id,
                }
            )
            call.lead_id = lead

    def _mark_missed_handled(self):
        """R04: an answered or logged outbound call handles the earlier missed inbound
        calls from the same number, and closes their call-back activities."""
        handled_ids = []
        for call in self.filtered("client_number_e164"):
            when = call.answered_at or call.started_at or fields.Datetime.now()
            self.flush_model()
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE %(table)s SET callback_call_id = %(call)s, handled_at = %(when)s
                     WHERE is_missed AND handled_at IS NULL AND company_id = %(company)s
                       AND client_number_e164 = %(number)s
                       AND (started_at IS NULL OR started_at <= %(when)s)
                 RETURNING id
                    """,
                    table=SQL.identifier(self._table),
                    call=call.id,
                    when=when,
                    company=call.company_id.id,
                    number=call.client_number_e164,
                )
            )
            handled_ids += [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_model(["callback_call_id", "handled_at"])
        if handled_ids:
            call_back = self.env.ref("mail.mail_activity_data_call")
            activities = self.env["mail.activity"].search(
                [
                    ("telephony_call_id", "in", handled_ids),
                    ("activity_type_id", "=", call_back.id),
                ]
            )
            activities.action_feedback(feedback=_("Called back."))

    # ------------------------------------------------------------
    # Chatter
    # ------------------------------------------------------------

    def _chatter_record(self):
        self.ensure_one()
        return self.lead_id or self.partner_id

    def _description_line(self):
        self.ensure_one()
        labels = dict(self._fields["status"]._description_selection(self.env))
        directions = dict(self._fields["direction"]._description_selection(self.env))
        parts = [
            directions.get(self.direction) or _("Call"),
            self.client_number_e164 or self.client_number or "",
            "—",
            labels[self.status],
        ]
        if self.talk_time:
            parts.append(format_duration(self.talk_time / 3600.0))
        if self.user_id:
            parts.append(f"({self.user_id.name})")
        return " ".join(part for part in parts if part)

    def _recording_link(self):
        return Markup('<p><a href="/crm_telephony/recording/%s" target="_blank">%s</a></p>') % (
            self.id,
            _("▶ Play the recording"),
        )

    def _post_call_message(self):
        for call in self:
            record = call._chatter_record()
            if not record:
                continue
            body = Markup("<p>%s</p>") % call._description_line()
            if call.has_recording:
                body += call._recording_link()
                call.recording_posted = True
            record.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                author_id=call.user_id.partner_id.id or None,
            )

    def _post_recording_message(self):
        for call in self:
            record = call._chatter_record()
            call.recording_posted = True
            if record:
                record.message_post(
                    body=Markup("<p>%s</p>") % call._description_line() + call._recording_link(),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )

    def _ask_for_summary(self):
        """R13: the salesperson of an answered call gets a "call summary" to-do on the
        deal; marking it done with a feedback writes the summary."""
        for call in self.filtered(lambda c: c.lead_id and c.user_id and not c.summary):
            call.lead_id.activity_schedule(
                "crm_telephony_sip.mail_activity_type_call_summary",
                date_deadline=fields.Date.context_today(call),
                summary=_(
                    "Write the summary of the call with %(number)s",
                    number=call.client_number_e164 or call.client_number,
                ),
                user_id=call.user_id.id,
                telephony_call_id=call.id,
            )

    def _close_summary_activities(self):
        summary_type = self.env.ref("crm_telephony_sip.mail_activity_type_call_summary")
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("telephony_call_id", "in", self.ids),
                    ("activity_type_id", "=", summary_type.id),
                ]
            )
        )
        activities.unlink()

    def _post_summary(self):
        for call in self:
            record = call._chatter_record()
            if record:
                record.sudo().message_post(
                    body=Markup("<p>%s</p><p>%s</p>")
                    % (_("Call summary: %(call)s", call=call._description_line()), call.summary),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                    author_id=self.env.user.partner_id.id,
                )

    # ------------------------------------------------------------
    # Click-to-call
    # ------------------------------------------------------------

    @api.model
    def _log_click_to_call(self, number, lead=None, partner=None):
        """Log a call the user starts from the CRM, before the PBX reports it."""
        lead = lead or self.env["crm.lead"]
        partner = partner or lead.partner_id
        call = self.create(
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
        return call

    def _recording_playable_url(self):
        """A URL the browser can play: the stored link, or one the provider's API
        gives for an expiring reference (asked with the connection's credentials)."""
        self.ensure_one()
        call = self.sudo()
        if not call.has_recording:
            return False
        connection = call.connection_id
        if not connection:
            return call.recording_url
        adapter = connection._adapter()
        if adapter.expiring_recordings or connection.recording_mode == "on_demand":
            return adapter.recording_url(connection, call)
        return call.recording_url
