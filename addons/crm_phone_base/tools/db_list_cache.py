"""A short-lived cache of the database list for the suite's public endpoints.

With ``--db-filter`` set, Odoo finds the database of every request that has no session
(webhooks, web-form posts) by listing the databases of the PostgreSQL server
(``odoo.http.db_list`` -> ``odoo.service.db.list_dbs``). That opens a new connection to
the ``postgres`` database each time, which the pool never keeps (``Cursor._close``
gives connections to ``postgres`` back with ``keep_in_pool=False``): a PostgreSQL
backend is started and stopped for every form post or PBX event.

For the registered path prefixes (each addon with a public endpoint registers its own
from its ``post_load`` hook: ``/crm/capture/``, ``/crm_telephony/``), the list is kept
for ``TTL_SECONDS`` per worker process. The db filter itself still runs on every
request, with the request's host, so multi-database setups route exactly as before; a
database created or dropped shows up here at most ``TTL_SECONDS`` later. Every other
path is left to Odoo.

``post_load`` hooks run when Odoo first imports an addon's Python package in a process
(``odoo.modules.module.load_openerp_module``, called for every installed module when a
registry is loaded), so no ``server_wide_modules`` entry is needed; a worker's very
first session-less request, before any registry is loaded, still lists the databases
the usual way.
"""

import threading
import time

import psycopg2

import odoo
from odoo import http

TTL_SECONDS = 30
_public_prefixes = []  # appended to and copied whole: both atomic, no lock needed
_cache = {}
_cache_lock = threading.Lock()


def register_public_prefix(prefix):
    """Serve the database list of requests whose path starts with ``prefix`` from the
    cache (call from an addon's ``post_load`` hook; installs the cache if needed)."""
    if prefix not in _public_prefixes:
        _public_prefixes.append(prefix)
    install()


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


def _is_public_request():
    return bool(http.request) and http.request.httprequest.path.startswith(tuple(_public_prefixes))


def install():
    """Route ``odoo.http.db_list`` through the cache for the registered public paths
    (once per process: called by crm_phone_base's ``post_load`` hook and again, without
    effect, by each registration)."""
    original = http.db_list
    if getattr(original, "crm_phone_base_cached", False):
        return

    def db_list(force=False, host=None):
        if not _is_public_request():
            return original(force, host)
        try:
            dbs = cached_list_dbs(force)
        except psycopg2.OperationalError:
            return []
        return http.db_filter(dbs, host)

    db_list.crm_phone_base_cached = True
    http.db_list = db_list
