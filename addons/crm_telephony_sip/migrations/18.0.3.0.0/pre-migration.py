"""The journal's ``is_test`` column (requests sent by "Send a test event") is added
empty: no request journaled before was a test, and a large journal is not read row by
row to compute it."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            "ALTER TABLE crm_telephony_event ADD COLUMN IF NOT EXISTS is_test boolean DEFAULT false"
        )
    )
    cr.execute(SQL("ALTER TABLE crm_telephony_event ALTER COLUMN is_test DROP DEFAULT"))
