import re

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    regulation_deal_name_pattern = fields.Char(
        "Deal naming standard",
        help="A regular expression every deal name must match, e.g. "
        "'.+ — .+' for 'Customer — what they buy'. Empty: any name.",
    )
    regulation_deal_name_example = fields.Char(
        "Deal name example", help="Shown to salespeople whose deal name is refused."
    )
    regulation_restrict_export = fields.Boolean(
        "Salespeople cannot export the customer base",
        help="Exporting deals and contacts needs the 'Export the customer base' right "
        "(Sales administrators have it), checked on the server for every export path.",
    )

    regulation_rule_ids = fields.One2many(
        "crm.regulation.rule",
        "company_id",
        string="Regulation rules",
        context={"active_test": False},
    )
    regulation_kpi_threshold = fields.Float(
        "KPI bonus threshold (%)",
        default=90.0,
        help="A salesperson whose monthly compliance score reaches this share earns the KPI bonus.",
    )
    regulation_repeat_interval_days = fields.Integer(
        "Remind won customers every (days)",
        default=30,
        help="Won customers get a follow-up activity for their salesperson at least this "
        "often, unless they bought again or opted out. 0: never.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._create_default_regulation_rules()
        return companies

    def _create_default_regulation_rules(self):
        """Give companies without rules those of the main company, switched as shipped."""
        rules = self.env["crm.regulation.rule"].sudo().with_context(active_test=False)
        main_company = self.env.ref("base.main_company", raise_if_not_found=False)
        templates = rules.search([("company_id", "=", main_company.id)]) if main_company else rules
        with_rules = rules.search([("company_id", "in", self.ids)]).company_id
        for company in self - with_rules:
            for template in templates:
                template.copy({"company_id": company.id, "active": template.active})

    @api.model
    def _regulation_ensure_rules(self):
        self.sudo().search([])._create_default_regulation_rules()

    @api.constrains("regulation_deal_name_pattern")
    def _check_regulation_deal_name_pattern(self):
        for company in self.filtered("regulation_deal_name_pattern"):
            try:
                re.compile(company.regulation_deal_name_pattern)
            except re.error as error:
                raise ValidationError(
                    _("The deal naming standard is not a valid pattern: %s", error)
                ) from error

    @api.model
    def _check_customer_base_export(self):
        """Refuse exports of deals and contacts to users without the export right.

        The restriction follows the user, not the company picked in the company
        switcher: it holds when any company of the user restricts exports.
        """
        restricted = any(self.env.user.sudo().company_ids.mapped("regulation_restrict_export"))
        if (
            restricted
            and not self.env.su
            and not self.env.user.has_group("crm_regulation.group_customer_base_export")
        ):
            raise AccessError(
                _(
                    "You are not allowed to export the customer base (deals and contacts). "
                    "Ask your manager for the 'Export the customer base' right."
                )
            )
