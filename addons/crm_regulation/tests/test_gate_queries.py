from .common import RegulationCase


class TestGateQueries(RegulationCase):
    """A batch move costs the same number of queries for 5 deals as for 50."""

    def move_and_count(self, size):
        deals = self.env["crm.lead"].create(
            [
                {
                    "name": f"Batch {size} — {n}",
                    "type": "opportunity",
                    "team_id": self.team.id,
                    "stage_id": self.stage["proposal_sent"].id,
                    "expected_revenue": 1000,
                    "partner_id": self.customer.id,
                }
                for n in range(size)
            ]
        )
        for deal in deals:
            self.note(deal)
            self.attach(deal, "contract")
        self.env.flush_all()
        self.env.invalidate_all()
        deals = deals.browse(deals.ids)
        before = self.env.cr.sql_log_count
        deals.write({"stage_id": self.stage["contract_agreed"].id})
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_moving_many_deals_costs_a_constant_number_of_queries(self):
        self.move_and_count(2)  # warm up caches
        small = self.move_and_count(5)
        large = self.move_and_count(50)
        self.assertEqual(small, large)
