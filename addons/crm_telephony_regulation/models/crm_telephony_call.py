from odoo import models


class CrmTelephonyCall(models.Model):
    _inherit = "crm.telephony.call"

    def _missed_call_stage(self):
        """A missed call from an unknown number lands in Unsorted, the inbox that must
        stay empty (R03): a manager sorts it."""
        # the id from the registry's cache of data records: no query to check it exists
        return self.env["crm.stage"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id("crm_regulation.stage_unsorted", True)
        )
