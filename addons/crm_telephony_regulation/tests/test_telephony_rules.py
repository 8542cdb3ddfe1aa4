from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.crm_regulation.tests.rule_common import working_calendar


class TestTelephonyRules(TransactionCase):
    """The rule engine reads the call log: R02 contacts, R04 call-backs, R13 summaries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="tel_rules_salesman", groups="sales_team.group_sale_salesman"
        )
        always_open = working_calendar(cls.env, "24/7")
        cls.team = cls.env["crm.team"].create(
            {"name": "Phone team", "use_regulation": True, "resource_calendar_id": always_open.id}
        )
        cls.connection = cls.env["crm.telephony.connection"].create(
            {"name": "Rules PBX", "provider": "generic", "secret": "whsec_rules"}
        )
        cls.rules = {
            rule.code: rule
            for rule in cls.env["crm.regulation.rule"].search(
                [("company_id", "=", cls.env.company.id)]
            )
        }
        cls.deal = cls.env["crm.lead"].create(
            {
                "name": "Phone — 10 chairs",
                "type": "opportunity",
                "team_id": cls.team.id,
                "user_id": cls.salesman.id,
                "stage_id": cls.env.ref("crm_regulation.stage_new").id,
                "phone": "+79991234567",
            }
        )

    def call(self, minutes_ago, **values):
        started = fields.Datetime.now() - timedelta(minutes=minutes_ago)
        vals = {
            "connection_id": self.connection.id,
            "provider_call_id": f"call-{minutes_ago}-{values.get('direction')}",
            "client_number": "+79991234567",
            "lead_id": self.deal.id,
            "user_id": self.salesman.id,
            "started_at": started,
            "ended_at": started + timedelta(minutes=2),
        }
        vals.update(values)
        return self.env["crm.telephony.call"].create(vals)

    def open_violation(self, code):
        self.env.flush_all()
        self.rules[code]._detect()
        return self.env["crm.regulation.violation"].search(
            [("rule_code", "=", code), ("lead_id", "=", self.deal.id), ("state", "=", "open")]
        )

    def test_r04_missed_call_not_called_back_opens_a_violation(self):
        call = self.call(60, direction="inbound", status="no_answer")
        self.assertTrue(call.is_missed)
        self.assertTrue(self.open_violation("R04"))

    def test_r04_call_back_resolves_it(self):
        missed = self.call(60, direction="inbound", status="no_answer")
        violation = self.open_violation("R04")
        missed.write({"handled_at": fields.Datetime.now()})
        self.assertFalse(self.open_violation("R04"))
        self.assertEqual(violation.state, "resolved")

    def test_r13_answered_call_without_summary_opens_and_a_summary_resolves(self):
        call = self.call(120, direction="outbound", status="answered", talk_time=60)
        violation = self.open_violation("R13")
        self.assertTrue(violation)
        call.summary = "Agreed on 10 chairs, proposal by Friday"
        self.assertFalse(self.open_violation("R13"))
        self.assertEqual(violation.state, "resolved")

    def test_r02_an_outbound_call_is_the_first_contact(self):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = now() at time zone 'UTC' - interval '10 minutes' "
            "WHERE id = %s",
            [self.deal.id],
        )
        self.call(5, direction="outbound", status="no_answer")
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = now() at time zone 'UTC' - interval '2 hours' "
            "WHERE id = %s",
            [self.deal.id],
        )
        self.assertFalse(self.open_violation("R02"), "contacted by phone: no open R02")
