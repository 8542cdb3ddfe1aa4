from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    regulation_team_ids = fields.Many2many(
        "crm.team",
        string="Teams following the regulation",
        compute="_compute_regulation_team_ids",
        inverse="_inverse_regulation_team_ids",
        readonly=False,
    )
    regulation_deal_name_pattern = fields.Char(
        related="company_id.regulation_deal_name_pattern", readonly=False
    )
    regulation_deal_name_example = fields.Char(
        related="company_id.regulation_deal_name_example", readonly=False
    )
    regulation_restrict_export = fields.Boolean(
        related="company_id.regulation_restrict_export", readonly=False
    )

    regulation_rule_ids = fields.One2many(related="company_id.regulation_rule_ids", readonly=False)
    regulation_kpi_threshold = fields.Float(
        related="company_id.regulation_kpi_threshold", readonly=False
    )
    regulation_repeat_interval_days = fields.Integer(
        related="company_id.regulation_repeat_interval_days", readonly=False
    )

    @api.depends("company_id")
    def _compute_regulation_team_ids(self):
        for settings in self:
            settings.regulation_team_ids = self.env["crm.team"].search(
                [
                    ("use_regulation", "=", True),
                    ("company_id", "in", [settings.company_id.id, False]),
                ]
            )

    def _inverse_regulation_team_ids(self):
        for settings in self:
            teams = self.env["crm.team"].search(
                [("company_id", "in", [settings.company_id.id, False])]
            )
            (teams - settings.regulation_team_ids).filtered("use_regulation").write(
                {"use_regulation": False}
            )
            settings.regulation_team_ids.filtered(lambda team: not team.use_regulation).write(
                {"use_regulation": True}
            )

    def action_open_regulation_apply_wizard(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_regulation.crm_regulation_apply_wizard_action"
        )
