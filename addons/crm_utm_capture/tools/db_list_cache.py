"""A short-lived cache of the database list for the public capture endpoint.

With ``--db-filter`` set, Odoo finds the database of every request that has no session
(webhooks, web-form posts) by listing the databases of the PostgreSQL server
(``odoo.http.db_list`` -> ``odoo.service.db.list_dbs``). That opens a new connection to
the ``postgres`` database each time, which the pool never keeps (``Cursor._close``
gives connections to ``postgres`` back with ``keep_in_pool=False``): a PostgreSQL
backend is started and stopped for every form post.

For the paths below, the list is kept for ``TTL_SECONDS`` per worker process. The
db filter itself still runs on every request, with the request's host, so multi-
database setups route exactly as before; a database created or dropped shows up here
at most ``TTL_SECONDS`` later. Every other path is left to Odoo.
"""

import threading
import time

import psycopg2

import odoo
from odoo import http

PUBLIC_PATH_PREFIXES = ("/crm/capture/",)
TTL_SECONDS = 30
_cache = {}
_cache_lock = threading.Lock()


def cached_list_dbs(force):
    """``odoo.service.db.list_dbs(force)``, computed at most once per TTL_SECONDS."""
    now = time.monotonic()
    expires, names = _cache.get(force, (0.0, None))
    if names is not None and expires > now:
        return names
    with _cache_lock:
        names = odoo.service.db.list_dbs(force)
        _cache[force] = (now + TTL_SECONDS, names)
    return names


def _is_public_capture_request():
    return bool(http.request) and http.request.httprequest.path.startswith(PUBLIC_PATH_PREFIXES)


def install():
    """Route ``odoo.http.db_list`` through the cache for the public capture paths
    (called once per process by the addon's ``post_load`` hook)."""
    original = http.db_list
    if getattr(original, "crm_utm_capture_cached", False):
        return

    def db_list(force=False, host=None):
        if not _is_public_capture_request():
            return original(force, host)
        try:
            dbs = cached_list_dbs(force)
        except psycopg2.OperationalError:
            return []
        return http.db_filter(dbs, host)

    db_list.crm_utm_capture_cached = True
    http.db_list = db_list
