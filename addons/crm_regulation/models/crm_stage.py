from odoo import fields, models

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


class CrmStage(models.Model):
    _inherit = "crm.stage"

    regulation_code = fields.Selection(
        REGULATION_STAGE_CODES,
        copy=False,
        index=True,
        help="Marks a stage of the regulation pipeline. Teams that follow the "
        "regulation see only these stages; other teams never see them.",
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
