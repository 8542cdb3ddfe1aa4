from datetime import timedelta

from odoo import fields

from odoo.addons.crm_quality_review.tests.common import QualityCase


class TestCallAuditSampling(QualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        connection = cls.env["crm.telephony.connection"].create(
            {"name": "Audit PBX", "provider": "generic", "secret": "whsec_audit"}
        )
        started = fields.Datetime.now() - timedelta(days=20)
        cls.calls = cls.env["crm.telephony.call"]
        for seller in cls.sellers:
            deal = cls.env["crm.lead"].create(
                {"name": f"Called {seller.login}", "type": "opportunity", "user_id": seller.id}
            )
            for n in range(5):
                cls.calls |= cls.calls.create(
                    {
                        "connection_id": connection.id,
                        "provider_call_id": f"audit-{seller.id}-{n}",
                        "client_number": f"+7999000{seller.id:02d}{n:02d}",
                        "direction": "outbound",
                        "status": "answered" if n < 4 else "no_answer",
                        "user_id": seller.id,
                        "lead_id": deal.id,
                        "started_at": started,
                        "recording_url": f"https://pbx.example.com/rec/{seller.id}-{n}.mp3",
                    }
                )

    def mine(self, reviews):
        """The reviews of this test's salespeople (a reused database has other calls)."""
        return reviews.filtered(lambda review: review.salesperson_id in self.sellers)

    def test_answered_calls_are_drawn_per_salesperson_with_the_script(self):
        batch = self.batch(review_type="call_audit", rate=50, max_per_salesperson=0)
        batch.action_draw()
        reviews = self.mine(batch.review_ids)
        self.assertEqual(len(reviews), 6, "half of each salesperson's 4 answered calls")
        for seller in self.sellers:
            self.assertEqual(len(reviews.filtered(lambda r, s=seller: r.salesperson_id == s)), 2)
        review = reviews[0]
        self.assertEqual(review.review_type, "call_audit")
        self.assertIn(review.call_id, self.calls)
        self.assertEqual(review.lead_id, review.call_id.lead_id)
        self.assertEqual(review.salesperson_id, review.call_id.user_id)
        self.assertEqual(
            review.check_ids.item_id, self.env.ref("crm_quality_review.script_sales_call").item_ids
        )

    def test_calls_already_audited_are_skipped(self):
        first = self.batch(review_type="call_audit", rate=50, max_per_salesperson=0)
        first.action_draw()
        second = self.batch(review_type="call_audit", rate=100, max_per_salesperson=0, seed=3)
        second.action_draw()
        self.assertFalse(first.review_ids.call_id & second.review_ids.call_id)
        self.assertEqual(len(self.mine(first.review_ids)) + len(self.mine(second.review_ids)), 12)

    def test_reviewer_reads_and_plays_the_audited_call(self):
        batch = self.batch(review_type="call_audit", rate=50, max_per_salesperson=0)
        batch.action_draw()
        reviewer = self.mine(batch.review_ids)[0].reviewer_id
        review = self.mine(batch.review_ids)[0].with_user(reviewer)
        self.assertTrue(review.call_id.recording_url.endswith(".mp3"))
        self.assertEqual(review.call_id.status, "answered")
        action = review.action_play_call_recording()
        self.assertEqual(action["url"], f"/crm_telephony/recording/{review.call_id.id}")

    def test_a_deleted_call_leaves_the_review(self):
        batch = self.batch(review_type="call_audit", rate=50, max_per_salesperson=0)
        batch.action_draw()
        review = self.mine(batch.review_ids)[0]
        review.call_id.sudo().unlink()
        self.assertTrue(review.exists())
        self.assertFalse(review.call_id)
