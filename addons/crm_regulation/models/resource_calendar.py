from odoo import models

# Calendar fields whose change moves the working intervals that the SLA timers count
# (attendances and leaves have hooks of their own, which their one2many edits reach).
WORKING_TIME_FIELDS = {"tz", "two_weeks_calendar", "flexible_hours"}


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        if WORKING_TIME_FIELDS.intersection(vals):
            self._refresh_regulation_intervals()
        return result

    def _refresh_regulation_intervals(self):
        """Rebuild the SLA timers' intervals of those calendars a team or company uses."""
        self.env["crm.regulation.work.interval"]._refresh_in_use(self)
