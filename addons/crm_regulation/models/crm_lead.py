import re
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.crm_phone_base.tools.compat import GROUP_ALL_USERS, GROUP_USERS, id_in_sql

FORCE_REASON_KEY = "regulation_force_reason"
# Changing these may take a deal out of the regulation pipeline (a new salesperson
# from another team changes the team).
PIPELINE_FIELDS = {"stage_id", "team_id", "user_id"}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    stage_history_ids = fields.One2many(
        "crm.lead.stage.history", "lead_id", string="Stage history", readonly=True
    )
    use_regulation = fields.Boolean(related="team_id.use_regulation")
    regulation_attachment_ids = fields.One2many(
        "ir.attachment",
        "res_id",
        string="Documents",
        domain=[("res_model", "=", "crm.lead")],
        help="Files of the deal with their document type (contract, invoice, proposal...).",
    )
    document_user_id = fields.Many2one(
        "res.users",
        string="Documents responsible",
        tracking=True,
        index="btree_not_null",
        domain="[('share', '=', False)]",
        help="Prepares the documents of the deal (e.g. an office manager) beside the "
        "salesperson: sees the deal and gets its document activities.",
    )
    regulation_start_at = fields.Datetime(
        "Regulation measured from",
        readonly=True,
        copy=False,
        help="The rules judge what happened to the deal from this moment on; empty: "
        "from its creation. An import sets it to the import time, so that nobody is "
        "fined for what happened before the deal came into Odoo.",
    )
    regulation_rotting = fields.Boolean(
        "Is Rotting",  # not is_rotting: Odoo 19.0's crm has a rotting feature of its own
        compute="_compute_regulation_rotting",
        search="_search_regulation_rotting",
        help="The deal stays in its stage longer than the stage allows.",
    )
    days_in_stage = fields.Integer(compute="_compute_regulation_rotting")
    regulation_open_violation_count = fields.Integer(
        "Open violations", compute="_compute_regulation_violation_banner"
    )
    regulation_violation_banner = fields.Html(
        "What to do",
        compute="_compute_regulation_violation_banner",
        sanitize=False,  # built from escaped text only
        help="The deal's open violations and what clears each of them.",
    )

    @api.depends("date_last_stage_update", "stage_id.max_days_in_stage")
    def _compute_regulation_rotting(self):
        now = fields.Datetime.now()
        for lead in self:
            since = lead.date_last_stage_update or now
            lead.days_in_stage = (now - since).days
            limit = lead.stage_id.max_days_in_stage
            lead.regulation_rotting = bool(lead.active and limit and lead.days_in_stage > limit)

    def _compute_regulation_violation_banner(self):
        """Open violations of the deal and how to clear them, for whoever opens it (the
        violations themselves stay readable by their own and the managers only)."""
        violations = (
            self.env["crm.regulation.violation"]
            .sudo()
            .search([("lead_id", "in", self.ids), ("state", "=", "open")])
        )
        for lead in self:
            mine = violations.filtered(lambda violation, lead=lead: violation.lead_id == lead)
            lead.regulation_open_violation_count = len(mine)
            lead.regulation_violation_banner = (
                Markup("<ul class='mb-0'>%s</ul>")
                % Markup().join(violation._banner_line() for violation in mine)
                if mine
                else False
            )

    def _search_regulation_rotting(self, operator, value):
        if operator in ("in", "not in") and len(value) == 1:  # 19.0 gives ("in", [True])
            operator, value = ("=" if operator == "in" else "!="), bool(next(iter(value)))
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on rotting deals."))
        rotting = SQL(
            """(SELECT lead.id FROM crm_lead lead
                 JOIN crm_stage stage ON stage.id = lead.stage_id
                WHERE stage.max_days_in_stage > 0 AND lead.active
                  AND lead.date_last_stage_update < now() at time zone 'UTC'
                      - make_interval(days => stage.max_days_in_stage + 1))"""
        )
        return id_in_sql(rotting, negate=(operator == "=") != value)

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self._check_regulation_start(vals_list)
        leads = super().create(vals_list)
        leads._check_deal_name_standard()
        staged = leads.filtered("stage_id")
        self._regulation_after_move(staged, {}, {})
        leads.filtered("document_user_id")._notify_document_user()
        return leads

    def write(self, vals):
        stage_change = "stage_id" in vals
        old_stages = {lead.id: lead.stage_id for lead in self} if stage_change else {}
        old_dates = {lead.id: lead.date_last_stage_update for lead in self} if stage_change else {}
        if "regulation_start_at" in vals:
            self.env["res.users"]._check_regulation_manager(
                _("Only a regulation manager may move the moment the rules judge a deal from.")
            )
        in_pipeline = self._in_regulation_pipeline() if PIPELINE_FIELDS.intersection(vals) else None
        if vals.get("active") is False:
            self._check_lost_reason(vals)
        result = super().write(vals)
        if in_pipeline:
            in_pipeline._check_stays_in_regulation_pipeline()
        if stage_change:
            moved = self.filtered(lambda lead: old_stages[lead.id] != lead.stage_id)
            self._regulation_after_move(moved, old_stages, old_dates)
            if moved:
                self.env["crm.regulation.violation"]._resolve_cleared(moved, ["R03", "R11"])
        if "name" in vals:
            self._check_deal_name_standard()
        if vals.get("document_user_id"):
            self._notify_document_user()
        return result

    def unlink(self):
        self._keep_evidence_of_deleted()
        return super().unlink()

    @api.model
    def _check_regulation_start(self, vals_list):
        """A deal's regulation may start at its import, never later: a future start
        would keep the rules off it."""
        latest = fields.Datetime.now() + timedelta(minutes=5)
        for vals in vals_list:
            start = vals.get("regulation_start_at")
            if start and fields.Datetime.to_datetime(start) > latest:
                raise UserError(_("A deal's regulation cannot start in the future."))

    @api.model
    def _regulation_after_move(self, leads, old_stages, old_dates):
        """Enforce the gates of a stage move, then record it in the stage history."""
        if not leads:
            return
        gates = self.env["crm.stage.gate"]
        unmet = gates._unmet_conditions(leads, old_stages, old_dates)
        reason = self.env.context.get(FORCE_REASON_KEY)
        if unmet and not reason:
            gates._raise_unmet(unmet)
        forced = self.browse([lead.id for lead in unmet])
        if forced:
            self._check_force_allowed(reason)
            forced._log_forced_move(reason, unmet)
        self.env["crm.lead.stage.history"]._record_moves(leads, forced, reason, old_stages)

    def _check_force_allowed(self, reason):
        self.env["res.users"]._check_regulation_manager(
            _("Only a regulation manager may move a deal past unmet stage gates.")
        )
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(_("A forced stage move needs a reason."))

    # ------------------------------------------------- the regulation pipeline

    def _in_regulation_pipeline(self):
        """The deals of regulation teams that sit in a regulation stage."""
        return self.filtered(
            lambda lead: lead.team_id.use_regulation and lead.stage_id.regulation_code
        )

    def _check_stays_in_regulation_pipeline(self):
        """A regulation team's deal leaves the regulation pipeline (to Odoo's generic
        stages, or to a team that does not follow the regulation, where no rule and no
        gate applies) only when a regulation manager moves it on purpose, with a reason."""
        left = self - self._in_regulation_pipeline()
        if not left or self.env.su:  # the system itself (imports, data) is trusted
            return
        reason = self.env.context.get(FORCE_REASON_KEY)
        if not reason:
            raise UserError(
                _(
                    "These deals follow the regulation pipeline and cannot leave it: %s. "
                    "A regulation manager can move them out with a reason (Force stage).",
                    ", ".join(left.mapped("display_name")),
                )
            )
        left._check_force_allowed(reason)
        left._message_log_batch(
            bodies={
                lead.id: self.env._(
                    "Moved out of the regulation pipeline by %(user)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                )
                for lead in left
            }
        )

    def _log_forced_move(self, reason, unmet):
        self._message_log_batch(
            bodies={
                lead.id: self.env._(
                    "Forced into %(stage)s by %(user)s past: %(conditions)s. Reason: %(reason)s",
                    stage=lead.stage_id.name,
                    user=self.env.user.name,
                    conditions="; ".join(unmet[lead]),
                    reason=reason,
                )
                for lead in self
            }
        )

    # -------------------------------------------------------------- evidence

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        """Deals that earned pay or carry violations are archived, not deleted: only
        the administrator deletes them (their history and fines stay even then)."""
        if self.env.is_system() or not self.ids:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT lead.id FROM crm_lead lead
                    WHERE lead.id = ANY(%(ids)s)
                      AND (EXISTS (SELECT 1 FROM crm_lead_stage_history stay
                                    WHERE stay.lead_id = lead.id AND stay.is_payroll_eligible
                                      AND stay.payroll_amount > 0)
                           OR EXISTS (SELECT 1 FROM crm_regulation_violation violation
                                       WHERE violation.lead_id = lead.id))""",
                ids=self.ids,
            )
        )
        kept = self.browse([row[0] for row in self.env.cr.fetchall()])
        if kept:
            raise UserError(
                _(
                    "These deals earned payroll or carry regulation violations, which are "
                    "evidence: archive them instead of deleting them: %s",
                    ", ".join(kept.mapped("display_name")),
                )
            )

    def _keep_evidence_of_deleted(self):
        """The stage history and violations of a deleted deal stay, with its name."""
        self.env.flush_all()
        for table in ("crm_lead_stage_history", "crm_regulation_violation"):
            self.env.cr.execute(
                SQL(
                    """UPDATE %(table)s evidence SET lead_name = lead.name
                         FROM crm_lead lead
                        WHERE lead.id = evidence.lead_id AND lead.id = ANY(%(ids)s)""",
                    table=SQL.identifier(table),
                    ids=self.ids,
                )
            )
        self.env.cr.execute(
            SQL(
                """UPDATE crm_lead_stage_history SET left_at = %(now)s
                    WHERE lead_id = ANY(%(ids)s) AND left_at IS NULL""",
                now=self.env.cr.now(),
                ids=self.ids,
            )
        )
        self.env.cr.execute(
            SQL(
                """UPDATE crm_regulation_violation SET is_current = FALSE
                    WHERE lead_id = ANY(%(ids)s) AND is_current""",
                ids=self.ids,
            )
        )
        self.env["crm.lead.stage.history"].invalidate_model()
        self.env["crm.regulation.violation"].invalidate_model()

    def action_view_regulation_violations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_regulation.crm_regulation_violation_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"search_default_open": 1, "create": False}
        return action

    # ------------------------------------------------------------ lost deals

    def _check_lost_reason(self, vals):
        """A regulation team's deal is lost only with a lost reason."""
        if vals.get("lost_reason_id"):
            return
        missing = self.filtered(
            lambda lead: (
                lead.active
                and lead.team_id.use_regulation
                and not lead.lost_reason_id
                and not lead.stage_id.is_won
            )
        )
        if missing:
            raise UserError(
                _(
                    "Choose a lost reason before closing these deals as lost: %s",
                    ", ".join(missing.mapped("display_name")),
                )
            )

    def action_set_lost(self, **additional_values):
        # Write the reason before archiving so that the archive passes the check.
        if additional_values.get("lost_reason_id"):
            self.write({"lost_reason_id": additional_values["lost_reason_id"]})
        return super().action_set_lost(**additional_values)

    # ------------------------------------------------------- stages by team

    def _stage_find(self, team_id=False, domain=None, order="sequence, id", limit=1):
        """Regulation stages for the deals of regulation teams, Odoo's stages for the
        others. The team given (the team a deal moves to) decides; else the deals' teams,
        which ``action_set_won`` makes all alike."""
        teams = self.env["crm.team"].browse(team_id) if team_id else self.team_id
        if teams and all(teams.mapped("use_regulation")):
            extra = [("regulation_code", "!=", False), ("is_technical_inbox", "=", False)]
        else:
            extra = [("regulation_code", "=", False)]
        return super()._stage_find(
            team_id=team_id, domain=list(domain or []) + extra, order=order, limit=limit
        )

    def action_set_won(self):
        """Odoo looks for the won stage of the whole batch at once: mark the deals of
        regulation teams and the others won separately, each in its own pipeline."""
        regulated = self.filtered("team_id.use_regulation")
        if not regulated or regulated == self:
            return super().action_set_won()
        super(CrmLead, regulated).action_set_won()
        return super(CrmLead, self - regulated).action_set_won()

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        result = super()._read_group_stage_ids(stages, domain)
        team = self.env["crm.team"].browse(self.env.context.get("default_team_id")).exists()
        if not team and self.env.context.get("show_user_team_stages"):
            team = self.env.user.crm_team_ids  # 19.0's "My pipeline": the user's teams
        if team and all(team.mapped("use_regulation")):
            regulation = stages.search([("regulation_code", "!=", False)])
            return (result.filtered(lambda stage: stage in stages) | regulation).sorted()
        if team.filtered("use_regulation"):  # a regulated team and a plain one: both
            return (result | stages.search([("regulation_code", "!=", False)])).sorted()
        return result.filtered(lambda stage: not stage.regulation_code or stage in stages)

    # ------------------------------------------------------- naming standard

    def _check_deal_name_standard(self):
        """The company's naming standard binds the deals of regulation teams."""
        if self.env.su:
            return  # deals made by the system (calls, web forms) are named by it
        regulated = self.filtered("team_id.use_regulation")
        for company, leads in regulated.grouped("company_id").items():
            company = company or self.env.company
            pattern = company.regulation_deal_name_pattern
            if not pattern:
                continue
            wrong = leads.filtered(lambda lead, p=pattern: not re.fullmatch(p, lead.name or ""))
            if wrong:
                raise ValidationError(
                    _(
                        "Deal name '%(name)s' does not follow the naming standard. "
                        "Example: %(example)s",
                        name=wrong[0].name,
                        example=company.regulation_deal_name_example or pattern,
                    )
                )

    # --------------------------------------------------- documents responsible

    def _notify_document_user(self):
        if not self:
            return
        group = self.env.ref("crm_regulation.group_document_user").sudo()
        newcomers = self.document_user_id.sudo() - group[GROUP_ALL_USERS]
        if newcomers:
            group.write({GROUP_USERS: [Command.link(user.id) for user in newcomers]})
        for user, leads in self.grouped("document_user_id").items():
            leads.message_subscribe(partner_ids=user.partner_id.ids)
            leads.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self) + timedelta(days=1),
                summary=_("Prepare the deal's documents"),
                user_id=user.id,
            )

    # ------------------------------------------------------ regulation rules

    @api.model
    def _regulation_contact_moments(self):
        """SQL of (lead_id, contact_at): every recorded contact with the customer (rule
        R02 and the time-to-first-contact report).

        A sent message, or a done activity of type call or e-mail; an addon that knows
        other contacts (calls) unions them in an override.
        """
        activity_types = [
            self.env.ref(xmlid, raise_if_not_found=False)
            for xmlid in ("mail.mail_activity_data_call", "mail.mail_activity_data_email")
        ]
        return SQL(
            """SELECT msg.res_id AS lead_id, msg.date AS contact_at
                 FROM mail_message msg
                WHERE msg.model = 'crm.lead'
                  AND ((msg.message_type = 'comment' AND msg.subtype_id = %(comment)s)
                       OR msg.mail_activity_type_id = ANY(%(types)s))""",
            comment=self.env.ref("mail.mt_comment").id,
            types=[activity_type.id for activity_type in activity_types if activity_type],
        )

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if kwargs.get("message_type", "notification") == "comment":
            self.env["crm.regulation.violation"]._resolve_cleared(self, ["R02", "R13"])
        return message
