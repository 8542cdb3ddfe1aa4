from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """Public holidays and closures are not working time: the SLA timers follow them."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._closed_calendars()._refresh_regulation_intervals()
        return leaves

    def write(self, vals):
        before = self._closed_calendars()
        result = super().write(vals)
        (before | self._closed_calendars())._refresh_regulation_intervals()
        return result

    def unlink(self):
        calendars = self._closed_calendars()
        result = super().unlink()
        calendars._refresh_regulation_intervals()
        return result

    def _closed_calendars(self):
        """The calendars these leaves close; a company-wide leave without one closes all."""
        if any(not leave.calendar_id and not leave.resource_id for leave in self):
            return self.env["crm.regulation.work.interval"]._calendars_in_use()
        return self.filtered(lambda leave: not leave.resource_id).calendar_id
