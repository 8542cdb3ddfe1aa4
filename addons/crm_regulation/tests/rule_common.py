from datetime import timedelta

from odoo import fields

from .common import RegulationCase


def working_calendar(env, name, days=range(7), hours=(0, 24), tz="UTC"):
    """A working-hours calendar, its intervals ready for the SLA timers."""
    attendance = {"hour_from": hours[0], "hour_to": hours[1], "day_period": "morning"}
    calendar = env["resource.calendar"].create(
        {
            "name": name,
            "tz": tz,
            "attendance_ids": [
                (0, 0, dict(attendance, name=f"Day {day}", dayofweek=str(day))) for day in days
            ],
        }
    )
    env["crm.regulation.work.interval"]._refresh(calendar)
    return calendar


class RuleCase(RegulationCase):
    """The regulation team works around the clock so that minutes are wall-clock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.always_open = working_calendar(cls.env, "24/7")
        cls.team.resource_calendar_id = cls.always_open
        cls.rules = {
            rule.code: rule
            for rule in cls.env["crm.regulation.rule"].search(
                [("company_id", "=", cls.env.company.id)]
            )
        }
        # Other deals of the database must not disturb the counts of these tests.
        cls.env["crm.team"].search([("id", "!=", cls.team.id)]).use_regulation = False

    def detect(self, code):
        self.env.flush_all()
        self.rules[code]._detect()
        return self.violations(code)

    def violations(self, code, deal=None):
        domain = [("rule_id", "=", self.rules[code].id)]
        if deal:
            domain.append(("lead_id", "=", deal.id))
        return self.env["crm.regulation.violation"].search(domain)

    def age(self, deal, minutes, column="create_date"):
        self.env.flush_all()
        moment = fields.Datetime.now() - timedelta(minutes=minutes)
        self.env.cr.execute(
            f"UPDATE crm_lead SET {column} = %s WHERE id = %s",
            [moment, deal.id],
        )
        deal.invalidate_recordset()
        return moment

    def age_stay(self, deal, minutes):
        """The deal entered its current stage ``minutes`` ago (the stage history says)."""
        self.env.flush_all()
        moment = fields.Datetime.now() - timedelta(minutes=minutes)
        self.env.cr.execute(
            "UPDATE crm_lead_stage_history SET entered_at = %s "
            "WHERE lead_id = %s AND left_at IS NULL",
            [moment, deal.id],
        )
        self.env["crm.lead.stage.history"].invalidate_model()
        return moment
