import logging

from odoo import api, fields, models
from odoo.tools import SQL

# Context key of the processing of a PBX request: what an ended call writes besides
# the call (a deal, to-dos, notes) is left to the follow-up job
DEFER_FOLLOWUPS = "crm_telephony_defer_followups"
FOLLOWUP_CRON_XMLID = "crm_telephony_sip.ir_cron_telephony_followups"
# Calls followed up per run of the job (it wakes itself again when more are due)
FOLLOWUP_BATCH = 500

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

    def _awaiting_deal(self):
        """Missed calls from numbers without a deal: their deal is still to create."""
        return self.filtered(
            lambda call: call.is_missed and call.client_number_e164 and not call.lead_id
        )

    def _with_followup_work(self):
        """The ended calls the follow-up job has something to write for: a note on a
        deal or contact (and its to-dos), or a missed call's deal."""
        return self.filtered(
            lambda call: call._chatter_record() or (call.is_missed and call.client_number_e164)
        )

    def _follow_up(self):
        """Create what the ended calls ask for: a deal or a call-back to-do for the
        missed calls nobody called back yet, a summary to-do for the answered ones."""
        self.filtered(lambda call: call.is_missed and not call.handled_at)._handle_missed()
        self.filtered(lambda call: call.status == "answered")._ask_for_summary()

    def _defer_followups(self):
        """Wake the follow-up job once this transaction is committed (the calls are
        marked due by the caller, ``_set_flags``): a wake-up of its own, due at this
        very moment, and the cron workers notified after the commit, as
        ``ir.cron._trigger`` does.

        Not ``_trigger``: it reads the cron first (one query), and its wake-up is due
        at the current second. Odoo ends a run of a job by deleting its wake-ups due
        before the run began; one truncated to the second, created just after the
        run began, would be deleted with them, and the calls it announces (committed
        after the job looked for calls due) would wait for the next run. Nor a wake-up
        shared by a burst of requests (``COALESCE_CRON_TRIGGERS``): the one already
        due may be the one the running job deletes. The cron's interval (one minute)
        catches what still slips through.
        """
        if not self:
            return
        self.env.cr.execute(self._wake_up_statement())

    def _wake_up_statement(self):
        """The ``INSERT`` of a wake-up of the follow-up job (see ``_defer_followups``),
        to run in this transaction, with the cron workers notified after its commit
        (nothing is notified if it is rolled back)."""
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(FOLLOWUP_CRON_XMLID, True)
        self.env.cr.postcommit.add(self.env["ir.cron"].browse(cron_id)._notifydb)
        return SQL(
            """INSERT INTO ir_cron_trigger
                      (cron_id, call_at, create_uid, create_date, write_uid, write_date)
               VALUES (%(cron)s, clock_timestamp() AT TIME ZONE 'UTC',
                       %(uid)s, %(now)s, %(uid)s, %(now)s)""",
            cron=cron_id,
            uid=self.env.uid,
            now=fields.Datetime.now(),
        )

    @api.model
    def _cron_run_followups(self, limit=FOLLOWUP_BATCH):
        """The job: follow up the calls due, oldest first, together; when that fails,
        one by one, so that one call that cannot be followed up (kept due, logged,
        listed by the *Follow-up due* filter of the call log) holds up no other. Wakes itself again
        when more are due."""
        calls = self._lock_calls_due(limit)
        try:
            with self.env.cr.savepoint():
                calls._run_deferred_followups()
        except Exception:  # noqa: BLE001 - each call is tried alone below
            _logger.warning("Telephony follow-ups of %s calls failed together", len(calls))
            self.env.invalidate_all()
            for call in calls:
                call._run_deferred_followups_alone()
        if len(calls) == limit:
            calls._defer_followups()
        return True

    @api.model
    def _lock_calls_due(self, limit):
        """The calls due, oldest first, locked: rows that another transaction holds (a
        second run, a PBX event of the same call) are left to the next run."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM %s WHERE followup IS NOT NULL
                    ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                SQL.identifier(self._table),
                limit,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _run_deferred_followups_alone(self):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._run_deferred_followups()
        except Exception:  # kept due for the next run, and logged
            _logger.exception("Telephony call %s: follow-up failed, kept due", self.id)
            self.env.invalidate_all()

    def _run_deferred_followups(self):
        """Write what PBX requests left: for an ended call, a deal found or created
        meanwhile for its number (one deal per number, however many calls it missed),
        its to-dos, the call-back to-dos it closes and its note; for a recording that
        came after, the recording's note."""
        if not self:
            return
        ended = self.filtered(lambda call: call.followup == "call")
        ended._awaiting_deal()._match_clients()
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
                      SET followup = NULL,
                          recording_posted = recording_posted OR id = ANY(%(posted)s)
                    WHERE id = ANY(%(ids)s)""",
                table=SQL.identifier(self._table),
                posted=posted.ids,
                ids=self.ids,
            )
        )
        self.invalidate_recordset(["followup", "recording_posted"])
