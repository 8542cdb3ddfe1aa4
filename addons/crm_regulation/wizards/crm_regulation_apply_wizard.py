from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Where a team's existing stage most likely belongs, by words in its name.
NAME_HINTS = [
    ("unsorted", ("unsorted", "неразобран")),
    ("qualified", ("qualif", "квалиф")),
    ("proposal_sent", ("propos", "quot", "offer", "кп", "предлож")),
    ("proposal_agreed", ("negotiat", "agreed", "согласов")),
    ("contract_sent", ("contract", "invoice", "договор", "счёт", "счет")),
    ("prepayment", ("prepay", "предоплат")),
    ("final_payment", ("payment", "paid", "оплат", "доплат")),
    ("in_work", ("contact", "work", "работ")),
]


class CrmRegulationApplyWizard(models.TransientModel):
    """Apply the regulation pipeline to a sales team: map its stages, move its deals."""

    _name = "crm.regulation.apply.wizard"
    _description = "Apply the regulation pipeline to a team"

    team_id = fields.Many2one("crm.team", required=True, string="Sales team")
    line_ids = fields.One2many("crm.regulation.apply.wizard.line", "wizard_id", "Stage mapping")
    state = fields.Selection([("map", "Map"), ("done", "Done")], default="map")
    summary = fields.Text(readonly=True)

    @api.onchange("team_id")
    def _onchange_team_id(self):
        self.line_ids = [(5, 0, 0)] + [(0, 0, vals) for vals in self._default_line_values()]

    def _team_leads(self):
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("team_id", "=", self.team_id.id), ("stage_id.regulation_code", "=", False)])
        )

    def _default_line_values(self):
        if not self.team_id:
            return []
        counts = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [("team_id", "=", self.team_id.id), ("stage_id.regulation_code", "=", False)],
                ["stage_id"],
                ["__count"],
            )
        )
        return [
            {
                "source_stage_id": stage.id,
                "target_stage_id": self._guess_target(stage).id,
                "deal_count": count,
            }
            for stage, count in sorted(counts, key=lambda row: row[0].sequence)
        ]

    @api.model
    def _guess_target(self, stage):
        ref = self.env.ref
        if stage.is_won:
            return ref("crm_regulation.stage_won")
        name = (stage.name or "").lower()
        for code, words in NAME_HINTS:
            if any(word in name for word in words):
                return ref(f"crm_regulation.stage_{code}")
        return ref("crm_regulation.stage_new")

    def action_apply(self):
        self.ensure_one()
        self.env["res.users"]._check_regulation_manager(
            _("Only a regulation manager may apply the regulation pipeline.")
        )
        if not self.team_id:
            raise UserError(_("Choose the sales team to apply the regulation pipeline to."))
        if not self.line_ids:
            self._onchange_team_id()
        # Regulation managers need not be Sales administrators to flag the team. Flagged
        # first: the gates apply to the deals of regulation teams only, and the moves
        # record (as forced) what the deals lack.
        team = self.team_id.sudo()
        team.use_regulation = True
        moved = self._move_deals()
        self.summary = self._summary(moved)
        team.message_post(body=self.summary)
        self.state = "done"
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _move_deals(self):
        reason = _("Regulation pipeline applied to the team %s", self.team_id.name)
        leads = self._team_leads()
        moved = []
        for line in self.line_ids:
            to_move = leads.filtered(lambda lead, line=line: lead.stage_id == line.source_stage_id)
            if to_move:
                to_move.with_context(regulation_force_reason=reason).write(
                    {"stage_id": line.target_stage_id.id}
                )
            moved.append((line, len(to_move)))
        return moved

    def _summary(self, moved):
        lines = [
            self.env._(
                "%(count)s deals: %(from_stage)s → %(to_stage)s",
                count=count,
                from_stage=line.source_stage_id.name,
                to_stage=line.target_stage_id.name,
            )
            for line, count in moved
        ]
        header = _(
            "The team %(team)s now follows the regulation pipeline; %(total)s deals moved.",
            team=self.team_id.name,
            total=sum(count for _line, count in moved),
        )
        return "\n".join([header, *lines])

    @api.model
    def _apply_default_mapping(self, team_ids):
        """Apply with the guessed mapping (used by the demo data)."""
        for team in self.env["crm.team"].browse(team_ids):
            wizard = self.create({"team_id": team.id})
            wizard._onchange_team_id()
            wizard.action_apply()
        return True
