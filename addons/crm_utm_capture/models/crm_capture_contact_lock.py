from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_phone_base.tools.compat import sql_constraints


@sql_constraints
class CrmCaptureContactLock(models.Model):
    """One row per recently seen contact (normalized phone or e-mail).

    Recording an inquiry first upserts the rows of its contacts. Two transactions
    recording inquiries of the same new contact at the same moment therefore update the
    same row: the second one waits for the first, then fails with a serialization error
    and starts again on a fresh snapshot, where it finds the lead the first one created.
    The capture endpoint starts again at once (``crm.capture.submission.
    _process_committed``); the mail gateway lets Odoo replay the e-mail. Without this,
    both would create a lead."""

    _name = "crm.capture.contact.lock"
    _description = "Lead capture contact lock"
    _log_access = False

    contact_key = fields.Char(required=True)
    touched = fields.Datetime(required=True)

    _sql_constraints = [
        ("contact_key_uniq", "unique(contact_key)", "One row per contact."),
    ]

    @api.model
    def _lock(self, contact_keys):
        """Serialize the recording of inquiries that share a contact."""
        query = self._lock_query(contact_keys)
        if query:
            # a serialization failure here is expected: the caller starts again
            self.env.cr.execute(query, log_exceptions=False)

    @api.model
    def _lock_query(self, contact_keys):
        """The upsert of ``_lock`` (None without a contact key), for a caller that runs
        it in the same statement as its look-up (in a ``WITH``, which PostgreSQL always
        runs to completion first)."""
        keys = sorted({key for key in contact_keys if key})
        if not keys:
            return None
        return SQL(
            """
            INSERT INTO %s (contact_key, touched) VALUES %s
            ON CONFLICT (contact_key) DO UPDATE SET touched = EXCLUDED.touched
            """,
            SQL.identifier(self._table),
            SQL(", ").join(SQL("(%s, now() at time zone 'UTC')", key) for key in keys),
        )

    @api.model
    def _gc_locks(self):
        """Cron: forget contacts not seen for a day."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE touched < (now() at time zone 'UTC') - interval '1 day'",
                SQL.identifier(self._table),
            )
        )
        return True
