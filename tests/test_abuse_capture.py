"""The capture endpoint under hostile traffic, against the real multi-worker server on
127.0.0.1 only, bounded in count and time.

One client (127.0.0.1) floods the site with inquiries, oversize, chunked and malformed
bodies; a second client (127.0.0.2, another loopback address) sends real inquiries at
the same time. Every real inquiry must end as a lead or a retryable submission, the
journal may grow only by a bounded amount, and the workers' memory must stay bounded.
"""

import functools
import json
import os
import uuid

import pytest
from hostile_traffic import MAX_RSS_GROWTH_KB, Client, huge_chunks, peak_rss_kb, tally, under_flood

ORIGIN = "https://abuse.example.com"
ATTACKER, VISITOR = "127.0.0.1", "127.0.0.2"
FLOOD_THREADS = 4
FLOOD_SECONDS = 20
REAL_INQUIRIES = 8
CLIENT_LIMIT = 10
WINDOW = 60
MAX_BODY = 64 * 1024


def json_body(payload):
    return json.dumps(payload).encode(), {"Content-Type": "application/json"}


def attack(client, path, stop, counts, lock):
    """Cycle through the kinds of abuse until told to stop."""
    kinds = ["flood"] * 6 + ["oversize", "malformed", "broken_json", "chunked_huge"]
    turn = 0
    while not stop.is_set():
        kind = kinds[turn % len(kinds)]
        turn += 1
        if kind == "flood":
            body, headers = json_body({"email": f"bot-{uuid.uuid4().hex}@example.com"})
            status, *_rest = client.post(path, body, headers)
        elif kind == "oversize":
            body, headers = json_body({"email": "big@example.com", "message": "x" * (2 * MAX_BODY)})
            status, *_rest = client.post(path, body, headers)
        elif kind == "malformed":
            status, *_rest = client.post(
                path, os.urandom(2048), {"Content-Type": "multipart/form-data; boundary=zz"}
            )
        elif kind == "broken_json":
            status, *_rest = client.post(path, b'{"email": ', {"Content-Type": "application/json"})
        else:
            status, *_rest = client.post(
                path,
                huge_chunks(b'{"email": "huge@example.com", "message": "'),
                {"Content-Type": "application/json"},
                chunked=True,
            )
        tally(counts, lock, status)


@pytest.fixture
def abuse_site(odoo_rpc):
    sites = odoo_rpc.env["crm.capture.site"]
    site_id = sites.create(
        {
            "name": f"Abuse {uuid.uuid4().hex[:6]}",
            "allowed_origins": ORIGIN,
            "rate_limit_window": WINDOW,
            "rate_limit_ip": CLIENT_LIMIT,
            "rate_limit_site": 300,
            "max_body_bytes": MAX_BODY,
            "min_submit_seconds": 0,
        }
    )
    yield site_id, sites.read([site_id], ["key"])[0]["key"]
    leads = odoo_rpc.env["crm.lead"].with_context(active_test=False)
    lead_ids = leads.search([("capture_site_id", "=", site_id)])
    if lead_ids:
        leads.unlink(lead_ids)
    sites.unlink([site_id])


def journal_size(database, site_id):
    with database() as connection, connection.cursor() as cr:
        cr.execute(
            """
            SELECT count(*),
                   coalesce(sum(octet_length(raw_body) + octet_length(payload::text)), 0)
              FROM crm_capture_submission WHERE site_id = %s
            """,
            [site_id],
        )
        return cr.fetchone()


def test_flood_of_one_client_loses_no_real_inquiry_and_stays_bounded(
    odoo_server, odoo_rpc, database, abuse_site
):
    site_id, key = abuse_site
    path = f"/crm/capture/{key}"
    attacker = Client(odoo_server.port, ATTACKER, {"Origin": ORIGIN})
    visitor = Client(odoo_server.port, VISITOR, {"Origin": ORIGIN})
    rss_before = peak_rss_kb(odoo_server.worker_pids())

    def inquiry(i):
        email = f"real{i}-{uuid.uuid4().hex[:8]}@example.com"
        return (email, *visitor.post(path, *json_body({"email": email, "name": f"Visitor {i}"})))

    real, counts, elapsed = under_flood(
        functools.partial(attack, attacker, path),
        FLOOD_THREADS,
        [functools.partial(inquiry, i) for i in range(REAL_INQUIRIES)],
        FLOOD_SECONDS,
    )

    rows, stored_bytes = journal_size(database, site_id)
    rss_after = peak_rss_kb(odoo_server.worker_pids())
    figures = {
        "seconds": round(elapsed, 1),
        "attacker requests": counts.get("sent", 0),
        "attacker answers": {str(k): v for k, v in counts.items() if k != "sent"},
        "real inquiries": [status for _email, status, _type, _body in real],
        "journal rows": rows,
        "journal bytes": stored_bytes,
        "peak worker RSS before/after (MiB)": (rss_before // 1024, rss_after // 1024),
    }
    print(json.dumps(figures))

    # every real inquiry got JSON and is a lead or a retryable submission
    for email, status, content_type, body in real:
        assert status in (201, 202, 429), (email, status, body)
        assert content_type.startswith("application/json")
        reference = json.loads(body)["reference"]
        submission = odoo_rpc.env["crm.capture.submission"].search_read(
            [("name", "=", reference)], ["state", "lead_id"]
        )[0]
        assert submission["state"] in ("done", "held", "error"), submission
        if submission["state"] == "done":
            lead = odoo_rpc.env["crm.lead"].read([submission["lead_id"][0]], ["email_from"])[0]
            assert lead["email_from"] == email
    # the attacker was refused, far more often than served
    assert counts.get(429, 0) > counts.get("sent", 0) / 2
    # journal: at most the attacker's own limit per started window, and the real ones
    windows = int(elapsed // WINDOW) + 2
    assert rows <= CLIENT_LIMIT * windows + REAL_INQUIRIES
    assert stored_bytes <= rows * (4096 + 2 * MAX_BODY)
    assert rss_after - rss_before <= MAX_RSS_GROWTH_KB, figures
