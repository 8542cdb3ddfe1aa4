from odoo.addons.crm_phone_base.tools.compat import USER_GROUPS

from .common import QualityCase


class TestSampling(QualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deals = {
            seller: cls.lost_deals(seller, count)
            for seller, count in zip(cls.sellers, (10, 30, 2), strict=True)
        }

    def drawn(self, batch):
        batch.action_draw()
        return batch.review_ids

    def per_seller(self, reviews):
        return {
            seller: len(reviews.filtered(lambda r, s=seller: r.salesperson_id == s))
            for seller in self.sellers
        }

    def test_rate_with_bounds_covers_every_salesperson(self):
        reviews = self.drawn(self.batch())
        # 20 %: 10 -> 2, 30 -> 6 capped at 3, 2 -> 0.4 raised to the minimum 1.
        self.assertEqual(list(self.per_seller(reviews).values()), [2, 3, 1])

    def test_only_lost_deals_of_the_period_are_drawn(self):
        recent = self.lost_deals(self.sellers[0], 5, days_ago=2, prefix="Recent")
        open_deal = self.env["crm.lead"].create(
            {"name": "Open", "type": "opportunity", "user_id": self.sellers[0].id}
        )
        reviews = self.drawn(self.batch(rate=100, max_per_salesperson=0))
        self.assertFalse(reviews.lead_id & (recent | open_deal))
        self.assertEqual(len(reviews), 42)

    def test_same_seed_draws_the_same_deals(self):
        first = self.drawn(self.batch(seed=7)).lead_id
        self.env["crm.quality.review"].search([]).unlink()
        second = self.drawn(self.batch(seed=7)).lead_id
        self.assertEqual(first, second)

    def test_another_seed_draws_other_deals(self):
        first = self.drawn(self.batch(seed=7)).lead_id
        self.env["crm.quality.review"].search([]).unlink()
        second = self.drawn(self.batch(seed=8)).lead_id
        self.assertNotEqual(first, second)

    def test_deals_already_reviewed_are_skipped(self):
        first = self.drawn(self.batch(rate=50, max_per_salesperson=0))
        second = self.drawn(self.batch(rate=100, max_per_salesperson=0, seed=1))
        self.assertFalse(first.lead_id & second.lead_id)
        self.assertEqual(len(first) + len(second), 42)

    def test_work_is_spread_evenly_and_never_to_the_deals_own_salesperson(self):
        self.reviewer_a[USER_GROUPS] |= self.env.ref("sales_team.group_sale_salesman")
        mine = self.lost_deals(self.reviewer_a, 4, prefix="Reviewer's own")
        reviews = self.drawn(self.batch(rate=100, max_per_salesperson=0))
        own = reviews.filtered(lambda r: r.lead_id in mine)
        self.assertEqual(len(own), 4)
        self.assertNotIn(self.reviewer_a, own.reviewer_id)
        reviewers = self.reviewer_a | self.reviewer_b | self.quality_manager
        self.assertEqual(reviews.reviewer_id, reviewers)
        loads = [len(reviews.filtered(lambda r, u=u: r.reviewer_id == u)) for u in reviewers]
        self.assertLessEqual(max(loads) - min(loads), 1)
