from odoo import models


class CrmTelephonyCall(models.Model):
    _inherit = "crm.telephony.call"

    def _missed_call_stage(self):
        """A missed call from an unknown number lands in Unsorted, the inbox that must
        stay empty (R03): a manager sorts it."""
        return self.env.ref("crm_regulation.stage_unsorted")
