from odoo import api, fields, models
from odoo.tools import SQL

from .stage_history_backfill import BACKFILL_STAGE_HISTORY


class CrmLeadStageHistory(models.Model):
    """One stay of a deal in a stage: when it entered, when it left, who moved it.

    Rows are written by ``crm.lead`` on every stage change with set-based queries; the
    open row of a deal (``left_at`` empty) is unique, enforced by a partial index.
    """

    _name = "crm.lead.stage.history"
    _description = "Deal stage history"
    _order = "entered_at desc, id desc"
    _rec_name = "stage_id"

    lead_id = fields.Many2one(
        "crm.lead", string="Deal", required=True, ondelete="cascade", index=True
    )
    stage_id = fields.Many2one("crm.stage", required=True, ondelete="restrict", index=True)
    next_stage_id = fields.Many2one("crm.stage", string="Moved to", ondelete="set null")
    team_id = fields.Many2one("crm.team", string="Sales team", index=True)
    salesperson_id = fields.Many2one("res.users", index=True)
    moved_by_id = fields.Many2one("res.users", string="Moved by")
    company_id = fields.Many2one("res.company", index=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    entered_at = fields.Datetime(required=True, index=True)
    left_at = fields.Datetime(index=True)
    duration_hours = fields.Float(
        "Hours in stage", readonly=True, help="Filled in when the deal leaves the stage."
    )
    expected_revenue = fields.Monetary(
        "Amount", currency_field="company_currency_id", help="Expected revenue on entry."
    )
    forced = fields.Boolean(help="Entered by a regulation manager past unmet gates.")
    force_reason = fields.Char()
    is_payroll_eligible = fields.Boolean(
        related="stage_id.is_payroll_eligible", store=True, string="Payroll-eligible"
    )
    is_clawback = fields.Boolean(
        "Clawback",
        readonly=True,
        help="The deal left this payroll-eligible stage backwards: its pay is taken back.",
    )
    is_backfilled = fields.Boolean(
        "From earlier tracking", help="Rebuilt on install from Odoo's stage tracking."
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS crm_lead_stage_history_one_open
                   ON crm_lead_stage_history (lead_id) WHERE left_at IS NULL"""
            )
        )
        # On install, before any data is loaded: rebuild the past from stage tracking.
        self.env.cr.execute(SQL("SELECT 1 FROM crm_lead_stage_history LIMIT 1"))
        if not self.env.cr.rowcount:
            self._backfill_from_tracking()

    @api.model
    def _backfill_from_tracking(self):
        """Rebuild the stays of deals without history from Odoo's stage tracking."""
        self.env.flush_all()
        self.env.cr.execute(BACKFILL_STAGE_HISTORY)
        inserted = self.env.cr.rowcount
        self.invalidate_model()
        return inserted

    @api.model
    def _record_moves(self, leads, forced_leads=None, force_reason=None):
        """Close the open stays of the deals and open one in their new stage."""
        if not leads:
            return self.browse()
        self.flush_model()
        leads.flush_recordset(["stage_id"])
        now = self.env.cr.now()
        self.env.cr.execute(
            SQL(
                """UPDATE crm_lead_stage_history h
                      SET left_at = %(now)s,
                          next_stage_id = lead.stage_id,
                          duration_hours = EXTRACT(EPOCH FROM %(now)s - h.entered_at) / 3600.0,
                          is_clawback = (old.is_payroll_eligible IS TRUE
                                         AND new.sequence < old.sequence)
                     FROM crm_lead lead, crm_stage old, crm_stage new
                    WHERE h.lead_id = lead.id AND h.left_at IS NULL
                      AND old.id = h.stage_id AND new.id = lead.stage_id
                      AND lead.id = ANY(%(ids)s)""",
                now=now,
                ids=leads.ids,
            )
        )
        self.invalidate_model(["left_at", "next_stage_id", "duration_hours", "is_clawback"])
        return self._open_stays(leads.filtered("stage_id"), now, forced_leads, force_reason)

    @api.model
    def _open_stays(self, leads, entered_at, forced_leads=None, force_reason=None):
        forced_leads = forced_leads or leads.browse()
        return self.sudo().create(
            [
                {
                    "lead_id": lead.id,
                    "stage_id": lead.stage_id.id,
                    "team_id": lead.team_id.id,
                    "salesperson_id": lead.user_id.id,
                    "moved_by_id": self.env.uid,
                    "company_id": lead.company_id.id,
                    "entered_at": entered_at,
                    "expected_revenue": lead.expected_revenue,
                    "forced": lead in forced_leads,
                    "force_reason": force_reason if lead in forced_leads else False,
                }
                for lead in leads
            ]
        )
