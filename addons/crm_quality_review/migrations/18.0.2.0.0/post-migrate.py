"""Q01 and Q02 are recorded by reviewers: say so on every company's copy of them."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL("UPDATE crm_regulation_rule SET detection = 'manual' WHERE code IN ('Q01', 'Q02')")
    )
