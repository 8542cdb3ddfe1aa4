from odoo.tests import new_test_user

from .common import RegulationCase


class TestDocumentsResponsible(RegulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.office_manager = new_test_user(
            cls.env, login="reg_office", groups="sales_team.group_sale_salesman"
        )

    def test_documents_responsible_sees_the_deal_of_another_salesperson(self):
        deal = self.make_deal()
        visible = self.env["crm.lead"].with_user(self.office_manager).search([("id", "=", deal.id)])
        self.assertFalse(visible)
        deal.document_user_id = self.office_manager
        visible = self.env["crm.lead"].with_user(self.office_manager).search([("id", "=", deal.id)])
        self.assertEqual(visible, deal)

    def test_documents_responsible_gets_an_activity_and_follows(self):
        deal = self.make_deal()
        deal.document_user_id = self.office_manager
        self.assertIn(self.office_manager.partner_id, deal.message_partner_ids)
        self.assertIn(self.office_manager, deal.activity_ids.mapped("user_id"))
