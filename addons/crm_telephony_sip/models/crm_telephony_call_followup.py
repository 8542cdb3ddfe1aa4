import logging

from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import SQL

# Context key of the processing of a PBX request: what an ended call writes besides
# the call (a deal, to-dos, notes) is left to the follow-up job
DEFER_FOLLOWUPS = "crm_telephony_defer_followups"
FOLLOWUP_CRON_XMLID = "crm_telephony_sip.ir_cron_telephony_followups"
# Calls followed up per run of the job (it wakes itself again when more are due)
FOLLOWUP_BATCH = 500
# Runs that may fail on a call before the job leaves it to a manager
FOLLOWUP_MAX_ATTEMPTS = 5

_logger = logging.getLogger(__name__)


class CrmTelephonyCallFollowup(models.AbstractModel):
    """Follow-ups: what an ended call writes besides itself. A missed call opens a deal
    or asks for a call-back, an answered call on a deal asks its salesperson for a
    summary (``_follow_up``), a call back closes the call-back to-dos it answers, and
    the call is logged on its deal or contact with its recording.

    A PBX request leaves all of it to a job (``_cron_run_followups``) woken right
    after the request's commit: Odoo's creation of a deal or a to-do costs 15 to 30
    queries (the record, its followers, the salesperson's e-mail and notification), a
    note 5, which would make the PBX wait and hold the call's row. The request records
    the call (and what rules read of it: its deal, first contact, missed calls it
    handles); the job writes for every call due, together, a moment later. Imports and
    the retry cron, which run in the background already, do it at once.
    """

    _name = "crm.telephony.call.followup"
    _description = "Phone call: follow-ups"

    followup = fields.Selection(
        [("call", "The call ended"), ("recording", "Its recording came")],
        "Follow-up due",
        readonly=True,
        copy=False,
        help="What the follow-up job still has to write for this call in the background: "
        "the deal, to-dos and note of the ended call, or the note of its recording.",
    )
    followup_attempts = fields.Integer(
        "Follow-up attempts",
        readonly=True,
        copy=False,
        help="Runs of the follow-up job that failed on this call; after 5 the job leaves "
        "it until a Sales administrator asks to follow it up again.",
    )

    def _awaiting_deal(self):
        """Missed calls from numbers without a deal: their deal is still to create."""
        return self.filtered(
            lambda call: call.is_missed and call.client_number_e164 and not call.lead_id
        )

    def _with_followup_work(self):
        """The ended calls the follow-up job has something to do for: a note on a
        deal or contact (and its to-dos), a missed call's deal, or a look-up of the
        number again (the deal the job opens for an earlier missed call of it)."""
        return self.filtered(
            lambda call: (
                call._chatter_record() or (call.client_number_e164 and call.direction != "internal")
            )
        )

    def _follow_up(self):
        """Create what the ended calls ask for: a deal for the missed calls from
        unknown numbers (taken by the other calls of the number), a call-back to-do for
        the missed calls nobody called back yet, a summary to-do for the answered ones."""
        self.filtered("is_missed")._handle_missed()
        self._match_clients()
        self.filtered(lambda call: call.status == "answered")._ask_for_summary()

    # -- waking the job ------------------------------------------------------

    @api.model
    def _wake_followup_job(self, notify=True):
        """Wake the follow-up job once this transaction is committed (the calls due
        are marked by the caller). ``notify``: notify the cron workers unless a
        wake-up was pending (the caller notifies them otherwise)."""
        self.env.cr.execute(
            SQL("WITH wake_up AS (%s RETURNING id) %s", *self._wake_up_statements())
        )
        pending = self.env.cr.fetchone()[0]
        if notify:
            self._notify_unless_pending(pending)

    def _wake_up_statements(self):
        """``(INSERT, SELECT)``: the ``INSERT`` of a wake-up of the follow-up job, due
        at this very second, and a ``SELECT`` of whether one was due before it (run in
        the same statement: it does not see the new one). Pass its answer to
        ``_notify_unless_pending``. (To the second, as Odoo's: 19.0 deletes the
        wake-ups of a run due up to the run's start, truncated to the second; a finer
        one would outlive the run and be taken for pending forever. Which wake-ups a
        run deletes is decided by what its snapshot sees, not by the time.)

        A wake-up of its own per request, not one shared by a burst of requests
        (``COALESCE_CRON_TRIGGERS``): at the end of a run Odoo deletes the wake-ups it
        saw, and the calls of a request committed while the job ran are not seen by
        it; their own wake-up, committed after the run began, makes the job run
        again. Not ``ir.cron._trigger``: it reads the cron first (one query more).
        """
        cron_id = self._followup_cron_id()
        insert = SQL(
            """INSERT INTO ir_cron_trigger
                      (cron_id, call_at, create_uid, create_date, write_uid, write_date)
               VALUES (%(cron)s, date_trunc('second', clock_timestamp() AT TIME ZONE 'UTC'),
                       %(uid)s, %(now)s, %(uid)s, %(now)s)""",
            cron=cron_id,
            uid=self.env.uid,
            now=fields.Datetime.now(),
        )
        pending = SQL(
            """SELECT EXISTS(SELECT 1 FROM ir_cron_trigger
                              WHERE cron_id = %s AND call_at <= now() AT TIME ZONE 'UTC')""",
            cron_id,
        )
        return insert, pending

    def _notify_unless_pending(self, pending):
        """Notify the cron workers after the commit, unless a wake-up was pending:
        whoever added that one notified them, and a run of the job that has begun
        notifies them again when it ends (``_cron_run_followups``). Odoo opens a new
        connection to the ``postgres`` database for each notification (its pool keeps
        none there): one per burst of requests, not one per request."""
        if not pending:
            self.env.cr.postcommit.add(self._notify_cron_workers)

    def _notify_cron_workers(self):
        self.env["ir.cron"].browse(self._followup_cron_id())._notifydb()

    def _followup_cron_id(self):
        # from the registry's cache of data records: no query to check it exists
        return self.env["ir.model.data"]._xmlid_to_res_id(FOLLOWUP_CRON_XMLID, True)

    # -- the job --------------------------------------------------------------

    @api.model
    def _cron_run_followups(self, limit=FOLLOWUP_BATCH):
        """The job: follow up the calls due, oldest first, together; when that fails,
        one by one, so that one call that cannot be followed up (kept due, logged,
        counted in ``followup_attempts``, listed by the *Follow-up due* filter of the
        call log) holds up no other. Wakes itself again when a full batch went
        through, and notifies the cron workers when it wrote anything, for the
        wake-ups that came while it ran."""
        calls = self._lock_calls_due(limit)
        if not calls:
            return True
        try:
            with self.env.cr.savepoint():
                calls._run_deferred_followups()
            done = calls
        except Exception:  # noqa: BLE001 - each call is tried alone below
            _logger.warning("Telephony follow-ups of %s calls failed together", len(calls))
            self.env.invalidate_all()
            done = calls.filtered(lambda call: call._run_deferred_followups_alone())
        if done and len(calls) == limit:
            self._wake_followup_job(notify=False)
        if done:
            # (the wake-ups of this run are pending until it ends: notify in any case)
            self.env.cr.postcommit.add(self._notify_cron_workers)
        return True

    @api.model
    def _lock_calls_due(self, limit):
        """The calls due, oldest first, locked: rows that another transaction holds (a
        second run, a PBX event of the same call) are left to the next run, and so
        are the calls that made too many runs fail. A PBX event of a call committed
        after this transaction began makes the lock fail (REPEATABLE READ): the job
        then runs again at once, with a new snapshot."""
        self.flush_model()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """SELECT id FROM %s
                            WHERE followup IS NOT NULL AND COALESCE(followup_attempts, 0) < %s
                            ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                        SQL.identifier(self._table),
                        FOLLOWUP_MAX_ATTEMPTS,
                        limit,
                    )
                )
                ids = [row[0] for row in self.env.cr.fetchall()]
        except errors.SerializationFailure:
            _logger.info("Telephony follow-ups: a call changed meanwhile, run again")
            self._wake_followup_job()
            return self.browse()
        return self.browse(ids)

    def _run_deferred_followups_alone(self):
        """Follow up this call in a savepoint; a failure is logged and counted.

        :returns: whether it went through
        """
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._run_deferred_followups()
            return True
        except Exception:  # kept due, logged and counted
            _logger.exception("Telephony call %s: follow-up failed, kept due", self.id)
            self.env.invalidate_all()
            self.env.cr.execute(
                SQL(
                    """UPDATE %s SET followup_attempts = COALESCE(followup_attempts, 0) + 1
                        WHERE id = %s""",
                    SQL.identifier(self._table),
                    self.id,
                )
            )
            return False

    def _run_deferred_followups(self):
        """Write what PBX requests left: for an ended call, a deal found or created
        meanwhile for its number (one deal per number, however many calls it missed),
        its to-dos, the call-back to-dos it closes and its note; for a recording that
        came after, the recording's note."""
        if not self:
            return
        ended = self.filtered(lambda call: call.followup == "call")
        ended._match_clients()
        ended._follow_up()
        ended._close_call_back_activities()
        ended._post_call_message()
        (self - ended).filtered(
            lambda call: call.has_recording and not call.recording_posted
        )._post_recording_message()
        # (a recording with nowhere to go is not looked at again either)
        posted = self.filtered(
            lambda call: (
                call.has_recording and (call._chatter_record() or call.followup == "recording")
            )
        )
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """UPDATE %(table)s
                      SET followup = NULL, followup_attempts = 0,
                          recording_posted = recording_posted OR id = ANY(%(posted)s)
                    WHERE id = ANY(%(ids)s)""",
                table=SQL.identifier(self._table),
                posted=posted.ids,
                ids=self.ids,
            )
        )
        self.invalidate_recordset(["followup", "followup_attempts", "recording_posted"])

    def action_follow_up_again(self):
        """Sales administrators: the job tries these calls again, their failed runs
        forgotten, as soon as it is woken (salespeople are refused by ``write``).

        :returns: a notification saying how many calls it will try
        """
        due = self.filtered("followup")
        if due:
            due.write({"followup_attempts": 0})
            self._wake_followup_job()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if due else "warning",
                "message": self.env._(
                    "%(count)s of the selected calls will be followed up again in a moment.",
                    count=len(due),
                ),
                "sticky": False,
            },
        }
