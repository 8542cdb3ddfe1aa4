from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """The demo salesperson works the regulation pipeline only (with demo data)."""

    def setUp(self):
        super().setUp()
        self.demo = self.env.ref("base.user_demo", raise_if_not_found=False)
        if not self.demo or not self.env.ref(
            "crm_regulation.deal_new_chairs", raise_if_not_found=False
        ):
            self.skipTest("no demo data")
        self.sales = self.env.ref("sales_team.team_sales_department")

    def test_marc_demo_sells_in_the_sales_team(self):
        self.assertEqual(self.demo.crm_team_ids, self.sales)
        self.assertTrue(self.sales.use_regulation)

    def test_marc_demo_has_no_deal_outside_the_regulation_pipeline(self):
        outside = self.env["crm.lead"].search(
            [("user_id", "=", self.demo.id), ("stage_id.regulation_code", "=", False)]
        )
        self.assertFalse(outside.mapped("name"))
