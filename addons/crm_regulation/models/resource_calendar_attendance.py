from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    """Changed working hours move the SLA timers at once, not at the nightly refresh."""

    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.calendar_id._refresh_regulation_intervals()
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        result = super().write(vals)
        (calendars | self.calendar_id)._refresh_regulation_intervals()
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        calendars._refresh_regulation_intervals()
        return result
