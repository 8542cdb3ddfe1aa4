from .common import RegulationCase

# Queries of moving a batch of deals through a gated stage, whatever its size
BATCH_MOVE_QUERIES = 23


class TestGateQueries(RegulationCase):
    """A batch move costs the same number of queries for 5 deals as for 50."""

    def deals_to_move(self, size):
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
        return deals.browse(deals.ids)

    def test_moving_many_deals_costs_a_constant_number_of_queries(self):
        self.deals_to_move(2).write({"stage_id": self.stage["contract_agreed"].id})  # warm-up
        for size in (5, 50):
            deals = self.deals_to_move(size)
            # Odoo's stage tracking (a message per deal, at commit) is not counted
            with self.assertQueryCount(BATCH_MOVE_QUERIES, flush=False):
                deals.write({"stage_id": self.stage["contract_agreed"].id})
                self.env.flush_all()
