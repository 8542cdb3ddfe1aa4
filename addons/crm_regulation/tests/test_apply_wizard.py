from odoo.exceptions import AccessError
from odoo.tests import Form

from odoo.addons.crm_phone_base.tools.compat import stage_teams

from .common import RegulationCase


class TestApplyWizard(RegulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old_team = cls.env["crm.team"].create({"name": "Old school"})
        cls.old_new, cls.old_quote, cls.old_won = cls.env["crm.stage"].create(
            [
                {"name": "Incoming", "sequence": 1, **stage_teams(cls.old_team)},
                {"name": "Quotation sent", "sequence": 2, **stage_teams(cls.old_team)},
                {"name": "Signed", "sequence": 3, **stage_teams(cls.old_team), "is_won": True},
            ]
        )
        cls.old_deals = cls.env["crm.lead"].create(
            [
                {
                    "name": f"Old {n}",
                    "type": "opportunity",
                    "team_id": cls.old_team.id,
                    "stage_id": stage.id,
                }
                for n, stage in enumerate(
                    [cls.old_new, cls.old_new, cls.old_quote, cls.old_won], start=1
                )
            ]
        )

    def open_wizard(self, user=None):
        wizard_form = Form(self.env["crm.regulation.apply.wizard"].with_user(user or self.manager))
        wizard_form.team_id = self.old_team
        return wizard_form.save()

    def test_preview_maps_each_stage_and_counts_its_deals(self):
        wizard = self.open_wizard()
        preview = {
            line.source_stage_id: (line.target_stage_id, line.deal_count)
            for line in wizard.line_ids
        }
        self.assertEqual(preview[self.old_new], (self.stage["new"], 2))
        self.assertEqual(preview[self.old_quote], (self.stage["proposal_sent"], 1))
        self.assertEqual(preview[self.old_won], (self.stage["won"], 1))

    def test_apply_moves_the_deals_flags_the_team_and_summarises(self):
        wizard = self.open_wizard()
        wizard.action_apply()
        self.assertTrue(self.old_team.use_regulation)
        self.assertEqual(
            [deal.stage_id.regulation_code for deal in self.old_deals],
            ["new", "new", "proposal_sent", "won"],
        )
        self.assertIn("4 deals moved", wizard.summary)
        self.assertIn("Quotation sent → Proposal sent", wizard.summary)
        forced = self.old_deals[2].stage_history_ids.filtered("forced")
        self.assertIn("Regulation pipeline applied", forced.force_reason)

    def test_apply_leaves_other_teams_and_the_old_stages_alone(self):
        other = self.env["crm.lead"].create(
            {"name": "Untouched", "type": "opportunity", "stage_id": self.old_new.id}
        )
        self.open_wizard().action_apply()
        self.assertEqual(other.stage_id, self.old_new)
        self.assertTrue(self.old_new.exists())

    def test_salesperson_cannot_apply(self):
        wizard = self.open_wizard(user=self.manager).with_user(self.salesman)
        with self.assertRaises(AccessError):
            wizard.action_apply()
