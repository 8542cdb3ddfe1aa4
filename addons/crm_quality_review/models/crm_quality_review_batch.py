import random
from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.crm_phone_base.tools.compat import GROUP_ALL_USERS, sql_constraints


@sql_constraints
class CrmQualityReviewBatch(models.Model):
    """A reproducible draw of lost deals to call back, spread over the reviewers.

    Per salesperson: ``rate`` % of their lost deals of the period, at least
    ``min_per_salesperson`` and at most ``max_per_salesperson``, skipping deals already
    reviewed. The same seed on the same data draws the same deals.
    """

    _name = "crm.quality.review.batch"
    _description = "Quality review sample"
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    review_type = fields.Selection(
        [("lost_callback", "Lost-deal call-back survey"), ("call_audit", "Call-script audit")],
        default="lost_callback",
        required=True,
        help="Call-script audits draw answered calls of the period from the telephony addon.",
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    rate = fields.Float("Rate (%)", required=True, default=lambda self: self._default_rate())
    min_per_salesperson = fields.Integer(
        "At least per salesperson", default=lambda self: self.env.company.quality_sample_min
    )
    max_per_salesperson = fields.Integer(
        "At most per salesperson", default=lambda self: self.env.company.quality_sample_max
    )
    seed = fields.Integer(
        required=True,
        default=lambda self: random.SystemRandom().randint(1, 999_999),
        help="Drawing again with the same seed on the same data gives the same sample.",
    )
    due_days = fields.Integer("Days to review", default=7)
    review_ids = fields.One2many("crm.quality.review", "batch_id", string="Reviews")
    review_count = fields.Integer(compute="_compute_review_count")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        ("rate_range", "check(rate > 0 AND rate <= 100)", "The rate is a share from 0 to 100 %."),
        ("period", "check(date_from <= date_to)", "The period ends after it starts."),
    ]

    def _default_rate(self):
        return self.env.company.quality_sample_rate

    @api.depends("date_from", "date_to", "rate")
    def _compute_name(self):
        for batch in self:
            batch.name = _(
                "Lost deals %(start)s – %(end)s, %(rate)s %%",
                start=batch.date_from,
                end=batch.date_to,
                rate=batch.rate,
            )

    def _compute_review_count(self):
        for batch in self:
            batch.review_count = len(batch.review_ids)

    def action_draw(self):
        self.ensure_one()
        if self.review_ids:
            raise UserError(_("This sample is already drawn."))
        picks = self._pick_deals()
        assignments = self._assign_reviewers(picks)
        due = fields.Date.context_today(self) + timedelta(days=self.due_days)
        self.env["crm.quality.review"].create(
            [self._review_values(record, reviewer, due) for record, reviewer in assignments]
        )
        return self.action_open_reviews()

    def _review_values(self, record, reviewer, due):
        """A review of a lost deal, or of an answered call (record is then the call)."""
        lead = record.lead_id if self.review_type == "call_audit" else record
        values = {
            "review_type": self.review_type,
            "lead_id": lead.id,
            "salesperson_id": record.user_id.id,
            "team_id": lead.team_id.id,
            "reviewer_id": reviewer.id,
            "batch_id": self.id,
            "due_date": due,
            "company_id": self.company_id.id,
        }
        if self.review_type == "call_audit":
            script = self.env["crm.quality.script"]._for_team(lead.team_id)
            values.update(
                {
                    "script_id": script.id,
                    "check_ids": [(0, 0, {"item_id": item.id}) for item in script.item_ids],
                }
            )
        return values

    def action_open_reviews(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_quality_review.crm_quality_review_action"
        )
        action["domain"] = [("batch_id", "=", self.id)]
        action["context"] = {}
        return action

    def _candidates(self):
        """What can be drawn, by salesperson: lost deals, or answered calls to audit."""
        if self.review_type == "call_audit":
            return self._call_candidates()
        return self._lost_deal_candidates()

    def _period_bounds(self):
        return (
            fields.Datetime.to_datetime(self.date_from),
            fields.Datetime.to_datetime(self.date_to + timedelta(days=1)),
        )

    def _call_candidates(self):
        """Answered calls to audit, by salesperson: the call log belongs to the
        telephony addon, and ``crm_quality_review_telephony`` draws from it."""
        raise UserError(_("Call-script audits need the telephony addon (crm_telephony_sip)."))

    def _lost_deal_candidates(self):
        """Lost deals closed in the period, not reviewed before, by salesperson."""
        # A cancelled review did not review the deal: it can be drawn again.
        reviewed = (
            self.env["crm.quality.review"]
            .search([("review_type", "=", self.review_type), ("state", "!=", "cancelled")])
            .lead_id
        )
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(
                [
                    ("active", "=", False),
                    ("probability", "=", 0),
                    ("type", "=", "opportunity"),
                    ("user_id", "!=", False),
                    ("company_id", "=", self.company_id.id),
                    ("date_closed", ">=", fields.Datetime.to_datetime(self.date_from)),
                    (
                        "date_closed",
                        "<",
                        fields.Datetime.to_datetime(self.date_to + timedelta(days=1)),
                    ),
                    ("id", "not in", reviewed.ids),
                ],
                order="id",
            )
        )
        return self._by_salesperson(leads)

    @api.model
    def _by_salesperson(self, records):
        """{salesperson id: [record, ...]} of records with a ``user_id``, in their order."""
        by_salesperson = defaultdict(list)
        for record in records:
            by_salesperson[record.user_id.id].append(record)
        return by_salesperson

    def _sample_size(self, available):
        size = round(available * self.rate / 100)
        size = max(size, self.min_per_salesperson)
        if self.max_per_salesperson:
            size = min(size, self.max_per_salesperson)
        return min(size, available)

    def _pick_deals(self):
        rng = random.Random(self.seed)
        picks = []
        for _user_id, leads in sorted(self._candidates().items()):
            picks.extend(rng.sample(leads, self._sample_size(len(leads))))
        return picks

    def _assign_reviewers(self, picks):
        """Spread the picks evenly; nobody reviews a deal of their own."""
        reviewers = (
            self.env.ref("crm_quality_review.group_quality_reviewer")[GROUP_ALL_USERS]
            .filtered(
                lambda user: (
                    user.active and not user.share and user.id != self.env.ref("base.user_root").id
                )
            )
            .sorted("id")
        )
        if picks and not reviewers:
            raise UserError(_("Nobody is in the Quality reviewer group to take the reviews."))
        load = dict.fromkeys(reviewers.ids, 0)
        for reviewer, count in self.env["crm.quality.review"]._read_group(
            [("reviewer_id", "in", reviewers.ids), ("state", "in", ("todo", "in_progress"))],
            ["reviewer_id"],
            ["__count"],
        ):
            load[reviewer.id] = count
        assignments = []
        for record in picks:
            eligible = [user for user in reviewers if user != record.user_id]
            if not eligible:
                raise UserError(
                    _("No reviewer other than %s can review this deal.", record.user_id.name)
                )
            reviewer = min(eligible, key=lambda user: (load[user.id], user.id))
            load[reviewer.id] += 1
            assignments.append((record, reviewer))
        return assignments

    @api.model
    def _cron_monthly_sample(self):
        """Draw last month's sample for every company that samples automatically."""
        today = fields.Date.context_today(self)
        first_of_month = today.replace(day=1)
        last_month_end = first_of_month - timedelta(days=1)
        for company in self.env["res.company"].search([("quality_auto_sample", "=", True)]):
            batch = self.with_company(company).create(
                {
                    "date_from": last_month_end.replace(day=1),
                    "date_to": last_month_end,
                    "company_id": company.id,
                }
            )
            batch.action_draw()
