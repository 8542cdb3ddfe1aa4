"""Issue #20 for telephony: the events of ONE call arriving at once (start, answer, end,
recording, each twice, from as many threads) at the real 2-worker server. Every request
is answered with JSON 2xx and journaled, the events make exactly one call, and nothing
they say is lost."""

import json
import urllib.error
import urllib.request
import uuid

import pytest
from hostile_traffic import all_at_once
from pbx_connection import generic_connection

ROUNDS = 3
NUMBERS = []


def post(url, payload):
    """(HTTP status, Content-Type, parsed JSON body or None)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, exc.headers, exc.read()
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    return status, headers.get("Content-Type", ""), parsed


def post_all_at_once(url, payloads):
    """Send the payloads from as many threads, released together."""
    return all_at_once(lambda payload: post(url, payload), payloads, timeout=120)


@pytest.fixture(scope="module")
def connection(odoo_rpc, odoo_server):
    with generic_connection(odoo_rpc, odoo_server.url, NUMBERS, "e2e one call") as connection:
        yield connection


def one_call_events(call_id, number):
    start = {
        "call_id": call_id,
        "direction": "inbound",
        "client_number": number,
        "started_at": "2024-05-01T10:00:00Z",
        "status": "ringing",
    }
    answer = dict(start, status="in_progress", answered_at="2024-05-01T10:00:07Z")
    end = dict(
        answer,
        status="answered",
        ended_at="2024-05-01T10:09:31Z",
        duration=571,
        talk_time=564,
    )
    recording = {
        "call_id": call_id,
        "recording_url": f"https://records.example.com/{call_id}.mp3",
    }
    return [start, answer, end, recording] * 2


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_events_of_one_call_at_once_make_one_complete_call(
    odoo_rpc, odoo_server, connection, round_
):
    connection_id, url = connection
    log_start = odoo_server.log_path.stat().st_size
    call_id = f"e2e-one-{round_}-{uuid.uuid4().hex}"
    number = f"+7916{uuid.uuid4().int % 10**7:07d}"
    NUMBERS.append(number)
    events = one_call_events(call_id, number)

    answers = post_all_at_once(url, events)

    assert all(answer is not None for answer in answers), answers
    for status, content_type, body in answers:
        assert 200 <= status < 300, answers
        assert content_type.startswith("application/json"), answers
        assert isinstance(body, dict), answers
    journal = odoo_rpc.env["crm.telephony.event"].search_read(
        [("connection_id", "=", connection_id), ("body", "like", call_id)],
        ["state", "error"],
    )
    assert len(journal) == len(events)
    calls = odoo_rpc.env["crm.telephony.call"].search_read(
        [("connection_id", "=", connection_id), ("provider_call_id", "=", call_id)],
        [
            "status",
            "direction",
            "started_at",
            "answered_at",
            "ended_at",
            "duration",
            "talk_time",
            "recording_url",
            "final_done",
        ],
    )
    assert len(calls) == 1
    call = calls[0]
    assert {key: call[key] for key in call if key != "id"} == {
        "status": "answered",
        "direction": "inbound",
        "started_at": "2024-05-01 10:00:00",
        "answered_at": "2024-05-01 10:00:07",
        "ended_at": "2024-05-01 10:09:31",
        "duration": 571,
        "talk_time": 564,
        "recording_url": f"https://records.example.com/{call_id}.mp3",
        "final_done": True,
    }
    # every request processed in its own request, none left for the retry cron, and
    # without a serialization conflict (Odoo's answer to one is a retry that sleeps)
    assert {event["state"] for event in journal} == {"done"}, journal
    with open(odoo_server.log_path, "rb") as log:
        log.seek(log_start)
        conflicts = [line for line in log.read().decode().splitlines() if "concurrent" in line]
    assert not conflicts, "\n".join(conflicts)
