import json
import logging
from contextlib import contextmanager

from psycopg2 import errors
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED, TRANSACTION_STATUS_IDLE

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from ..adapters.common import TelephonyError
from ..tools import cache_values, cached_values
from .crm_telephony_call_followup import DEFER_FOLLOWUPS

_logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A request carries at most this many call events (a bigger batch is refused as
# malformed), processed this many at a time.
MAX_EVENTS = 500
CHUNK_EVENTS = 100
# Retention of the journal (Settings → CRM → Telephony), in days
KEEP_DONE_DAYS_PARAM = "crm_telephony_sip.journal_keep_days"
KEEP_FAILED_DAYS_PARAM = "crm_telephony_sip.failed_keep_days"
DEFAULT_KEEP_DONE_DAYS = 90
DEFAULT_KEEP_FAILED_DAYS = 365
CONCURRENCY_TRIES = 2
CONCURRENCY_ERRORS = (
    errors.SerializationFailure,
    errors.UniqueViolation,
    errors.DeadlockDetected,
    errors.LockNotAvailable,
)


def _read_committed(cr):
    """Run the transaction a new cursor starts at READ COMMITTED (the next cursor on
    the pooled connection is set back to REPEATABLE READ by Odoo). A cursor inside a
    running transaction (tests) is left alone: changing the level would end it."""
    connection = cr.connection
    if connection.info.transaction_status == TRANSACTION_STATUS_IDLE:
        connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)


class CrmTelephonyEvent(models.Model):
    """The journal: every PBX request, stored before it is processed."""

    _name = "crm.telephony.event"
    _description = "PBX request journal"
    _order = "received_at desc, id desc"
    _rec_name = "received_at"

    connection_id = fields.Many2one(
        "crm.telephony.connection", required=True, ondelete="cascade", index=True
    )
    provider = fields.Selection(related="connection_id.provider")
    received_at = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    remote_addr = fields.Char("Sender address", readonly=True)
    headers = fields.Text(readonly=True, help="The request headers that matter, as JSON.")
    body = fields.Text(readonly=True)
    state = fields.Selection(
        [
            ("received", "Received"),
            ("done", "Processed"),
            ("failed", "Failed"),
            ("invalid", "Malformed"),
            ("rejected", "Refused"),
        ],
        default="received",
        required=True,
        index=True,
        readonly=True,
    )
    error = fields.Text(readonly=True)
    attempts = fields.Integer(readonly=True)
    processed_at = fields.Datetime(readonly=True)
    call_ids = fields.Many2many("crm.telephony.call", string="Calls", readonly=True)

    @api.model
    def _journal(self, connection, data, payload, state="received", error=False, attempts=0):
        """Store the request in its own transaction, committed at once: one statement.

        :param attempts: 1 for a request processed right after (``_process_now(
            counted=True)``): its first attempt is counted in the same transaction
            instead of a transaction of its own
        :returns: the journal row, its values in the ORM cache
        """
        with self.env.registry.cursor() as cr:
            return self._journal_in(cr, connection, data, payload, state, error, attempts)

    @api.model
    def _journal_in(self, cr, connection, data, payload, state="received", error=False, attempts=0):
        """Store the request with the transaction of ``cr`` (the caller commits it):
        one statement. See ``_journal``."""
        values = self._journal_values(connection, data, payload)
        values.update(state=state, error=error or None, attempts=attempts)
        cr.execute(
            SQL(
                """INSERT INTO %(table)s (%(columns)s, create_uid, create_date, write_uid,
                                          write_date)
                   VALUES (%(values)s, %(uid)s, %(now)s, %(uid)s, %(now)s)
                   RETURNING id""",
                table=SQL.identifier(self._table),
                columns=SQL(", ").join(SQL.identifier(name) for name in values),
                values=SQL(", ").join(SQL("%s", value) for value in values.values()),
                uid=SUPERUSER_ID,
                now=values["received_at"],
            )
        )
        [event_id] = cr.fetchone()
        return cache_values(self.browse(event_id), values)

    def _journal_values(self, connection, data, payload):
        """The columns of a journal row for a request (extended by other files)."""
        adapter = connection._adapter()
        names = ("content-type", "user-agent", "x-forwarded-for") + adapter.journal_headers
        headers = {name: data.header(name) for name in names if data.header(name)}
        return {
            "connection_id": connection.id,
            "received_at": fields.Datetime.now(),
            "remote_addr": data.remote_addr or None,
            "headers": json.dumps(headers, sort_keys=True),
            "body": payload or None,
        }

    def _process_now(self, counted=False):
        """Process the events in a transaction of their own. A malformed body answers
        400; any other failure stays in the journal for the retry cron and answers 202.
        The calls, the journal's ``done`` state and its calls are written by that one
        transaction: one commit.

        The transaction runs at READ COMMITTED: the merge statement of
        ``crm.telephony.call._upsert_events`` locks the rows of the request's calls
        first, so the events of one call wait for each other instead of failing a
        REPEATABLE READ snapshot (which Odoo answers with retries that sleep inside the
        worker); each statement then sees what the previous holder of the lock
        committed. A conflict that still happens (a deadlock with another call of the
        same deal) is tried once more at once, then left to the cron — no sleeping.

        :param counted: the attempt was already counted (when journaled)
        :returns: (HTTP status, JSON-able dict)
        """
        # counted before the work: a worker killed while processing (time limit) still
        # used one of the MAX_ATTEMPTS, and the cron gives up after the last one
        if not counted:
            self._count_attempt()
        return self._process_attempts(self._own_transaction)

    def _process_in_request(self):
        """Process the events of a PBX request in the request's own transaction, the
        one that journaled them (``crm.telephony.connection._telephony_receive``): it
        is committed first, so that the journal row is kept whatever happens next (a
        failure, a worker killed at its time limit: the retry cron takes the row up),
        then the processing runs in the same cursor, from a transaction at READ
        COMMITTED (see ``_process_now``), and is committed with the request. One
        cursor and one transaction less per request than ``_process_now``; a failure
        rolls the processing back and marks the row in the same cursor. The deals and
        to-dos of ended calls are left to the follow-up job (``DEFER_FOLLOWUPS``).

        :returns: (HTTP status, JSON-able dict)
        """
        return self._process_attempts(self._request_transaction, {DEFER_FOLLOWUPS: True})

    def _process_attempts(self, transaction, context=None):
        """Process the events in ``transaction()`` (a context manager giving a cursor
        whose changes are kept when the block ends and dropped when it raises), tried
        again once at once on a concurrency conflict; a failure marks the rows in a
        ``transaction()`` too. ``context``: the processing's context.

        :returns: (HTTP status, JSON-able dict)
        """
        # what this request has read already is not read again: carried into the
        # processing's transaction (a commit empties the cache)
        records = list(self)
        for event in self:
            if self.env.cache.contains(event, self._fields["connection_id"]):
                records.append(event.connection_id)
        carried = [(record, cached_values(record)) for record in records]
        for attempt in range(1, CONCURRENCY_TRIES + 1):
            try:
                with transaction() as cr:
                    _read_committed(cr)
                    env = api.Environment(cr, SUPERUSER_ID, context or {})
                    for record, values in carried:
                        cache_values(record.with_env(env), values)
                    call_ids = self.with_env(env)._process()
                return 200, {"status": "ok", "calls": call_ids}
            except CONCURRENCY_ERRORS as exc:
                _logger.info(
                    "Telephony events %s: concurrent update (%s), attempt %s",
                    self.ids,
                    exc.__class__.__name__,
                    attempt,
                )
            except TelephonyError as exc:
                self._failed("invalid", exc.reason, transaction)
                return exc.status, {"error": exc.reason}
            except Exception as exc:
                _logger.info("Telephony events %s failed, kept for retry", self.ids, exc_info=True)
                self._failed("failed", str(exc) or exc.__class__.__name__, transaction)
                return 202, {"status": "queued"}
        self._failed("failed", "Concurrent updates: retried later.", transaction)
        return 202, {"status": "queued"}

    @contextmanager
    def _own_transaction(self):
        """A transaction of its own, committed at the end of the block."""
        with self.env.registry.cursor() as cr:
            yield cr

    @contextmanager
    def _request_transaction(self):
        """The transaction of ``self.env.cr`` after committing what it has (the journal
        row), rolled back when the block raises; its changes are committed by the
        caller (Odoo, at the end of the request). Only for the PBX endpoint's own
        transaction (``_process_in_request``): the commit is what keeps the journal row
        of a request whose processing fails or is killed."""
        cr = self.env.cr
        cr.commit()  # pylint: disable=invalid-commit
        try:
            yield cr
            cr.flush()
        except Exception:
            cr.rollback()
            raise

    def _count_attempt(self):
        with self.env.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "UPDATE %s SET attempts = coalesce(attempts, 0) + 1 WHERE id = ANY(%s)",
                    SQL.identifier(self._table),
                    self.ids,
                )
            )
        self.invalidate_recordset(["attempts"])

    def _failed(self, state, error, transaction):
        with transaction() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env[self._name].browse(self.ids).write({"state": state, "error": error})

    def _process(self):
        """Turn the journaled requests into calls (in the current transaction), then
        mark them done with their calls: one statement for the journal.

        :returns: the ids of the calls they touched
        """
        Call = self.env["crm.telephony.call"]
        calls_of = {}
        for event in self:
            connection = event.connection_id
            call_events = connection._adapter().parse(connection, event.body, event.received_at)
            if len(call_events) > MAX_EVENTS:
                raise TelephonyError(
                    f"Too many call events in one request ({len(call_events)}, at most "
                    f"{MAX_EVENTS}): send them in several requests.",
                    413,
                )
            calls = Call.browse()
            for chunk in split_every(CHUNK_EVENTS, call_events, list):
                calls |= Call._upsert_events(connection, chunk)
            calls_of[event.id] = calls.ids
        self.env.flush_all()
        self._mark_done(calls_of)
        return [call_id for call_ids in calls_of.values() for call_id in call_ids]

    def _mark_done(self, calls_of):
        """The requests are done, and their calls are ``calls_of[event id]`` (set, as
        ``Command.set``): one statement."""
        rel = self._fields["call_ids"]
        pairs = [(event_id, call_id) for event_id, ids in calls_of.items() for call_id in ids]
        self.env.cr.execute(
            SQL(
                """
                WITH done AS (
                    UPDATE %(table)s
                       SET state = 'done', error = NULL, processed_at = %(now)s,
                           write_uid = %(uid)s, write_date = %(now)s
                     WHERE id = ANY(%(ids)s)),
                gone AS (
                    DELETE FROM %(rel)s
                     WHERE %(event_col)s = ANY(%(ids)s)
                       AND (%(event_col)s, %(call_col)s) NOT IN (
                           SELECT * FROM unnest(%(event_ids)s::int[], %(call_ids)s::int[])))
                INSERT INTO %(rel)s (%(event_col)s, %(call_col)s)
                SELECT * FROM unnest(%(event_ids)s::int[], %(call_ids)s::int[])
                    ON CONFLICT DO NOTHING
                """,
                table=SQL.identifier(self._table),
                now=fields.Datetime.now(),
                uid=self.env.uid,
                ids=self.ids,
                rel=SQL.identifier(rel.relation),
                event_col=SQL.identifier(rel.column1),
                call_col=SQL.identifier(rel.column2),
                event_ids=[pair[0] for pair in pairs],
                call_ids=[pair[1] for pair in pairs],
            )
        )
        self.invalidate_recordset(["state", "error", "processed_at", "call_ids"])

    def action_reprocess(self):
        if self.filtered(lambda event: event.state in ("rejected", "done")):
            raise UserError(_("Only failed or malformed requests can be processed again."))
        for event in self:
            event._process_now()
        return True

    @api.model
    def _cron_retry_failed(self):
        stale = fields.Datetime.subtract(fields.Datetime.now(), minutes=10)
        # requests whose every attempt died with its worker (killed at the time limit)
        self.search(
            [
                ("state", "=", "received"),
                ("received_at", "<", stale),
                ("attempts", ">=", MAX_ATTEMPTS),
            ]
        ).write(
            {
                "state": "failed",
                "error": f"Given up after {MAX_ATTEMPTS} attempts: processing never finished.",
            }
        )
        events = self.search(
            [
                ("attempts", "<", MAX_ATTEMPTS),
                "|",
                ("state", "=", "failed"),
                "&",
                ("state", "=", "received"),
                ("received_at", "<", stale),
            ],
            order="received_at",
            limit=200,
        )
        for event in events:
            event._process_now()
        return True

    @api.model
    def _cron_purge(self):
        """Forget processed and refused requests after the "keep" days of the settings
        (90 by default), failed and malformed ones after their own, longer, period (365
        by default: a manager has time to look at them). Requests still waiting for
        processing stay. One statement, whatever the number of rows."""
        params = self.env["ir.config_parameter"].sudo()
        keep_done = _days(params.get_param(KEEP_DONE_DAYS_PARAM), DEFAULT_KEEP_DONE_DAYS)
        keep_failed = _days(params.get_param(KEEP_FAILED_DAYS_PARAM), DEFAULT_KEEP_FAILED_DAYS)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM %(table)s
                 WHERE (state IN ('done', 'rejected')
                        AND received_at < %(now)s - %(done)s * interval '1 day')
                    OR (state IN ('failed', 'invalid')
                        AND received_at < %(now)s - %(failed)s * interval '1 day')
                """,
                table=SQL.identifier(self._table),
                now=fields.Datetime.now(),
                done=keep_done,
                failed=keep_failed,
            )
        )
        _logger.info("Telephony journal: %s old requests forgotten", self.env.cr.rowcount)
        self.invalidate_model()
        return True


def _days(value, default):
    """A positive number of days from a setting, else the default."""
    return int(value) if str(value).isdigit() and int(value) > 0 else default
