from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

HORIZON_PAST_DAYS = 120
HORIZON_FUTURE_DAYS = 14


class CrmRegulationWorkInterval(models.Model):
    """Working intervals of the working-hours calendars, materialized for SLA timers.

    Rules count time in working minutes with one SQL expression (see
    ``_working_minutes``): the working minutes from the horizon start up to a moment are
    ``minutes_before`` of the last interval starting before it, plus the part of that
    interval already elapsed. A cron refreshes the table every day.
    """

    _name = "crm.regulation.work.interval"
    _description = "Working interval (SLA timers)"
    _order = "calendar_id, start_at"
    _log_access = False

    calendar_id = fields.Many2one("resource.calendar", required=True, ondelete="cascade")
    start_at = fields.Datetime(required=True)
    end_at = fields.Datetime(required=True)
    minutes_before = fields.Float(
        required=True, help="Working minutes from the horizon start up to this interval."
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS crm_regulation_work_interval_lookup
                   ON crm_regulation_work_interval (calendar_id, start_at)"""
            )
        )

    @api.model
    def _refresh(self, calendars=None):
        """Rebuild the intervals of the calendars teams and companies count time with."""
        calendars = calendars or self._calendars_in_use()
        now = fields.Datetime.now()
        start = pytz.utc.localize(
            datetime.combine(now.date() - timedelta(days=HORIZON_PAST_DAYS), time.min)
        )
        end = pytz.utc.localize(
            datetime.combine(now.date() + timedelta(days=HORIZON_FUTURE_DAYS), time.min)
        )
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_regulation_work_interval WHERE calendar_id = ANY(%s)",
                calendars.ids,
            )
        )
        rows = []
        for calendar in calendars:
            rows.extend(self._calendar_rows(calendar, start, end))
        self.create(rows)
        return len(rows)

    @api.model
    def _calendar_rows(self, calendar, start, end):
        intervals = calendar._work_intervals_batch(start, end, compute_leaves=True)[False]
        rows, minutes = [], 0.0
        for interval_start, interval_end, _meta in intervals:
            start_utc = interval_start.astimezone(pytz.utc).replace(tzinfo=None)
            end_utc = interval_end.astimezone(pytz.utc).replace(tzinfo=None)
            rows.append(
                {
                    "calendar_id": calendar.id,
                    "start_at": start_utc,
                    "end_at": end_utc,
                    "minutes_before": minutes,
                }
            )
            minutes += (end_utc - start_utc).total_seconds() / 60
        return rows

    @api.model
    def _refresh_in_use(self, calendars):
        """Rebuild the intervals of those calendars that a regulation team or a company
        counts time with (a calendar nobody uses for the timers is left alone)."""
        in_use = calendars.sudo() & self._calendars_in_use()
        if in_use:
            self.sudo()._refresh(in_use)

    @api.model
    def _calendars_in_use(self):
        teams = self.env["crm.team"].sudo().search([("use_regulation", "=", True)])
        companies = self.env["res.company"].sudo().search([])
        return teams.resource_calendar_id | companies.resource_calendar_id

    @api.model
    def _cron_refresh(self):
        self._refresh()

    @api.model
    def _working_minutes(self, calendar_id, since, until):
        """SQL: working minutes of the calendar between two moments (wall-clock if none)."""
        return SQL(
            """(CASE WHEN %(calendar)s IS NULL
                     THEN EXTRACT(EPOCH FROM %(until)s - %(since)s) / 60.0
                     ELSE %(at_until)s - %(at_since)s END)""",
            calendar=calendar_id,
            since=since,
            until=until,
            at_until=self._minutes_at(calendar_id, until),
            at_since=self._minutes_at(calendar_id, since),
        )

    @api.model
    def _minutes_at(self, calendar_id, moment):
        return SQL(
            """coalesce((SELECT wi.minutes_before
                                + GREATEST(0, LEAST(EXTRACT(EPOCH FROM %(moment)s - wi.start_at),
                                                    EXTRACT(EPOCH FROM wi.end_at
                                                            - wi.start_at))) / 60.0
                           FROM crm_regulation_work_interval wi
                          WHERE wi.calendar_id = %(calendar)s
                            AND wi.start_at <= %(moment)s
                       ORDER BY wi.start_at DESC LIMIT 1), 0)""",
            calendar=calendar_id,
            moment=moment,
        )
