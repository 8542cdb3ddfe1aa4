from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.crm_phone_base.tools.compat import GROUP_USERS


class QualityCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # Only this test's reviewers take reviews.
        # (19.0 counts the managers in, as reviewers by implication: they go too.)
        for xmlid in ("group_quality_reviewer", "group_quality_manager"):
            cls.env.ref(f"crm_quality_review.{xmlid}")[GROUP_USERS] = [(5, 0, 0)]
        cls.reviewer_a = new_test_user(
            cls.env, login="qa_reviewer_a", groups="crm_quality_review.group_quality_reviewer"
        )
        cls.reviewer_b = new_test_user(
            cls.env, login="qa_reviewer_b", groups="crm_quality_review.group_quality_reviewer"
        )
        cls.quality_manager = new_test_user(
            cls.env,
            login="qa_manager",
            groups="crm_quality_review.group_quality_manager,sales_team.group_sale_salesman",
        )
        cls.sellers = [
            new_test_user(cls.env, login=f"qa_seller_{n}", groups="sales_team.group_sale_salesman")
            for n in range(3)
        ]
        cls.team = cls.env["crm.team"].create({"name": "Quality test team"})
        cls.reason = cls.env["crm.lost.reason"].create({"name": "Too expensive"})
        cls.period_start = fields.Date.today() - timedelta(days=40)
        cls.period_end = fields.Date.today() - timedelta(days=10)

    @classmethod
    def lost_deals(cls, seller, count, days_ago=20, prefix="Lost"):
        deals = cls.env["crm.lead"].create(
            [
                {
                    "name": f"{prefix} {seller.login} — {n}",
                    "type": "opportunity",
                    "user_id": seller.id,
                    "team_id": cls.team.id,
                    "expected_revenue": 1000 * (n + 1),
                }
                for n in range(count)
            ]
        )
        deals.action_set_lost(lost_reason_id=cls.reason.id)
        deals.write({"date_closed": fields.Datetime.now() - timedelta(days=days_ago)})
        return deals

    def batch(self, **values):
        vals = {
            "date_from": self.period_start,
            "date_to": self.period_end,
            "rate": 20,
            "min_per_salesperson": 1,
            "max_per_salesperson": 3,
            "seed": 42,
        }
        vals.update(values)
        return self.env["crm.quality.review.batch"].create(vals)
