"""With a db filter, Odoo lists the databases of the PostgreSQL server for every request
without a session, on a new connection to the ``postgres`` database that is never kept.
The capture endpoint keeps the list for a few seconds instead."""

import json
import re
import urllib.request
import uuid

ORIGIN = "https://dblist.example.com"
# The pool logs each connection it closes instead of keeping (odoo/sql_db.py). Those of
# the database listing come before the request knows its database ("?" in the log);
# others (e.g. Odoo waking the cron workers after a lead is created) come later.
LISTING_CONNECTION = re.compile(
    r" DEBUG \? odoo\.sql_db\.connection: .*Forgot connection to '[^']*dbname=postgres"
)


def postgres_connections(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as log:
        return sum(1 for line in log if LISTING_CONNECTION.search(line))


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status


def post(url, payload):
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Origin": ORIGIN},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def test_capture_posts_do_not_open_a_connection_each_to_list_databases(start_odoo_server, odoo_rpc):
    server = start_odoo_server("--log-handler=odoo.sql_db.connection:DEBUG")
    site_id = odoo_rpc.env["crm.capture.site"].create(
        {"name": "DB list", "allowed_origins": ORIGIN, "rate_limit_window": 0}
    )
    key = odoo_rpc.env["crm.capture.site"].read([site_id], ["key"])[0]["key"]
    try:
        post(f"{server.url}/crm/capture/{key}", {"email": "warm@example.com"})
        before = postgres_connections(server.log_path)
        for i in range(10):
            post(f"{server.url}/crm/capture/{key}", {"email": f"db{i}-{uuid.uuid4().hex}@x.org"})
        after_captures = postgres_connections(server.log_path)
        # the same server, other session-less requests: Odoo's own behaviour, unchanged
        for _i in range(10):
            assert get(f"{server.url}/web/health") == 200
        after_health = postgres_connections(server.log_path)
    finally:
        leads = odoo_rpc.env["crm.lead"].with_context(active_test=False)
        leads.unlink(leads.search([("capture_site_id", "=", site_id)]))
        odoo_rpc.env["crm.capture.site"].unlink([site_id])
    assert after_captures - before <= 1
    assert after_health - after_captures >= 10
