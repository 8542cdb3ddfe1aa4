from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.crm_phone_base.tools.compat import sql_constraints

from ..adapters.common import FINAL_STATUSES
from ..tools import is_web_url

MISSED_STATUSES = ("no_answer", "busy", "failed", "cancelled")
# Calls are facts reported by the PBX: besides Sales administrators, people write only
# what they say about a call.
SALESMAN_WRITABLE = {"summary"}


def format_seconds(seconds):
    """Seconds as a clock reading: "09:24" under an hour, "1:02:05" from an hour on;
    "" when unknown (no seconds widget for integers in Odoo 18's web client)."""
    if not seconds:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


@sql_constraints
class CrmTelephonyCall(models.Model):
    """A call of the call log. What calls do is split by concern, one mixin each:
    ingestion of PBX events (``crm.telephony.call.ingest``), client lookup
    (``.lookup``), missed calls (``.missed``), chatter (``.chatter``), follow-ups
    (``.followup``) and click-to-call (``.click``)."""

    _name = "crm.telephony.call"
    _inherit = [
        "crm.telephony.call.ingest",
        "crm.telephony.call.lookup",
        "crm.telephony.call.missed",
        "crm.telephony.call.chatter",
        "crm.telephony.call.followup",
        "crm.telephony.call.click",
    ]
    _description = "Phone call"
    _order = "started_at desc, id desc"

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
    duration = fields.Integer("Duration (s)", help="Seconds from start to hang-up.")
    talk_time = fields.Integer("Talk time (s)", help="Seconds of conversation.")
    duration_display = fields.Char(
        "Duration",
        compute="_compute_times_display",
        help="From start to hang-up, as mm:ss (h:mm:ss from an hour).",
    )
    talk_time_display = fields.Char(
        "Talk time",
        compute="_compute_times_display",
        help="Conversation, as mm:ss (h:mm:ss from an hour).",
    )
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

    @api.depends("duration", "talk_time")
    def _compute_times_display(self):
        for call in self:
            call.duration_display = format_seconds(call.duration)
            call.talk_time_display = format_seconds(call.talk_time)

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
        self._check_writable(vals)
        if "summary" in vals:
            vals = dict(vals, summary_at=fields.Datetime.now() if vals["summary"] else False)
        res = super().write(vals)
        if vals.get("summary"):
            if not self.env.context.get("telephony_summary_posted"):
                self._post_summary()
            self._close_summary_activities()
            self.filtered(
                lambda c: c.direction == "outbound"
            )._mark_missed_handled()._close_call_back_activities()
        return res

    def _check_writable(self, vals):
        """Salespeople write the summary of calls they can see (record rules); the rest
        of a call (status, times, handled, deal, salesperson) comes from the PBX."""
        if self.env.su or self.env.user.has_group("sales_team.group_sale_manager"):
            return
        forbidden = set(vals) - SALESMAN_WRITABLE
        if forbidden:
            raise AccessError(
                _(
                    "Calls come from the PBX: only their summary can be written, not %s.",
                    ", ".join(sorted(forbidden)),
                )
            )

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

    def _recording_playable_url(self):
        """A URL the browser can play: the stored link, or one the provider's API
        gives for an expiring reference (asked with the connection's credentials);
        False unless it is an http(s) URL (the player redirects to it)."""
        self.ensure_one()
        call = self.sudo()
        if not call.has_recording:
            return False
        connection = call.connection_id
        url = call.recording_url
        if connection:
            adapter = connection._adapter()
            if adapter.expiring_recordings or connection.recording_mode == "on_demand":
                url = adapter.recording_url(connection, call)
        return url if is_web_url(url) else False
