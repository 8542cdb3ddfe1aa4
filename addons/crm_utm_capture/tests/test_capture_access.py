from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCaptureAccess(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_docs = new_test_user(
            cls.env, login="utm_own_docs", groups="sales_team.group_sale_salesman"
        )
        cls.colleague = new_test_user(
            cls.env, login="utm_colleague", groups="sales_team.group_sale_salesman"
        )
        Lead = cls.env["crm.lead"]
        cls.mine = Lead._capture_inquiry(
            {"email": "mine@example.com", "email_normalized": "mine@example.com"}
        ).lead_id
        cls.mine.user_id = cls.own_docs
        cls.theirs = Lead._capture_inquiry(
            {"email": "theirs@example.com", "email_normalized": "theirs@example.com"}
        ).lead_id
        cls.theirs.user_id = cls.colleague
        cls.env.flush_all()

    def test_salesperson_sees_touchpoints_of_own_leads_only(self):
        touchpoints = self.env["crm.touchpoint"].with_user(self.own_docs).search([])
        self.assertIn(self.mine, touchpoints.lead_id)
        self.assertNotIn(self.theirs, touchpoints.lead_id)

    def test_salesperson_sees_attribution_of_own_leads_only(self):
        rows = self.env["crm.utm.report"].with_user(self.own_docs).search([])
        self.assertIn(self.mine, rows.lead_id)
        self.assertNotIn(self.theirs, rows.lead_id)

    def test_manager_sees_attribution_of_his_companies_only(self):
        other_company = self.env["res.company"].create({"name": "UTM other company"})
        manager = new_test_user(
            self.env, login="utm_manager", groups="sales_team.group_sale_manager"
        )
        elsewhere = (
            self.env["crm.lead"]
            .with_company(other_company)
            ._capture_inquiry(
                {"email": "elsewhere@example.com", "email_normalized": "elsewhere@example.com"}
            )
            .lead_id
        )
        elsewhere.company_id = other_company
        self.env.flush_all()
        rows = self.env["crm.utm.report"].with_user(manager).search([])
        self.assertIn(self.theirs, rows.lead_id)
        self.assertNotIn(elsewhere, rows.lead_id)
        self.assertIn(elsewhere, self.env["crm.utm.report"].search([]).lead_id)

    def test_salesperson_cannot_read_the_capture_journal(self):
        with self.assertRaises(AccessError):
            self.env["crm.capture.submission"].with_user(self.own_docs).search([])

    def test_salesperson_cannot_change_capture_sites(self):
        site = self.env["crm.capture.site"].create({"name": "Locked"})
        with self.assertRaises(AccessError):
            site.with_user(self.own_docs).write({"allowed_origins": "*"})

    def test_touchpoint_follows_the_company_of_its_lead(self):
        company = self.env["res.company"].create({"name": "Second company"})
        lead = self.env["crm.lead"].create({"name": "Moving", "user_id": False, "team_id": False})
        touchpoint = self.env["crm.touchpoint"].create({"lead_id": lead.id})
        self.assertEqual(touchpoint.company_id, lead.company_id)
        lead.company_id = company
        self.assertEqual(touchpoint.company_id, company)
