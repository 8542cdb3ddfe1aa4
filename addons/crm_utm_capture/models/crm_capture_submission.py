import logging

import psycopg2

from odoo import api, fields, models

from ..tools.inquiry import strip_nul

_logger = logging.getLogger(__name__)

REJECT_REASONS = [
    ("honeypot", "Honeypot field filled"),
    ("too_fast", "Sent too fast after page load"),
    ("rate_limit", "Rate limit exceeded"),
    ("oversize", "Body too large"),
]
MAX_STORED_BODY = 64 * 1024


class CrmCaptureSubmission(models.Model):
    """The journal of everything posted to a capture URL, written before it is
    processed: spam and invalid submissions stay here with the reason."""

    _name = "crm.capture.submission"
    _description = "Lead capture submission"
    _order = "id desc"
    _rec_name = "name"

    name = fields.Char("Reference", required=True, readonly=True, copy=False, index=True)
    site_id = fields.Many2one(
        "crm.capture.site", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="site_id.company_id", store=True)
    state = fields.Selection(
        [
            ("received", "Received"),
            ("done", "Lead recorded"),
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
    remote_ip = fields.Char("Client address", readonly=True)
    origin = fields.Char(readonly=True)
    content_type = fields.Char(readonly=True)
    user_agent = fields.Char(readonly=True)
    body_size = fields.Integer(readonly=True)
    raw_body = fields.Text(readonly=True, help="The body as received (truncated when large).")
    payload = fields.Json(readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True, index="btree_not_null")
    is_duplicate = fields.Boolean(
        "Added to an existing deal", readonly=True, help="The inquiry matched an open deal."
    )

    @api.depends("errors")
    def _compute_error_summary(self):
        for submission in self:
            submission.error_summary = "\n".join(
                f"{error.get('field')}: {error.get('message')}"
                for error in (submission.errors or [])
                if isinstance(error, dict)
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name"):
                vals["name"] = self.env["ir.sequence"].next_by_code("crm.capture.submission")
        return super().create(vals_list)

    def action_retry(self):
        """Process failed submissions again (after the cause was fixed)."""
        for submission in self.filtered(lambda s: s.state == "error"):
            values, errors = submission.site_id._inquiry_values(submission.payload or {})
            if errors:
                submission._mark_invalid(errors)
            else:
                submission._process(values)
        return True

    @api.model
    def _journal(self, site, payload, meta):
        raw = meta.get("raw_body") or ""
        if isinstance(raw, bytes):
            raw = raw[:MAX_STORED_BODY].decode("utf-8", errors="replace")
        stored_payload = strip_nul(payload) if payload is not None else False
        return self.create(
            {
                "site_id": site.id,
                "remote_ip": (meta.get("remote_ip") or "")[:64],
                "origin": (meta.get("origin") or "")[:512],
                "content_type": (meta.get("content_type") or "")[:256],
                "user_agent": (meta.get("user_agent") or "")[:512],
                "body_size": meta.get("body_size") or 0,
                "raw_body": raw[:MAX_STORED_BODY].replace("\x00", ""),
                "payload": stored_payload,
            }
        )

    def _reject(self, reason):
        self.write({"state": "rejected", "reject_reason": reason})

    def _mark_invalid(self, errors):
        self.write({"state": "invalid", "errors": errors})

    def _process(self, values):
        """Record the inquiry on a lead. A failure keeps the submission, marked failed,
        so that it can be retried: nothing is lost."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                touchpoint = self.env["crm.lead"]._capture_inquiry(
                    values, site=self.site_id, submission=self
                )
        except psycopg2.OperationalError:
            raise  # concurrency: let the server retry the whole request
        except Exception:
            _logger.exception("Capture submission %s could not be processed", self.name)
            self.write({"state": "error"})
            return False
        self.write(
            {
                "state": "done",
                "lead_id": touchpoint.lead_id.id,
                "is_duplicate": not touchpoint.is_first_touch,
            }
        )
        return touchpoint
