from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import QualityCase


class TestReviewerLimits(QualityCase):
    """What a quality reviewer cannot do, whatever they send over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewer_seller = new_test_user(
            cls.env,
            login="qa_reviewer_seller",
            groups="crm_quality_review.group_quality_reviewer,sales_team.group_sale_salesman",
        )

    def review(self, deal, reviewer=None, **values):
        vals = {
            "lead_id": deal.id,
            "salesperson_id": deal.user_id.id,
            "team_id": self.team.id,
            "reviewer_id": (reviewer or self.reviewer_a).id,
        }
        vals.update(values)
        return self.env["crm.quality.review"].create(vals).with_user(reviewer or self.reviewer_a)

    def test_a_reviewer_cannot_make_reviews_of_their_own(self):
        deal = self.lost_deals(self.sellers[0], 1)
        with self.assertRaises(AccessError):
            self.env["crm.quality.review"].with_user(self.reviewer_a).create(
                {"lead_id": deal.id, "salesperson_id": self.sellers[0].id}
            )

    def test_reviving_an_open_deal_is_refused(self):
        deal = self.env["crm.lead"].create(
            {"name": "Open — not lost", "type": "opportunity", "user_id": self.sellers[0].id}
        )
        review = self.review(deal, outcome="revive", revive_user_id=self.sellers[1].id)
        review.action_take()
        with self.assertRaises(UserError):
            review.action_done()
        self.assertEqual(deal.user_id, self.sellers[0])

    def test_a_reviewer_cannot_revive_a_deal_for_themself(self):
        deal = self.lost_deals(self.sellers[0], 1)
        review = self.review(
            deal,
            reviewer=self.reviewer_seller,
            outcome="revive",
            revive_user_id=self.reviewer_seller.id,
        )
        review.action_take()
        with self.assertRaises(AccessError):
            review.action_done()
        self.assertFalse(deal.active)

    def test_the_salesperson_reviewed_is_set_by_the_sample_not_the_reviewer(self):
        deal = self.lost_deals(self.sellers[0], 1)
        review = self.review(deal)
        with self.assertRaises(AccessError):
            review.write({"salesperson_id": self.sellers[2].id})

    def test_a_salesperson_error_is_recorded_against_the_deals_salesperson_only(self):
        deal = self.lost_deals(self.sellers[0], 1)
        review = self.review(deal, salesperson_id=self.sellers[2].id, outcome="salesperson_error")
        review.action_take()
        with self.assertRaises(UserError):
            review.action_done()
        self.assertFalse(self.env["crm.regulation.violation"].search([("lead_id", "=", deal.id)]))

    def test_a_reviewer_cannot_publish(self):
        deal = self.lost_deals(self.sellers[0], 1)
        review = self.review(deal)
        with self.assertRaises(AccessError):
            review.write({"published": True})
        with self.assertRaises(AccessError):
            review.action_publish()

    def test_a_closed_review_cannot_be_changed_or_closed_again(self):
        deal = self.lost_deals(self.sellers[0], 1)
        review = self.review(deal, outcome="salesperson_error")
        review.action_take()
        review.action_done()
        with self.assertRaises(UserError):
            review.write({"outcome": "confirmed"})
        with self.assertRaises(UserError):
            review.action_done()
        violations = self.env["crm.regulation.violation"].search([("lead_id", "=", deal.id)])
        self.assertEqual(len(violations), 1, "one salesperson error, one fine")

    def test_the_checklist_of_a_closed_audit_cannot_be_ticked(self):
        deal = self.env["crm.lead"].create(
            {"name": "Audited", "type": "opportunity", "user_id": self.sellers[2].id}
        )
        script = self.env.ref("crm_quality_review.script_sales_call")
        review = self.review(
            deal,
            review_type="call_audit",
            script_id=script.id,
            check_ids=[(0, 0, {"item_id": item.id}) for item in script.item_ids],
        )
        review.action_take()
        review.check_ids[0].done = True
        review.action_done()
        with self.assertRaises(UserError):
            review.check_ids[1].with_user(self.reviewer_a).done = True
        other = self.review(
            deal,
            reviewer=self.reviewer_b,
            review_type="call_audit",
            script_id=script.id,
            check_ids=[(0, 0, {"item_id": item.id}) for item in script.item_ids],
        )
        with self.assertRaises(AccessError):
            other.check_ids[0].with_user(self.reviewer_a).done = True

    def test_nobody_reviews_their_own_deal(self):
        deal = self.lost_deals(self.reviewer_seller, 1)
        review = self.review(deal, reviewer=self.reviewer_seller, outcome="confirmed")
        for action in ("action_take", "action_done", "action_cancel", "action_unreachable"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(review, action)()
        self.assertEqual(review.state, "todo")

    def test_a_cancelled_review_does_not_keep_the_deal_out_of_samples(self):
        deal = self.lost_deals(self.sellers[0], 1)
        self.review(deal).action_cancel()
        candidates = self.batch()._lost_deal_candidates()
        self.assertIn(deal, candidates[self.sellers[0].id])

    def test_a_review_and_its_deal_belong_to_the_same_company(self):
        other = self.env["res.company"].create({"name": "Other branch"})
        deal = self.env["crm.lead"].create(
            {"name": "Elsewhere — lost", "type": "opportunity", "company_id": other.id}
        )
        deal.action_set_lost(lost_reason_id=self.reason.id)
        with self.assertRaises(UserError):
            self.env["crm.quality.review"].create(
                {"lead_id": deal.id, "salesperson_id": self.sellers[0].id}
            )
