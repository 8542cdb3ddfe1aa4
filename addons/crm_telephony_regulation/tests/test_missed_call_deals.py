from odoo import fields
from odoo.tests import TransactionCase


class TestMissedCallDeals(TransactionCase):
    """With the regulation, a missed call from an unknown number lands in Unsorted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connection = cls.env["crm.telephony.connection"].create(
            {"name": "Glue PBX", "provider": "generic", "country_id": cls.env.ref("base.ru").id}
        )

    def test_missed_call_from_an_unknown_number_opens_a_deal_in_unsorted(self):
        calls = self.env["crm.telephony.call"]._upsert_events(
            self.connection,
            [
                {
                    "provider_call_id": "glue-missed-1",
                    "direction": "inbound",
                    "client_number": "+7 926 555-44-11",
                    "status": "no_answer",
                    "started_at": fields.Datetime.now(),
                    "ended_at": fields.Datetime.now(),
                }
            ],
        )
        self.assertEqual(calls.lead_id.stage_id, self.env.ref("crm_regulation.stage_unsorted"))
        self.assertFalse(calls.lead_id.user_id)
