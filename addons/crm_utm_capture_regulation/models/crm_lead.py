from odoo import api, models

INQUIRY_STAGES = {True: "crm_regulation.stage_new", False: "crm_regulation.stage_unsorted"}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    @api.model
    def _capture_stage(self, team, user):
        """A regulation team's inquiry is a New lead when someone is assigned to take it
        into work, and lands in Unsorted (the inbox that must stay empty, R03) when
        nobody is: a manager sorts it."""
        if not team.use_regulation:
            return super()._capture_stage(team, user)
        # the cached xmlid look-up: no query per inquiry
        stage_id = self.env["ir.model.data"]._xmlid_to_res_id(
            INQUIRY_STAGES[bool(user)], raise_if_not_found=False
        )
        return self.env["crm.stage"].browse(stage_id) or super()._capture_stage(team, user)
