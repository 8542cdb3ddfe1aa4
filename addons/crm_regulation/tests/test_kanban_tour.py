from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestKanbanGateTour(HttpCase):
    """A salesperson drags deals in the regulation pipeline in Chromium."""

    def test_kanban_drag_and_drop_meets_the_stage_gate(self):
        salesman = new_test_user(
            self.env, login="reg_tour_salesman", groups="sales_team.group_sale_salesman"
        )
        team = self.env["crm.team"].create(
            {"name": "Tour team", "use_regulation": True, "member_ids": [(6, 0, salesman.ids)]}
        )
        salesman.sale_team_id = team
        in_work = self.env.ref("crm_regulation.stage_in_work")
        no_budget, with_budget = self.env["crm.lead"].create(
            [
                {
                    "name": name,
                    "type": "opportunity",
                    "team_id": team.id,
                    "user_id": salesman.id,
                    "stage_id": in_work.id,
                    "expected_revenue": revenue,
                }
                for name, revenue in (("Tour — no budget", 0), ("Tour — with budget", 5000))
            ]
        )
        self.start_tour("/odoo/crm", "crm_regulation_kanban_gate", login="reg_tour_salesman")
        self.assertEqual(no_budget.stage_id, in_work)
        self.assertEqual(with_budget.stage_id, self.env.ref("crm_regulation.stage_qualified"))
