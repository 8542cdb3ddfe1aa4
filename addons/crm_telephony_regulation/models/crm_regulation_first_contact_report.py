from odoo import models


class CrmRegulationFirstContactReport(models.Model):
    """Rebuilt when this addon installs, so that calls count as first contacts."""

    _inherit = "crm.regulation.first.contact.report"
