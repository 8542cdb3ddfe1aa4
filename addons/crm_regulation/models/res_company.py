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

    @api.constrains("regulation_deal_name_pattern")
    def _check_regulation_deal_name_pattern(self):
        for company in self.filtered("regulation_deal_name_pattern"):
            try:
                re.compile(company.regulation_deal_name_pattern)
            except re.error as error:
                raise ValidationError(
                    _("The deal naming standard is not a valid pattern: %s", error)
                ) from error

    def _check_customer_base_export(self):
        """Refuse exports of deals and contacts to users without the export right."""
        company = self.env.company
        if (
            company.regulation_restrict_export
            and not self.env.su
            and not self.env.user.has_group("crm_regulation.group_customer_base_export")
        ):
            raise AccessError(
                _(
                    "You are not allowed to export the customer base (deals and contacts). "
                    "Ask your manager for the 'Export the customer base' right."
                )
            )
