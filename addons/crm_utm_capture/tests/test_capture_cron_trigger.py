from odoo.tests import TransactionCase

from odoo.addons.crm_phone_base.models.ir_cron import COALESCE_CRON_TRIGGERS


class TestCaptureCronTrigger(TransactionCase):
    """While an inquiry is recorded, a cron already due is not woken again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("crm_utm_capture.ir_cron_capture_rate_gc")
        cls.triggers = cls.env["ir.cron.trigger"]

    def trigger_count(self):
        return self.triggers.search_count([("cron_id", "=", self.cron.id)])

    def test_a_due_cron_is_not_triggered_again_while_capturing(self):
        self.triggers.search([("cron_id", "=", self.cron.id)]).unlink()
        capturing = self.cron.with_context(**{COALESCE_CRON_TRIGGERS: True})
        capturing._trigger()
        capturing._trigger()
        self.assertEqual(self.trigger_count(), 1)

    def test_elsewhere_every_trigger_is_kept(self):
        self.triggers.search([("cron_id", "=", self.cron.id)]).unlink()
        self.cron._trigger()
        self.cron._trigger()
        self.assertEqual(self.trigger_count(), 2)
