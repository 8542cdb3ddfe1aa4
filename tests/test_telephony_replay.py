"""scripts/replay_calls sends a generated day of each provider to the real server."""

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from crmreg_cli import replay

CALLS = 12
SECRET = "whsec_cmVwbGF5LXNlY3JldA=="

CREDENTIALS = {
    "generic": {"secret": SECRET},
    "onlinepbx": {},
    "zadarma": {"secret": "zadarma-secret"},
    "mango": {"secret": "mango-salt", "api_key": "mango-key"},
    "asterisk": {"secret": SECRET},
    "grandstream": {"secret": SECRET},
}


@pytest.mark.parametrize("provider", replay.PROVIDERS)
def test_a_replayed_day_becomes_one_call_per_pbx_call(odoo_rpc, odoo_server, tmp_path, provider):
    connections = odoo_rpc.env["crm.telephony.connection"]
    credentials = CREDENTIALS[provider]
    connection_id = connections.create(
        {
            "name": f"replay {provider} {uuid.uuid4().hex[:6]}",
            "provider": provider,
            "tz": "UTC",
            "country_id": odoo_rpc.env.ref("base.ru").id,
            **credentials,
        }
    )
    key = connections.read([connection_id], ["key"])[0]["key"]
    day = tmp_path / f"{provider}.day"
    seed = uuid.uuid4().int % 100000
    day.write_text(replay.generate(provider, CALLS, "2024-05-01", seed))
    argv = ["send", provider, str(day), "--url", odoo_server.url, f"--key={key}"]
    argv += [f"--secret={credentials.get('secret', '')}"]
    argv += [f"--api-key={credentials.get('api_key', '')}"]
    try:
        assert replay.main(argv) == 0
        calls = odoo_rpc.env["crm.telephony.call"].search_read(
            [("connection_id", "=", connection_id)], ["status", "lead_id"]
        )
        assert len(calls) == CALLS
        assert all(call["status"] in ("answered", "no_answer", "busy") for call in calls)
    finally:
        cleanup(odoo_rpc, connection_id)


def cleanup(odoo_rpc, connection_id):
    """Remove what the server committed so that the addons uninstall cleanly."""
    calls = odoo_rpc.env["crm.telephony.call"].with_context(active_test=False)
    call_ids = calls.search([("connection_id", "=", connection_id)])
    lead_ids = [call["lead_id"][0] for call in calls.read(call_ids, ["lead_id"]) if call["lead_id"]]
    if call_ids:
        calls.unlink(call_ids)
    if lead_ids:
        odoo_rpc.env["crm.lead"].unlink(list(set(lead_ids)))
    odoo_rpc.env["crm.telephony.connection"].unlink([connection_id])
