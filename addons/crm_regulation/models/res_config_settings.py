from odoo import Command, api, fields, models

from odoo.addons.crm_phone_base.tools.compat import GROUP_USERS

from .crm_tag import UNIQUE_TAG_NAMES_PARAM


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

    regulation_unique_tag_names = fields.Boolean(
        "Tag names unique regardless of case",
        compute="_compute_regulation_unique_tag_names",
        inverse="_inverse_regulation_unique_tag_names",
        readonly=False,
        help="Refuse a tag whose name differs from an existing one only by case or "
        "spaces (tags are shared by every team and company). Existing duplicates are "
        "merged from the Tags list first.",
    )
    regulation_sale_admins_are_managers = fields.Boolean(
        "Sales administrators are regulation managers",
        compute="_compute_regulation_sale_admins_are_managers",
        inverse="_inverse_regulation_sale_admins_are_managers",
        readonly=False,
        help="Sales administrators may force deals past the gates, waive violations and "
        "edit the regulation. Off: give the Regulation manager right person by person.",
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

    def _compute_regulation_unique_tag_names(self):
        unique = self.env["crm.tag"]._unique_names()
        for settings in self:
            settings.regulation_unique_tag_names = unique

    def _compute_regulation_sale_admins_are_managers(self):
        implied = self._regulation_manager_group() in self._sale_admin_group().implied_ids
        for settings in self:
            settings.regulation_sale_admins_are_managers = implied

    def _regulation_manager_group(self):
        return self.env.ref("crm_regulation.group_regulation_manager")

    def _sale_admin_group(self):
        return self.env.ref("sales_team.group_sale_manager")

    def _inverse_regulation_unique_tag_names(self):
        for settings in self:
            if settings.regulation_unique_tag_names != self.env["crm.tag"]._unique_names():
                self.env["ir.config_parameter"].sudo().set_param(
                    UNIQUE_TAG_NAMES_PARAM, str(settings.regulation_unique_tag_names)
                )
                self.env["crm.tag"]._create_unique_name_index()

    def _inverse_regulation_sale_admins_are_managers(self):
        """Sales administrators become regulation managers, or stop being ones (the
        right given to one of them by hand goes too: give it again person by person)."""
        admins, managers = self._sale_admin_group().sudo(), self._regulation_manager_group()
        for settings in self:
            wanted = settings.regulation_sale_admins_are_managers
            if wanted != (managers in admins.implied_ids):
                settings._set_sale_admins_are_managers(wanted, admins, managers)

    def _set_sale_admins_are_managers(self, wanted, admins, managers):
        if wanted:
            admins.write({"implied_ids": [Command.link(managers.id)]})
        else:
            admins.write({"implied_ids": [Command.unlink(managers.id)]})
            managers.sudo().write(
                {GROUP_USERS: [Command.unlink(user.id) for user in admins[GROUP_USERS]]}
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
