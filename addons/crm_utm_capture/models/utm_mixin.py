from odoo import fields, models

from ..tools.utm import TEXT_DIMENSIONS


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
        # Odoo keeps source, medium and campaign in cookies: keyword and content too
        return super().tracking_fields() + [
            (dimension.param, dimension.field, f"odoo_{dimension.param}")
            for dimension in TEXT_DIMENSIONS
        ]
