"""Report figures on a small fixed data set, with the expected numbers worked out by hand
(fixed dates: nothing depends on today)."""

from lxml import etree

from odoo.tools import SQL

from .common import RegulationCase

CREATED = "2026-01-05 10:00:00"


class TestReportNumbers(RegulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_team = cls.env["crm.team"].create({"name": "Report team"})
        Stage = cls.env["crm.stage"]
        cls.stage_a = Stage.create({"name": "Report A", "sequence": 901})
        cls.stage_b = Stage.create({"name": "Report B", "sequence": 902})
        cls.stage_won = Stage.create({"name": "Report Won", "sequence": 903, "is_won": True})
        cls.stage_c = Stage.create({"name": "Report C", "sequence": 904})

    def deals_in(self, stage, count):
        return self.env["crm.lead"].create(
            [
                {
                    "name": f"{stage.name} — {n}",
                    "type": "opportunity",
                    "team_id": self.other_team.id,
                    "stage_id": stage.id,
                }
                for n in range(count)
            ]
        )

    def contact(self, deal, date):
        """A message sent to the customer at a fixed moment (a contact for R02)."""
        self.env["mail.message"].create(
            {
                "model": "crm.lead",
                "res_id": deal.id,
                "message_type": "comment",
                "subtype_id": self.env.ref("mail.mt_comment").id,
                "body": "Called and wrote to the customer",
                "date": date,
            }
        )

    def stay(self, deal, stage, entered_at, left_at, hours):
        return self.env["crm.lead.stage.history"].create(
            {
                "lead_id": deal.id,
                "stage_id": stage.id,
                "salesperson_id": self.salesman.id,
                "entered_at": entered_at,
                "left_at": left_at,
                "duration_hours": hours,
            }
        )

    def graph_arch(self, xmlid):
        return etree.fromstring(self.env.ref(xmlid).arch)

    # ------------------------------------------------------- first contact

    def test_first_contact_median_counts_an_earlier_contact_as_zero(self):
        """Contacted 30 minutes after creation, contacted 10 hours before it (already in
        touch: 0), not contacted: median of (0, 30) = 15, 90th percentile 0 + 0.9 * 30 = 27."""
        late, early, silent = (self.make_deal(name=f"First contact — {n}") for n in range(3))
        deals = late | early | silent
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET create_date = %s, regulation_start_at = NULL WHERE id IN %s",
                CREATED,
                tuple(deals.ids),
            )
        )
        self.contact(late, "2026-01-05 10:30:00")
        self.contact(early, "2026-01-05 00:00:00")
        self.env.flush_all()
        row = self.env["crm.regulation.first.contact.report"].search(
            [("team_id", "=", self.team.id)]
        )
        self.assertEqual(len(row), 1)
        self.assertEqual(str(row.month), "2026-01-01")
        self.assertEqual((row.lead_count, row.contacted_count), (3, 2))
        self.assertAlmostEqual(row.median_minutes, 15.0)
        self.assertAlmostEqual(row.p90_minutes, 27.0)

    # --------------------------------------------------------- bottlenecks

    def test_bottlenecks_count_no_open_deal_in_a_won_stage(self):
        self.deals_in(self.stage_a, 2)
        self.deals_in(self.stage_b, 3)
        self.deals_in(self.stage_won, 4)
        self.env.flush_all()
        rows = self.env["crm.regulation.stage.report"].search(
            [("stage_id", "in", (self.stage_a | self.stage_b | self.stage_won).ids)]
        )
        self.assertEqual(rows.mapped("open_deals"), [2, 3, 0])

    def test_bottleneck_graph_follows_the_pipeline_order(self):
        """B has the most deals, yet the bars go A, B, Won: the stages' sequence."""
        self.deals_in(self.stage_a, 2)
        self.deals_in(self.stage_b, 3)
        self.deals_in(self.stage_won, 1)
        self.env.flush_all()
        arch = self.graph_arch("crm_regulation.crm_regulation_stage_report_view_graph")
        self.assertIsNone(arch.get("order"))
        groups = self.env["crm.regulation.stage.report"].read_group(
            [("stage_id", "in", (self.stage_a | self.stage_b | self.stage_won).ids)],
            ["open_deals:sum"],
            ["stage_id"],
        )
        self.assertEqual(
            [group["stage_id"][0] for group in groups],
            [self.stage_a.id, self.stage_b.id, self.stage_won.id],
        )

    def test_bottleneck_durations_are_in_days(self):
        """Stays of 24 and 72 hours: median 48 h = 2.0 days, 90th percentile
        24 + 0.9 * 48 = 67.2 h = 2.8 days."""
        deal = self.deals_in(self.stage_a, 1)
        self.stay(deal, self.stage_c, "2026-01-01 00:00:00", "2026-01-02 00:00:00", 24)
        self.stay(deal, self.stage_c, "2026-01-05 00:00:00", "2026-01-08 00:00:00", 72)
        self.env.flush_all()
        row = self.env["crm.regulation.stage.report"].search([("stage_id", "=", self.stage_c.id)])
        self.assertAlmostEqual(row.median_days, 2.0)
        self.assertAlmostEqual(row.p90_days, 2.8)
        self.assertEqual(row.open_deals, 0)

    # --------------------------------------------------------------- payroll

    def test_stage_history_group_row_averages_the_stays(self):
        """Stays of 24 and 72 hours grouped together: 48 hours (2 days), not 96."""
        deal = self.deals_in(self.stage_a, 1)
        stays = self.stay(
            deal, self.stage_c, "2026-01-01 00:00:00", "2026-01-02 00:00:00", 24
        ) | self.stay(deal, self.stage_c, "2026-01-05 00:00:00", "2026-01-08 00:00:00", 72)
        self.assertEqual(stays.mapped("duration_days"), [1.0, 3.0])
        [group] = self.env["crm.lead.stage.history"].read_group(
            [("id", "in", stays.ids)], ["duration_hours"], ["salesperson_id"]
        )
        self.assertAlmostEqual(group["duration_hours"], 48.0)

    # ------------------------------------------------------------ compliance

    def test_compliance_trend_is_per_salesperson_and_never_stacked(self):
        """Mon 5 and Tue 6 January 2026 (one week): 100 % and 50 % average to 75 %; the
        other salesperson's 100 % is a line of its own, not added on top."""
        Snapshot = self.env["crm.regulation.compliance.snapshot"]
        company = self.env.company.id
        Snapshot.create(
            [
                {"date": "2026-01-05", "user_id": self.salesman.id, "company_id": company,
                 "open_deals": 4, "deals_with_violations": 0, "score": 100.0},
                {"date": "2026-01-06", "user_id": self.salesman.id, "company_id": company,
                 "open_deals": 4, "deals_with_violations": 2, "score": 50.0},
                {"date": "2026-01-05", "user_id": self.manager.id, "company_id": company,
                 "open_deals": 1, "deals_with_violations": 0, "score": 100.0},
            ]
        )  # fmt: skip
        arch = self.graph_arch("crm_regulation.crm_regulation_compliance_snapshot_view_graph")
        self.assertEqual(arch.get("stacked"), "0")
        groupby = [node.get("name") + ":" + node.get("interval", "") for node in arch
                   if node.tag == "field" and node.get("type") != "measure"]  # fmt: skip
        groups = Snapshot.read_group(
            [("user_id", "in", (self.salesman | self.manager).ids)],
            ["score:avg"],
            [spec.rstrip(":") for spec in groupby],
            lazy=False,
        )
        scores = {group["user_id"][0]: group["score"] for group in groups}
        self.assertEqual(scores, {self.salesman.id: 75.0, self.manager.id: 100.0})
