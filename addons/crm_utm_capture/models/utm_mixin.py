from odoo import fields, models


class UtmMixin(models.AbstractModel):
    _inherit = "utm.mixin"

    utm_term = fields.Char(
        "Keyword",
        index="btree_not_null",
        help="The paid keyword or search term of the ad (utm_term), e.g. buy crm",
    )
    utm_content = fields.Char(
        "Content",
        help="Which ad or link of the campaign was clicked (utm_content), e.g. banner_top",
    )

    def tracking_fields(self):
        return super().tracking_fields() + [
            ("utm_term", "utm_term", "odoo_utm_term"),
            ("utm_content", "utm_content", "odoo_utm_content"),
        ]
