from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL

from .common import make_violation


class TestDashboard(TransactionCase):
    """The manager's dashboard on a company of its own: every tile's number is the count
    of the records it opens, with the figures of a small fixed data set (January 2026)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Dashboard Ltd"})
        cls.company.currency_id = cls.env.ref("base.EUR").id
        cls.manager = new_test_user(
            cls.env,
            login="dash_manager",
            groups="sales_team.group_sale_manager,crm_regulation.group_regulation_manager",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.seller = new_test_user(
            cls.env,
            login="dash_seller",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Dashboard team",
                "use_regulation": True,
                "company_id": cls.company.id,
                "member_ids": [(6, 0, cls.seller.ids)],
            }
        )
        cls.in_work = cls.env.ref("crm_regulation.stage_in_work")
        cls.in_work.max_days_in_stage = 3
        cls.rule = cls.env["crm.regulation.rule"].search(
            [("company_id", "=", cls.company.id), ("code", "=", "R02")]
        )

    def deal(self, name):
        return self.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "team_id": self.team.id,
                "user_id": self.seller.id,
                "company_id": self.company.id,
                "stage_id": self.in_work.id,
            }
        )

    def violation(self, deal, detected_at, fine, state="open"):
        fine_due = 0 if state == "waived" else fine
        return make_violation(self.rule, deal, detected_at, state, fine=fine, fine_due=fine_due)

    def open_dashboard(self):
        Tile = self.env["crm.regulation.dashboard.tile"].with_user(self.manager)
        action = Tile.with_context(dashboard_date="2026-01-15").action_open_dashboard()
        self.assertEqual(action["res_model"], Tile._name)
        tiles = Tile.search(action["domain"])
        return {tile.code: tile for tile in tiles}

    def records_behind(self, tile):
        action = tile.action_open()
        return self.env[action["res_model"]].with_user(self.manager).search(action["domain"])

    def test_fines_tile_sums_the_fines_due_of_the_month(self):
        """500 + 300 in January; February's 1000 and the waived 700 are not counted."""
        deals = [self.deal(f"Fined — {n}") for n in range(4)]
        fined = self.violation(deals[0], "2026-01-10 09:00:00", 500) | self.violation(
            deals[1], "2026-01-31 23:00:00", 300, state="resolved"
        )
        self.violation(deals[2], "2026-02-01 00:00:00", 1000)
        self.violation(deals[3], "2026-01-12 09:00:00", 700, state="waived")
        tile = self.open_dashboard()["fines"]
        self.assertEqual(tile.record_count, 2)
        self.assertIn("800", tile.figure.replace(",", "").replace("\xa0", ""))
        self.assertEqual(self.records_behind(tile), fined)

    def test_rotting_tile_opens_the_rotting_deals(self):
        fresh, stale = self.deal("Fresh"), self.deal("Stale")
        stale.date_last_stage_update = fields.Datetime.now() - timedelta(days=10)
        self.env.flush_all()
        tile = self.open_dashboard()["rotting"]
        self.assertEqual(tile.record_count, 1)
        self.assertEqual(self.records_behind(tile), stale)
        self.assertNotIn(fresh, self.records_behind(tile))

    def test_first_contact_tile_shows_the_median_of_the_month(self):
        """Contacted after 30 and 90 minutes: median 60."""
        deals = self.deal("Contact — 1") | self.deal("Contact — 2")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET create_date = '2026-01-05 10:00:00' WHERE id IN %s",
                tuple(deals.ids),
            )
        )
        for deal, at in zip(deals, ("2026-01-05 10:30:00", "2026-01-05 11:30:00"), strict=True):
            self.env["mail.message"].create(
                {
                    "model": "crm.lead",
                    "res_id": deal.id,
                    "message_type": "comment",
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                    "body": "Called the customer",
                    "date": at,
                }
            )
        self.env.flush_all()
        tile = self.open_dashboard()["first_contact"]
        self.assertEqual(tile.figure, "60 min")
        self.assertEqual(tile.record_count, 1)
        self.assertEqual(self.records_behind(tile).team_id, self.team)

    def test_every_tile_opens_as_many_records_as_it_counts(self):
        deal = self.deal("Counted")
        self.violation(deal, "2026-01-10 09:00:00", 500)
        tiles = self.open_dashboard()
        # glue addons add tiles of their own (telephony: missed calls)
        self.assertLessEqual(
            {"fines", "compliance", "rotting", "funnel", "first_contact"}, set(tiles)
        )
        for code, tile in tiles.items():
            with self.subTest(tile=code):
                self.assertEqual(len(self.records_behind(tile)), tile.record_count)
        self.assertIn(self.seller, self.records_behind(tiles["compliance"]).user_id)

    def test_salesperson_has_no_dashboard(self):
        with self.assertRaises(AccessError):
            self.env["crm.regulation.dashboard.tile"].with_user(self.seller).action_open_dashboard()
