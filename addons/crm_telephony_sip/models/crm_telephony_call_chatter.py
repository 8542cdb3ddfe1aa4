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
        """The salesperson of an answered call gets a "call summary" to-do on the deal;
        marking it done with a feedback writes the summary."""
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
