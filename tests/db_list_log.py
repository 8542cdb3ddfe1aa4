"""Shared by the end-to-end tests of crm_phone_base's database-list cache: count the
connections to ``postgres`` that Odoo opened to list the databases of a session-less
request, in the log of a server started with ``DB_LIST_LOGGING``."""

import re
import urllib.request

# Start the server with this argument so that the pool logs the connections it closes.
DB_LIST_LOGGING = "--log-handler=odoo.sql_db.connection:DEBUG"
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


def post(url, body, headers):
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def assert_listing_cached(server, post_one, count=10):
    """``post_one(i)`` sends one request of a public endpoint: after a first (warming)
    one, ``count`` more open at most one listing connection, while ``count`` requests of
    Odoo's own ``/web/health`` on the same server still open one each."""
    post_one(-1)
    before = postgres_connections(server.log_path)
    for i in range(count):
        post_one(i)
    after_posts = postgres_connections(server.log_path)
    # the same server, other session-less requests: Odoo's own behaviour, unchanged
    for _i in range(count):
        assert get(f"{server.url}/web/health") == 200
    after_health = postgres_connections(server.log_path)
    assert after_posts - before <= 1
    assert after_health - after_posts >= count
