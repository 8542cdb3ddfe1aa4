"""The PBX event endpoint under hostile traffic, against the real multi-worker server on
127.0.0.1 only, bounded in count and time.

One client (127.0.0.1) sends huge chunked bodies to an unknown key and to the real one,
bodies that are not UTF-8 and poison batches over the event cap; the PBX (127.0.0.2,
another loopback address) reports real calls at the same time. Every real call must be
recorded, the journal may keep only small malformed requests, and the workers' memory
must stay bounded.
"""

import functools
import json
import uuid

import pytest
from hostile_traffic import MAX_RSS_GROWTH_KB, Client, huge_chunks, peak_rss_kb, tally, under_flood

ATTACKER, PBX = "127.0.0.1", "127.0.0.2"
FLOOD_THREADS = 3
REAL_CALLS = 8
SECONDS = 15
MAX_BODY = 1024 * 1024
MAX_EVENTS = 500


def call_event(call_id, **values):
    event = {
        "call_id": call_id,
        "direction": "inbound",
        "client_number": "+7 916 555-00-11",
        "started_at": "2026-01-05T10:00:00Z",
        "status": "answered",
    }
    event.update(values)
    return event


def attack(client, key, stop, counts, lock):
    """Cycle through the kinds of abuse until told to stop."""
    huge = b'{"call_id": "huge", "hangup_cause": "'
    kinds = ["unknown_key_huge", "huge", "not_utf8", "poison_batch"]
    turn = 0
    while not stop.is_set():
        kind = kinds[turn % len(kinds)]
        turn += 1
        if kind == "unknown_key_huge":
            status, *_rest = client.post(
                f"/crm_telephony/{uuid.uuid4().hex}/event", huge_chunks(huge), chunked=True
            )
        elif kind == "huge":
            status, *_rest = client.post(
                f"/crm_telephony/{key}/event", huge_chunks(huge), chunked=True
            )
        elif kind == "not_utf8":
            body = json.dumps(call_event("bad-" + uuid.uuid4().hex[:6])).encode()
            status, *_rest = client.post(
                f"/crm_telephony/{key}/event", body.replace(b"inbound", "Иван".encode("cp1251"))
            )
        else:
            events = [call_event(f"poison-{turn}-{n}") for n in range(MAX_EVENTS + 1)]
            status, *_rest = client.post(
                f"/crm_telephony/{key}/event", json.dumps({"events": events}).encode()
            )
        tally(counts, lock, f"{kind} {status}")


@pytest.fixture
def pbx(odoo_rpc):
    connections = odoo_rpc.env["crm.telephony.connection"]
    connection_id = connections.create(
        {"name": f"Abuse PBX {uuid.uuid4().hex[:6]}", "provider": "generic"}
    )
    return connection_id, connections.read([connection_id], ["key"])[0]["key"]


def journal(database, connection_id):
    with database() as connection, connection.cursor() as cr:
        cr.execute(
            """SELECT state, count(*), coalesce(sum(octet_length(body)), 0)
                 FROM crm_telephony_event WHERE connection_id = %s GROUP BY state""",
            [connection_id],
        )
        return {state: (rows, size) for state, rows, size in cr.fetchall()}


def test_hostile_pbx_traffic_loses_no_real_call_and_stays_bounded(
    odoo_server, odoo_rpc, database, pbx
):
    connection_id, key = pbx
    json_headers = {"Content-Type": "application/json"}
    attacker = Client(odoo_server.port, ATTACKER, json_headers)
    real_pbx = Client(odoo_server.port, PBX, json_headers)
    rss_before = peak_rss_kb(odoo_server.worker_pids())
    real_ids = [f"real-{uuid.uuid4().hex[:8]}-{n}" for n in range(REAL_CALLS)]

    def report(call_id):
        status, _type, body = real_pbx.post(
            f"/crm_telephony/{key}/event", json.dumps(call_event(call_id)).encode()
        )
        return call_id, status, body

    real, counts, elapsed = under_flood(
        functools.partial(attack, attacker, key),
        FLOOD_THREADS,
        [functools.partial(report, call_id) for call_id in real_ids],
        SECONDS,
    )

    stored = journal(database, connection_id)
    rss_after = peak_rss_kb(odoo_server.worker_pids())
    figures = {
        "seconds": round(elapsed, 1),
        "attacker requests": counts.get("sent", 0),
        "attacker answers": {k: v for k, v in counts.items() if k != "sent"},
        "real calls": [status for _call_id, status, _body in real],
        "journal (state: rows, bytes)": stored,
        "peak worker RSS before/after (MiB)": (rss_before // 1024, rss_after // 1024),
    }
    print(json.dumps(figures))

    # every real call was answered and recorded
    assert [status for _call_id, status, _body in real] == [200] * REAL_CALLS, figures
    calls = odoo_rpc.env["crm.telephony.call"].search_read(
        [("connection_id", "=", connection_id), ("provider_call_id", "in", real_ids)],
        ["status"],
    )
    assert sorted(call["status"] for call in calls) == ["answered"] * REAL_CALLS
    # no huge body was ever stored, no poison batch made a call
    assert not counts.get("unknown_key_huge 200") and not counts.get("huge 200")
    assert not odoo_rpc.env["crm.telephony.call"].search_count(
        [("connection_id", "=", connection_id), ("provider_call_id", "=like", "poison-%")]
    )
    # the journal keeps the real calls and the small malformed requests, nothing big
    assert stored.get("done", (0, 0))[0] == REAL_CALLS
    assert set(stored) <= {"done", "invalid"}, stored
    invalid_rows, invalid_bytes = stored.get("invalid", (0, 0))
    assert invalid_bytes <= invalid_rows * MAX_BODY
    assert rss_after - rss_before <= MAX_RSS_GROWTH_KB, figures
