from odoo import fields, models

from ..tools.sample_request import TEST_USER_AGENT


class CrmTelephonyEvent(models.Model):
    """Requests sent by "Send a test event" on a connection are marked as tests."""

    _inherit = "crm.telephony.event"

    is_test = fields.Boolean(
        "Test event",
        readonly=True,
        help="Sent from the PBX connection form (Send a test event), not by the PBX.",
    )

    def _journal_values(self, connection, data, payload):
        # set in the journal's one INSERT (no query of its own)
        values = super()._journal_values(connection, data, payload)
        values["is_test"] = data.header("user-agent") == TEST_USER_AGENT
        return values
