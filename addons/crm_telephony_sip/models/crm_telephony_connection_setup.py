from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..tools.sample_request import sample_request


class CrmTelephonyConnection(models.Model):
    """Setting a connection up: the URL to give the PBX and a test event sent through
    the endpoint's own processing."""

    _inherit = "crm.telephony.connection"

    endpoint_url = fields.Char(
        "Endpoint URL",
        compute="_compute_endpoint_url",
        groups="sales_team.group_sale_manager",
        help="The address to give the PBX as its webhook / notification URL.",
    )

    @api.depends("key", "provider")
    def _compute_endpoint_url(self):
        base_url = self.get_base_url().rstrip("/")
        for connection in self:
            if not connection.key:
                connection.endpoint_url = False
            elif connection.provider == "mango":
                # Mango appends /events/<kind> to the address it is given
                connection.endpoint_url = f"{base_url}/crm_telephony/{connection.key}"
            else:
                connection.endpoint_url = f"{base_url}{connection.endpoint_path}"

    def action_send_test_event(self):
        """Put a realistic request of the connection's provider (one answered inbound
        call from +7 999 000-00-00, signed with the connection's credentials) through
        what the endpoint does with a PBX request: journaled (marked as a test),
        authenticated, processed into a call of the call log marked as a test. Nothing
        goes to a pipeline: an answered call from an unknown number opens no deal."""
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(_("Only a Sales administrator sends test events to a PBX."))
        self.check_access("write")
        connection = self.sudo()
        data, call_id = sample_request(connection, fields.Datetime.now())
        # found by its key like a PBX request, with the fields the endpoint reads
        status, answer = connection._find_by_key(connection.key)._telephony_receive(data)
        call_ids = answer.get("calls", []) if isinstance(answer, dict) else []
        if status == 200 and call_ids:
            number = self._mark_test_calls(call_ids)
            kind = "success"
            message = _(
                "The test event went through: the call %(call)s (from %(number)s) is in "
                "the call log, and the request in the journal, both marked as a test.",
                call=call_id,
                number=number,
            )
        elif status < 300:
            kind = "warning"
            message = _(
                "The test event was journaled (HTTP %(status)s) but gave no call: %(answer)s",
                status=status,
                answer=answer,
            )
        else:
            kind = "danger"
            error = answer.get("error") if isinstance(answer, dict) else answer
            message = _(
                "The test event was refused (HTTP %(status)s): %(error)s Check the "
                "connection's credentials and allowed IP addresses.",
                status=status,
                error=error,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Test event"),
                "type": kind,
                "message": message,
                "sticky": kind != "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _mark_test_calls(self, call_ids):
        """Say on the calls of a test event that they are a test; returns the client's
        number. The calls were committed by the event's own transaction, which this one
        does not see: they are written in a transaction of their own too."""
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            calls = env["crm.telephony.call"].browse(call_ids)
            calls.write(
                {
                    "summary": _(
                        "Test call sent by %(user)s from the PBX connection form: not a real call.",
                        user=self.env.user.name,
                    )
                }
            )
            return calls[:1].client_number_e164 or calls[:1].client_number
