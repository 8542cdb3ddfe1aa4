from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import make_violation


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    """In Chromium: a manager opens the dashboard and a tile; a salesperson sees the
    banner of a deal with an open violation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="dash_tour_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.manager = new_test_user(
            cls.env,
            login="dash_tour_manager",
            groups="sales_team.group_sale_manager,crm_regulation.group_regulation_manager",
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Dashboard tour team",
                "use_regulation": True,
                "member_ids": [(6, 0, cls.salesman.ids)],
            }
        )
        cls.in_work = cls.env.ref("crm_regulation.stage_in_work")
        cls.in_work.max_days_in_stage = 3

    def deal(self, name):
        return self.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "team_id": self.team.id,
                "user_id": self.salesman.id,
                "stage_id": self.in_work.id,
            }
        )

    def test_manager_opens_a_tile_of_the_dashboard(self):
        stale = self.deal("Dashboard tour — stale")
        stale.date_last_stage_update = fields.Datetime.now() - timedelta(days=10)
        action = self.env.ref("crm_regulation.crm_regulation_dashboard_action")
        self.start_tour(
            f"/odoo/action-{action.id}", "crm_regulation_dashboard", login="dash_tour_manager"
        )

    def test_salesperson_sees_the_violation_banner(self):
        deal = self.deal("Banner tour deal")
        make_violation(self.env.ref("crm_regulation.rule_r13"), deal)
        self.start_tour(
            f"/odoo/crm/{deal.id}", "crm_regulation_violation_banner", login="dash_tour_salesman"
        )
