from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .rule_common import RuleCase, working_calendar

# Queries of one detection run of every rule, whatever the number of deals
DETECTION_QUERIES = 26


class TestFirstContactR02(RuleCase):
    def test_lead_without_contact_past_the_limit_opens_exactly_one_violation(self):
        deal = self.make_deal(stage="new")
        self.age(deal, 30)
        self.detect("R02")
        self.detect("R02")
        violation = self.violations("R02", deal)
        self.assertEqual(len(violation), 1)
        self.assertEqual(violation.state, "open")
        self.assertEqual(violation.user_id, self.salesman)
        self.assertEqual(violation.fine, self.rules["R02"].fine_amount)

    def test_lead_within_the_limit_is_fine(self):
        deal = self.make_deal(stage="new")
        self.age(deal, 5)
        self.assertFalse(self.detect("R02").filtered(lambda v: v.lead_id == deal))

    def test_sending_a_message_resolves_it_without_the_cron(self):
        deal = self.make_deal(stage="new")
        self.age(deal, 30)
        violation = self.detect("R02").filtered(lambda v: v.lead_id == deal)
        deal.message_post(body="Hello", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertEqual(violation.state, "resolved")
        self.assertTrue(violation.resolved_at)

    def test_contact_made_late_between_two_detections_is_recorded_resolved(self):
        deal = self.make_deal(stage="new")
        created = self.age(deal, 60)
        message = deal.message_post(
            body="Hello", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        message.date = created + timedelta(minutes=40)
        self.detect("R02")
        violation = self.violations("R02", deal)
        self.assertEqual(violation.state, "resolved")

    def test_done_call_activity_is_a_contact(self):
        deal = self.make_deal(stage="new")
        self.age(deal, 30)
        activity = deal.activity_schedule("mail.mail_activity_data_call", user_id=self.salesman.id)
        activity.action_feedback(feedback="Reached the customer")
        violation = self.detect("R02").filtered(lambda v: v.lead_id == deal)
        self.assertEqual(violation.state, "resolved", "contacted, but 30 minutes late")

    def test_waived_violation_stays_waived(self):
        deal = self.make_deal(stage="new")
        self.age(deal, 30)
        violation = self.detect("R02").filtered(lambda v: v.lead_id == deal)
        violation.with_user(self.manager).action_waive("Customer asked to call tomorrow")
        self.detect("R02")
        self.assertEqual(self.violations("R02", deal), violation)
        self.assertEqual(violation.state, "waived")
        self.assertEqual(violation.waived_by_id, self.manager)

    def test_salesperson_cannot_waive(self):
        deal = self.make_deal(stage="new")
        self.age(deal, 30)
        violation = self.detect("R02").filtered(lambda v: v.lead_id == deal)
        with self.assertRaises(AccessError):
            violation.with_user(self.salesman).action_waive("no")

    def test_waiver_needs_a_reason(self):
        deal = self.make_deal(stage="new")
        self.age(deal, 30)
        violation = self.detect("R02").filtered(lambda v: v.lead_id == deal)
        with self.assertRaises(UserError):
            violation.with_user(self.manager).action_waive("  ")

    def test_switched_off_rule_detects_nothing(self):
        self.rules["R02"].active = False
        deal = self.make_deal(stage="new")
        self.age(deal, 30)
        self.env["crm.regulation.rule"]._detect_all()
        self.assertFalse(self.violations("R02", deal))

    def test_deals_of_other_teams_are_not_checked(self):
        other = self.env["crm.team"].create({"name": "Classic"})
        deal = self.env["crm.lead"].create({"name": "Classic", "team_id": other.id})
        self.age(deal, 300)
        self.assertFalse(self.detect("R02").filtered(lambda v: v.lead_id == deal))

    def test_responsible_is_notified_of_a_new_violation(self):
        deal = self.make_deal(stage="new")
        self.age(deal, 30)
        self.env["crm.regulation.rule"]._detect_all()
        notified = deal.message_ids.filtered(
            lambda m: self.salesman.partner_id in m.partner_ids and "R02" in m.body
        )
        self.assertTrue(notified)


class TestInboxAndTasks(RuleCase):
    def test_r03_deal_left_in_unsorted_opens_and_leaving_resolves(self):
        deal = self.make_deal(stage="unsorted")
        self.age_stay(deal, 120)
        violation = self.detect("R03").filtered(lambda v: v.lead_id == deal)
        self.assertEqual(violation.state, "open")
        deal.write({"stage_id": self.stage["new"].id})
        self.assertEqual(violation.state, "resolved")

    def overdue_task(self, deal):
        """A to-do of the salesperson, due two days ago."""
        return deal.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.salesman.id,
            date_deadline=fields.Date.today() - timedelta(days=2),
        )

    def test_r06_deal_without_task_opens_and_planning_one_resolves(self):
        deal = self.make_deal()
        self.age(deal, 120)
        violation = self.detect("R06").filtered(lambda v: v.lead_id == deal)
        self.assertEqual(violation.state, "open")
        deal.activity_schedule("mail.mail_activity_data_todo", user_id=self.salesman.id)
        self.assertEqual(violation.state, "resolved")

    def test_r07_overdue_task_opens_and_doing_it_resolves(self):
        deal = self.make_deal()
        activity = self.overdue_task(deal)
        violation = self.detect("R07").filtered(lambda v: v.lead_id == deal)
        self.assertEqual(violation.state, "open")
        activity.action_feedback(feedback="Done")
        self.assertEqual(violation.state, "resolved")

    def test_r07_rescheduling_resolves(self):
        deal = self.make_deal()
        activity = self.overdue_task(deal)
        violation = self.detect("R07").filtered(lambda v: v.lead_id == deal)
        activity.date_deadline = fields.Date.today() + timedelta(days=1)
        self.assertEqual(violation.state, "resolved")


class TestDataAndNotes(RuleCase):
    def test_r11_deal_forced_past_requisites_opens_and_filling_them_resolves(self):
        deal = self.make_deal(stage="qualified", expected_revenue=100)
        deal.with_user(self.manager).with_context(regulation_force_reason="Urgent").write(
            {"stage_id": self.stage["contract_sent"].id}
        )
        violation = self.detect("R11").filtered(lambda v: v.lead_id == deal)
        self.assertEqual(violation.state, "open")
        deal.partner_id = self.customer
        self.detect("R11")
        self.assertEqual(violation.state, "resolved")

    def test_a_vat_of_spaces_is_empty_for_the_gate_and_for_r11_alike(self):
        self.customer.write({"vat": "   ", "company_registry": False})
        deal = self.make_deal(stage="qualified", expected_revenue=100, partner_id=self.customer.id)
        with self.assertRaises(UserError) as error:
            deal.write({"stage_id": self.stage["contract_sent"].id})
        self.assertIn("VAT or registration number", str(error.exception))
        deal.with_user(self.manager).with_context(regulation_force_reason="Urgent").write(
            {"stage_id": self.stage["contract_sent"].id}
        )
        violation = self.detect("R11").filtered(lambda v: v.lead_id == deal)
        self.assertEqual(violation.state, "open")
        self.customer.vat = "7707083893"
        self.detect("R11")
        self.assertEqual(violation.state, "resolved")

    def test_r11_complete_deal_is_fine(self):
        deal = self.make_deal(stage="qualified", expected_revenue=100)
        self.assertFalse(self.detect("R11").filtered(lambda v: v.lead_id == deal))

    def test_r13_proposal_without_note_opens_and_a_note_resolves(self):
        deal = self.make_deal(stage="proposal_sent", expected_revenue=100)
        self.age_stay(deal, 3 * 60)
        violation = self.detect("R13").filtered(lambda v: v.lead_id == deal)
        self.assertEqual(violation.state, "open")
        self.note(deal, "Sent the proposal for 40 chairs, customer reads it by Friday")
        self.assertEqual(violation.state, "resolved")

    def test_r04_without_telephony_data_detects_nothing(self):
        # The deals of this test only: a database the end-to-end tests ran on keeps the
        # R04 violations of their missed calls (the telephony addons are installed).
        deal = self.make_deal(stage="new")
        self.age(deal, 60)
        self.assertFalse(self.detect("R04").filtered(lambda v: v.team_id == self.team))


class TestRulesAsRecords(RuleCase):
    def test_a_rule_without_a_detector_measures_nothing(self):
        rule = self.rules["R02"].copy({"code": "X99", "company_id": self.env.company.id})
        self.assertEqual(rule._offender_queries(), [])
        self.assertFalse(rule._detect())

    def test_rules_recorded_by_hand_are_never_run_by_the_engine(self):
        by_hand = self.rules["R02"].copy({"code": "H02", "company_id": self.env.company.id})
        by_hand.detection = "manual"
        late, found = self.make_deal(name="Late — hand"), self.make_deal(name="Found — hand")
        self.age(late, 60)
        by_hand._record_found(found, self.salesman)
        self.env["crm.regulation.rule"]._detect_all()
        violations = self.env["crm.regulation.violation"].search([("rule_id", "=", by_hand.id)])
        self.assertEqual(violations.lead_id, found, "the late deal is R02's business only")
        self.assertEqual((violations.state, violations.fine), ("open", by_hand.fine_amount))

    def test_an_engine_rule_cannot_be_recorded_by_hand(self):
        with self.assertRaises(UserError):
            self.rules["R02"]._record_found(self.make_deal(), self.salesman)

    def test_a_rule_with_violations_is_switched_off_not_deleted(self):
        deal = self.make_deal(stage="new")
        self.age(deal, 30)
        self.detect("R02")
        with self.assertRaises(UserError):
            self.rules["R02"].unlink()


class TestEscalationAndCounts(RuleCase):
    def test_violation_open_past_the_escalation_delay_reaches_the_team_leader(self):
        leader = self.manager
        self.team.user_id = leader
        deal = self.make_deal(stage="new")
        self.age(deal, 30)
        violation = self.detect("R02").filtered(lambda v: v.lead_id == deal)
        violation.sudo().write({"detected_at": fields.Datetime.now() - timedelta(days=2)})
        self.env["crm.regulation.violation"]._escalate_overdue()
        self.assertTrue(violation.escalated_at)
        self.assertTrue(deal.message_ids.filtered(lambda m: leader.partner_id in m.partner_ids))

    def age_new_deals(self, count):
        deals = self.env["crm.lead"].create(
            [
                {
                    "name": f"Count {count} — {n}",
                    "type": "opportunity",
                    "team_id": self.team.id,
                    "user_id": self.salesman.id,
                    "stage_id": self.stage["unsorted"].id,
                }
                for n in range(count)
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = create_date - interval '2 days', "
            "date_last_stage_update = date_last_stage_update - interval '2 days' "
            "WHERE id = ANY(%s)",
            [deals.ids],
        )
        self.env.cr.execute(
            "UPDATE crm_lead_stage_history SET entered_at = entered_at - interval '2 days' "
            "WHERE lead_id = ANY(%s)",
            [deals.ids],
        )
        self.env.invalidate_all()

    def detect_all(self):
        for rule in self.rules.values():
            rule._detect()

    def test_detection_costs_the_same_queries_for_5_and_50_deals(self):
        self.age_new_deals(2)
        self.detect_all()  # warm-up
        for count in (5, 50):
            self.age_new_deals(count)
            with self.assertQueryCount(DETECTION_QUERIES):
                self.detect_all()


class TestWorkingHours(RuleCase):
    def test_a_weekend_does_not_count(self):
        calendar = working_calendar(
            self.env, "Moscow office", days=range(5), hours=(9, 18), tz="Europe/Moscow"
        )
        intervals = self.env["crm.regulation.work.interval"]
        today = fields.Date.today()
        friday = today - timedelta(days=(today.weekday() - 4) % 7 or 7)
        utc = fields.Datetime.to_datetime

        def minutes(since, until):
            self.env.cr.execute(
                SQL("SELECT %s", intervals._working_minutes(calendar.id, since, until))
            )
            return round(self.env.cr.fetchone()[0])

        # Friday 23:50 -> Saturday 00:05 Moscow time (UTC+3): no working minute passed.
        self.assertEqual(
            minutes(utc(f"{friday} 20:50:00"), utc(f"{friday + timedelta(days=1)} 21:05:00")), 0
        )
        # Friday 17:50 -> Monday 09:10 Moscow time: 10 + 10 working minutes.
        self.assertEqual(
            minutes(utc(f"{friday} 14:50:00"), utc(f"{friday + timedelta(days=3)} 06:10:00")), 20
        )

    def test_lead_arriving_late_on_friday_is_not_late_on_saturday(self):
        calendar = working_calendar(self.env, "Office", days=range(5), hours=(9, 18))
        self.team.resource_calendar_id = calendar
        deal = self.make_deal(stage="new")
        today = fields.Date.today()
        last_saturday = today - timedelta(days=(today.weekday() - 5) % 7)
        # Created on the last Saturday (or today if Saturday), counted against Sunday's 0 hours
        # only when today is a weekend day; on weekdays the office hours since Monday count.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            [fields.Datetime.to_datetime(f"{last_saturday} 10:00:00"), deal.id],
        )
        self.env.cr.execute(
            SQL(
                "SELECT %s",
                self.env["crm.regulation.work.interval"]._working_minutes(
                    calendar.id,
                    fields.Datetime.to_datetime(f"{last_saturday} 10:00:00"),
                    fields.Datetime.to_datetime(f"{last_saturday + timedelta(days=1)} 23:00:00"),
                ),
            )
        )
        self.assertEqual(round(self.env.cr.fetchone()[0]), 0)


class TestWorkingHoursFollowTheCalendar(RuleCase):
    """The timers' intervals follow every change of working time at once."""

    def minutes_of_day(self, calendar, day):
        """Working minutes of the calendar over one whole UTC day."""
        start = fields.Datetime.to_datetime(f"{day} 00:00:00")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s",
                self.env["crm.regulation.work.interval"]._working_minutes(
                    calendar.id, start, start + timedelta(days=1)
                ),
            )
        )
        return round(self.env.cr.fetchone()[0])

    def plain_calendar(self, name, hours=(0, 24)):
        """A calendar made the way a user makes one: no explicit interval refresh."""
        attendance = {"hour_from": hours[0], "hour_to": hours[1], "day_period": "morning"}
        return self.env["resource.calendar"].create(
            {
                "name": name,
                "tz": "UTC",
                "attendance_ids": [
                    (0, 0, dict(attendance, name=f"Day {day}", dayofweek=str(day)))
                    for day in range(7)
                ],
            }
        )

    def test_a_team_given_new_working_hours_is_timed_at_once(self):
        calendar = self.plain_calendar("Night shift", hours=(0, 8))
        self.team.resource_calendar_id = calendar
        yesterday = fields.Date.today() - timedelta(days=1)
        self.assertEqual(self.minutes_of_day(calendar, yesterday), 8 * 60)

    def test_changing_a_calendars_hours_moves_the_timers(self):
        calendar = self.plain_calendar("Shop hours", hours=(0, 8))
        self.team.resource_calendar_id = calendar
        calendar.attendance_ids.write({"hour_to": 4})
        yesterday = fields.Date.today() - timedelta(days=1)
        self.assertEqual(self.minutes_of_day(calendar, yesterday), 4 * 60)

    def test_a_public_holiday_is_not_working_time(self):
        yesterday = fields.Date.today() - timedelta(days=1)
        self.assertEqual(self.minutes_of_day(self.always_open, yesterday), 24 * 60)
        holiday = self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.always_open.id,
                "date_from": fields.Datetime.to_datetime(f"{yesterday} 00:00:00"),
                "date_to": fields.Datetime.to_datetime(f"{yesterday} 23:59:59"),
            }
        )
        self.assertEqual(self.minutes_of_day(self.always_open, yesterday), 0)
        holiday.unlink()
        self.assertEqual(self.minutes_of_day(self.always_open, yesterday), 24 * 60)
