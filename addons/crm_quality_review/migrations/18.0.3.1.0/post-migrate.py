"""Rules Q01 and Q02 of a database installed before the "how to fix" texts existed get
them (noupdate data: an update never writes them); a text an admin wrote stays."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.regulation.rule"]._fill_empty_texts_from_data(
        "crm_quality_review/data/crm_regulation_rule_data.xml"
    )
