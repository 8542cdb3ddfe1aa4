import json
import logging
import re
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from odoo.addons.crm_phone_base.tools.compat import set_cursor_now

from ..tools.inquiry import strip_nul

_logger = logging.getLogger(__name__)

REJECT_REASONS = [
    ("honeypot", "Honeypot field filled"),
    ("too_fast", "Sent too fast after page load"),
]
MAX_STORED_BODY = 4 * 1024
REFERENCE_PREFIX = "CAP-"
# Immediate attempts of one submission that loses a race with a concurrent inquiry
# of the same contact (each attempt starts on a fresh snapshot: no sleeping).
PROCESS_ATTEMPTS = 8
# The retry cron leaves submissions that failed this many times to a manager.
MAX_CRON_ATTEMPTS = 3
# A submission still "received" after this long was interrupted (worker killed).
STALE_MINUTES = 5
KEEP_DONE_DAYS_PARAM = "crm_utm_capture.journal_keep_days"
KEEP_REJECTED_DAYS_PARAM = "crm_utm_capture.rejected_keep_days"
DEFAULT_KEEP_DONE_DAYS = 90
DEFAULT_KEEP_REJECTED_DAYS = 14
RETRYABLE_STATES = ("received", "held", "error", "rejected", "invalid")


def reference_of(submission_id):
    return f"{REFERENCE_PREFIX}{submission_id:07d}"


class CrmCaptureSubmission(models.Model):
    """The journal of the inquiries posted to a capture URL, written and committed
    before they are processed. Spam, invalid and held inquiries stay here with the
    reason; requests refused for their size or for their client's rate limit are not
    stored (only counted, see ``crm.capture.rate.bucket``)."""

    _name = "crm.capture.submission"
    _description = "Lead capture submission"
    _order = "id desc"
    _rec_name = "name"

    name = fields.Char(
        "Reference", compute="_compute_name", search="_search_name", help="CAP-<number>"
    )
    site_id = fields.Many2one(
        "crm.capture.site", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    state = fields.Selection(
        [
            ("received", "Received"),
            ("done", "Lead recorded"),
            ("held", "Held (site over its rate limit)"),
            ("rejected", "Rejected as spam"),
            ("invalid", "Invalid"),
            ("error", "Failed"),
        ],
        default="received",
        required=True,
        readonly=True,
        index=True,
    )
    reject_reason = fields.Selection(REJECT_REASONS, readonly=True)
    errors = fields.Json(readonly=True)
    error_summary = fields.Text(compute="_compute_error_summary")
    failure = fields.Text("Processing error", readonly=True)
    attempts = fields.Integer(readonly=True, help="Times the processing failed.")
    remote_ip = fields.Char("Client address", readonly=True)
    origin = fields.Char(readonly=True)
    content_type = fields.Char(readonly=True)
    user_agent = fields.Char(readonly=True)
    body_size = fields.Integer(readonly=True)
    raw_body = fields.Text(readonly=True, help="The start of the body as received (at most 4 KiB).")
    payload = fields.Json(
        "Fields", readonly=True, help="The fields of the inquiry, as kept for processing."
    )
    payload_text = fields.Text("Fields as received", compute="_compute_payload_text")
    lead_id = fields.Many2one("crm.lead", readonly=True, index="btree_not_null")
    is_duplicate = fields.Boolean(
        "Added to an existing deal", readonly=True, help="The inquiry matched an open deal."
    )

    def _compute_name(self):
        for submission in self:
            submission.name = reference_of(submission.id) if submission.id else False

    def _search_name(self, operator, value):
        if operator not in ("=", "ilike", "in") or not value:
            raise UserError(_("Search a capture reference with its number, e.g. CAP-0000042."))
        values = value if operator == "in" else [value]
        ids = [int(digits) for text in values if (digits := re.sub(r"\D", "", str(text)))]
        return [("id", "in", ids)]

    @api.depends("payload")
    def _compute_payload_text(self):
        for submission in self:
            submission.payload_text = (
                json.dumps(submission.payload, ensure_ascii=False, indent=2)
                if submission.payload
                else False
            )

    @api.depends("errors")
    def _compute_error_summary(self):
        for submission in self:
            submission.error_summary = "\n".join(
                f"{error.get('field')}: {error.get('message')}"
                for error in (submission.errors or [])
                if isinstance(error, dict)
            )

    def action_retry(self):
        """Process again what was not recorded (after the cause was fixed, a flood is
        over, or a spam verdict was wrong). Each submission in its own savepoint: one
        failure does not stop the others."""
        for submission in self.filtered(lambda s: s.state in RETRYABLE_STATES):
            values, errors = submission.site_id._inquiry_values(submission.payload or {})
            if errors:
                submission.write({"state": "invalid", "errors": errors})
                continue
            try:
                with self.env.cr.savepoint():
                    submission._process(values)
            except UserError as exc:
                submission._mark_failed(str(exc))
        return True

    # ------------------------------------------------------------------
    # Journal
    # ------------------------------------------------------------------

    @api.model
    def _journal(self, site, inquiry_fields, meta, **values):
        """Store one submission in its own transaction, committed at once, so that it
        survives whatever happens next; returns its id."""
        raw = meta.get("raw_body") or b""
        if isinstance(raw, bytes):
            raw = raw[:MAX_STORED_BODY].decode("utf-8", errors="replace")
        with self.env.registry.cursor() as cr:
            set_cursor_now(cr)  # the create date: no SELECT now()
            # the site's company: the environment need not read the user's
            env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": site.company_id.ids})
            submission = env[self._name].create(
                {
                    "site_id": site.id,
                    "company_id": site.company_id.id,
                    "remote_ip": (meta.get("remote_ip") or "")[:64],
                    "origin": (meta.get("origin") or "")[:512],
                    "content_type": (meta.get("content_type") or "")[:256],
                    "user_agent": (meta.get("user_agent") or "")[:512],
                    "body_size": meta.get("body_size") or 0,
                    "raw_body": raw[:MAX_STORED_BODY].replace("\x00", ""),
                    "payload": strip_nul(inquiry_fields) if inquiry_fields is not None else False,
                    **values,
                }
            )
            return submission.id

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------

    @api.model
    def _process_committed(self, submission_id, values=None, site=None):
        """Process a journaled submission in a transaction of its own. A concurrent
        inquiry of the same contact makes the first attempt fail on the contact's lock
        row: the next attempt starts at once on a snapshot that sees the other's deal.
        Returns whether the inquiry was recorded; a failure leaves the submission
        failed, for the retry cron or a manager.

        :param values: the inquiry values and ``site`` the submission's site (as read
            by the request), when the caller has them (else they are read back from
            the journal)
        """
        failure = None
        context = dict(self.env.context)
        if site:
            # the site's company (the lead's): the environment need not read the user's
            context["allowed_company_ids"] = site.company_id.ids
        for _attempt in range(PROCESS_ATTEMPTS):
            try:
                with self.env.registry.cursor() as cr:
                    set_cursor_now(cr)  # the create and write dates: no SELECT now()
                    env = api.Environment(cr, SUPERUSER_ID, context)
                    submission = env[self._name].browse(submission_id)
                    # the site (its team, company...) as the request read it: not read again
                    site_here = site._capture_carry(env) if site else submission.site_id
                    if values is None:
                        values = site_here._inquiry_values(submission.payload)[0]
                    submission._process(values, site_here)
                return True
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as exc:
                failure = str(exc)
                continue
            except Exception as exc:
                _logger.exception(
                    "Capture submission %s could not be processed", reference_of(submission_id)
                )
                failure = str(exc)
                break
        else:
            _logger.info(
                "Capture submission %s lost %s races in a row: left for the retry cron",
                reference_of(submission_id),
                PROCESS_ATTEMPTS,
            )
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env[self._name].browse(submission_id)._mark_failed(failure)
        return False

    def _process(self, values, site=None):
        """Record the inquiry on a lead, in the current transaction.

        :param site: the submission's site when the caller knows it (saves a read)
        """
        self.ensure_one()
        # the touchpoint's insert marks the submission recorded (one statement)
        return self.env["crm.lead"]._capture_inquiry(
            values, site=site or self.site_id, submission=self
        )

    def _mark_failed(self, failure):
        for submission in self:
            submission.write(
                {
                    "state": "error",
                    "failure": (failure or "")[:2000],
                    "attempts": submission.attempts + 1,
                }
            )

    @api.model
    def _cron_process_pending(self):
        """Cron: process the submissions whose processing was interrupted (worker
        killed) or failed fewer than MAX_CRON_ATTEMPTS times, one transaction each."""
        stale = fields.Datetime.now() - timedelta(minutes=STALE_MINUTES)
        pending = self.search(
            [
                "|",
                "&",
                ("state", "=", "received"),
                ("create_date", "<", stale),
                "&",
                ("state", "=", "error"),
                ("attempts", "<", MAX_CRON_ATTEMPTS),
            ],
            order="id",
            limit=200,
        )
        for submission_id in pending.ids:
            self._process_committed(submission_id)
        return True

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------

    @api.model
    def _purge_journal(self):
        """Cron: delete recorded submissions after the journal retention, and spam,
        invalid and held ones after the (shorter) rejected retention. Failed and
        pending ones stay until they are handled. The leads keep what they need."""
        params = self.env["ir.config_parameter"].sudo()
        keep_done = _days(params.get_param(KEEP_DONE_DAYS_PARAM), DEFAULT_KEEP_DONE_DAYS)
        keep_rejected = _days(
            params.get_param(KEEP_REJECTED_DAYS_PARAM), DEFAULT_KEEP_REJECTED_DAYS
        )
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM %(table)s
                 WHERE (state = 'done' AND create_date < %(now)s - %(done)s * interval '1 day')
                    OR (state IN ('rejected', 'invalid', 'held')
                        AND create_date < %(now)s - %(rejected)s * interval '1 day')
                """,
                table=SQL.identifier(self._table),
                now=fields.Datetime.now(),
                done=keep_done,
                rejected=keep_rejected,
            )
        )
        return True


def _days(value, default):
    return int(value) if str(value).isdigit() and int(value) > 0 else default
