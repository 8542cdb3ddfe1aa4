from collections import defaultdict

from markupsafe import Markup

from odoo import _, fields, models
from odoo.tools import format_duration


class CrmTelephonyCallChatter(models.AbstractModel):
    """Chatter: an ended call is logged on its deal (or contact) with its recording,
    an answered call asks for a written summary, and the summary is posted."""

    _name = "crm.telephony.call.chatter"
    _description = "Phone call: chatter"

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
        """Log each ended call on its deal (or contact), as its salesperson, with its
        recording: the messages of a batch are created together. The call's
        ``recording_posted`` is set by the caller (``_set_flags``)."""
        self._log_on_records(
            [
                (
                    call,
                    Markup("<p>%s</p>") % call._description_line()
                    + (call._recording_link() if call.has_recording else ""),
                    call.user_id.partner_id.id or None,
                )
                for call in self
                if call._chatter_record()
            ]
        )

    def _post_recording_message(self):
        self._log_on_records(
            [
                (
                    call,
                    Markup("<p>%s</p>") % call._description_line() + call._recording_link(),
                    None,
                )
                for call in self
                if call._chatter_record()
            ]
        )

    def _log_on_records(self, messages):
        """Post notes (``(call, body, author partner id)``) on the calls' deals or
        contacts: one creation per kind of record and author (and per repeat of a
        record in the batch), as ``message_post`` would post them, without notifying
        anyone (notes)."""
        groups = defaultdict(list)
        for call, body, author_id in messages:
            record = call._chatter_record()
            if record:
                groups[(record._name, author_id)].append((record.id, body))
        for (model, author_id), items in groups.items():
            while items:
                bodies, rest = {}, []
                for record_id, body in items:
                    if record_id in bodies:
                        rest.append((record_id, body))
                    else:
                        bodies[record_id] = body
                self.env[model].browse(list(bodies))._message_log_batch(
                    bodies, author_id=author_id, message_type="comment"
                )
                items = rest

    def _ask_for_summary(self):
        """The salesperson of an answered call gets a "call summary" to-do on the deal;
        marking it done with a feedback writes the summary. The to-dos of a batch are
        created together (as ``activity_schedule`` creates them)."""
        calls = self.filtered(lambda c: c.lead_id and c.user_id and not c.summary)
        if not calls or self.env.context.get("mail_activity_automation_skip"):
            return
        summary_type = self._summary_activity_type()
        model_id = self.env["ir.model"]._get_id("crm.lead")
        self.env["mail.activity"].create(
            [
                {
                    "activity_type_id": summary_type.id,
                    "summary": self.env._(
                        "Write the summary of the call with %(number)s",
                        number=call.client_number_e164 or call.client_number,
                    ),
                    "automated": True,
                    "note": summary_type.default_note,
                    "date_deadline": fields.Date.context_today(call),
                    "res_model_id": model_id,
                    # what mail.activity computes from the deal and the salesperson,
                    # given here so that the row is inserted whole (no UPDATE after it)
                    "res_model": "crm.lead",
                    "res_name": call.lead_id.display_name,
                    "user_tz": call.user_id.tz,
                    "date_done": False,
                    "res_id": call.lead_id.id,
                    "user_id": call.user_id.id,
                    "telephony_call_id": call.id,
                }
                for call in calls
            ]
        )

    def _summary_activity_type(self):
        """The "call summary" activity type, from the registry's cache of data records
        (``env.ref`` would check that it exists: one query)."""
        return self.env["mail.activity.type"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(
                "crm_telephony_sip.mail_activity_type_call_summary", raise_if_not_found=True
            )
        )

    def _close_summary_activities(self):
        summary_type = self._summary_activity_type()
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
        """Post the summary on the call's deal (or contact), as its writer, only when
        the writer can read that deal: a summary never reaches a deal they cannot see."""
        for call in self:
            record = call._chatter_record()
            if record and record.has_access("read"):
                record.sudo().message_post(
                    body=Markup("<p>%s</p><p>%s</p>")
                    % (_("Call summary: %(call)s", call=call._description_line()), call.summary),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                    author_id=self.env.user.partner_id.id,
                )
