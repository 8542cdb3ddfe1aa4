from odoo import models

# The customer base: exporting these, or following a relation into them from any
# other model (the stage history's deal, a message's author...), needs the right.
CUSTOMER_BASE_MODELS = {"crm.lead", "res.partner"}


class Base(models.AbstractModel):
    _inherit = "base"

    def export_data(self, fields_to_export):
        if self._exports_customer_base(fields_to_export):
            self.env["res.company"]._check_customer_base_export()
        return super().export_data(fields_to_export)

    def _exports_customer_base(self, fields_to_export):
        """Whether an export reads deals or contacts, directly or through a relation."""
        if self._name in CUSTOMER_BASE_MODELS:
            return True
        for path in fields_to_export:
            model = self
            for name in path.split("/"):
                field = model._fields.get(name)
                if field is None or not field.relational:
                    break
                model = self.env[field.comodel_name]
                if model._name in CUSTOMER_BASE_MODELS:
                    return True
        return False
