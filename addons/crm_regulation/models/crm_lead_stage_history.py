from odoo import api, fields, models
from odoo.tools import SQL

from .stage_history_backfill import BACKFILL_STAGE_HISTORY


class CrmLeadStageHistory(models.Model):
    """One stay of a deal in a stage: when it entered, when it left, who moved it.

    Rows are written by ``crm.lead`` on every stage change with set-based queries; the
    open row of a deal (``left_at`` empty) is unique, enforced by a partial index. They
    are evidence for payroll: nobody but the administrator changes or deletes them, and
    they outlive their deal (with its name).

    Payroll: entering a payroll-eligible stage pays the deal's amount once
    (``payroll_amount``); a backward move across such a stage claws back what it paid
    (``clawback_amount``, ``clawed_back_at``, on the stay that was paid), and entering
    it again pays only what was clawed back. So a deal's net pay per stage is its
    amount or nothing, however often it goes back and forth.
    """

    _name = "crm.lead.stage.history"
    _description = "Deal stage history"
    _order = "entered_at desc, id desc"
    _rec_name = "stage_id"

    lead_id = fields.Many2one("crm.lead", string="Deal", ondelete="set null", index=True)
    lead_name = fields.Char("Deal name", help="Kept when the deal is deleted.")
    stage_id = fields.Many2one("crm.stage", ondelete="set null", index=True)
    stage_name = fields.Char(help="Kept when the stage is deleted.")
    next_stage_id = fields.Many2one("crm.stage", string="Moved to", ondelete="set null")
    team_id = fields.Many2one("crm.team", string="Sales team", index=True)
    salesperson_id = fields.Many2one("res.users", index=True)
    moved_by_id = fields.Many2one("res.users", string="Moved by")
    company_id = fields.Many2one("res.company", index=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    entered_at = fields.Datetime(required=True, index=True)
    left_at = fields.Datetime(index=True)
    duration_hours = fields.Float(
        "Hours in stage",
        readonly=True,
        aggregator="avg",  # a group row shows the average stay, never a sum of stays
        help="Filled in when the deal leaves the stage.",
    )
    duration_days = fields.Float(
        "Days in stage",
        compute="_compute_duration_days",
        digits=(16, 1),
        help="Calendar days the deal stayed in the stage (filled in when it leaves).",
    )
    expected_revenue = fields.Monetary(
        "Amount", currency_field="company_currency_id", help="Expected revenue on entry."
    )
    forced = fields.Boolean(help="Entered by a regulation manager past unmet gates.")
    force_reason = fields.Char()
    is_payroll_eligible = fields.Boolean(
        "Payroll-eligible",
        readonly=True,
        help="The stage counted for payroll when the deal entered it (recorded then: "
        "changing the stage's setting later does not rewrite past payroll). Off for "
        "stays an import brought in: the old system paid them.",
    )
    payroll_amount = fields.Monetary(
        "Paid on entry",
        currency_field="company_currency_id",
        readonly=True,
        help="What entering this payroll-eligible stage paid: the amount the first time, "
        "what was clawed back when it enters again, nothing while its pay stands.",
    )
    clawback_amount = fields.Monetary(
        "Clawed back", currency_field="company_currency_id", readonly=True
    )
    clawed_back_at = fields.Datetime(readonly=True, index="btree_not_null")
    clawed_back_to_id = fields.Many2one(
        "crm.stage", string="Moved back to", readonly=True, ondelete="set null"
    )
    is_clawback = fields.Boolean(
        "Clawback",
        readonly=True,
        help="The deal went back across this payroll-eligible stage: its pay is taken back.",
    )
    is_backfilled = fields.Boolean(
        "From earlier tracking", help="Rebuilt on install from Odoo's stage tracking."
    )

    @api.depends("duration_hours")
    def _compute_duration_days(self):
        for stay in self:
            stay.duration_days = stay.duration_hours / 24.0

    @api.depends("stage_id", "stage_name")
    def _compute_display_name(self):
        for stay in self:
            stay.display_name = stay.stage_id.display_name or stay.stage_name or ""

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
    def _record_moves(self, leads, forced_leads=None, force_reason=None, old_stages=None):
        """Claw back the pay a backward move crosses, close the open stays of the deals
        and open one in their new stage.

        Two short statements per target stage whatever the number of deals (closing
        before opening, so that the unique open stay per deal holds), a third when deals
        move backwards; the new stage is taken from the cache, so the pending write of
        the deals need not be flushed. Deals without an old stage in ``old_stages`` are
        new (created now): they have no stay to close, only the insert is run.
        """
        leads = leads.filtered("stage_id")
        if not leads:
            return
        self.flush_model()
        forced_ids = set((forced_leads or leads.browse()).ids)
        old_stages = old_stages or {}
        now = self.env.cr.now()
        for stage, stage_leads in leads.grouped("stage_id").items():
            backwards = stage_leads.filtered(
                lambda lead, stage=stage: (
                    lead.id in old_stages and old_stages[lead.id]._is_after(stage)
                )
            )
            if backwards:
                self.env.cr.execute(self._clawback_query(stage, backwards, now))
            moving = stage_leads.filtered(lambda lead: lead.id in old_stages)
            if moving:
                self.env.cr.execute(self._close_stays_query(stage, moving, now))
            self.env.cr.execute(
                self._open_stays_query(stage, stage_leads, now, forced_ids, force_reason)
            )
        self.invalidate_model()
        leads.invalidate_recordset(["stage_history_ids"])

    @api.model
    def _clawback_query(self, stage, leads, now):
        """Every paid stay of a payroll-eligible stage that the move to ``stage`` goes
        back across (above the target, up to the stage left) gives its pay back.

        Within the regulation pipeline "above" is its fixed order (``regulation_rank``);
        a move to a stage outside it goes by the stages' sequence."""
        order = SQL.identifier("regulation_rank" if stage.regulation_code else "sequence")
        return SQL(
            """UPDATE crm_lead_stage_history paid
                  SET clawback_amount = paid.payroll_amount, clawed_back_at = %(now)s,
                      clawed_back_to_id = %(stage)s, is_clawback = TRUE,
                      write_uid = %(uid)s, write_date = %(now)s
                 FROM crm_lead_stage_history stay
                 JOIN crm_stage left_stage ON left_stage.id = stay.stage_id,
                      crm_stage paid_stage
                WHERE stay.lead_id = ANY(%(leads)s) AND stay.left_at IS NULL
                  AND paid.lead_id = stay.lead_id AND paid_stage.id = paid.stage_id
                  AND paid.is_payroll_eligible AND paid.payroll_amount > 0
                  AND NOT paid.is_clawback
                  AND paid_stage.%(order)s > %(position)s
                  AND paid_stage.%(order)s <= left_stage.%(order)s""",
            now=now,
            uid=self.env.uid,
            leads=leads.ids,
            stage=stage.id,
            order=order,
            position=stage.regulation_rank if stage.regulation_code else stage.sequence,
        )

    @api.model
    def _close_stays_query(self, stage, leads, now):
        return SQL(
            """UPDATE crm_lead_stage_history stay
                  SET left_at = %(now)s, next_stage_id = %(stage)s,
                      duration_hours = EXTRACT(EPOCH FROM %(now)s - stay.entered_at) / 3600.0,
                      write_uid = %(uid)s, write_date = %(now)s
                WHERE stay.lead_id = ANY(%(leads)s) AND stay.left_at IS NULL""",
            now=now,
            stage=stage.id,
            uid=self.env.uid,
            leads=leads.ids,
        )

    @api.model
    def _open_stays_query(self, stage, leads, now, forced_ids, force_reason):
        """New stays; in a payroll-eligible stage, the pay is the deal's amount the first
        time, what was clawed back when it comes back, nothing while its pay stands."""
        return SQL(
            """INSERT INTO crm_lead_stage_history
                   (lead_id, team_id, salesperson_id, company_id, expected_revenue, forced,
                    force_reason, stage_id, moved_by_id, entered_at, is_payroll_eligible,
                    payroll_amount, clawback_amount, is_clawback, is_backfilled,
                    create_uid, create_date, write_uid, write_date)
               SELECT new.lead_id, new.team_id, new.user_id, new.company_id, new.revenue,
                      new.forced, new.reason, %(stage)s, %(uid)s, %(now)s, %(payroll)s,
                      CASE WHEN NOT %(payroll)s OR prior.net > 0 THEN 0
                           WHEN prior.paid > 0 THEN prior.paid
                           ELSE new.revenue END,
                      0, FALSE, FALSE, %(uid)s, %(now)s, %(uid)s, %(now)s
                 FROM unnest(%(leads)s::int[], %(teams)s::int[], %(users)s::int[],
                             %(companies)s::int[], %(revenues)s::numeric[],
                             %(forced)s::bool[], %(reasons)s::varchar[])
                      AS new(lead_id, team_id, user_id, company_id, revenue, forced, reason)
            LEFT JOIN LATERAL (
                      SELECT sum(coalesce(earlier.payroll_amount, 0)
                                 - coalesce(earlier.clawback_amount, 0)) AS net,
                             max(earlier.payroll_amount) AS paid
                        FROM crm_lead_stage_history earlier
                       WHERE earlier.lead_id = new.lead_id AND earlier.stage_id = %(stage)s
                      ) prior ON %(payroll)s""",
            leads=leads.ids,
            teams=[lead.team_id.id or None for lead in leads],
            users=[lead.user_id.id or None for lead in leads],
            companies=[lead.company_id.id or None for lead in leads],
            revenues=[lead.expected_revenue or 0 for lead in leads],
            forced=[lead.id in forced_ids for lead in leads],
            reasons=[force_reason if lead.id in forced_ids else None for lead in leads],
            stage=stage.id,
            uid=self.env.uid,
            now=now,
            payroll=stage.id in self.env["crm.stage"]._regulation_stage_facts()[1],
        )
