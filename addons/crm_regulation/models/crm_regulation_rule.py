import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

RULE_CODES = [
    ("R02", "R02 First contact in time"),
    ("R03", "R03 Unsorted stays empty"),
    ("R04", "R04 Missed calls called back"),
    ("R06", "R06 No deal without a task"),
    ("R07", "R07 No overdue tasks"),
    ("R11", "R11 Deal data complete"),
    ("R13", "R13 A written note after every action"),
]
# One lock for the whole detection: two servers never evaluate at the same time.
DETECTION_LOCK = 4_216_006_011


class CrmRegulationRule(models.Model):
    """A measurable rule of the regulation, per company, with its switch and fine.

    Detection reads like base_exception: ``_detect_all`` runs every active rule;
    ``_offenders_<code>`` returns the SQL of the deals breaking it right now, and
    ``crm.regulation.violation._sync`` opens and resolves violations from that set
    with a constant number of queries.
    """

    _name = "crm.regulation.rule"
    _description = "Regulation rule"
    _order = "company_id, code"
    _check_company_auto = True

    code = fields.Selection(RULE_CODES, required=True, readonly=True, copy=True)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True, help="What the rule checks and how it counts.")
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

    # -------------------------------------------------------------- detection

    def action_run_detection(self):
        """Evaluate every active rule now (managers; the cron does it every 5 minutes)."""
        if not self.env.user.has_group("crm_regulation.group_regulation_manager"):
            raise AccessError(_("Only a regulation manager may run the rule detection."))
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
        violations = self.env["crm.regulation.violation"]
        opened = violations.browse()
        for rule in self.search([]):
            opened |= rule._detect()
        opened._notify_responsible()
        return True

    def _detect(self):
        self.ensure_one()
        self.env.flush_all()
        offenders = getattr(self, f"_offenders_{self.code.lower()}")()
        violations = self.env["crm.regulation.violation"]
        if offenders is None:  # the data this rule reads is not available
            return violations.browse()
        opened = violations._sync(self, offenders)
        past = getattr(self, f"_past_breaches_{self.code.lower()}", lambda: None)()
        if past is not None:
            violations._record_past(self, past)
        return opened

    # ----------------------------------------------------------- rule queries
    # Each returns SQL selecting (lead_id, user_id, team_id) of the offenders.

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

    def _late(self, since, until=None, calendar=None):
        """SQL condition: more working minutes than the limit elapsed since a moment."""
        minutes = self.env["crm.regulation.work.interval"]._working_minutes(
            calendar or self._calendar(), since, until or SQL("(now() at time zone 'UTC')")
        )
        return SQL("%s > %s", minutes, self.threshold_minutes)

    def _offenders_r02(self):
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                 AND lead.create_date > (now() at time zone 'UTC') - interval '30 days'
                 AND NOT EXISTS (SELECT 1 FROM (%(contacts)s) contact
                                  WHERE contact.lead_id = lead.id)
                 AND %(late)s""",
            scope=self._scope(),
            contacts=self.env["crm.lead"]._regulation_contact_moments(),
            late=self._late(SQL("lead.create_date")),
        )

    def _past_breaches_r02(self):
        """Deals contacted late between two detections: recorded, already resolved."""
        return SQL(
            """SELECT first.lead_id, first.user_id, first.team_id, first.contact_at
                 FROM (SELECT lead.id AS lead_id, lead.user_id, lead.team_id, lead.create_date,
                              %(calendar)s AS calendar_id,
                              (SELECT min(contact.contact_at) FROM (%(contacts)s) contact
                                WHERE contact.lead_id = lead.id) AS contact_at
                         FROM %(scope)s
                          AND lead.create_date > (now() at time zone 'UTC') - interval '30 days'
                      ) first
                WHERE first.contact_at IS NOT NULL AND %(late)s""",
            scope=self._scope(),
            calendar=self._calendar(),
            contacts=self.env["crm.lead"]._regulation_contact_moments(),
            late=self._late(
                SQL("first.create_date"), SQL("first.contact_at"), SQL("first.calendar_id")
            ),
        )

    def _offenders_r03(self):
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                 AND stage.is_technical_inbox AND %(late)s""",
            scope=self._scope(),
            late=self._late(SQL("lead.date_last_stage_update")),
        )

    def _offenders_r04(self):
        return self.env["crm.lead"]._regulation_missed_call_offenders(self)

    def _offenders_r06(self):
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                 AND lead.type = 'opportunity'
                 AND NOT EXISTS (SELECT 1 FROM mail_activity activity
                                  WHERE activity.res_model = 'crm.lead'
                                    AND activity.res_id = lead.id)
                 AND %(late)s""",
            scope=self._scope(),
            late=self._late(SQL("lead.create_date")),
        )

    def _offenders_r07(self):
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                 AND EXISTS (SELECT 1 FROM mail_activity activity
                              WHERE activity.res_model = 'crm.lead'
                                AND activity.res_id = lead.id
                                AND activity.date_deadline < (now() at time zone 'UTC')::date)""",
            scope=self._scope(),
        )

    def _offenders_r11(self):
        gates = (
            self.env["crm.stage.gate"]
            .sudo()
            .search([("gate_type", "=", "field"), ("stage_id.regulation_code", "!=", False)])
        )
        if not gates:
            return SQL("SELECT NULL::int, NULL::int, NULL::int WHERE FALSE")
        return SQL(" UNION ").join(self._gate_offenders(gate) for gate in gates)

    def _gate_offenders(self, gate):
        leads = self.env["crm.lead"].sudo().with_context(active_test=False)
        filled = leads._search(gate._filled_domain())
        teams = (
            SQL("TRUE") if not gate.team_ids else SQL("lead.team_id = ANY(%s)", gate.team_ids.ids)
        )
        return SQL(
            """SELECT lead.id, lead.user_id, lead.team_id FROM %(scope)s
                 AND stage.regulation_code IS NOT NULL AND stage.sequence >= %(sequence)s
                 AND %(teams)s AND lead.id NOT IN (%(filled)s)""",
            scope=self._scope(),
            sequence=gate.stage_id.sequence,
            teams=teams,
            filled=filled.subselect(),
        )

    def _offenders_r13(self):
        calls = self.env["crm.lead"]._regulation_calls_without_note(self)
        proposals = SQL(
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
        return proposals if calls is None else SQL("%s UNION %s", proposals, calls)
