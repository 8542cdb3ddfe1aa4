from odoo import api, fields, models
from odoo.tools import SQL

from ..adapters.common import FINAL_STATUSES
from ..tools import is_web_url

STATUS_RANK = {
    "ringing": 0,
    "in_progress": 1,
    "no_answer": 2,
    "busy": 2,
    "failed": 2,
    "cancelled": 2,
    "answered": 3,
}
FILL_KEYS = (
    "direction",
    "client_number",
    "our_number",
    "extension",
    "hangup_cause",
    "recording_url",
    "recording_ref",
)
# Columns a new call row needs at once (NOT NULL): the rest comes from the events.
INSERT_DEFAULTS = ("status", "origin", "active")


class CrmTelephonyCallIngest(models.AbstractModel):
    """Ingestion: normalized PBX events become calls, one per provider call id, merged
    whatever the order of the events, with a constant number of queries per batch."""

    _name = "crm.telephony.call.ingest"
    _description = "Phone call: ingestion of PBX events"

    @api.model
    def _upsert_events(self, connection, events):
        """Apply normalized call events of a connection: one call per provider call
        id, created at most once even by concurrent workers (unique constraint and
        INSERT ... ON CONFLICT), merged whatever the order of the events.

        :returns: the calls touched
        """
        by_call_id = self._lock_or_insert(
            connection, [event["provider_call_id"] for event in events]
        )
        calls = self.browse()
        for event in events:
            call = by_call_id[event["provider_call_id"]]
            call._merge_event(connection, event)
            calls |= call
        calls._after_merge()
        return calls

    @api.model
    def _lock_or_insert(self, connection, provider_call_ids):
        """The calls of these provider call ids, created when new and locked for this
        transaction either way: two statements whatever their number.

        :returns: {provider call id: call}
        """
        call_ids = sorted(set(provider_call_ids))  # one lock order for every worker
        if not call_ids:
            return {}
        self.flush_model()
        table = SQL.identifier(self._table)
        defaults = self.default_get(list(INSERT_DEFAULTS))
        now, uid = fields.Datetime.now(), self.env.uid
        values = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                connection.id,
                call_id,
                connection.company_id.id,
                defaults["status"],
                defaults["origin"],
                defaults["active"],
                uid,
                uid,
                now,
                now,
            )
            for call_id in call_ids
        )
        self.env.cr.execute(
            SQL(
                """INSERT INTO %(table)s (connection_id, provider_call_id, company_id, status,
                                          origin, active, create_uid, write_uid, create_date,
                                          write_date)
                   VALUES %(values)s
                   ON CONFLICT (connection_id, provider_call_id) DO NOTHING
                   RETURNING id, provider_call_id""",
                table=table,
                values=values,
            )
        )
        rows = self.env.cr.fetchall()
        self._compute_stored_fields(self.browse([record_id for record_id, _call_id in rows]))
        created = {call_id for _record_id, call_id in rows}
        existing = [call_id for call_id in call_ids if call_id not in created]
        if existing:
            self.env.cr.execute(
                SQL(
                    """SELECT id, provider_call_id FROM %s
                        WHERE connection_id = %s AND provider_call_id = ANY(%s)
                        ORDER BY provider_call_id FOR NO KEY UPDATE""",
                    table,
                    connection.id,
                    existing,
                )
            )
            rows += self.env.cr.fetchall()
        # one recordset: reading a field of a call reads it for the whole batch
        calls = self.browse([record_id for record_id, _call_id in rows])
        by_record_id = {call.id: call for call in calls}
        return {call_id: by_record_id[record_id] for record_id, call_id in rows}

    @api.model
    def _compute_stored_fields(self, calls):
        """Rows inserted in SQL get their stored computed fields as the ORM would."""
        for field in self._fields.values():
            if field.store and field.compute:
                self.env.add_to_compute(field, calls)

    def _merge_event(self, connection, event):
        """Merge one event into the call: fill what is unknown, keep the earliest
        start and answer, the latest end, the longest durations and the most final
        status. Applying the same event twice changes nothing."""
        self.ensure_one()
        vals = {key: event[key] for key in FILL_KEYS if event.get(key) and not self[key]}
        if "recording_url" in vals and not is_web_url(vals["recording_url"]):
            del vals["recording_url"]  # played by redirecting to it: http(s) only
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
