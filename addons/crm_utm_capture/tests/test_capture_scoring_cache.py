from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_phone_base.models.crm_stage import SCORING_CACHE


@tagged("post_install", "-at_install")
class TestCaptureScoringCache(TransactionCase):
    """The stages a new lead's scoring reads from the cache follow every change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Stage = cls.env["crm.stage"].with_context(**{SCORING_CACHE: True})

    def won_stages(self):
        return self.Stage.search([("is_won", "=", True)])

    def test_cached_won_stages_are_odoo_s_answer(self):
        self.assertEqual(self.won_stages(), self.env["crm.stage"].search([("is_won", "=", True)]))

    def test_a_stage_marked_won_is_a_won_stage_at_once(self):
        self.won_stages()
        stage = self.env["crm.stage"].create({"name": "Paid"})
        self.assertNotIn(stage, self.won_stages())
        stage.is_won = True
        self.assertIn(stage, self.won_stages())

    def test_a_deleted_won_stage_is_no_longer_cached(self):
        stage = self.env["crm.stage"].create({"name": "Signed", "is_won": True})
        self.assertIn(stage, self.won_stages())
        stage.unlink()
        self.assertNotIn(stage.id, self.won_stages().ids)

    def test_first_stage_follows_the_sequence(self):
        first = self.env["crm.stage"].create({"name": "Inbox", "sequence": -100})
        self.assertEqual(self.Stage._first_generic_stage_id(), first.id)
        first.sequence = 10000
        self.assertNotEqual(self.Stage._first_generic_stage_id(), first.id)

    def test_scoring_frequencies_are_the_same_records(self):
        Frequency = self.env["crm.lead.scoring.frequency"]
        domain = [("variable", "in", ["stage_id", "email_state"])]
        self.assertEqual(
            Frequency.with_context(**{SCORING_CACHE: True}).search(domain, order="id"),
            Frequency.search(domain, order="id"),
        )
