import ipaddress
import logging

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_phone_base.tools.compat import sql_constraints

_logger = logging.getLogger(__name__)

HIT_ATTEMPTS = 5


def client_key(address):
    """The rate-limit key of a client address: the IPv4 address, or the /64 network of
    an IPv6 address (a subscriber line gets a whole /64 and can rotate through it)."""
    text = (address or "").strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text[:64]
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@sql_constraints
class CrmCaptureRateBucket(models.Model):
    """Requests counted per site and client, and per site, for each time window.

    Counting happens in the database with one atomic statement, so every worker process
    shares the same counters. A client's own counter is consumed first: a request over
    its client's limit is not counted against the site, so that one abusive client does
    not close the form for everybody. The counters are all that a refused request
    leaves behind."""

    _name = "crm.capture.rate.bucket"
    _description = "Lead capture rate-limit counter"
    _log_access = False

    site_id = fields.Many2one("crm.capture.site", required=True, ondelete="cascade")
    scope = fields.Selection([("ip", "Client address"), ("site", "Site")], required=True)
    client_key = fields.Char(
        required=True, default="", help="IPv4 address, or /64 network of an IPv6 address."
    )
    window_start = fields.Datetime(required=True)
    hits = fields.Integer(required=True, default=0, help="Requests received in the window.")

    _sql_constraints = [
        (
            "bucket_uniq",
            "unique(site_id, scope, client_key, window_start)",
            "One counter per site, scope, client and window.",
        ),
    ]

    def _hit_query(self, site_id, client, window, client_limit):
        window_start = SQL(
            "to_timestamp(floor(extract(epoch from now() at time zone 'UTC') / %s) * %s) "
            "at time zone 'UTC'",
            window,
            window,
        )
        return SQL(
            """
            WITH client AS (
                INSERT INTO %(table)s AS bucket (site_id, scope, client_key, window_start, hits)
                VALUES (%(site)s, 'ip', %(client)s, %(start)s, 1)
                ON CONFLICT (site_id, scope, client_key, window_start)
                DO UPDATE SET hits = bucket.hits + 1
                RETURNING hits
            ), site AS (
                INSERT INTO %(table)s AS bucket (site_id, scope, client_key, window_start, hits)
                SELECT %(site)s, 'site', '', %(start)s, 1
                 WHERE %(limit)s = 0 OR (SELECT hits FROM client) <= %(limit)s
                ON CONFLICT (site_id, scope, client_key, window_start)
                DO UPDATE SET hits = bucket.hits + 1
                RETURNING hits
            )
            SELECT (SELECT hits FROM client), (SELECT hits FROM site)
            """,
            table=SQL.identifier(self._table),
            site=site_id,
            client=client,
            start=window_start,
            limit=client_limit,
        )

    @api.model
    def _hit(self, site_id, client, window, client_limit):
        """Count one request of a client on a site and return the counts of the current
        window: (client hits, site hits), site hits None when the client is over its
        limit (the request is then not counted against the site). Committed at once in
        its own transaction, so that concurrent workers see each other's hits and a
        request that fails later still counts; (None, None) when the counters stay
        contended (the caller refuses the request)."""
        query = self._hit_query(site_id, client[:64], window, client_limit)
        for _attempt in range(HIT_ATTEMPTS):
            try:
                # a cursor of its own, committed when the block ends
                with self.env.registry.cursor() as cr:
                    cr.execute(query, log_exceptions=False)
                    return cr.fetchone()
            except psycopg2.errors.SerializationFailure:
                # a concurrent worker counted the same bucket: count again on a fresh
                # snapshot, at once
                continue
        _logger.info("Rate counters of capture site %s stayed contended", site_id)
        return None, None

    @api.model
    def _gc_buckets(self):
        """Cron: forget the counters of finished windows."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE window_start < (now() at time zone 'UTC') - interval '1 day'",
                SQL.identifier(self._table),
            )
        )
        return True
