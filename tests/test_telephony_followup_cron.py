"""The follow-up job as production runs it: a PBX request wakes Odoo's cron worker,
which writes the deal of a missed call a moment later (the shared test server runs no
cron worker; this test starts a server of its own with one)."""

import json
import random
import time
import urllib.request
import uuid
from contextlib import contextmanager

from pbx_connection import generic_connection, missed_call

FOLLOWUP_CRON = "crm_telephony_sip.ir_cron_telephony_followups"


@contextmanager
def only_this_cron_active(connect, cron_id):
    """Every other cron of the database switched off while the block runs (so that the
    cron worker runs nothing but the follow-up job), then switched back. The job's
    wake-ups left by the other tests go: the shared server has no cron worker to take
    them, and a request that finds one pending does not notify the cron workers again
    (crm.telephony.call.followup._notify_unless_pending)."""
    with connect() as connection, connection.cursor() as cr:
        cr.execute("DELETE FROM ir_cron_trigger WHERE cron_id = %s", [cron_id])
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


def test_missed_calls_get_their_deals_from_the_cron_worker(start_odoo_server, odoo_rpc, database):
    """One missed call, then a burst of them one after the other (the requests of a
    burst find a wake-up pending and notify nobody: the run that takes the first one
    notifies the cron workers again when it ends)."""
    env = odoo_rpc.env
    cron_id = env.ref(FOLLOWUP_CRON).id
    numbers = [f"+7916{random.randint(1000000, 9999999)}" for _i in range(9)]
    call_ids = [f"cron-{uuid.uuid4().hex}" for _number in numbers]
    calls = env["crm.telephony.call"]

    def calls_with_deals(wanted):
        found = calls.search_read(
            [("provider_call_id", "in", wanted), ("lead_id", "!=", False)],
            ["lead_id", "followup", "client_number_e164"],
        )
        return found if len(found) == len(wanted) else None

    # (the connection's path, on the server started below)
    with generic_connection(odoo_rpc, "", numbers, "cron") as (_connection_id, path):
        with only_this_cron_active(database, cron_id):
            server = start_odoo_server("--max-cron-threads=1")
            url = f"{server.url}{path}"
            status, answer = post(url, missed_call(call_ids[0], numbers[0]))
            assert (status, answer["status"]) == (200, "ok")
            first = wait_for(lambda: calls_with_deals(call_ids[:1]))
            assert first, "no deal 60 s after the missed call: the cron worker did not run the job"
            for call_id, number in zip(call_ids[1:], numbers[1:], strict=True):
                assert post(url, missed_call(call_id, number))[0] == 200
            burst = wait_for(lambda: calls_with_deals(call_ids[1:]))
        assert burst, "a missed call of the burst still has no deal after 60 s"
        for call in first + burst:
            assert not call["followup"]
            deal = env["crm.lead"].read([call["lead_id"][0]], ["phone_sanitized", "name"])[0]
            assert deal["phone_sanitized"] == call["client_number_e164"]
            assert call["client_number_e164"] in deal["name"]
