import logging

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_phone_base.models.ir_cron import COALESCE_CRON_TRIGGERS

# Context key of the processing of a PBX request: what an ended call creates besides
# the call (a deal, a call-back or summary to-do) is left to the follow-up job
DEFER_FOLLOWUPS = "crm_telephony_defer_followups"
FOLLOWUP_CRON_XMLID = "crm_telephony_sip.ir_cron_telephony_followups"
# Calls followed up per run of the job (it wakes itself again when more are due)
FOLLOWUP_BATCH = 500

_logger = logging.getLogger(__name__)


class CrmTelephonyCallFollowup(models.AbstractModel):
    """Follow-ups: what an ended call creates besides itself. A missed call opens a
    deal or asks for a call-back, an answered call on a deal asks its salesperson for a
    summary (``_follow_up``).

    A PBX request leaves them, and the call's note, to a job (``_cron_run_followups``)
    woken right after the request's commit: Odoo's creation of a deal or a to-do costs
    15 to 30 queries (the record, its followers, the salesperson's e-mail and
    notification) and a note 5, which would make the PBX wait and hold the call's row.
    The job writes them for every call due, together, a moment later. Imports and the
    retry cron, which run in the background already, follow up at once.
    """

    _name = "crm.telephony.call.followup"
    _description = "Phone call: follow-ups"

    followup_due = fields.Boolean(
        "Follow-up due",
        readonly=True,
        copy=False,
        help="The deal or to-do this call asks for is being created in the background.",
    )

    def _needing_followup(self):
        """The ended calls that ask for a deal or a to-do (see ``_follow_up``)."""
        return self.filtered(
            lambda call: (
                (call.is_missed and call.client_number_e164)
                or (
                    call.status == "answered" and call.lead_id and call.user_id and not call.summary
                )
            )
        )

    def _awaiting_deal(self):
        """Missed calls from numbers without a deal: their deal is still to create."""
        return self.filtered(
            lambda call: call.is_missed and call.client_number_e164 and not call.lead_id
        )

    def _follow_up(self):
        """Create what the ended calls ask for: a deal or a call-back to-do for the
        missed calls nobody called back yet, a summary to-do for the answered ones."""
        self.filtered(lambda call: call.is_missed and not call.handled_at)._handle_missed()
        self.filtered(lambda call: call.status == "answered")._ask_for_summary()

    def _defer_followups(self):
        """Wake the follow-up job after the commit; the calls are marked due by the
        caller (``_set_flags``). A wake-up already due is not added again."""
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(FOLLOWUP_CRON_XMLID, True)
        self.env["ir.cron"].browse(cron_id).with_context(
            **{COALESCE_CRON_TRIGGERS: True}
        )._trigger()

    @api.model
    def _cron_run_followups(self, limit=FOLLOWUP_BATCH):
        """The job: follow up the calls due, oldest first, together; when that fails,
        one by one, so that one call that cannot be followed up (kept due, logged,
        listed by the *Follow-up due* filter) holds up no other. Wakes itself again
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
            self.env.ref(FOLLOWUP_CRON_XMLID)._trigger()
        return True

    @api.model
    def _lock_calls_due(self, limit):
        """The calls due, oldest first, locked: rows that another transaction holds (a
        second run, a PBX event of the same call) are left to the next run."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM %s WHERE followup_due
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
        """Follow up calls left by PBX requests, then post their notes: a deal found
        or created meanwhile for a number is used (one deal per number, however many
        calls it missed)."""
        if not self:
            return
        self._awaiting_deal()._match_clients()
        self._follow_up()
        self._post_call_message()
        posted = self.filtered(lambda call: call.has_recording and call._chatter_record())
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """UPDATE %(table)s
                      SET followup_due = FALSE,
                          recording_posted = recording_posted OR id = ANY(%(posted)s)
                    WHERE id = ANY(%(ids)s)""",
                table=SQL.identifier(self._table),
                posted=posted.ids,
                ids=self.ids,
            )
        )
        self.invalidate_recordset(["followup_due", "recording_posted"])
