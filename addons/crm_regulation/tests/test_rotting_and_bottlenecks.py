from datetime import timedelta

from odoo import fields

from .common import RegulationCase


class TestRottingAndBottlenecks(RegulationCase):
    def age(self, deal, days):
        deal.date_last_stage_update = fields.Datetime.now() - timedelta(days=days)
        self.env.flush_all()

    def test_deal_over_the_stage_maximum_is_rotting(self):
        self.stage["in_work"].max_days_in_stage = 3
        fresh, stale = self.make_deal(name="Fresh — 1"), self.make_deal(name="Stale — 1")
        self.age(stale, 10)
        self.assertFalse(fresh.regulation_rotting)
        self.assertTrue(stale.regulation_rotting)
        self.assertEqual(stale.days_in_stage, 10)
        rotting = self.env["crm.lead"].search(
            [("regulation_rotting", "=", True), ("id", "in", (fresh | stale).ids)]
        )
        self.assertEqual(rotting, stale)

    def test_stage_without_maximum_never_rots(self):
        self.stage["in_work"].max_days_in_stage = 0
        deal = self.make_deal()
        self.age(deal, 400)
        self.assertFalse(deal.regulation_rotting)

    def test_bottleneck_report_counts_open_and_rotting_deals_per_stage(self):
        self.stage["in_work"].max_days_in_stage = 3
        report = self.env["crm.regulation.stage.report"]
        before = report.search([("stage_id", "=", self.stage["in_work"].id)])
        open_before, rotting_before = before.open_deals, before.rotting_deals
        self.make_deal(name="Waiting — 1")
        self.age(self.make_deal(name="Waiting — 2"), 10)
        report.invalidate_model()
        row = report.search([("stage_id", "=", self.stage["in_work"].id)])
        self.assertEqual(row.open_deals, open_before + 2)
        self.assertEqual(row.rotting_deals, rotting_before + 1)

    def test_bottleneck_report_measures_conversion_to_a_later_stage(self):
        deals = self.make_deal(name="Conv — 1") | self.make_deal(name="Conv — 2")
        deals[0].write({"stage_id": self.stage["qualified"].id, "expected_revenue": 5})
        deals[1].write({"stage_id": self.stage["new"].id})
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT count(*) FILTER (WHERE nxt.sequence > cur.sequence), count(*)
                 FROM crm_lead_stage_history h JOIN crm_stage cur ON cur.id = h.stage_id
            LEFT JOIN crm_stage nxt ON nxt.id = h.next_stage_id WHERE h.stage_id = %s""",
            [self.stage["in_work"].id],
        )
        forward, entered = self.env.cr.fetchone()
        row = self.env["crm.regulation.stage.report"].search(
            [("stage_id", "=", self.stage["in_work"].id)]
        )
        self.assertEqual((row.moved_forward, row.entered), (forward, entered))
        self.assertAlmostEqual(row.conversion_rate, 100.0 * forward / entered, places=2)
