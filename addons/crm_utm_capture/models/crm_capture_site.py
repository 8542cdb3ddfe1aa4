import secrets
import time

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize

from ..tools.inquiry import extract_fields, loaded_at_seconds, normalize_phone

HARD_MAX_BODY_BYTES = 1024 * 1024


def _new_site_key():
    return secrets.token_urlsafe(16)


class CrmCaptureSite(models.Model):
    _name = "crm.capture.site"
    _description = "Lead capture site"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    key = fields.Char(
        required=True,
        copy=False,
        index=True,
        default=lambda self: _new_site_key(),
        help="Part of the capture URL /crm/capture/<key>. Anyone who knows it can "
        "submit inquiries: change it when it leaks.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    allowed_origins = fields.Text(
        help="Web origins allowed to post from a browser, one per line, e.g. "
        "https://www.example.com. * allows any origin. Requests without an Origin "
        "header (server to server) are always allowed.",
    )
    team_id = fields.Many2one("crm.team", "Default sales team", check_company=True)
    user_id = fields.Many2one(
        "res.users",
        "Default salesperson",
        check_company=True,
        domain="[('share', '=', False)]",
    )
    stage_id = fields.Many2one(
        "crm.stage",
        "Stage of new leads",
        default=lambda self: self.env.ref("crm_regulation.stage_new", raise_if_not_found=False),
    )
    country_id = fields.Many2one(
        "res.country",
        "Phone region",
        help="Numbers typed without a country code are read as numbers of this "
        "country. Empty: the country of the company.",
    )
    honeypot_field = fields.Char(
        default="website",
        help="A form field hidden from people: a submission that fills it is spam.",
    )
    min_submit_seconds = fields.Integer(
        "Minimum seconds before submit",
        default=3,
        help="A form sent sooner after the page was loaded is spam (needs the JavaScript "
        "snippet, which records when the page was loaded). 0 disables the check.",
    )
    rate_limit_window = fields.Integer(
        "Rate limit window (seconds)", default=60, help="0 disables rate limiting."
    )
    rate_limit_ip = fields.Integer(
        "Submissions per IP address and window", default=10, help="0: no limit per address."
    )
    rate_limit_site = fields.Integer(
        "Submissions per site and window", default=300, help="0: no limit per site."
    )
    max_body_bytes = fields.Integer("Maximum body size (bytes)", default=64 * 1024)
    cookie_days = fields.Integer(
        "UTM cookie lifetime (days)",
        default=90,
        help="How long the JavaScript snippet keeps the UTM tags of the landing page.",
    )
    capture_url = fields.Char(compute="_compute_capture_url")
    snippet = fields.Text(
        "Snippet to paste",
        compute="_compute_capture_url",
        help="Paste into the pages of the site; add data-crm-capture to its forms.",
    )
    submission_count = fields.Integer(compute="_compute_submission_count")

    _sql_constraints = [
        ("key_uniq", "unique(key)", "Two sites cannot share a key."),
        (
            "limits_positive",
            (
                "check(min_submit_seconds >= 0 AND rate_limit_window >= 0 "
                "AND rate_limit_ip >= 0 AND rate_limit_site >= 0 AND cookie_days >= 0)"
            ),
            "Limits cannot be negative.",
        ),
    ]

    @api.depends("key", "cookie_days", "honeypot_field")
    def _compute_capture_url(self):
        base_url = self.get_base_url()
        for site in self:
            site.capture_url = f"{base_url}/crm/capture/{site.key}"
            site.snippet = (
                f'<script src="{base_url}/crm_utm_capture/static/src/js/crm_utm_capture.js"\n'
                f'        data-capture-url="{site.capture_url}"\n'
                f'        data-cookie-days="{site.cookie_days}"'
                f' data-honeypot="{site.honeypot_field or ""}" defer></script>'
            )

    def _compute_submission_count(self):
        counts = dict(
            self.env["crm.capture.submission"]._read_group(
                [("site_id", "in", self.ids)], ["site_id"], ["__count"]
            )
        )
        for site in self:
            site.submission_count = counts.get(site, 0)

    @api.constrains("max_body_bytes")
    def _check_max_body_bytes(self):
        for site in self:
            if not 0 < site.max_body_bytes <= HARD_MAX_BODY_BYTES:
                raise ValidationError(
                    _(
                        "The maximum body size must be between 1 and %(max)s bytes.",
                        max=HARD_MAX_BODY_BYTES,
                    )
                )

    def action_regenerate_key(self):
        for site in self:
            site.key = _new_site_key()
        return True

    def action_view_submissions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_utm_capture.crm_capture_submission_action"
        )
        action["domain"] = [("site_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # Capture
    # ------------------------------------------------------------------

    @api.model
    def _find_by_key(self, key):
        """The active site of a capture URL key, or an empty recordset."""
        if not key or len(key) > 128:
            return self.browse()
        return self.search([("key", "=", key)], limit=1)

    def _is_origin_allowed(self, origin):
        self.ensure_one()
        if not origin:
            return True
        allowed = {line.strip().rstrip("/") for line in (self.allowed_origins or "").split()}
        return "*" in allowed or origin.rstrip("/") in allowed

    def _phone_region(self):
        self.ensure_one()
        country = self.country_id or self.company_id.country_id
        return country.code or None

    def capture(self, payload, meta):
        """Record one web-form submission and act on it: journal it first, then reject
        spam, validate, and create or update a lead.

        :param payload: the submitted fields (dict), or None when the body could not be
            parsed (``meta["parse_error"]`` says why)
        :param meta: dict with ``remote_ip``, ``origin``, ``content_type``, ``raw_body``,
            ``body_size``, ``user_agent`` and optionally ``parse_error``
        :return: (HTTP status, JSON-able body, extra headers)
        """
        self.ensure_one()
        submission = self.env["crm.capture.submission"]._journal(self, payload, meta)
        if meta.get("body_size", 0) > self.max_body_bytes:
            submission._reject("oversize")
            return 413, {"error": "payload_too_large"}, {}
        retry_after = self._rate_limit_exceeded(meta.get("remote_ip"))
        if retry_after:
            submission._reject("rate_limit")
            return 429, {"error": "too_many_requests"}, {"Retry-After": str(retry_after)}
        if payload is None:
            errors = [
                {"field": "body", "message": meta.get("parse_error") or _("Unreadable body.")}
            ]
            submission._mark_invalid(errors)
            return 400, {"errors": errors}, {}
        spam_reason = self._spam_reason(payload)
        if spam_reason:
            submission._reject(spam_reason)
            # a bot gets the answer a person gets
            return 201, {"reference": submission.name}, {}
        values, errors = self._inquiry_values(payload)
        if errors:
            submission._mark_invalid(errors)
            return 400, {"errors": errors}, {}
        if not submission._process(values):
            # journaled, to be retried: accepted all the same
            return 202, {"reference": submission.name}, {}
        return 201, {"reference": submission.name}, {}

    def _spam_reason(self, payload):
        """Why this submission is spam ('honeypot', 'too_fast'), or False."""
        self.ensure_one()
        honeypot = (self.honeypot_field or "").strip()
        if honeypot and payload.get(honeypot) not in (None, "", []):
            return "honeypot"
        if self.min_submit_seconds:
            loaded_at = loaded_at_seconds(payload)
            if loaded_at is not None and time.time() - loaded_at < self.min_submit_seconds:
                return "too_fast"
        return False

    def _rate_limit_exceeded(self, remote_ip):
        """Count this submission; return the seconds to wait when a limit is exceeded."""
        self.ensure_one()
        if not self.rate_limit_window or not (self.rate_limit_ip or self.rate_limit_site):
            return 0
        hits = self.env["crm.capture.rate.bucket"]._hit(
            self.id, remote_ip or "", self.rate_limit_window
        )
        if (self.rate_limit_ip and hits["ip"] > self.rate_limit_ip) or (
            self.rate_limit_site and hits["site"] > self.rate_limit_site
        ):
            return self.rate_limit_window
        return 0

    def _inquiry_values(self, payload):
        """Clean, normalized inquiry values and the list of field errors."""
        self.ensure_one()
        values, not_text = extract_fields(payload, ignored=[(self.honeypot_field or "").lower()])
        errors = [{"field": field, "message": _("This field must be text.")} for field in not_text]
        if values.get("email"):
            values["email_normalized"] = email_normalize(values["email"])
            if not values["email_normalized"]:
                errors.append({"field": "email", "message": _("This e-mail address is not valid.")})
        if values.get("phone"):
            values["phone"], values["phone_valid"] = normalize_phone(
                values["phone"], self._phone_region()
            )
        if not values.get("phone") and not values.get("email"):
            errors.append(
                {
                    "field": "phone",
                    "message": _("Give a phone number or an e-mail address."),
                }
            )
        values["channel"] = "form"
        return values, errors
