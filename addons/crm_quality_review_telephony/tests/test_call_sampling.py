from datetime import timedelta

from odoo import fields

from .common import QualityCase


class TestCallAuditSampling(QualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "crm.telephony.call" not in cls.env:
            return
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

    def setUp(self):
        super().setUp()
        if "crm.telephony.call" not in self.env:
            self.skipTest("call-script audits draw from the telephony addon's call log")

    def test_answered_calls_are_drawn_per_salesperson_with_the_script(self):
        batch = self.batch(review_type="call_audit", rate=50, max_per_salesperson=0)
        batch.action_draw()
        reviews = batch.review_ids
        self.assertEqual(len(reviews), 6, "half of each salesperson's 4 answered calls")
        for seller in self.sellers:
            self.assertEqual(len(reviews.filtered(lambda r, s=seller: r.salesperson_id == s)), 2)
        review = reviews[0]
        self.assertEqual(review.review_type, "call_audit")
        self.assertIn(review.call_res_id, self.calls.ids)
        self.assertTrue(review.recording_url.endswith(".mp3"))
        self.assertEqual(
            review.check_ids.item_id, self.env.ref("crm_quality_review.script_sales_call").item_ids
        )

    def test_calls_already_audited_are_skipped(self):
        first = self.batch(review_type="call_audit", rate=50, max_per_salesperson=0)
        first.action_draw()
        second = self.batch(review_type="call_audit", rate=100, max_per_salesperson=0, seed=3)
        second.action_draw()
        self.assertFalse(
            set(first.review_ids.mapped("call_res_id"))
            & set(second.review_ids.mapped("call_res_id"))
        )
        self.assertEqual(len(first.review_ids) + len(second.review_ids), 12)
