from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def export_data(self, fields_to_export):
        self.env.company._check_customer_base_export()
        return super().export_data(fields_to_export)
