import logging

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

HIT_ATTEMPTS = 5


class CrmCaptureRateBucket(models.Model):
    """Submissions counted per site, per client address and per time window.

    Counting happens in the database with one atomic upsert, so every worker process
    shares the same counters."""

    _name = "crm.capture.rate.bucket"
    _description = "Lead capture rate-limit counter"
    _log_access = False

    site_id = fields.Many2one("crm.capture.site", required=True, ondelete="cascade")
    scope = fields.Selection([("ip", "Client address"), ("site", "Site")], required=True)
    client_key = fields.Char(required=True, default="")
    window_start = fields.Datetime(required=True)
    hits = fields.Integer(required=True, default=0)

    _sql_constraints = [
        (
            "bucket_uniq",
            "unique(site_id, scope, client_key, window_start)",
            "One counter per site, scope, client and window.",
        ),
    ]

    def _hit_query(self, site_id, client_key, window):
        window_start = SQL(
            "to_timestamp(floor(extract(epoch from now() at time zone 'UTC') / %s) * %s) "
            "at time zone 'UTC'",
            window,
            window,
        )
        return SQL(
            """
            INSERT INTO %(table)s AS bucket (site_id, scope, client_key, window_start, hits)
            VALUES (%(site)s, 'ip', %(client)s, %(start)s, 1),
                   (%(site)s, 'site', '', %(start)s, 1)
            ON CONFLICT (site_id, scope, client_key, window_start)
            DO UPDATE SET hits = bucket.hits + 1
            RETURNING scope, hits
            """,
            table=SQL.identifier(self._table),
            site=site_id,
            client=client_key,
            start=window_start,
        )

    @api.model
    def _hit(self, site_id, client_key, window):
        """Count one submission of a client on a site and return the counts of the
        current window: ``{"ip": n, "site": m}``. Committed at once in its own
        transaction, so concurrent workers see each other's hits and a request that
        fails later still counts."""
        query = self._hit_query(site_id, client_key[:64], window)
        for attempt in range(1, HIT_ATTEMPTS + 1):
            try:
                # a cursor of its own, committed when the block ends
                with self.env.registry.cursor() as cr:
                    cr.execute(query, log_exceptions=False)
                    return dict(cr.fetchall())
            except psycopg2.errors.SerializationFailure:
                # a concurrent worker counted the same bucket: count again on a
                # fresh snapshot
                if attempt == HIT_ATTEMPTS:
                    raise
        return {}

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
