from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime


class CrmRegulationViolation(models.Model):
    """A deal breaking a rule: opened by the detection, resolved when the condition clears.

    ``is_current`` marks the violation of the condition as it stands now (open, or
    waived while the condition lasts). A partial unique index on (rule, deal) over the
    current ones makes two detections running at once unable to open duplicates, and
    keeps a waived violation waived until its condition clears.

    Violations are evidence of fines: nobody but the administrator writes or deletes
    them (the engine inserts and resolves them in SQL, a manager waives one through
    ``action_waive``, which records who, when and why), and they outlive their deal.
    """

    _name = "crm.regulation.violation"
    _description = "Regulation violation"
    _inherit = ["mail.thread"]
    _order = "detected_at desc, id desc"
    _rec_name = "rule_id"
    # Commenting is not changing: whoever reads a violation may discuss it.
    _mail_post_access = "read"

    rule_id = fields.Many2one(
        "crm.regulation.rule", required=True, index=True, readonly=True, ondelete="restrict"
    )
    rule_code = fields.Char(related="rule_id.code", store=True, string="Rule ID")
    severity = fields.Selection(related="rule_id.severity", store=True)
    lead_id = fields.Many2one(
        "crm.lead", string="Deal", index=True, ondelete="set null", readonly=True, tracking=True
    )
    lead_name = fields.Char(
        "Deal name", readonly=True, help="Kept when the deal is deleted: the fine stays."
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", index=True, readonly=True, tracking=True
    )
    team_id = fields.Many2one("crm.team", string="Sales team", index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    detected_at = fields.Datetime(required=True, index=True, readonly=True)
    resolved_at = fields.Datetime(readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved"), ("waived", "Waived")],
        default="open",
        required=True,
        index=True,
        readonly=True,
        tracking=True,
    )
    is_current = fields.Boolean(default=True, readonly=True)
    fine = fields.Monetary(currency_field="currency_id", readonly=True, tracking=True)
    fine_due = fields.Monetary(
        "Fine due",
        currency_field="currency_id",
        readonly=True,
        help="The fine the salesperson pays: none once the violation is waived.",
    )
    waived_by_id = fields.Many2one("res.users", readonly=True)
    waived_at = fields.Datetime(readonly=True)
    waive_reason = fields.Text(readonly=True, tracking=True)
    escalated_at = fields.Datetime(readonly=True)
    how_to_fix = fields.Text(related="rule_id.how_to_fix")
    deadline = fields.Datetime(
        "Clear before",
        compute="_compute_deadline",
        help="While open after this moment, the violation is escalated to the team leader.",
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS crm_regulation_violation_one_current
                   ON crm_regulation_violation (rule_id, lead_id) WHERE is_current"""
            )
        )

    @api.depends("detected_at", "rule_id.escalation_hours", "state")
    def _compute_deadline(self):
        for violation in self:
            hours = violation.rule_id.escalation_hours
            violation.deadline = (
                violation.detected_at + timedelta(hours=hours)
                if hours and violation.detected_at and violation.state == "open"
                else False
            )

    @api.depends("rule_id", "lead_name")
    def _compute_display_name(self):
        for violation in self:
            violation.display_name = " — ".join(
                filter(None, [violation.rule_id.display_name, violation.lead_name])
            )

    # --------------------------------------------------------------- actions

    def action_waive(self, reason):
        """Cancel the fine of these violations, recording who, when and why."""
        self.env["res.users"]._check_regulation_manager(
            _("Only a regulation manager may waive a violation.")
        )
        if not (reason or "").strip():
            raise UserError(_("Waiving a violation needs a reason."))
        if self.filtered(lambda violation: violation.state == "waived"):
            raise UserError(_("This violation is already waived."))
        self.sudo().write(
            {
                "state": "waived",
                "waived_by_id": self.env.uid,
                "waived_at": fields.Datetime.now(),
                "waive_reason": reason.strip(),
                "fine_due": 0,
            }
        )
        return True

    def _banner_line(self):
        """One line of the deal's banner: the rule, what clears it, and by when."""
        self.ensure_one()
        line = Markup("<li><strong>%s</strong>: %s") % (
            self.rule_id.display_name,
            self.how_to_fix or self.rule_id.description or "",
        )
        if self.deadline:
            line += Markup(" <em>%s</em>") % _(
                "(clear before %s)", format_datetime(self.env, self.deadline, dt_format="short")
            )
        return line + Markup("</li>")

    # ------------------------------------------------------------- detection

    @api.model
    def _sync(self, rule, offenders):
        """Open violations for new offenders, resolve those whose condition cleared."""
        opened = self._insert_violations(
            rule,
            SQL(
                """SELECT DISTINCT ON (offender.lead_id) offender.lead_id, offender.user_id,
                          offender.team_id, %(now)s::timestamp, NULL::timestamp
                     FROM (%(offenders)s) AS offender(lead_id, user_id, team_id)
                    WHERE offender.lead_id IS NOT NULL""",
                now=self.env.cr.now(),
                offenders=offenders,
            ),
            current=True,
        )
        self._resolve_missing(rule, offenders)
        return opened

    @api.model
    def _record_past(self, rule, breaches):
        """Record breaches already over (e.g. a late first contact) as resolved, once per
        rule and deal."""
        return self._insert_violations(
            rule,
            SQL(
                """SELECT breach.lead_id, breach.user_id, breach.team_id, breach.ended_at,
                          breach.ended_at
                     FROM (%(breaches)s) AS breach(lead_id, user_id, team_id, ended_at)
                    WHERE NOT EXISTS (SELECT 1 FROM crm_regulation_violation known
                                       WHERE known.rule_id = %(rule)s
                                         AND known.lead_id = breach.lead_id)""",
                rule=rule.id,
                breaches=breaches,
            ),
        )

    @api.model
    def _record_found(self, rule, lead, user, team=None):
        """A violation a person found (quality review): open until a manager waives it;
        not current, so the detection never resolves it."""
        return self._insert_violations(
            rule,
            SQL(
                "SELECT %s, %s, %s, %s::timestamp, NULL::timestamp",
                lead.id,
                user.id or None,
                (team or lead.team_id).id or None,
                self.env.cr.now(),
            ),
        )

    @api.model
    def _insert_violations(self, rule, rows, current=False):
        """The one statement that creates violations, for the engine and for people.

        ``rows`` selects (lead_id, user_id, team_id, detected_at, resolved_at); a row
        without ``resolved_at`` is open. ``current`` rows stand for the condition as it
        is now: one per rule and deal, a second detection opens no duplicate. The fine
        is the rule's (none while the rule is switched off); the deal's name is kept
        so that the violation outlives the deal.
        """
        now = self.env.cr.now()
        self.env["crm.lead"].flush_model(["name"])
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_regulation_violation
                       (rule_id, rule_code, severity, lead_id, lead_name, user_id, team_id,
                        company_id, detected_at, resolved_at, state, is_current, fine,
                        fine_due, create_uid, create_date, write_uid, write_date)
                   SELECT %(rule)s, %(code)s, %(severity)s, found.lead_id, lead.name,
                          found.user_id, found.team_id, %(company)s, found.detected_at,
                          found.resolved_at,
                          CASE WHEN found.resolved_at IS NULL THEN 'open' ELSE 'resolved' END,
                          %(current)s, %(fine)s, %(fine)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM (%(rows)s) AS found(lead_id, user_id, team_id, detected_at,
                                              resolved_at)
                     JOIN crm_lead lead ON lead.id = found.lead_id
                   %(on_conflict)s
                   RETURNING id""",
                rule=rule.id,
                code=rule.code,
                severity=rule.severity,
                company=rule.company_id.id,
                current=current,
                fine=(rule.fine_amount or 0) if rule.active else 0,
                uid=self.env.uid,
                now=now,
                rows=rows,
                on_conflict=SQL("ON CONFLICT (rule_id, lead_id) WHERE is_current DO NOTHING")
                if current
                else SQL(),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _resolve_cleared(self, leads, codes):
        """Re-check the rules a change may clear for these deals, without the cron."""
        current = self.sudo().search(
            [("lead_id", "in", leads.ids), ("rule_code", "in", codes), ("is_current", "=", True)]
        )
        if current:
            self.env.flush_all()  # the rule queries read the database
        for rule in current.rule_id:
            offenders = rule._offenders()
            if offenders is not None:
                self._resolve_missing(rule, offenders, leads)

    @api.model
    def _resolve_missing(self, rule, offenders, leads=None):
        """Resolve the current violations of the rule whose deal is no longer an offender
        (only those of ``leads`` when given); waived ones stay waived."""
        now = self.env.cr.now()
        only_leads = SQL("TRUE") if leads is None else SQL("violation.lead_id = ANY(%s)", leads.ids)
        self.env.cr.execute(
            SQL(
                """UPDATE crm_regulation_violation violation
                      SET is_current = FALSE,
                          state = CASE WHEN state = 'open' THEN 'resolved' ELSE state END,
                          resolved_at = CASE WHEN state = 'open' THEN %(now)s ELSE resolved_at END,
                          write_date = %(now)s
                    WHERE violation.rule_id = %(rule)s AND violation.is_current
                      AND %(only_leads)s
                      AND NOT EXISTS (SELECT 1 FROM (%(offenders)s)
                                          AS offender(lead_id, user_id, team_id)
                                       WHERE offender.lead_id = violation.lead_id)""",
                now=now,
                rule=rule.id,
                only_leads=only_leads,
                offenders=offenders,
            )
        )
        self.invalidate_model()

    # ---------------------------------------------------------- notification

    def _notify_responsible(self):
        """Tell each responsible about their new violations in their inbox."""
        for violation in self.filtered("user_id"):
            violation.lead_id.sudo().message_post(
                body=_(
                    "Regulation violation %(rule)s: %(name)s.",
                    rule=violation.rule_code,
                    name=violation.rule_id.name,
                ),
                partner_ids=violation.user_id.partner_id.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _escalate_overdue(self):
        """Notify the team leader of violations open longer than the rule allows."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE crm_regulation_violation violation
                      SET escalated_at = now() at time zone 'UTC'
                     FROM crm_regulation_rule rule
                    WHERE rule.id = violation.rule_id AND violation.state = 'open'
                      AND violation.escalated_at IS NULL AND rule.escalation_hours > 0
                      AND violation.detected_at < (now() at time zone 'UTC')
                                                  - make_interval(hours => rule.escalation_hours)
                RETURNING violation.id"""
            )
        )
        escalated = self.browse([row[0] for row in self.env.cr.fetchall()])
        self.invalidate_model(["escalated_at"])
        for violation in escalated.filtered("team_id.user_id"):
            violation.lead_id.sudo().message_post(
                body=_(
                    "Regulation violation %(rule)s still open since %(since)s: escalated to "
                    "the team leader.",
                    rule=violation.rule_code,
                    since=violation.detected_at,
                ),
                partner_ids=violation.team_id.user_id.partner_id.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        return escalated
