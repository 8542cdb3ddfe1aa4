from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL, email_normalize, plaintext2html

from odoo.addons.crm_phone_base.tools import parse_phone
from odoo.addons.crm_phone_base.tools.compat import domain_and, domain_or

from ..tools.email_body import parse_email_body
from ..tools.utm import RECORD_DIMENSIONS, TEXT_DIMENSIONS, UTM_DIMENSIONS
from .crm_capture_submission import reference_of

DEFAULT_DEDUPE_DAYS = 30
DEDUPE_DAYS_PARAM = "crm_utm_capture.dedupe_days"
DEDUPE_CLOSED_PARAM = "crm_utm_capture.dedupe_closed"


class CrmLead(models.Model):
    _inherit = "crm.lead"

    last_source_id = fields.Many2one(
        "utm.source", "Last-touch source", index="btree_not_null", ondelete="set null"
    )
    last_medium_id = fields.Many2one(
        "utm.medium", "Last-touch medium", index="btree_not_null", ondelete="set null"
    )
    last_campaign_id = fields.Many2one(
        "utm.campaign", "Last-touch campaign", index="btree_not_null", ondelete="set null"
    )
    last_utm_term = fields.Char("Last-touch keyword")
    last_utm_content = fields.Char("Last-touch content")
    touchpoint_ids = fields.One2many("crm.touchpoint", "lead_id", "Touchpoints")
    touchpoint_count = fields.Integer(compute="_compute_touchpoint_count")
    capture_site_id = fields.Many2one(
        "crm.capture.site", "Captured on", index="btree_not_null", ondelete="set null"
    )
    capture_extra = fields.Json("Extra form fields", readonly=True)
    capture_extra_html = fields.Html(
        "Other form fields", compute="_compute_capture_extra_html", sanitize=True
    )
    phone_invalid = fields.Boolean(
        "Phone not recognized",
        readonly=True,
        help="The phone number of the inquiry is not a valid number: it is kept as typed.",
    )

    def _compute_touchpoint_count(self):
        counts = dict(
            self.env["crm.touchpoint"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.touchpoint_count = counts.get(lead, 0)

    @api.depends("capture_extra")
    def _compute_capture_extra_html(self):
        for lead in self:
            extra = lead.capture_extra if isinstance(lead.capture_extra, dict) else {}
            lead.capture_extra_html = (
                Markup("<ul>%s</ul>")
                % Markup().join(
                    Markup("<li><b>%s</b>: %s</li>") % (key, value) for key, value in extra.items()
                )
                if extra
                else False
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # until a later touch, the last touch is the first one
            for dimension in UTM_DIMENSIONS:
                if vals.get(dimension.field) and dimension.last_field not in vals:
                    vals[dimension.last_field] = vals[dimension.field]
        return super().create(vals_list)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A lead from an e-mail to a team's alias: read UTM tags and contact fields of an
        e-mailed web form from the body. A team that chose dedupe adds an e-mail that
        matches an open deal to that deal; other teams keep Odoo's behaviour (a lead
        per new e-mail thread)."""
        custom_values = dict(custom_values or {})
        team = self.env["crm.team"].browse(custom_values.get("team_id")).exists()
        company = team.company_id or self.env.company
        inquiry = self._capture_email_inquiry(msg_dict, company)
        if team.inquiry_dedupe:
            duplicate = self._capture_find_duplicate(inquiry, company, lock=True)
            if duplicate:
                duplicate._capture_add_touch(inquiry)
                return duplicate
        inquiry["utm_values"] = self.env["crm.touchpoint"]._utm_values(inquiry)
        values = {
            fname: value
            for fname, value in self._capture_lead_values(inquiry).items()
            # what the body does not say is left to the gateway (e.g. from the author)
            if value or fname in inquiry["utm_values"]
        }
        values.pop("name", None)
        values.update(custom_values)
        stage = self._capture_stage(team, self.env["res.users"].browse(values.get("user_id")))
        if stage and "stage_id" not in custom_values:
            values["stage_id"] = stage.id
        if inquiry.get("email"):
            # the contact of the form, not the mailer that sent it
            msg_dict = dict(msg_dict, email_from=inquiry["email"])
        lead = super().message_new(msg_dict, custom_values=values)
        self.env["crm.touchpoint"].create(
            dict(
                self.env["crm.touchpoint"]._values_from_inquiry(inquiry, lead),
                is_first_touch=True,
            )
        )
        return lead

    def action_view_touchpoints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_utm_capture.crm_touchpoint_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Capture
    # ------------------------------------------------------------------

    @api.model
    def _capture_email_inquiry(self, msg_dict, company):
        inquiry = parse_email_body(msg_dict.get("body") or "")
        # a form e-mailed by the site comes from the site's mailer: only a plain e-mail
        # comes from the customer
        sender = "" if inquiry else msg_dict.get("email_from") or ""
        inquiry["channel"] = "email"
        inquiry["email_normalized"] = email_normalize(inquiry.get("email") or sender)
        if inquiry.get("phone"):
            phone = parse_phone(inquiry["phone"], company.country_id)
            inquiry["phone"], inquiry["phone_valid"] = phone.display, phone.valid
        return inquiry

    @api.model
    def _capture_stage(self, team, user):
        """The stage of a lead captured for ``team`` and assigned to ``user`` (either may
        be empty), or an empty recordset for Odoo's default stage of the team.
        Extension point: the regulation sends its teams' inquiries to its own inbox."""
        return self.env["crm.stage"]

    @api.model
    def _capture_duplicate_domain(self, inquiry, company):
        """Open deals (or any deal, by setting) with the same phone or e-mail, created
        within the matching window; an empty domain when the window is 0."""
        params = self.env["ir.config_parameter"].sudo()
        days = params.get_param(DEDUPE_DAYS_PARAM, DEFAULT_DEDUPE_DAYS)
        days = int(days) if str(days).isdigit() else DEFAULT_DEDUPE_DAYS
        contact_domains = []
        if inquiry.get("phone") and inquiry.get("phone_valid"):
            contact_domains.append([("phone_sanitized", "=", inquiry["phone"])])
        if inquiry.get("email_normalized"):
            contact_domains.append([("email_normalized", "=", inquiry["email_normalized"])])
        if days <= 0 or not contact_domains:
            return []
        domain = domain_and(
            [
                domain_or(contact_domains),
                [("create_date", ">=", fields.Datetime.now() - timedelta(days=days))],
                [("company_id", "in", [company.id, False])],
            ]
        )
        if not params.get_param(DEDUPE_CLOSED_PARAM):
            domain = domain_and([domain, [("active", "=", True), ("stage_id.is_won", "=", False)]])
        return domain

    @api.model
    def _capture_find_duplicate(self, inquiry, company, lock=False):
        """The deal a repeat inquiry belongs to, or an empty recordset.

        :param lock: first serialize with concurrent inquiries of the same contact (see
            ``crm.capture.contact.lock``): needed unless the caller already holds it. The
            lock and the look-up are one statement.
        """
        return self._capture_lock_and_find(inquiry, company, lock=lock)[0]

    @api.model
    def _capture_lock_and_find(self, inquiry, company, lock=True, utm_names=None):
        """``_capture_find_duplicate``, and the UTM records named by ``utm_names``
        ({dimension: name}, see ``crm.touchpoint._utm_lookups``) looked up in the same
        statement: returns (deal or empty recordset, {dimension: record id}, or None
        when they were not looked up)."""
        domain = self._capture_duplicate_domain(inquiry, company)
        if not domain:
            return self.browse(), None
        leads = self.with_context(active_test=False)
        lock_query = lock and self.env["crm.capture.contact.lock"]._lock_query(
            self._capture_contact_keys(inquiry)
        )
        if not lock_query:
            return leads.search(domain, order="id desc", limit=1), None
        utm_names = utm_names or {}
        found = leads._search(domain, order="id desc", limit=1).select()
        query = SQL(
            "WITH contact_lock AS (%s) SELECT %s",
            lock_query,
            SQL(", ").join(
                [SQL("(%s)", found), *self.env["crm.touchpoint"]._utm_lookups(utm_names)]
            ),
        )
        self.env.flush_query(query)
        # a serialization failure here is expected: the caller starts again
        self.env.cr.execute(query, log_exceptions=False)
        lead_id, *utm_ids = self.env.cr.fetchone()
        utm_found = {dim: record_id for dim, record_id in zip(utm_names, utm_ids, strict=True)}
        return (
            leads.browse(lead_id or []),
            {dim: record_id for dim, record_id in utm_found.items() if record_id},
        )

    @api.model
    def _capture_contact_keys(self, inquiry):
        return [
            inquiry.get("phone") if inquiry.get("phone_valid") else None,
            inquiry.get("email_normalized"),
        ]

    @api.model
    def _capture_lead_values(self, inquiry, site=None):
        contact = inquiry.get("name") or inquiry.get("email") or inquiry.get("phone") or ""
        values = {
            "name": _("%(site)s: %(contact)s", site=site.name, contact=contact)
            if site
            else contact,
            "contact_name": inquiry.get("name") or False,
            "partner_name": inquiry.get("company") or False,
            "phone": inquiry.get("phone") or False,
            "phone_invalid": bool(inquiry.get("phone")) and not inquiry.get("phone_valid"),
            "capture_site_id": site.id if site else False,
            "capture_extra": inquiry.get("extra") or False,
        }
        if inquiry.get("email"):
            values["email_from"] = inquiry["email"]
        if inquiry.get("message"):
            values["description"] = plaintext2html(inquiry["message"])
        lead_fields = {dimension.field for dimension in UTM_DIMENSIONS}
        values.update(
            {fname: value for fname, value in inquiry["utm_values"].items() if fname in lead_fields}
        )
        if site:
            values.update(
                {
                    "type": "opportunity",
                    "company_id": site.company_id.id,
                    "team_id": site.team_id.id,
                    "user_id": site.user_id.id,
                }
            )
            stage = site.stage_id or self._capture_stage(site.team_id, site.user_id)
            if stage:
                values["stage_id"] = stage.id
        return values

    @api.model
    def _capture_inquiry(self, inquiry, site=None, submission=None, dedupe=None):
        """Record one inquiry: a touchpoint on the matching open deal, or a new lead.
        Returns the touchpoint. Other channels (calls, messengers) can call it with
        ``inquiry["channel"]`` and no site.

        :param inquiry: clean values (see ``crm.capture.site._inquiry_values``): name,
            phone (E.164 when ``phone_valid``), email and ``email_normalized``, company,
            message, UTM tags, click ids, landing_url, referrer, extra, channel
        :param dedupe: whether a repeat inquiry joins the open deal of its contact;
            default: the site's choice, or yes without a site
        """
        inquiry = dict(inquiry)
        company = site.company_id if site else self.env.company
        if dedupe is None:
            dedupe = site.dedupe if site else True
        Touchpoint = self.env["crm.touchpoint"]
        duplicate, utm_found = self.browse(), None
        if dedupe:
            # the UTM records are looked up by the statement that locks and looks up
            utm_names = {dim: name for dim, name in Touchpoint._utm_names(inquiry).items() if name}
            duplicate, utm_found = self._capture_lock_and_find(
                inquiry, company, utm_names=utm_names
            )
        inquiry["utm_values"] = Touchpoint._utm_values(inquiry, found=utm_found)
        if duplicate:
            return duplicate._capture_add_touch(inquiry, site=site, submission=submission)
        lead = self._capture_create_lead(self._capture_lead_values(inquiry, site), site, submission)
        values = dict(
            Touchpoint._values_from_inquiry(
                inquiry, lead, site, submission, company=site.company_id if site else None
            ),
            is_first_touch=True,
        )
        if submission:
            return Touchpoint._create_recording(values, submission, is_duplicate=False)
        return Touchpoint.create(values)

    @api.model
    def _capture_create_lead(self, values, site=None, submission=None):
        """Create the lead of a new inquiry, with one line in its chatter.

        Odoo posts a creation message to notify the new lead's followers, for about ten
        queries (author, reply-to address, recipients...). A lead that nobody follows
        (no salesperson, no follower of its team) has nobody to notify: it gets a log of
        the same text that also says where the inquiry came from, for three queries.
        Crons a new lead wakes (enrichment) are not woken again while a wake-up is due
        (see ``ir.cron._trigger_list``).
        """
        lead = self._with_cheap_creation().create(values).with_env(self.env)
        if lead.message_follower_ids:
            lead._capture_post_creation_message()
            return lead
        body = Markup("<p>%s</p>") % lead._creation_message()
        if site and submission:
            body += Markup("<p>%s</p>") % _(
                "Inquiry %(reference)s from the site %(site)s.",
                reference=reference_of(submission.id),
                site=site.name,
            )
        lead._message_log(
            body=body,
            author_id=self.env["ir.model.data"]._xmlid_to_res_id("base.partner_root"),
            email_from=False,  # a log is not e-mailed: no sender address to compute
        )
        return lead

    def _capture_post_creation_message(self):
        """Odoo's creation message, posted as ``mail.thread.create`` posts it."""
        self.ensure_one()
        subtype = self._creation_subtype()
        self.sudo().message_post(
            subtype_id=subtype.id,
            author_id=self.env.user.partner_id.id,
            body=Markup('<div summary="o_mail_notification"><p>%s</p></div>')
            % self._creation_message(),
        )

    def _capture_add_touch(self, inquiry, site=None, submission=None):
        """A repeated inquiry on this deal: a touchpoint marked as appended and a note
        that notifies the salesperson. The deal itself is not changed: whoever knows a
        customer's phone or e-mail can send such an inquiry."""
        self.ensure_one()
        Touchpoint = self.env["crm.touchpoint"]
        values = dict(
            Touchpoint._values_from_inquiry(inquiry, self, site, submission), is_appended=True
        )
        if submission:
            touchpoint = Touchpoint._create_recording(values, submission, is_duplicate=True)
        else:
            touchpoint = Touchpoint.create(values)
        self.message_post(
            body=self._capture_summary(inquiry, touchpoint),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=self.user_id.partner_id.ids,
        )
        return touchpoint

    def _capture_summary(self, inquiry, touchpoint):
        def label(fname):
            return touchpoint._fields[fname].get_description(self.env)["string"]

        utm_rows = []
        for dimension in RECORD_DIMENSIONS:
            utm_rows.append((label(dimension.field), touchpoint[dimension.field].display_name))
            utm_rows.append((label(dimension.text_field), touchpoint[dimension.text_field]))
        utm_rows += [
            (label(dimension.field), touchpoint[dimension.field]) for dimension in TEXT_DIMENSIONS
        ]
        rows = [
            (_("Name"), inquiry.get("name")),
            (_("Phone"), inquiry.get("phone")),
            (_("E-mail"), inquiry.get("email")),
            (_("Company"), inquiry.get("company")),
            *utm_rows,
            (_("Landing page"), touchpoint.landing_url),
            (_("Message"), inquiry.get("message")),
        ]
        channel = dict(touchpoint._fields["channel"]._description_selection(self.env))[
            touchpoint.channel
        ]
        return Markup("<p>%s</p><ul>%s</ul>") % (
            _(
                "New inquiry (%(channel)s) with the phone or e-mail of this deal. It was "
                "added without changing the deal: check with the customer that it is "
                "theirs.",
                channel=channel,
            ),
            Markup().join(
                Markup("<li><b>%s</b>: %s</li>") % (label, value) for label, value in rows if value
            ),
        )
