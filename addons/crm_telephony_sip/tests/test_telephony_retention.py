from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase


class TestTelephonyRetention(TransactionCase):
    """The PBX request journal forgets old requests by the days of the settings:
    processed and refused ones sooner, failed and malformed ones later, waiting ones
    never."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connection = cls.env["crm.telephony.connection"].create(
            {"name": "Retention PBX", "provider": "generic"}
        )
        cls.now = fields.Datetime.now()

    def event(self, state, days_ago):
        return self.env["crm.telephony.event"].create(
            {
                "connection_id": self.connection.id,
                "body": f'{{"call_id": "keep-{state}-{days_ago}"}}',
                "state": state,
                "received_at": self.now - timedelta(days=days_ago, minutes=1),
            }
        )

    def survivors(self, events):
        self.env["crm.telephony.event"]._cron_purge()
        return {(event.state, int(event.body.rsplit("-", 1)[1][:-2])) for event in events.exists()}

    def journal(self):
        events = self.env["crm.telephony.event"]
        for state in ("done", "rejected", "failed", "invalid", "received"):
            for days_ago in (10, 91, 366):
                events |= self.event(state, days_ago)
        return events

    def test_defaults_keep_processed_90_days_and_failed_365(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_telephony_sip.journal_keep_days", False)
        params.set_param("crm_telephony_sip.failed_keep_days", False)
        self.assertEqual(
            self.survivors(self.journal()),
            {
                ("done", 10),
                ("rejected", 10),
                ("failed", 10),
                ("failed", 91),
                ("invalid", 10),
                ("invalid", 91),
                ("received", 10),
                ("received", 91),
                ("received", 366),
            },
        )

    def test_settings_change_the_retention(self):
        settings = self.env["res.config.settings"].create(
            {"crm_telephony_journal_keep_days": 5, "crm_telephony_failed_keep_days": 30}
        )
        settings.execute()
        reopened = self.env["res.config.settings"].create({})
        self.assertEqual(
            (reopened.crm_telephony_journal_keep_days, reopened.crm_telephony_failed_keep_days),
            (5, 30),
        )
        self.assertEqual(
            self.survivors(self.journal()),
            {
                ("failed", 10),
                ("invalid", 10),
                ("received", 10),
                ("received", 91),
                ("received", 366),
            },
        )

    def test_purge_is_one_statement_whatever_the_number_of_rows(self):
        self.journal()
        self.env.flush_all()
        with self.assertQueryCount(__system__=4):
            self.env["crm.telephony.event"]._cron_purge()

    def test_settings_speak_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_telephony_sip"], ["ru_RU"], overwrite=True
        )
        Settings = self.env["res.config.settings"].with_context(lang="ru_RU")
        labels = Settings.fields_get(["crm_telephony_journal_keep_days"], ["string"])
        self.assertEqual(
            labels["crm_telephony_journal_keep_days"]["string"],
            "Хранить обработанные запросы АТС (дней)",
        )
        arch = Settings.get_view(view_type="form")["arch"]
        self.assertIn("Срок хранения журнала запросов АТС", arch)
