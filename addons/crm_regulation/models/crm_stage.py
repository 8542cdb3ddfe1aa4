from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.crm_phone_base.tools.compat import sql_constraints

REGULATION_STAGE_CODES = [
    ("unsorted", "Unsorted"),
    ("new", "New lead"),
    ("in_work", "Taken into work"),
    ("qualified", "Qualified"),
    ("proposal_sent", "Proposal sent"),
    ("proposal_agreed", "Proposal agreed"),
    ("contract_sent", "Invoice and contract sent"),
    ("contract_agreed", "Invoice and contract agreed"),
    ("prepayment", "Prepayment received"),
    ("final_payment", "Final payment received"),
    ("won", "Won"),
]
# The fixed order of the regulation pipeline: "forward" and "backward" moves, the stages a
# move enters, and the stages a gate applies to are decided by it, never by the stage's
# sequence (a number users drag in the kanban view and Odoo's tests mass-edit).
REGULATION_RANKS = {code: rank for rank, (code, _label) in enumerate(REGULATION_STAGE_CODES, 1)}
# What _regulation_stage_facts caches: a write of these clears it
STAGE_FACT_FIELDS = {"regulation_code", "is_payroll_eligible"}


@sql_constraints
class CrmStage(models.Model):
    _inherit = "crm.stage"

    regulation_code = fields.Selection(
        REGULATION_STAGE_CODES,
        copy=False,
        index=True,
        help="Marks a stage of the regulation pipeline. Teams that follow the "
        "regulation see only these stages; other teams never see them.",
    )
    regulation_rank = fields.Integer(
        "Regulation order",
        compute="_compute_regulation_rank",
        store=True,
        help="Position of the stage in the regulation pipeline (0: not a regulation "
        "stage). Gates and payroll follow it, whatever the order the stages are shown in.",
    )
    is_technical_inbox = fields.Boolean(
        "Technical inbox",
        help="Missed calls and unprocessed inbound requests land here; it must stay empty.",
    )
    is_payroll_eligible = fields.Boolean(
        "Payroll-eligible",
        help="Deals entering this stage count in the payroll report.",
    )
    gate_ids = fields.One2many(
        "crm.stage.gate",
        "stage_id",
        string="Gates",
        help="Conditions a deal must meet to enter this stage.",
    )
    max_days_in_stage = fields.Integer(
        "Maximum days in stage",
        help="A deal that stays longer is rotting: it is highlighted in the "
        "pipeline. 0 means no limit.",
    )

    _sql_constraints = [
        (
            "regulation_code_uniq",
            "unique(regulation_code)",
            "Each regulation stage exists only once.",
        ),
        (
            "max_days_in_stage_positive",
            "check(max_days_in_stage >= 0)",
            "The maximum days in stage cannot be negative.",
        ),
    ]

    @api.depends("regulation_code")
    def _compute_regulation_rank(self):
        for stage in self:
            stage.regulation_rank = REGULATION_RANKS.get(stage.regulation_code, 0)

    @api.model
    @tools.ormcache()
    def _regulation_stage_facts(self):
        """({stage id: regulation rank} of the regulation pipeline's stages, ids of the
        payroll-eligible stages): what a stage move needs to know of its stages, without
        reading them. Cached until a stage is created, deleted, or its regulation code
        or payroll flag changes."""
        stages = self.sudo().with_context(active_test=False).search([])
        return (
            tools.frozendict(
                {stage.id: stage.regulation_rank for stage in stages if stage.regulation_code}
            ),
            frozenset(stages.filtered("is_payroll_eligible").ids),
        )

    def _is_after(self, other):
        """Whether this stage comes after ``other``: by the fixed order of the regulation
        pipeline when both belong to it, by sequence otherwise."""
        if self.regulation_code and other.regulation_code:
            return self.regulation_rank > other.regulation_rank
        return self.sequence > other.sequence

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        self.env.registry.clear_cache()  # _regulation_stage_facts
        return stages

    def write(self, vals):
        result = super().write(vals)
        if STAGE_FACT_FIELDS.intersection(vals):
            self.env.registry.clear_cache()  # _regulation_stage_facts
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_payroll_history(self):
        """A stage that paid payroll is evidence and stays; any other stage can be
        deleted (its stays in the stage history keep its name)."""
        if not self.ids:
            return
        self.env["crm.lead.stage.history"].flush_model(
            ["stage_id", "payroll_amount", "clawback_amount"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT stage_id FROM crm_lead_stage_history
                    WHERE stage_id = ANY(%(ids)s)
                      AND (payroll_amount <> 0 OR clawback_amount <> 0)""",
                ids=self.ids,
            )
        )
        paid = self.browse([row[0] for row in self.env.cr.fetchall()])
        if paid:
            raise UserError(
                _(
                    "These stages paid payroll, which is evidence: they cannot be deleted. "
                    "Fold them or take them out of the teams' pipelines instead: %s",
                    ", ".join(paid.mapped("name")),
                )
            )

    def unlink(self):
        self._keep_name_in_stage_history()
        result = super().unlink()
        self.env.registry.clear_cache()  # _regulation_stage_facts
        return result

    def _keep_name_in_stage_history(self):
        """The stays of a deleted stage keep its name (the reference is emptied)."""
        self.env["crm.lead.stage.history"].flush_model(["stage_id"])
        self.env.cr.execute(
            SQL(
                """UPDATE crm_lead_stage_history stay
                      SET stage_name = coalesce(stage.name->>%(lang)s, stage.name->>'en_US')
                     FROM crm_stage stage
                    WHERE stage.id = stay.stage_id AND stage.id = ANY(%(ids)s)""",
                lang=self.env.lang or "en_US",
                ids=self.ids,
            )
        )
        self.env["crm.lead.stage.history"].invalidate_model(["stage_name"])
