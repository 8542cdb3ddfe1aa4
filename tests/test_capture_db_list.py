"""With a db filter, Odoo lists the databases of the PostgreSQL server for every request
without a session, on a new connection to the ``postgres`` database that is never kept.
The capture endpoint keeps the list for a few seconds instead (crm_phone_base)."""

import json
import uuid

from db_list_log import DB_LIST_LOGGING, assert_listing_cached, post

ORIGIN = "https://dblist.example.com"
HEADERS = {"Content-Type": "application/json", "Origin": ORIGIN}


def test_capture_posts_do_not_open_a_connection_each_to_list_databases(start_odoo_server, odoo_rpc):
    server = start_odoo_server(DB_LIST_LOGGING)
    site_id = odoo_rpc.env["crm.capture.site"].create(
        {"name": "DB list", "allowed_origins": ORIGIN, "rate_limit_window": 0}
    )
    key = odoo_rpc.env["crm.capture.site"].read([site_id], ["key"])[0]["key"]

    def post_one(i):
        email = f"db{i}-{uuid.uuid4().hex}@x.org"
        body = json.dumps({"email": email}).encode()
        assert post(f"{server.url}/crm/capture/{key}", body, HEADERS) in (200, 201)

    try:
        assert_listing_cached(server, post_one)
    finally:
        leads = odoo_rpc.env["crm.lead"].with_context(active_test=False)
        leads.unlink(leads.search([("capture_site_id", "=", site_id)]))
        odoo_rpc.env["crm.capture.site"].unlink([site_id])
