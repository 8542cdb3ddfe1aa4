import secrets
import time
from dataclasses import dataclass

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, email_normalize

from odoo.addons.crm_phone_base.tools import parse_phone
from odoo.addons.crm_phone_base.tools.compat import insert_fetched, sql_constraints

from ..tools.inquiry import extract_fields, loaded_at_seconds
from .crm_capture_rate_bucket import client_key
from .crm_capture_submission import reference_of

HARD_MAX_BODY_BYTES = 1024 * 1024
# What recording an inquiry reads besides the site (paths of many2one fields from the
# site), fetched with the site in one query (see CrmCaptureSite._find_by_key)
CARRIED_PATHS = (("team_id",), ("company_id",), ("company_id", "currency_id"))
# Cursor cache key: {site id: [(model, id, field names, values fetched)]}
FETCHED_KEY = "crm_capture_fetched_site"


def _prefetched_fields(model):
    """The fields the ORM fetches when a record of ``model`` is first read (but those
    that depend on the company)."""
    return [
        fname
        for fname, field in model._fields.items()
        if fname != "id"
        and field.store
        and field.column_type
        and field.prefetch is True
        and not field.company_dependent
    ]


@dataclass(frozen=True)
class RateCheck:
    """What the rate limits say about one request.

    ``over_client``: the client is over its own limit (refused, nothing stored);
    ``over_site``: the client is within its limit but the site is over its limit: the
    inquiry may be real, it is kept for a manager to retry while ``can_hold``.
    """

    retry_after: int = 0
    over_client: bool = False
    over_site: bool = False
    can_hold: bool = False


def _new_site_key():
    return secrets.token_urlsafe(16)


@sql_constraints
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
        help="Empty: the first stage of the team (or the regulation's inbox for the teams "
        "that follow it, when the regulation addon is installed).",
    )
    dedupe = fields.Boolean(
        "Repeat inquiries join the open deal",
        default=True,
        help="An inquiry whose phone or e-mail matches an open deal is added to that deal "
        "(as a touchpoint and a note for the salesperson) instead of creating a lead. "
        "Matching window: Settings > CRM > Lead Capture.",
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
        "Submissions per client and window",
        default=10,
        help="Per IPv4 address or IPv6 /64 network. A client over its limit is refused "
        "without anything being stored. 0: no limit per client.",
    )
    rate_limit_site = fields.Integer(
        "Submissions per site and window",
        default=300,
        help="Counts the requests of clients within their own limit. Over it, up to as "
        "many inquiries again are held in the journal for a manager to retry. "
        "0: no limit per site.",
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
            honeypot = (
                f'\n  <input name="{site.honeypot_field}" style="display:none" tabindex="-1"'
                ' autocomplete="off"/>'
                if site.honeypot_field
                else ""
            )
            site.snippet = (
                f'<script src="{base_url}/crm_utm_capture/static/src/js/crm_utm_capture.js"\n'
                f'        data-capture-url="{site.capture_url}"\n'
                f'        data-cookie-days="{site.cookie_days}"'
                f' data-honeypot="{site.honeypot_field or ""}" defer></script>\n\n'
                "<!-- a form of the site: data-crm-capture sends it to the CRM -->\n"
                "<form data-crm-capture>\n"
                '  <input name="name" placeholder="Name"/>\n'
                '  <input name="phone" type="tel" placeholder="Phone"/>\n'
                '  <input name="email" type="email" placeholder="E-mail"/>\n'
                '  <textarea name="message" placeholder="Message"></textarea>'
                f"{honeypot}\n"
                '  <button type="submit">Send</button>\n'
                "</form>"
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
        """The active site of a capture URL key, or an empty recordset.

        One query: the site with the fields every capture reads, and the records that
        recording an inquiry reads (``CARRIED_PATHS``: its team, its company and the
        company's currency), fetched by joins and put in the cache as the ORM would
        fetch them; ``_capture_carry`` puts them in the cache of the processing
        transaction too."""
        if not key or len(key) > 128:
            return self.browse()
        query = self._search([("key", "=", key)], limit=1)
        parts = [(self, self._table, self._capture_fields())]
        for path in CARRIED_PATHS:
            model, alias = self, self._table
            for fname in path:
                comodel = self.env[model._fields[fname].comodel_name]
                joined = query.make_alias(alias, fname)
                query.add_join(
                    "LEFT JOIN",
                    joined,
                    comodel._table,
                    SQL("%s = %s", SQL.identifier(alias, fname), SQL.identifier(joined, "id")),
                )
                model, alias = comodel, joined
            parts.append((model, alias, _prefetched_fields(model)))
        terms = [
            term
            for model, alias, fnames in parts
            for term in (
                SQL.identifier(alias, "id"),
                *(model._field_to_sql(alias, fname, query) for fname in fnames),
            )
        ]
        rows = self.env.execute_query(query.select(*terms))
        if not rows:
            return self.browse()
        fetched, row = [], iter(rows[0])
        for model, _alias, fnames in parts:
            record_id = next(row)
            values = [next(row) for _fname in fnames]
            if record_id:
                fetched.append((model._name, record_id, tuple(fnames), tuple(values)))
        site = self.browse(rows[0][0])
        self.env.cr.cache.setdefault(FETCHED_KEY, {})[site.id] = fetched
        site._capture_carry(self.env)
        return site

    def _capture_carry(self, env):
        """This site in ``env`` (e.g. a new transaction), with what ``_find_by_key``
        fetched of it and of the records it carries already in the cache."""
        self.ensure_one()
        for model_name, record_id, fnames, values in self.env.cr.cache.get(FETCHED_KEY, {}).get(
            self.id, ()
        ):
            record = env[model_name].browse(record_id)
            for fname, value in zip(fnames, values, strict=True):
                insert_fetched(record, record._fields[fname], [value])
        return env[self._name].browse(self.id)

    @api.model
    def _capture_fields(self):
        return [
            name
            for name, field in self._fields.items()
            if field.store and field.type not in ("one2many", "many2many", "text", "binary")
        ] + ["allowed_origins"]

    def _is_origin_allowed(self, origin):
        self.ensure_one()
        if not origin:
            return True
        allowed = {line.strip().rstrip("/") for line in (self.allowed_origins or "").split()}
        return "*" in allowed or origin.rstrip("/") in allowed

    def _phone_region(self):
        self.ensure_one()
        return self.country_id or self.company_id.country_id

    def _rate_check(self, remote_ip):
        """Count one request of a client and say whether the limits let it through."""
        self.ensure_one()
        if not self.rate_limit_window or not (self.rate_limit_ip or self.rate_limit_site):
            return RateCheck()
        client_hits, site_hits = self.env["crm.capture.rate.bucket"]._hit(
            self.id, client_key(remote_ip), self.rate_limit_window, self.rate_limit_ip
        )
        if client_hits is None or (self.rate_limit_ip and client_hits > self.rate_limit_ip):
            return RateCheck(retry_after=self.rate_limit_window, over_client=True)
        if self.rate_limit_site and site_hits > self.rate_limit_site:
            return RateCheck(
                retry_after=self.rate_limit_window,
                over_site=True,
                can_hold=site_hits <= 2 * self.rate_limit_site,
            )
        return RateCheck()

    def _capture(self, payload, meta, rate=None):
        """Act on one submission that passed the site, origin, size and client checks:
        reject spam, validate, journal it (committed at once), then record it on a lead.

        :param payload: the submitted fields (dict), or None when the body could not be
            parsed (``meta["parse_error"]`` says why)
        :param meta: dict with ``remote_ip``, ``origin``, ``content_type``,
            ``user_agent``, ``raw_body`` (bytes), ``body_size`` and ``parse_error``
        :param rate: the ``RateCheck`` of the request
        :return: (HTTP status, JSON-able body, extra headers)
        """
        self.ensure_one()
        rate = rate or RateCheck()
        if payload is None:
            errors = [{"field": "body", "message": meta.get("parse_error") or "Unreadable body."}]
            return self._capture_refused(None, meta, rate, errors=errors)
        spam_reason = self._spam_reason(payload)
        inquiry_fields, not_text = extract_fields(
            payload, ignored=[(self.honeypot_field or "").lower()]
        )
        values, errors = self._inquiry_values(inquiry_fields, not_text)
        if rate.over_site or spam_reason or errors:
            return self._capture_refused(inquiry_fields, meta, rate, spam_reason, errors)
        Submission = self.env["crm.capture.submission"]
        submission_id = Submission._journal(self, inquiry_fields, meta)
        answer = {"reference": reference_of(submission_id)}
        if not Submission._process_committed(submission_id, values, self):
            # journaled, to be retried: accepted all the same
            return 202, answer, {}
        return 201, answer, {}

    def _capture_refused(self, inquiry_fields, meta, rate, spam_reason=False, errors=None):
        """The answer to a submission that is not recorded now, and what the journal
        keeps of it: a valid inquiry that came while the site was over its limit is held
        (within a cap) for a retry, spam and invalid ones are kept with the reason, and
        nothing is kept of spam or invalid ones over the site limit."""
        Submission = self.env["crm.capture.submission"]
        too_many = {"Retry-After": str(rate.retry_after)}
        if rate.over_site:
            if spam_reason or errors or not rate.can_hold:
                return 429, {"error": "too_many_requests"}, too_many
            # might be a real visitor caught in someone else's flood
            held_id = Submission._journal(self, inquiry_fields, meta, state="held")
            answer = {"error": "too_many_requests", "reference": reference_of(held_id)}
            return 429, answer, too_many
        if spam_reason:
            spam_id = Submission._journal(
                self, inquiry_fields, meta, state="rejected", reject_reason=spam_reason
            )
            # a bot gets the answer a person gets
            return 201, {"reference": reference_of(spam_id)}, {}
        Submission._journal(self, inquiry_fields, meta, state="invalid", errors=errors)
        return 400, {"errors": errors}, {}

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

    def _inquiry_values(self, inquiry_fields, not_text=()):
        """Clean, normalized inquiry values of the fields kept in the journal, and the
        list of field errors."""
        self.ensure_one()
        values = dict(inquiry_fields or {})
        errors = [{"field": field, "message": _("This field must be text.")} for field in not_text]
        if values.get("email"):
            values["email_normalized"] = email_normalize(values["email"])
            if not values["email_normalized"]:
                errors.append({"field": "email", "message": _("This e-mail address is not valid.")})
        if values.get("phone"):
            phone = parse_phone(values["phone"], self._phone_region())
            values["phone"], values["phone_valid"] = phone.display, phone.valid
        if not values.get("phone") and not values.get("email"):
            errors.append(
                {
                    "field": "phone",
                    "message": _("Give a phone number or an e-mail address."),
                }
            )
        values["channel"] = "form"
        return values, errors
