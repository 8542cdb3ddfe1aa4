from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class ResCompany(models.Model):
    _inherit = "res.company"

    quality_sample_rate = fields.Float("Lost deals to call back (%)", default=20.0)
    quality_sample_min = fields.Integer("At least per salesperson", default=1)
    quality_sample_max = fields.Integer("At most per salesperson", default=10)
    quality_auto_sample = fields.Boolean(
        "Draw a sample every month", default=True, help="On the 1st, for the previous month."
    )
    quality_script_threshold = fields.Float(
        "Script score threshold (%)",
        default=70.0,
        help="A call-script audit scoring less opens a violation against the salesperson.",
    )

    @api.model
    def _check_customer_base_export(self):
        """Quality reviewers read everything but never take a copy of it."""
        user = self.env.user
        if (
            not self.env.su
            and user.has_group("crm_quality_review.group_quality_reviewer")
            and not user.has_group("sales_team.group_sale_manager")
        ):
            raise AccessError(_("Quality reviewers cannot export the customer base."))
        return super()._check_customer_base_export()
