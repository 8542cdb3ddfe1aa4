"""The PBX connection of the end-to-end telephony tests (test_telephony_e2e,
test_telephony_concurrency, test_telephony_followup_cron), and what they send."""

import uuid
from contextlib import contextmanager


@contextmanager
def generic_connection(odoo_rpc, server_url, numbers, name="e2e"):
    """Yield (connection id, event URL) of a new unsigned generic connection (the key
    in the URL is the credential). Afterwards take away what the server committed for
    it, so that the addons uninstall cleanly (deals would pin the regulation stages):
    its calls and the deals of ``numbers``, the list the tests add their numbers to."""
    connections = odoo_rpc.env["crm.telephony.connection"]
    country = odoo_rpc.env.ref("base.ru").id
    connection_id = connections.create(
        {"name": f"{name} {uuid.uuid4().hex[:6]}", "provider": "generic", "country_id": country}
    )
    key = connections.read([connection_id], ["key"])[0]["key"]
    yield connection_id, f"{server_url}/crm_telephony/{key}/event"
    leads = odoo_rpc.env["crm.lead"].with_context(active_test=False)
    lead_ids = leads.search([("phone_sanitized", "in", numbers)])
    if lead_ids:
        leads.unlink(lead_ids)
    calls = odoo_rpc.env["crm.telephony.call"].with_context(active_test=False)
    call_ids = calls.search([("connection_id", "=", connection_id)])
    if call_ids:
        calls.unlink(call_ids)
    connections.unlink([connection_id])


def missed_call(call_id, number):
    """A generic PBX event: a missed inbound call from ``number``, over."""
    return {
        "call_id": call_id,
        "direction": "inbound",
        "client_number": number,
        "started_at": "2024-05-01T10:00:00Z",
        "ended_at": "2024-05-01T10:00:30Z",
        "status": "no_answer",
    }


def run_call_followups(odoo_rpc):
    """Run the follow-up job (the deals and to-dos of ended calls) now, as the server's
    cron worker does right after a PBX request: the test server has no cron worker."""
    cron = odoo_rpc.env.ref("crm_telephony_sip.ir_cron_telephony_followups")
    result = cron.method_direct_trigger()
    # Odoo 19.0 answers a failed job with an action showing the error, not a fault
    assert result is True, f"the follow-up job failed: {result}"
