from odoo import api, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._regulation_resolve(["R06"])
        return activities

    def unlink(self):
        # Done or cancelled: an overdue task is gone, a call or e-mail may be the contact.
        leads = self._regulation_leads()
        result = super().unlink()
        if leads:
            self.env["crm.regulation.violation"]._resolve_cleared(leads, ["R02", "R07"])
        return result

    def write(self, vals):
        result = super().write(vals)
        if "date_deadline" in vals:
            self._regulation_resolve(["R07"])
        if vals.get("active") is False:  # done on 19.0: archived, where 18.0 unlinks
            self._regulation_resolve(["R02", "R07"])
        return result

    def _regulation_leads(self):
        lead_ids = {activity.res_id for activity in self if activity.res_model == "crm.lead"}
        return self.env["crm.lead"].browse(lead_ids).exists() if lead_ids else None

    def _regulation_resolve(self, codes):
        leads = self._regulation_leads()
        if leads:
            self.env["crm.regulation.violation"]._resolve_cleared(leads, codes)
