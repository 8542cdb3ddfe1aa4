from odoo import api, fields, models

# Team fields that decide which working-hours calendar the SLA timers count with.
TIMER_CALENDAR_FIELDS = {"use_regulation", "resource_calendar_id"}


class CrmTeam(models.Model):
    _inherit = "crm.team"

    use_regulation = fields.Boolean(
        "Follows the regulation",
        tracking=True,
        help="The team works the regulation pipeline: its pipeline shows the regulation "
        "stages only and the stage gates apply to its deals.",
    )

    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="Regulation time limits (first contact, Unsorted, call-backs...) count "
        "working time of this calendar only.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._refresh_timer_calendars()
        return teams

    def write(self, vals):
        result = super().write(vals)
        if TIMER_CALENDAR_FIELDS.intersection(vals):
            self._refresh_timer_calendars()
        return result

    def _refresh_timer_calendars(self):
        """A team that starts following the regulation, or changes its working hours, is
        timed from now on: its calendar's intervals are built at once, not at the next
        nightly refresh (until then every limit would read zero working minutes)."""
        calendars = self.filtered("use_regulation").resource_calendar_id
        if calendars:
            self.env["crm.regulation.work.interval"]._refresh_in_use(calendars)

    def action_open_regulation_apply_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_regulation.crm_regulation_apply_wizard_action"
        )
        action["context"] = {"default_team_id": self.id}
        return action
