import json

from odoo import api, fields, models

from ..tools.sample_request import TEST_USER_AGENT


class CrmTelephonyEvent(models.Model):
    """Requests sent by "Send a test event" on a connection are marked as tests."""

    _inherit = "crm.telephony.event"

    is_test = fields.Boolean(
        "Test event",
        compute="_compute_is_test",
        store=True,
        precompute=True,  # set in the journal's INSERT: no query of its own
        help="Sent from the PBX connection form (Send a test event), not by the PBX.",
    )

    @api.depends("headers")
    def _compute_is_test(self):
        for event in self:
            try:
                headers = json.loads(event.headers or "{}")
            except ValueError:
                headers = {}
            event.is_test = (
                isinstance(headers, dict) and headers.get("user-agent") == TEST_USER_AGENT
            )
