"""The follow-up job as production runs it: a PBX request wakes Odoo's cron worker,
which writes the deal of a missed call a moment later (the shared test server runs no
cron worker; this test starts a server of its own with one)."""

import json
import random
import time
import urllib.request
import uuid
from contextlib import contextmanager

FOLLOWUP_CRON = "crm_telephony_sip.ir_cron_telephony_followups"


@contextmanager
def only_this_cron_active(connect, cron_id):
    """Every other cron of the database switched off while the block runs (so that the
    cron worker runs nothing but the follow-up job), then switched back."""
    with connect() as connection, connection.cursor() as cr:
        cr.execute(
            "UPDATE ir_cron SET active = FALSE WHERE active AND id <> %s RETURNING id", [cron_id]
        )
        switched_off = [row[0] for row in cr.fetchall()]
    connection.close()
    try:
        yield
    finally:
        with connect() as connection, connection.cursor() as cr:
            cr.execute("UPDATE ir_cron SET active = TRUE WHERE id = ANY(%s)", [switched_off])
        connection.close()


def post(url, event):
    request = urllib.request.Request(
        url,
        data=json.dumps(event).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, json.loads(response.read())


def wait_for(read, timeout=60):
    """The first true value ``read()`` gives within ``timeout`` seconds, else None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = read()
        if value:
            return value
        time.sleep(0.5)
    return None


def test_a_missed_call_gets_its_deal_from_the_cron_worker(start_odoo_server, odoo_rpc, database):
    env = odoo_rpc.env
    cron_id = env.ref(FOLLOWUP_CRON).id
    connections = env["crm.telephony.connection"]
    connection_id = connections.create(
        {
            "name": f"cron {uuid.uuid4().hex[:6]}",
            "provider": "generic",
            "country_id": env.ref("base.ru").id,
        }
    )
    key = connections.read([connection_id], ["key"])[0]["key"]
    number = f"+7916{random.randint(1000000, 9999999)}"
    call_id = f"cron-{uuid.uuid4().hex}"
    calls = env["crm.telephony.call"]
    try:
        with only_this_cron_active(database, cron_id):
            server = start_odoo_server("--max-cron-threads=1")
            status, answer = post(
                f"{server.url}/crm_telephony/{key}/event",
                {
                    "call_id": call_id,
                    "direction": "inbound",
                    "client_number": number,
                    "started_at": "2024-05-01T10:00:00Z",
                    "ended_at": "2024-05-01T10:00:30Z",
                    "status": "no_answer",
                },
            )
            assert (status, answer["status"]) == (200, "ok")

            def call_with_deal():
                found = calls.search_read(
                    [("provider_call_id", "=", call_id), ("lead_id", "!=", False)],
                    ["lead_id", "followup"],
                )
                return found and found[0]

            call = wait_for(call_with_deal)
        assert call, "no deal 60 s after the missed call: the cron worker did not run the job"
        assert not call["followup"]
        deal = env["crm.lead"].read([call["lead_id"][0]], ["phone_sanitized", "name"])[0]
        assert deal["phone_sanitized"] == number
        assert number in deal["name"]
    finally:
        leads = env["crm.lead"].with_context(active_test=False)
        lead_ids = leads.search([("phone_sanitized", "=", number)])
        if lead_ids:
            leads.unlink(lead_ids)
        call_ids = calls.with_context(active_test=False).search(
            [("connection_id", "=", connection_id)]
        )
        if call_ids:
            calls.unlink(call_ids)
        connections.unlink([connection_id])
