"""The PBX event endpoint under hostile traffic, against the real multi-worker server on
127.0.0.1 only, bounded in count and time.

One client (127.0.0.1) sends huge chunked bodies to an unknown key and to the real one,
bodies that are not UTF-8 and poison batches over the event cap; the PBX (127.0.0.2,
another loopback address) reports real calls at the same time. Every real call must be
recorded, the journal may keep only small malformed requests, and the workers' memory
must stay bounded.
"""

import http.client
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ATTACKER, PBX = "127.0.0.1", "127.0.0.2"
FLOOD_THREADS = 3
REAL_CALLS = 8
SECONDS = 15
MAX_BODY = 1024 * 1024
MAX_EVENTS = 500
HUGE_CHUNKED = 48 * 1024 * 1024
# what the flood may add to the workers' peak memory: a few bodies at the 1 MiB limit
# and their parsing, nowhere near the 48 MiB a single chunked body would cost if read
MAX_RSS_GROWTH_KB = 40 * 1024


class Client:
    """Raw HTTP from a given loopback source address."""

    def __init__(self, port, source):
        self.port, self.source = port, source

    def post(self, path, body, chunked=False):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.source, 0)
        )
        try:
            connection.request(
                "POST",
                path,
                body=body,
                headers={"Content-Type": "application/json"},
                encode_chunked=chunked,
            )
            response = connection.getresponse()
            return response.status, response.read()
        except (ConnectionError, http.client.HTTPException, TimeoutError, OSError):
            # the server closes the connection of a body it will not read to its end
            return None, b""
        finally:
            connection.close()


def huge_chunks():
    block = b"x" * (1024 * 1024)
    yield b'{"call_id": "huge", "hangup_cause": "'
    for _i in range(HUGE_CHUNKED // len(block)):
        yield block
    yield b'"}'


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
    kinds = ["unknown_key_huge", "huge", "not_utf8", "poison_batch"]
    turn = 0
    while not stop.is_set():
        kind = kinds[turn % len(kinds)]
        turn += 1
        if kind == "unknown_key_huge":
            status, _body = client.post(
                f"/crm_telephony/{uuid.uuid4().hex}/event", huge_chunks(), chunked=True
            )
        elif kind == "huge":
            status, _body = client.post(f"/crm_telephony/{key}/event", huge_chunks(), chunked=True)
        elif kind == "not_utf8":
            body = json.dumps(call_event("bad-" + uuid.uuid4().hex[:6])).encode()
            status, _body = client.post(
                f"/crm_telephony/{key}/event", body.replace(b"inbound", "Иван".encode("cp1251"))
            )
        else:
            events = [call_event(f"poison-{turn}-{n}") for n in range(MAX_EVENTS + 1)]
            status, _body = client.post(
                f"/crm_telephony/{key}/event", json.dumps({"events": events}).encode()
            )
        with lock:
            counts[f"{kind} {status}"] = counts.get(f"{kind} {status}", 0) + 1
            counts["sent"] = counts.get("sent", 0) + 1


def peak_rss_kb(pids):
    """The largest resident set (VmHWM: the peak) among processes, in KiB."""
    peak = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
    return peak


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
    attacker = Client(odoo_server.port, ATTACKER)
    real_pbx = Client(odoo_server.port, PBX)
    rss_before = peak_rss_kb(odoo_server.worker_pids())
    stop, lock, counts = threading.Event(), threading.Lock(), {}
    started = time.monotonic()
    real_ids = [f"real-{uuid.uuid4().hex[:8]}-{n}" for n in range(REAL_CALLS)]

    with ThreadPoolExecutor(max_workers=FLOOD_THREADS) as pool:
        floods = [
            pool.submit(attack, attacker, key, stop, counts, lock) for _i in range(FLOOD_THREADS)
        ]
        real = []
        for call_id in real_ids:
            time.sleep(SECONDS / REAL_CALLS)
            status, body = real_pbx.post(
                f"/crm_telephony/{key}/event", json.dumps(call_event(call_id)).encode()
            )
            real.append((call_id, status, body))
        stop.set()
        for flood in floods:
            flood.result()
    elapsed = time.monotonic() - started

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
