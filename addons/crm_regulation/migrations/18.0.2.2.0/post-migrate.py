"""Rules of a database installed before the "how to fix" texts existed get them: the
rules are noupdate data, so an update never writes them. Every rule (of any company)
whose text is empty takes the text of its code in the data file; a text an admin wrote
stays as it is."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.regulation.rule"]._fill_empty_texts_from_data(
        "crm_regulation/data/crm_regulation_rule_data.xml"
    )
