"""With a db filter, every PBX webhook would open a new connection to the ``postgres``
database to list the databases; the telephony endpoint keeps the list for a few seconds
instead (crm_phone_base's cache, registered by crm_telephony_sip)."""

import json
import random
import uuid

from db_list_log import DB_LIST_LOGGING, assert_listing_cached, post

HEADERS = {"Content-Type": "application/json"}


def test_pbx_webhooks_do_not_open_a_connection_each_to_list_databases(start_odoo_server, odoo_rpc):
    server = start_odoo_server(DB_LIST_LOGGING)
    env = odoo_rpc.env
    connections = env["crm.telephony.connection"]
    # unsigned generic connection, as in test_telephony_e2e: the key in the URL is the credential
    connection_id = connections.create(
        {
            "name": f"db list {uuid.uuid4().hex[:6]}",
            "provider": "generic",
            "country_id": env.ref("base.ru").id,
        }
    )
    key = connections.read([connection_id], ["key"])[0]["key"]
    numbers = []

    def post_one(_i):
        numbers.append(f"+7916{random.randint(1000000, 9999999)}")
        event = {
            "call_id": f"dblist-{uuid.uuid4().hex}",
            "direction": "inbound",
            "client_number": numbers[-1],
            "started_at": "2024-05-01T10:00:00Z",
            "status": "no_answer",
        }
        body = json.dumps(event).encode()
        assert post(f"{server.url}/crm_telephony/{key}/event", body, HEADERS) == 200

    try:
        assert_listing_cached(server, post_one)
    finally:
        leads = env["crm.lead"].with_context(active_test=False)
        lead_ids = leads.search([("phone_sanitized", "in", numbers)])
        if lead_ids:
            leads.unlink(lead_ids)
        calls = env["crm.telephony.call"].with_context(active_test=False)
        call_ids = calls.search([("connection_id", "=", connection_id)])
        if call_ids:
            calls.unlink(call_ids)
        connections.unlink([connection_id])
