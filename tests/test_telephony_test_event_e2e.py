"""'Send a test event' on a PBX connection, pressed through the real server (issue #17):
the request is journaled and processed in transactions of their own, which the button's
own transaction must not need to see."""

import uuid

import pytest


@pytest.fixture
def connection_id(odoo_rpc):
    connections = odoo_rpc.env["crm.telephony.connection"]
    connection_id = connections.create(
        {
            "name": f"e2e test event {uuid.uuid4().hex[:6]}",
            "provider": "generic",
            "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "country_id": odoo_rpc.env.ref("base.ru").id,
        }
    )
    yield connection_id
    # what the server committed goes away again (the addons must uninstall cleanly)
    calls = odoo_rpc.env["crm.telephony.call"].with_context(active_test=False)
    call_ids = calls.search([("connection_id", "=", connection_id)])
    if call_ids:
        calls.unlink(call_ids)
    connections.unlink([connection_id])


def test_admin_test_event_is_processed_journaled_and_notified(odoo_rpc, connection_id):
    action = odoo_rpc.execute_kw(
        "crm.telephony.connection", "action_send_test_event", [[connection_id]]
    )
    assert action["tag"] == "display_notification"
    assert action["params"]["type"] == "success", action["params"]["message"]
    [event] = odoo_rpc.env["crm.telephony.event"].search_read(
        [("connection_id", "=", connection_id)], ["is_test", "state", "call_ids"]
    )
    assert event["is_test"] and event["state"] == "done"
    [call] = odoo_rpc.env["crm.telephony.call"].read(event["call_ids"], ["summary", "lead_id"])
    assert "Test call" in call["summary"]
    assert not call["lead_id"]
