from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

REVIEW_TYPES = [
    ("lost_callback", "Lost-deal call-back survey"),
    ("call_audit", "Call-script audit"),
    ("regulation_audit", "Regulation audit"),
]
OPEN_STATES = ("todo", "in_progress", "unreachable")
# What a reviewer (not a quality manager) writes on a review: the rest is set by the
# sample, by the manager or by the review's actions.
REVIEWER_FIELDS = {"outcome", "corrected_lost_reason_id", "revive_user_id", "note", "check_ids"}
OUTCOMES = [
    ("confirmed", "Lost reason confirmed"),
    ("corrected", "Lost reason corrected"),
    ("salesperson_error", "Salesperson error"),
    ("revive", "Customer wants to buy: revive"),
]


class CrmQualityReview(models.Model):
    """One item of the quality reviewer's audit queue.

    Reviews are drawn by the sampling (or made by a quality manager); the reviewer it is
    assigned to works it through its actions, which check who may do what: nobody
    reviews their own deal, a closed review stays as it was closed, a revive reopens
    only a lost deal of the review's company, a reviewer writes only their findings.
    """

    _name = "crm.quality.review"
    _description = "Quality review"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id"
    _rec_name = "lead_id"
    _check_company_auto = True

    review_type = fields.Selection(REVIEW_TYPES, required=True, default="lost_callback")
    lead_id = fields.Many2one(
        "crm.lead",
        string="Deal",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(related="lead_id.partner_id", string="Customer")
    phone = fields.Char(related="lead_id.phone")
    lost_reason_id = fields.Many2one(
        related="lead_id.lost_reason_id", string="Recorded lost reason"
    )
    salesperson_id = fields.Many2one("res.users", string="Salesperson reviewed", index=True)
    team_id = fields.Many2one("crm.team", index=True)
    reviewer_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    batch_id = fields.Many2one("crm.quality.review.batch", index=True, ondelete="set null")
    due_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        [
            ("todo", "To do"),
            ("in_progress", "In progress"),
            ("done", "Done"),
            ("unreachable", "Customer unreachable"),
            ("cancelled", "Cancelled"),
        ],
        default="todo",
        required=True,
        tracking=True,
        index=True,
    )
    attempts = fields.Integer("Call attempts", readonly=True)
    outcome = fields.Selection(OUTCOMES, tracking=True)
    corrected_lost_reason_id = fields.Many2one("crm.lost.reason", string="Real lost reason")
    revive_user_id = fields.Many2one(
        "res.users",
        string="Revive for",
        check_company=True,
        domain="[('share', '=', False)]",
        help="Salesperson who takes the revived deal.",
    )
    revived_lead_id = fields.Many2one("crm.lead", string="Revived deal", readonly=True)
    note = fields.Html("Reviewer's note")
    published = fields.Boolean(
        tracking=True, help="Published reviews are visible to the salesperson reviewed."
    )
    violation_id = fields.Many2one("crm.regulation.violation", readonly=True)
    survey_id = fields.Many2one("survey.survey", string="Questionnaire")
    survey_answer_id = fields.Many2one("survey.user_input", readonly=True)
    survey_summary = fields.Html(
        "Customer's answers",
        compute="_compute_survey_summary",
        sanitize=False,  # built from escaped text only
        help="The answers recorded in the call-back questionnaire, question by question.",
    )
    survey_url = fields.Char(
        "Survey link",
        compute="_compute_survey_url",
        help="Opens the call-back questionnaire where the reviewer left it.",
    )
    suggested_outcome = fields.Selection(
        OUTCOMES,
        "Suggested outcome",
        compute="_compute_suggested_outcome",
        help="What the customer's answers in the call-back questionnaire point to.",
    )
    suggested_outcome_reason = fields.Char(
        "Why", compute="_compute_suggested_outcome", help="The answer the suggestion rests on."
    )
    script_id = fields.Many2one("crm.quality.script", string="Call script")
    check_ids = fields.One2many("crm.quality.review.check", "review_id", string="Checklist")
    score = fields.Float("Script score (%)", compute="_compute_score", store=True, aggregator="avg")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue")

    @api.depends("check_ids.done", "check_ids.weight")
    def _compute_score(self):
        for review in self:
            total = sum(review.check_ids.mapped("weight"))
            done = sum(review.check_ids.filtered("done").mapped("weight"))
            review.score = 100.0 * done / total if total else 0.0

    @api.depends("survey_answer_id")
    def _compute_survey_url(self):
        for review in self:
            answer = review.sudo().survey_answer_id
            review.survey_url = answer.get_start_url() if answer else False

    @api.depends("survey_answer_id")
    def _compute_survey_summary(self):
        for review in self:
            lines = review.sudo().survey_answer_id.user_input_line_ids.filtered(
                lambda line: not line.skipped
            )
            items = []
            for question in lines.question_id.sorted("sequence"):
                answers = [
                    line.suggested_answer_id.value
                    if line.answer_type == "suggestion"
                    else str(line._get_answer_value() or "")
                    for line in lines.filtered(lambda line, q=question: line.question_id == q)
                ]
                items.append(
                    Markup("<li><strong>%s</strong> %s</li>")
                    % (question.title, "; ".join(answer for answer in answers if answer))
                )
            review.survey_summary = (
                Markup("<ul class='mb-0'>%s</ul>") % Markup().join(items) if items else False
            )

    @api.depends("survey_answer_id")
    def _compute_suggested_outcome(self):
        """From the answers of the call-back questionnaire: the customer still needs the
        product → revive; gave another reason than the recorded one → correct it; was
        served poorly → salesperson error; else the recorded reason stands."""
        for review in self:
            outcome, reason = review._suggest_outcome()
            review.suggested_outcome = outcome
            review.suggested_outcome_reason = reason

    def _suggest_outcome(self):
        """(outcome, why) from the answers chosen in the call-back questionnaire, or
        (False, False) before any answer."""
        self.ensure_one()
        lines = self.sudo().survey_answer_id.user_input_line_ids.filtered(
            lambda line: not line.skipped
        )
        if not lines:
            return False, False
        chosen = lines.suggested_answer_id

        def picked(*xmlids):
            answers = self.env["survey.question.answer"]
            for xmlid in xmlids:
                answers |= self.env.ref(f"crm_quality_review.{xmlid}", raise_if_not_found=False)
            return chosen & answers

        if picked("survey_lost_callback_q_need_a1", "survey_lost_callback_q_need_a2"):
            return "revive", _("The customer still needs the product.")
        if picked("survey_lost_callback_q_reason_a2"):
            return "corrected", _("The customer gave another reason than the recorded one.")
        if picked("survey_lost_callback_q_served_a4"):
            return "salesperson_error", _("The customer says they were served poorly.")
        return "confirmed", _("The customer confirmed the recorded reason.")

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for review in self:
            review.is_overdue = review.state in ("todo", "in_progress") and review.due_date < today

    @api.onchange("outcome")
    def _onchange_outcome(self):
        """A revived deal goes back to its own salesperson unless the reviewer says
        otherwise."""
        if self.outcome == "revive" and not self.revive_user_id:
            self.revive_user_id = self.salesperson_id or self.lead_id.user_id

    @api.onchange("script_id")
    def _onchange_script_id(self):
        self.check_ids = [(5, 0, 0)] + [
            (0, 0, {"item_id": item.id}) for item in self.script_id.item_ids
        ]

    # ------------------------------------------------------------------ CRUD

    def write(self, vals):
        self._check_reviewer_may_write(vals)
        return super().write(vals)

    def _check_reviewer_may_write(self, vals):
        """Reviewers write their findings on open reviews of others' deals; the rest is
        set by the sample, a quality manager or the review's actions."""
        if self.env.su:
            return
        if self.filtered(lambda review: review.state not in OPEN_STATES):
            raise UserError(_("A closed review cannot be changed."))
        if self.env.user.has_group("crm_quality_review.group_quality_manager"):
            return
        forbidden = set(vals) - REVIEWER_FIELDS
        if forbidden:
            raise AccessError(
                _(
                    "Reviewers record their findings only; these are set by the sample or "
                    "a quality manager: %s",
                    ", ".join(sorted(forbidden)),
                )
            )
        self._check_not_own_deal()

    # --------------------------------------------------------------- actions

    def action_take(self):
        """The reviewer takes the review and starts the call."""
        self._check_can_work()
        self.sudo().write({"state": "in_progress", "reviewer_id": self.env.uid})
        return True

    def action_unreachable(self):
        """Count a failed call attempt; the review goes back to the queue."""
        self._check_can_work()
        for review in self.sudo():
            review.write({"attempts": review.attempts + 1, "state": "unreachable"})
        return True

    def action_start_survey(self):
        """Open the call-back questionnaire, answered by the reviewer during the call.

        A second press resumes the same answer. The questionnaire opens in the same tab:
        a new tab opened after the server's answer is stopped by popup blockers."""
        self.ensure_one()
        self._check_can_work()
        survey = self.survey_id or self.env.ref("crm_quality_review.survey_lost_callback")
        if not self.survey_answer_id:
            answer = survey.sudo()._create_answer(user=self.env.user, check_attempts=False)
            self.sudo().write({"survey_answer_id": answer.id, "survey_id": survey.id})
        if self.state == "todo":
            self.sudo().state = "in_progress"
        return {
            "type": "ir.actions.act_url",
            "url": self.survey_url,
            "target": "self",
        }

    def action_apply_suggested_outcome(self):
        """Take the outcome the answers point to (a revive goes back to the deal's own
        salesperson unless one is chosen)."""
        for review in self:
            if not review.suggested_outcome:
                raise UserError(_("Fill in the call-back questionnaire first."))
            values = {"outcome": review.suggested_outcome}
            if review.suggested_outcome == "revive" and not review.revive_user_id:
                values["revive_user_id"] = (review.salesperson_id or review.lead_id.user_id).id
            review.write(values)
        return True

    def action_done(self):
        """Close the review and apply its outcome to the deal and the salesperson."""
        self._check_can_work()
        for review in self:
            review._apply_outcome()
        self.sudo().write({"state": "done"})
        return True

    def action_publish(self):
        if not self.env.user.has_group("crm_quality_review.group_quality_manager"):
            raise AccessError(_("Only a quality manager publishes reviews."))
        if self.filtered(lambda review: review.state != "done"):
            raise UserError(_("Only a closed review can be published."))
        self.sudo().write({"published": True})
        return True

    def action_cancel(self):
        self._check_can_work()
        self.sudo().write({"state": "cancelled"})
        return True

    def _check_reviewer(self):
        if not self.env.user.has_group("crm_quality_review.group_quality_reviewer"):
            raise AccessError(_("Only the quality department works the audit queue."))

    def _check_can_work(self):
        """The quality department works open reviews assigned to them (or to nobody),
        never of their own deals."""
        self._check_reviewer()
        self.check_access("write")  # the record rules: own or unassigned reviews
        if self.filtered(lambda review: review.state not in OPEN_STATES):
            raise UserError(_("This review is closed: it cannot be worked again."))
        self._check_not_own_deal()

    def _check_not_own_deal(self):
        own = self.sudo().filtered(
            lambda review: self.env.user in (review.salesperson_id | review.lead_id.user_id)
        )
        if own:
            raise AccessError(
                _(
                    "Nobody reviews their own deal: %s",
                    ", ".join(own.mapped("lead_id.display_name")),
                )
            )

    # -------------------------------------------------------------- outcomes

    def _apply_outcome(self):
        self.ensure_one()
        if self.review_type == "call_audit":
            self._apply_script_score()
            return
        handler = {
            "corrected": self._apply_corrected_reason,
            "salesperson_error": self._apply_salesperson_error,
            "revive": self._apply_revive,
        }.get(self.outcome)
        if self.review_type == "lost_callback" and not self.outcome:
            raise UserError(_("Choose the outcome of the call-back before closing the review."))
        if handler:
            handler()

    def _lost_lead(self):
        """The deal of a call-back, checked to be a lost deal of the review's company."""
        lead = self.lead_id.sudo()
        if self.review_type != "lost_callback" or lead.active or lead.probability:
            raise UserError(
                _("Only a lost deal reviewed by a call-back is corrected or revived: %s", lead.name)
            )
        if lead.company_id and lead.company_id != self.company_id:
            raise AccessError(_("The deal belongs to another company than the review."))
        return lead

    def _apply_corrected_reason(self):
        if not self.corrected_lost_reason_id:
            raise UserError(_("Choose the real lost reason the customer gave."))
        lead = self._lost_lead()
        lead.lost_reason_id = self.corrected_lost_reason_id
        lead.message_post(
            body=_(
                "Quality call-back: the real lost reason is %(reason)s.",
                reason=self.corrected_lost_reason_id.name,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _apply_salesperson_error(self):
        if self.salesperson_id != self.lead_id.user_id:
            raise UserError(
                _("A salesperson error is recorded against the deal's salesperson only.")
            )
        self.sudo().violation_id = self._open_violation("Q01")

    def _apply_script_score(self):
        if not self.check_ids:
            raise UserError(_("Tick the call script checklist before closing the audit."))
        threshold = self.company_id.quality_script_threshold
        if self.score < threshold:
            self.sudo().violation_id = self._open_violation("Q02")

    def _open_violation(self, code):
        rule = (
            self.env["crm.regulation.rule"]
            .sudo()
            .search([("code", "=", code), ("company_id", "=", self.company_id.id)], limit=1)
        )
        if not rule:
            raise UserError(_("The quality rule %s is missing for this company.", code))
        return rule._record_found(self.lead_id, self.salesperson_id, self.team_id)

    def _apply_revive(self):
        """Reopen the lost deal for the chosen salesperson, with the reviewer's note."""
        self._check_revive_user()
        lead = self._lost_lead()
        lead.action_unarchive()
        lead.write(
            {
                "user_id": self.revive_user_id.id,
                "team_id": lead.team_id.id,  # the deal stays in its pipeline
                "revived_by_review_id": self.id,
                # The rules judge the revived deal from now: what was late before it was
                # lost (a note after the proposal, R13) is not fined minutes later.
                "regulation_start_at": fields.Datetime.now(),
            }
        )
        lead.message_post(
            body=_("Revived by the quality department. Reviewer's note: %s", self.note or ""),
            partner_ids=self.revive_user_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        lead.activity_schedule(
            "mail.mail_activity_data_call",
            user_id=self.revive_user_id.id,
            summary=_("Call back the customer revived by the quality department"),
        )
        self.sudo().revived_lead_id = lead

    def _check_revive_user(self):
        user = self.revive_user_id
        if not user:
            raise UserError(_("Choose the salesperson who takes the revived deal."))
        if user == self.env.user:
            raise AccessError(_("A reviewer cannot revive a deal for themself."))
        if not user.has_group("sales_team.group_sale_salesman") or (
            self.company_id not in user.company_ids
        ):
            raise UserError(_("%s is not a salesperson of the review's company.", user.name))
