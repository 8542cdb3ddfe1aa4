from odoo.tests import TransactionCase, new_test_user


class TestQualityRoles(TransactionCase):
    def test_reviewer_needs_no_sales_rights(self):
        reviewer = new_test_user(
            self.env, login="qr_test_reviewer", groups="crm_quality_review.group_quality_reviewer"
        )
        self.assertTrue(reviewer.has_group("crm_quality_review.group_quality_reviewer"))
        self.assertFalse(reviewer.has_group("sales_team.group_sale_salesman"))

    def test_quality_manager_is_also_a_reviewer(self):
        manager = new_test_user(
            self.env, login="qr_test_manager", groups="crm_quality_review.group_quality_manager"
        )
        self.assertTrue(manager.has_group("crm_quality_review.group_quality_reviewer"))
