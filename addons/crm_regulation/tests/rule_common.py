from datetime import timedelta

from odoo import fields

from .common import RegulationCase


class RuleCase(RegulationCase):
    """The regulation team works around the clock so that minutes are wall-clock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.always_open = cls.env["resource.calendar"].create(
            {
                "name": "24/7",
                "tz": "UTC",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "morning",
                        },
                    )
                    for day in range(7)
                ],
            }
        )
        cls.team.resource_calendar_id = cls.always_open
        cls.env["crm.regulation.work.interval"]._refresh(cls.always_open)
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
