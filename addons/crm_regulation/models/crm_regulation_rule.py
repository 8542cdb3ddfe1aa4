import logging

from lxml import etree

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.misc import file_open

from odoo.addons.crm_phone_base.tools.compat import open_activity_sql, sql_constraints

_logger = logging.getLogger(__name__)

# One lock for the whole detection: two servers never evaluate at the same time.
DETECTION_LOCK = 4_216_006_011
DETECTIONS = [
    ("engine", "Detected by the engine"),
    ("manual", "Recorded by a person"),
]
# Where the clock of a deal starts at the earliest: an import sets it (empty: creation).
LEAD_START = SQL("lead.regulation_start_at")
NOW = SQL("(now() at time zone 'UTC')")
IDENTITY_FIELDS = {"code", "detection", "company_id"}


@sql_constraints
class CrmRegulationRule(models.Model):
    """A measurable rule of the regulation, per company, with its switch and fine.

    Detection reads like OCA ``base_exception``: ``_detect_all`` runs every active rule
    the engine detects; a rule's offenders are the SQL queries of
    ``_offender_queries`` (the deals breaking it right now), and
    ``crm.regulation.violation._sync`` opens and resolves violations from that set
    with a constant number of queries. Rules a person records (quality review) say so
    in ``detection`` and are never run by the engine.

    An addon adds or completes a rule by defining or overriding its detector,
    ``_offenders_<code>`` (or ``_offender_queries`` for several queries at once,
    ``_past_breaches_<code>`` for breaches already over): see ARCHITECTURE.md,
    "A new rule".
    """

    _name = "crm.regulation.rule"
    _description = "Regulation rule"
    _order = "company_id, code"

    code = fields.Char(
        "Rule ID",
        required=True,
        readonly=True,
        copy=True,
        help="Stable identifier used in code, data and reports (R02, Q01...).",
    )
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True, help="What the rule checks and how it counts.")
    how_to_fix = fields.Text(
        "How to fix",
        translate=True,
        help="What the salesperson does to clear a violation: shown on the deal's banner.",
    )
    detection = fields.Selection(
        DETECTIONS,
        required=True,
        default="engine",
        readonly=True,
        help="Detected by the engine: the cron opens and resolves violations. Recorded by "
        "a person: a reviewer records each violation; the engine never resolves it.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    threshold_minutes = fields.Integer(
        "Limit (working minutes)", help="Working minutes allowed before it is a violation."
    )
    severity = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")], default="medium", required=True
    )
    fine_amount = fields.Monetary("Fine", currency_field="currency_id")
    escalation_hours = fields.Integer(
        "Escalate after (hours)",
        default=24,
        help="The team leader is notified when a violation stays open this long. 0: never.",
    )
    violation_ids = fields.One2many("crm.regulation.violation", "rule_id", copy=False)
    open_violation_count = fields.Integer(compute="_compute_open_violation_count")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "Each rule exists once per company."),
        ("threshold_positive", "check(threshold_minutes >= 0)", "Limits cannot be negative."),
        ("fine_positive", "check(fine_amount >= 0)", "Fines cannot be negative."),
    ]

    def _compute_open_violation_count(self):
        counts = dict(
            self.env["crm.regulation.violation"]._read_group(
                [("rule_id", "in", self.ids), ("state", "=", "open")], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.open_violation_count = counts.get(rule, 0)

    def write(self, vals):
        """A rule's identity (what it is, who detects it, whose it is) is set by the
        addon that ships it; managers tune its switch, limit and fine."""
        fixed = IDENTITY_FIELDS.intersection(vals)
        if fixed and not self.env.su:
            raise AccessError(
                _(
                    "A rule's %s is set by the addon that ships it: switch the rule off "
                    "or tune its limit and fine instead.",
                    ", ".join(sorted(fixed)),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_violations(self):
        """Fines are evidence: a rule that has violations is switched off, not deleted
        (uninstalling the engine itself drops everything)."""
        if self.sudo().violation_ids:
            raise UserError(
                _("A rule with violations cannot be deleted (they are evidence): switch it off.")
            )

    # -------------------------------------------------------------- detection

    def action_run_detection(self):
        """Evaluate every active rule now (managers; the cron does it every 5 minutes)."""
        self.env["res.users"]._check_regulation_manager(
            _("Only a regulation manager may run the rule detection.")
        )
        return self.sudo()._detect_all()

    @api.model
    def _cron_detect(self):
        self._detect_all()
        self.env["crm.regulation.violation"]._escalate_overdue()

    @api.model
    def _detect_all(self):
        """Open and resolve violations of every active rule, once across all servers."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", DETECTION_LOCK))
        if not self.env.cr.fetchone()[0]:
            _logger.info("Regulation detection already running elsewhere: skipped")
            return False
        self.env.flush_all()
        opened = self.env["crm.regulation.violation"].browse()
        for rule in self.search([("detection", "=", "engine")]):
            opened |= rule._detect()
        opened._notify_responsible()
        return True

    def _detect(self):
        self.ensure_one()
        violations = self.env["crm.regulation.violation"]
        offenders = self._offenders()
        if offenders is None:  # nothing this rule measures exists on this database
            return violations.browse()
        self.env.flush_all()
        opened = violations._sync(self, offenders)
        for breaches in self._past_breach_queries():
            violations._record_past(self, breaches)
        return opened

    def _offenders(self):
        """SQL of (lead_id, user_id, team_id): every deal breaking the rule now, or None."""
        queries = self._offender_queries() if self.detection == "engine" else []
        return SQL(" UNION ").join(queries) if queries else None

    def _record_found(self, lead, user, team=None):
        """A violation of a rule recorded by a person (``detection`` manual): open, with
        the rule's fine, never resolved by the engine."""
        self.ensure_one()
        if self.detection != "manual":
            raise UserError(
                _("Rule %s is detected by the engine, not recorded by hand.", self.code)
            )
        return self.env["crm.regulation.violation"]._record_found(self, lead, user, team)

    # ------------------------------------------------------- extension points

    def _offender_queries(self):
        """The deals breaking this rule right now: SQL queries, each selecting
        (lead_id, user_id, team_id). Their union is the rule's offender set.

        The rule's own detector is the method ``_offenders_<code>`` (``_offenders_r02``):
        an addon adds a rule by defining the method for its code, or completes one by
        overriding it (``super()`` UNION its query). To add several queries at once,
        override this method. No query: the rule measures nothing here, and opens and
        resolves nothing.
        """
        self.ensure_one()
        detector = self._rule_method("_offenders")
        offenders = detector() if detector else None
        return [offenders] if offenders is not None else []

    def _past_breach_queries(self):
        """Breaches that began and ended between two detections (a contact made late):
        SQL queries selecting (lead_id, user_id, team_id, ended_at), recorded as
        resolved violations once per rule and deal. The rule's own is the method
        ``_past_breaches_<code>``."""
        self.ensure_one()
        detector = self._rule_method("_past_breaches")
        breaches = detector() if detector else None
        return [breaches] if breaches is not None else []

    def _rule_method(self, prefix):
        code = (self.code or "").lower()
        return getattr(self, f"{prefix}_{code}", None) if code.isidentifier() else None

    # ----------------------------------------------------------- query parts
    # For detectors: ``_scope`` is the FROM clause (aliases lead, team, company, stage),
    # ``_late`` the condition "more working minutes than the limit since an event".

    def _scope(self):
        """Open deals of this company's teams that follow the regulation."""
        return SQL(
            """crm_lead lead
               JOIN crm_team team ON team.id = lead.team_id AND team.use_regulation
               JOIN res_company company ON company.id = lead.company_id
          LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
              WHERE lead.active AND lead.company_id = %s
                AND coalesce(stage.is_won, FALSE) IS FALSE""",
            self.company_id.id,
        )

    def _calendar(self):
        return SQL("coalesce(team.resource_calendar_id, company.resource_calendar_id)")

    def _late(self, since, until=None, calendar=None, start=LEAD_START):
        """SQL condition: more working minutes than the limit elapsed since a moment.

        The clock starts at the later of ``since`` (the rule's event) and ``start``, the
        deal's regulation start: a deal imported today is judged from today, whatever
        happened to it before (``start=None`` when ``since`` already accounts for it).
        """
        if start is not None:
            since = SQL("greatest(%s, %s)", since, start)
        minutes = self.env["crm.regulation.work.interval"]._working_minutes(
            calendar or self._calendar(), since, until or NOW
        )
        return SQL("%s > %s", minutes, self.threshold_minutes)

    def _grace_over(self):
        """SQL condition for rules without an event time of their own (R07, R11): a deal
        whose regulation starts after its creation (an import) is judged once the rule's
        limit has passed since that start; a deal created in Odoo is judged at once."""
        return SQL("(%s IS NULL OR %s)", LEAD_START, self._late(LEAD_START, start=None))

    # ------------------------------------------------------------ the rules

    def _offenders_r02(self):
        """First contact: none recorded, measured from creation (or the import)."""
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                 AND greatest(lead.create_date, %(start)s) > %(now)s - interval '30 days'
                 AND NOT EXISTS (SELECT 1 FROM (%(contacts)s) contact
                                  WHERE contact.lead_id = lead.id)
                 AND %(late)s""",
            scope=self._scope(),
            start=LEAD_START,
            now=NOW,
            contacts=self.env["crm.lead"]._regulation_contact_moments(),
            late=self._late(SQL("lead.create_date")),
        )

    def _past_breaches_r02(self):
        """Deals contacted late between two detections: recorded, already resolved."""
        return SQL(
            """SELECT first.lead_id, first.user_id, first.team_id, first.contact_at
                 FROM (SELECT lead.id AS lead_id, lead.user_id, lead.team_id,
                              greatest(lead.create_date, %(start)s) AS start_at,
                              %(calendar)s AS calendar_id,
                              (SELECT min(contact.contact_at) FROM (%(contacts)s) contact
                                WHERE contact.lead_id = lead.id) AS contact_at
                         FROM %(scope)s
                      ) first
                WHERE first.contact_at IS NOT NULL
                  AND first.start_at > %(now)s - interval '30 days'
                  AND %(late)s""",
            scope=self._scope(),
            start=LEAD_START,
            now=NOW,
            calendar=self._calendar(),
            contacts=self.env["crm.lead"]._regulation_contact_moments(),
            late=self._late(
                SQL("first.start_at"),
                SQL("first.contact_at"),
                SQL("first.calendar_id"),
                start=None,
            ),
        )

    def _offenders_r03(self):
        """Unsorted stays empty: measured from entering it (or the import). The entry is
        read from the stage history, which nobody edits (the deal's "last stage update"
        is an ordinary field a salesperson could reset)."""
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                 AND stage.is_technical_inbox
                 AND EXISTS (SELECT 1 FROM crm_lead_stage_history stay
                              WHERE stay.lead_id = lead.id AND stay.left_at IS NULL
                                AND %(late)s)""",
            scope=self._scope(),
            late=self._late(SQL("stay.entered_at")),
        )

    def _offenders_r06(self):
        """No deal without a task: measured from creation (or the import)."""
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                 AND lead.type = 'opportunity'
                 AND NOT EXISTS (SELECT 1 FROM mail_activity activity
                                  WHERE activity.res_model = 'crm.lead'
                                    AND activity.res_id = lead.id AND %(open)s)
                 AND %(late)s""",
            scope=self._scope(),
            open=open_activity_sql("activity"),
            late=self._late(SQL("lead.create_date")),
        )

    def _offenders_r07(self):
        """No overdue task (a deadline day has passed); imported deals get the grace."""
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                 AND %(grace_over)s
                 AND EXISTS (SELECT 1 FROM mail_activity activity
                              WHERE activity.res_model = 'crm.lead'
                                AND activity.res_id = lead.id
                                AND activity.date_deadline < %(now)s::date AND %(open)s)""",
            scope=self._scope(),
            open=open_activity_sql("activity"),
            grace_over=self._grace_over(),
            now=NOW,
        )

    def _offenders_r11(self):
        """Deal data complete: the field gates of every stage the deal is in or past."""
        gates = (
            self.env["crm.stage.gate"]
            .sudo()
            .search([("gate_type", "=", "field"), ("stage_id.regulation_code", "!=", False)])
        )
        if not gates:
            return SQL("SELECT NULL::int, NULL::int, NULL::int WHERE FALSE")
        return SQL(" UNION ").join(self._gate_offenders(gate) for gate in gates)

    def _gate_offenders(self, gate):
        teams = (
            SQL("TRUE") if not gate.team_ids else SQL("lead.team_id = ANY(%s)", gate.team_ids.ids)
        )
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                 AND stage.regulation_code IS NOT NULL AND stage.regulation_rank >= %(rank)s
                 AND %(teams)s AND %(grace_over)s AND NOT %(filled)s""",
            scope=self._scope(),
            rank=gate.stage_id.regulation_rank,
            teams=teams,
            grace_over=self._grace_over(),
            filled=gate._filled_condition(),
        )

    def _offenders_r13(self):
        """A written note after a proposal (measured from entering Proposal sent); the
        telephony glue addon adds answered calls without a summary."""
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                 AND EXISTS (
                     SELECT 1 FROM crm_lead_stage_history stay
                       JOIN crm_stage stay_stage ON stay_stage.id = stay.stage_id
                      WHERE stay.lead_id = lead.id AND stay.left_at IS NULL
                        AND stay_stage.regulation_code = 'proposal_sent'
                        AND NOT EXISTS (SELECT 1 FROM mail_message note
                                         WHERE note.model = 'crm.lead' AND note.res_id = lead.id
                                           AND note.message_type = 'comment'
                                           AND note.date >= date_trunc('second', stay.entered_at))
                        AND %(late)s)""",
            scope=self._scope(),
            late=self._late(SQL("stay.entered_at")),
        )

    # ------------------------------------------------------ older databases

    @api.model
    def _fill_empty_texts_from_data(self, data_file, field="how_to_fix"):
        """Give every rule (of any company) whose ``field`` is empty the text of its code
        in a data file (``<addon>/data/<file>.xml``): rules are noupdate data, so an
        update never writes a text added later. A text an admin wrote stays. For the
        addons' migrations.

        :returns: the rules written
        """
        with file_open(data_file, "rb") as data:
            root = etree.parse(data).getroot()
        texts = {}
        for record in root.iter("record"):
            code = record.findtext("field[@name='code']")
            text = record.findtext(f"field[@name='{field}']")
            if record.get("model") == self._name and code and text:
                texts[code.strip()] = text.strip()
        rules = (
            self.with_context(active_test=False)
            .search([("code", "in", list(texts))])
            .filtered(lambda rule: not (rule[field] or "").strip())
        )
        for code in set(rules.mapped("code")):
            rules.filtered(lambda rule, code=code: rule.code == code).write({field: texts[code]})
        return rules
