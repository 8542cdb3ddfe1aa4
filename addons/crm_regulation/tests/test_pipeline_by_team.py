from odoo.exceptions import UserError
from odoo.tests import new_test_user

from odoo.addons.crm_phone_base.tools.compat import MAJOR

from .common import RegulationCase


def my_pipeline_columns(user):
    """The stages of the columns of ``user``'s "My pipeline" kanban, left to right: the
    action's context as the CRM menu opens it (18.0: the user's team as
    ``default_team_id``; 19.0: ``show_user_team_stages``), its "My pipeline" filter, and
    the web client's grouped read with empty columns."""
    action = user.env["crm.team"].with_user(user).action_your_pipeline()
    context = action["context"]
    leads = user.env["crm.lead"].with_user(user).with_context(context, read_group_expand=True)
    domain = [("type", "=", "opportunity"), ("user_id", "=", user.id)]
    if MAJOR >= 19:
        groups = leads.web_read_group(domain, ["stage_id"], ["__count"])["groups"]
    else:
        groups = leads.web_read_group(domain, ["stage_id"], ["stage_id"])["groups"]
    return user.env["crm.stage"].browse(group["stage_id"][0] for group in groups)


class TestPipelineByTeam(RegulationCase):
    def test_new_deal_of_a_regulation_team_starts_in_new_lead(self):
        deal = self.env["crm.lead"].create(
            {"name": "Fresh — inquiry", "type": "opportunity", "team_id": self.team.id}
        )
        self.assertEqual(deal.stage_id, self.stage["new"])

    def test_new_deal_of_another_team_never_lands_in_a_regulation_stage(self):
        team = self.env["crm.team"].create({"name": "Classic"})
        deal = self.env["crm.lead"].create(
            {"name": "Classic deal", "type": "opportunity", "team_id": team.id}
        )
        self.assertFalse(deal.stage_id.regulation_code)

    def test_regulation_team_kanban_shows_the_regulation_stages_only(self):
        self.make_deal(stage="new")
        groups = (
            self.env["crm.lead"]
            .with_context(default_team_id=self.team.id)
            .read_group([("team_id", "=", self.team.id)], ["stage_id"], ["stage_id"])
        )
        stage_ids = [group["stage_id"][0] for group in groups]
        self.assertEqual(
            stage_ids, [stage.id for stage in self.stage.values()], "eleven regulation columns"
        )

    def test_my_pipeline_of_a_regulated_salesperson_shows_the_regulation_stages(self):
        self.make_deal()
        columns = my_pipeline_columns(self.salesman)
        self.assertEqual(columns, self.env["crm.stage"].concat(*self.stage.values()))

    def test_my_pipeline_of_a_plain_salesperson_shows_his_regulated_deal_where_it_is(self):
        """Odoo's tests (``TestCrmCommon``) make admin a member of a plain team while the
        demo gives him deals of the regulated Sales team: his pipeline is the plain team's,
        plus the regulation column that holds his regulated deal."""
        plain_salesman = new_test_user(
            self.env, login="plain_salesman", groups="sales_team.group_sale_salesman"
        )
        self.env["crm.team"].create(
            {"name": "Plain team", "member_ids": [(6, 0, plain_salesman.ids)]}
        )
        self.make_deal(user=plain_salesman)
        columns = my_pipeline_columns(plain_salesman)
        self.assertEqual(columns.filtered("regulation_code"), self.stage["in_work"])
        self.assertIn(self.env.ref("crm.stage_lead1"), columns)

    def test_other_team_kanban_does_not_show_regulation_stages(self):
        team = self.env["crm.team"].create({"name": "Classic"})
        groups = (
            self.env["crm.lead"]
            .with_context(default_team_id=team.id)
            .read_group([("team_id", "=", team.id)], ["stage_id"], ["stage_id"])
        )
        stages = self.env["crm.stage"].browse([group["stage_id"][0] for group in groups])
        self.assertTrue(stages)
        self.assertFalse(any(stages.mapped("regulation_code")))

    def test_won_deal_goes_to_the_regulation_won_stage(self):
        deal = self.ready_for_contract_agreed(self.make_deal(stage="qualified", expected_revenue=1))
        deal.write({"stage_id": self.stage["final_payment"].id})
        deal.action_set_won()
        self.assertEqual(deal.stage_id, self.stage["won"])

    def test_losing_a_deal_needs_a_lost_reason(self):
        deal = self.make_deal()
        with self.assertRaises(UserError):
            deal.action_set_lost()
        self.assertTrue(deal.active)

    def test_lost_reason_through_the_lost_wizard_closes_the_deal(self):
        deal = self.make_deal()
        reason = self.env["crm.lost.reason"].create({"name": "Too expensive"})
        wizard = self.env["crm.lead.lost"].create(
            {"lead_ids": [(6, 0, deal.ids)], "lost_reason_id": reason.id}
        )
        wizard.action_lost_reason_apply()
        self.assertFalse(deal.active)
        self.assertEqual(deal.lost_reason_id, reason)

    def test_installing_left_odoo_stages_untouched(self):
        new_stage = self.env.ref("crm.stage_lead1")
        self.assertEqual(new_stage.with_context(lang="en_US").name, "New")
        self.assertEqual(new_stage.sequence, 1)
        self.assertFalse(new_stage.regulation_code)
        self.assertFalse(self.env.ref("crm.stage_lead4").regulation_code)
