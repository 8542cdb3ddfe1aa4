from odoo import api, fields, models
from odoo.tools import SQL

from ..adapters.common import FINAL_STATUSES
from ..tools import is_web_url
from .crm_telephony_call_followup import DEFER_FOLLOWUPS

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
# What an event fills when the call does not know it yet (first value wins)
FILL_KEYS = ("hangup_cause", "recording_url", "recording_ref")
# What an event fills, and the PBX's final record of the call replaces
PARTY_KEYS = ("direction", "client_number", "our_number")
# The columns of one event in the merge statement, with their SQL types
EVENT_COLUMNS = (
    ("connection_id", "int4"),
    ("provider_call_id", "varchar"),
    ("direction", "varchar"),
    ("client_number", "varchar"),
    ("client_number_e164", "varchar"),
    ("our_number", "varchar"),
    ("extension", "varchar"),
    ("agent", "varchar"),
    ("final", "boolean"),
    ("email_user_id", "int4"),
    ("started_at", "timestamp"),
    ("answered_at", "timestamp"),
    ("ended_at", "timestamp"),
    ("duration", "int4"),
    ("talk_time", "int4"),
    ("status", "varchar"),
    ("hangup_cause", "varchar"),
    ("recording_url", "varchar"),
    ("recording_ref", "varchar"),
)
# One event as a row of the merge statement
EVENT_ROW = "(" + ", ".join(f"%s::{sql_type}" for _name, sql_type in EVENT_COLUMNS) + ")"
# The columns the merge statement writes (besides the keys and the log columns), in
# the order of ``_merge_expressions``
MERGED_COLUMNS = (
    "direction",
    "client_number",
    "client_number_e164",
    "our_number",
    "extension",
    "user_id",
    "started_at",
    "answered_at",
    "ended_at",
    "duration",
    "talk_time",
    "status",
    "hangup_cause",
    "recording_url",
    "recording_ref",
)
# Stored computed fields of a call, written by the same statement (as their computes
# on ``crm.telephony.call`` do): ``test_telephony_queries`` checks both agree
COMPUTED_COLUMNS = ("has_recording", "is_final", "is_missed", "answered_count", "answer_rate")
# What the rest of the processing reads of a call: returned by the merge statement
# into the ORM cache, so that no query reads them again
RETURNED_FIELDS = (
    "provider_call_id",
    "company_id",
    "origin",
    "lead_id",
    "partner_id",
    "summary",
    "final_done",
    "recording_posted",
    "followup",
    *MERGED_COLUMNS,
    *COMPUTED_COLUMNS,
)


# The merge statement (``_merge_statement``): the static parts come from
# ``_build_merge_parts``, the rest from each batch
MERGE_STATEMENT = """
WITH ev (%(event_columns)s) AS (VALUES %(event_rows)s)
INSERT INTO crm_telephony_call AS call
       (connection_id, provider_call_id, company_id, provider, origin, active, final_done,
        recording_posted, create_uid, create_date, write_uid, write_date, %(all_columns)s)
SELECT ev.connection_id, ev.provider_call_id, %(company)s, %(provider)s, 'pbx', TRUE, FALSE,
       FALSE, %(uid)s, %(now)s, %(uid)s, %(now)s, m.*, %(computed)s
  FROM ev
  JOIN LATERAL (SELECT %(inserted)s FROM %(fresh)s) m ON TRUE
 ORDER BY ev.provider_call_id
    ON CONFLICT (connection_id, provider_call_id) DO UPDATE
   SET (%(all_columns)s, write_uid, write_date) = (
       SELECT m.*, %(computed)s,
              -- an event that changes nothing leaves the call as it was
              CASE WHEN ROW(m.*) IS DISTINCT FROM ROW(%(current)s)
                   THEN %(uid)s ELSE call.write_uid END,
              CASE WHEN ROW(m.*) IS DISTINCT FROM ROW(%(current)s)
                   THEN %(now)s ELSE call.write_date END
         FROM ev
         JOIN LATERAL (SELECT %(updated)s) m ON TRUE
        WHERE ev.provider_call_id = EXCLUDED.provider_call_id)
RETURNING call.id, %(returned)s
"""


class CrmTelephonyCallIngest(models.AbstractModel):
    """Ingestion: normalized PBX events become calls, one per provider call id, merged
    whatever the order of the events, with a constant number of queries per batch."""

    _name = "crm.telephony.call.ingest"
    _description = "Phone call: ingestion of PBX events"

    @api.model
    def _upsert_events(self, connection, events):
        """Apply normalized call events of a connection: one call per provider call
        id, created at most once even by concurrent workers, merged whatever the order
        of the events (``_merge_statement``: the rules of the merge), then what calls
        do to deals (``_after_merge``).

        One statement merges one event of each call of the batch: a batch with several
        events of one call takes as many statements as that call has events.

        :returns: the calls touched
        """
        rounds = []
        for event in events:
            seen = sum(
                1 for round_ in rounds if event["provider_call_id"] in round_
            )  # the number of earlier events of this call
            if seen == len(rounds):
                rounds.append({})
            rounds[seen][event["provider_call_id"]] = event
        email_users = self._users_by_email(connection, events)
        calls = self.browse()
        for round_ in rounds:
            calls |= self._merge_statement(connection, list(round_.values()), email_users)
        calls._after_merge()
        return calls

    @api.model
    def _users_by_email(self, connection, events):
        """{e-mail: user id} of the e-mail addresses the events name (rarely any)."""
        emails = {event["user_email"] for event in events if event.get("user_email")}
        return {email: connection._user_for(email=email).id for email in sorted(emails)}

    def _event_row(self, connection, event, email_users):
        """The SQL row of one event (``EVENT_COLUMNS``): empty values as NULL."""
        country = connection.default_country_code or None
        client_number = event.get("client_number") or None
        recording_url = event.get("recording_url")
        values = {
            "connection_id": connection.id,
            "provider_call_id": event["provider_call_id"],
            "client_number_e164": self._normalize_number(client_number, country) or None,
            "agent": event.get("agent_extension") or None,
            "final": bool(event.get("final")),
            "email_user_id": email_users.get(event.get("user_email")) or None,
            # played by redirecting to it: http(s) only
            "recording_url": recording_url if is_web_url(recording_url) else None,
        }
        return SQL(
            EVENT_ROW,
            *(
                values[name] if name in values else (event.get(name) or None)
                for name, _type in EVENT_COLUMNS
            ),
        )

    def _merge_expressions(self, cur):
        """SQL of the merged value of each of ``MERGED_COLUMNS``: the event ``ev``
        applied to the call ``cur`` (the existing row, or a new call that knows
        nothing yet). The rules: fill what is unknown; keep the earliest start and
        answer, the latest end, the longest durations and the most final status; the
        salesperson of the extension (or of the e-mail) when the call has none. Two
        keys say more (see ``adapters/common.py``): the agent who talked replaces the
        extension and its salesperson (from a live event only while the call is not
        over, from the PBX's final record always), and a final record's direction and
        parties replace the guesses of the live events. Applying an event twice
        changes nothing.
        """

        def col(name):
            return SQL("%s.%s", SQL.identifier(cur), SQL.identifier(name))

        def known(name):
            return SQL("NULLIF(%s, '')", col(name))

        def rank(expression):
            return SQL(
                "CASE %s %s END",
                expression,
                SQL(" ").join(
                    SQL("WHEN %s THEN %s", status, rank) for status, rank in STATUS_RANK.items()
                ),
            )

        def user_of(extension):
            return SQL(
                "(SELECT ext.user_id FROM crm_telephony_extension ext"
                " WHERE ext.connection_id = ev.connection_id AND ext.extension = %s)",
                extension,
            )

        final_statuses = SQL(", ").join(SQL("%s", status) for status in FINAL_STATUSES)
        agent_applies = SQL(
            "(ev.agent IS NOT NULL AND (ev.final OR %s NOT IN (%s)))", col("status"), final_statuses
        )
        client_number = SQL(
            "CASE WHEN ev.final AND ev.client_number IS NOT NULL THEN ev.client_number"
            " ELSE COALESCE(%s, ev.client_number) END",
            known("client_number"),
        )
        expressions = {
            name: SQL(
                "CASE WHEN ev.final AND ev.%s IS NOT NULL THEN ev.%s ELSE COALESCE(%s, ev.%s) END",
                SQL.identifier(name),
                SQL.identifier(name),
                known(name),
                SQL.identifier(name),
            )
            for name in PARTY_KEYS
        }
        expressions.update(
            {
                name: SQL("COALESCE(%s, ev.%s)", known(name), SQL.identifier(name))
                for name in FILL_KEYS
            }
        )
        expressions.update(
            {
                # the E.164 of the number the call keeps
                "client_number_e164": SQL(
                    "CASE WHEN %s IS DISTINCT FROM %s THEN ev.client_number_e164 ELSE %s END",
                    client_number,
                    col("client_number"),
                    col("client_number_e164"),
                ),
                "extension": SQL(
                    "CASE WHEN %s THEN ev.agent ELSE COALESCE(%s, ev.extension) END",
                    agent_applies,
                    known("extension"),
                ),
                "user_id": SQL(
                    "CASE WHEN %s THEN %s ELSE COALESCE(%s, %s, ev.email_user_id) END",
                    agent_applies,
                    user_of(SQL("ev.agent")),
                    col("user_id"),
                    user_of(SQL("COALESCE(ev.extension, %s)", known("extension"))),
                ),
                "started_at": SQL("LEAST(%s, ev.started_at)", col("started_at")),
                "answered_at": SQL("LEAST(%s, ev.answered_at)", col("answered_at")),
                "ended_at": SQL("GREATEST(%s, ev.ended_at)", col("ended_at")),
                "duration": SQL(
                    "CASE WHEN ev.duration > COALESCE(%s, 0) THEN ev.duration ELSE %s END",
                    col("duration"),
                    col("duration"),
                ),
                "talk_time": SQL(
                    "CASE WHEN ev.talk_time > COALESCE(%s, 0) THEN ev.talk_time ELSE %s END",
                    col("talk_time"),
                    col("talk_time"),
                ),
                "status": SQL(
                    "CASE WHEN %s > %s THEN ev.status ELSE %s END",
                    rank(SQL("ev.status")),
                    rank(col("status")),
                    col("status"),
                ),
            }
        )
        return [expressions[name] for name in MERGED_COLUMNS]

    @staticmethod
    def _computed_expressions():
        """SQL of ``COMPUTED_COLUMNS`` from the merged row ``m``, as the computes of
        ``crm.telephony.call`` compute them."""
        finals = SQL(", ").join(SQL("%s", status) for status in FINAL_STATUSES)
        missed = SQL(", ").join(SQL("%s", status) for status in MISSED_STATUSES)
        return [
            SQL("(COALESCE(m.recording_url, '') <> '' OR COALESCE(m.recording_ref, '') <> '')"),
            SQL("COALESCE(m.status IN (%s), FALSE)", finals),
            SQL("COALESCE(m.direction = 'inbound' AND m.status IN (%s), FALSE)", missed),
            SQL("CASE WHEN m.status = 'answered' THEN 1 ELSE 0 END"),
            SQL("CASE WHEN m.status = 'answered' THEN 100.0 ELSE 0.0 END"),
        ]

    @api.model
    def _merge_statement(self, connection, events, email_users):
        """Merge one event of each call (``events``: distinct provider call ids) in
        one statement: ``INSERT … ON CONFLICT … DO UPDATE … RETURNING``. A new call is
        inserted with the event merged into it; an existing one is locked (rows taken
        in provider call id order: one lock order for every worker), then updated with
        the event merged into its latest committed values (READ COMMITTED, see
        ``crm.telephony.event._process_now``). The calls come back into the ORM cache.

        :returns: the calls
        """
        if not events:
            return self.browse()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                MERGE_STATEMENT,
                **self._merge_parts(),
                event_rows=SQL(", ").join(
                    self._event_row(connection, event, email_users) for event in events
                ),
                company=connection.company_id.id,
                provider=connection.provider,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        return self._cache_rows(
            self.env.cr.fetchall(), [self._fields[name] for name in RETURNED_FIELDS]
        )

    @api.model
    def _merge_parts(self):
        """The parts of ``MERGE_STATEMENT`` that are the same for every batch, built
        once per process."""
        cls = type(self)
        if "_merge_parts_built" not in cls.__dict__:
            cls._merge_parts_built = self._build_merge_parts()
        return cls._merge_parts_built

    @api.model
    def _build_merge_parts(self):
        def names(columns):
            return SQL(", ").join(SQL.identifier(name) for name in columns)

        def aliased(cur):
            return SQL(", ").join(
                SQL("%s AS %s", expression, SQL.identifier(name))
                for expression, name in zip(
                    self._merge_expressions(cur), MERGED_COLUMNS, strict=True
                )
            )

        # what a call knows before its first event
        fresh = SQL(
            "(SELECT NULL::varchar AS direction, NULL::varchar AS client_number,"
            " NULL::varchar AS client_number_e164, NULL::varchar AS our_number,"
            " NULL::varchar AS extension, NULL::int4 AS user_id,"
            " NULL::timestamp AS started_at, NULL::timestamp AS answered_at,"
            " NULL::timestamp AS ended_at, NULL::int4 AS duration, NULL::int4 AS talk_time,"
            " 'ringing'::varchar AS status, NULL::varchar AS hangup_cause,"
            " NULL::varchar AS recording_url, NULL::varchar AS recording_ref) fresh"
        )
        current = SQL(", ").join(SQL("call.%s", SQL.identifier(name)) for name in MERGED_COLUMNS)
        return {
            "event_columns": names(name for name, _type in EVENT_COLUMNS),
            "all_columns": names(MERGED_COLUMNS + COMPUTED_COLUMNS),
            "computed": SQL(", ").join(self._computed_expressions()),
            "inserted": aliased("fresh"),
            "fresh": fresh,
            "updated": aliased("call"),
            "current": current,
            "returned": SQL(", ").join(
                SQL("call.%s", SQL.identifier(name)) for name in RETURNED_FIELDS
            ),
        }

    def _cache_rows(self, rows, fields_):
        """The records of ``rows`` (id first, then the values of ``fields_``) with
        those values in the ORM cache, replacing what it had."""
        if not rows:
            return self.browse()
        columns = list(zip(*rows, strict=True))
        records = self.browse(columns[0])
        records.invalidate_recordset([field.name for field in fields_])
        for field, values in zip(fields_, columns[1:], strict=True):
            self.env.cache.insert_missing(records, field, values)
        return records

    def _after_merge(self):
        """What calls do to deals, once per call whatever the number of events: the
        call's deal and contact, the click-to-call attempt it is, the deal's first
        contact and the missed calls it handles (what the rules read) at once; the
        rest (``_follow_up``, the call-back to-dos it closes, its notes) at once too,
        or, when a PBX request is processed (context key ``DEFER_FOLLOWUPS``), by the
        follow-up job."""
        self._match_clients()
        self._merge_click_attempts()
        self._set_first_contact()
        ending = self.filtered(lambda call: call.is_final and not call.final_done)
        late_recordings = (self - ending).filtered(
            lambda call: (
                call.final_done
                and call.has_recording
                and not call.recording_posted
                and not call.followup
            )  # the job posts it (with the call's note if due)
        )
        callers = ending.filtered(
            lambda call: call.direction == "outbound" and call.status == "answered"
        )._mark_missed_handled()
        if self.env.context.get(DEFER_FOLLOWUPS):
            deferred = ending._with_followup_work() | callers | late_recordings
            # (a recording that comes while its call is due goes with the call's note)
            (ending | late_recordings)._set_flags(ending, deferred)
            return
        ending._follow_up()
        callers._close_call_back_activities()
        ending._post_call_message()
        late_recordings._post_recording_message()
        (ending | late_recordings)._set_flags(ending)

    def _set_flags(self, ending, deferred=None):
        """``final_done`` on the calls that ended, and either ``recording_posted`` on
        those whose recording was posted, or what the follow-up job has to write for
        the calls ``deferred`` to it (``followup``) and a wake-up of the job: one
        statement."""
        if not self:
            return
        posted = self.browse()
        if deferred is None:
            posted = self.filtered("has_recording").filtered(
                lambda call: call._chatter_record() or call in self - ending
            )
        deferred = deferred or self.browse()
        flags = SQL(
            """UPDATE crm_telephony_call
                  SET final_done = final_done OR id = ANY(%(ending)s),
                      recording_posted = recording_posted OR id = ANY(%(posted)s),
                      followup = CASE WHEN NOT id = ANY(%(deferred)s) THEN followup
                                      WHEN id = ANY(%(ending)s) THEN 'call'
                                      ELSE COALESCE(followup, 'recording') END
                WHERE id = ANY(%(ids)s)""",
            ending=ending.ids,
            posted=posted.ids,
            deferred=deferred.ids,
            ids=self.ids,
        )
        self.flush_model()
        if not deferred:
            self.env.cr.execute(flags)
        else:
            wake_up, pending = self._wake_up_statements()
            self.env.cr.execute(
                SQL(
                    "WITH wake_up AS (%s RETURNING id), flags AS (%s RETURNING id) %s",
                    wake_up,
                    flags,
                    pending,
                )
            )
            self._notify_unless_pending(self.env.cr.fetchone()[0])
        self.invalidate_recordset(["final_done", "recording_posted", "followup"])
