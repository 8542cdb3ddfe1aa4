from odoo import SUPERUSER_ID, api

# What moved out of this addon into glue addons, and the addon each joins it with.
GLUE_ADDONS = {
    "crm_telephony_regulation": "crm_regulation",
    "crm_quality_review_telephony": "crm_quality_review",
}


def migrate(cr, version):
    """Rules R02/R04/R13, missed-call deals in Unsorted and the call-script audits moved
    into glue addons. Odoo installs a new auto-install addon only with one of its
    parents: an existing database gets them in this same update."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    Module = env["ir.module.module"]
    parents = Module.search(
        [("name", "in", list(GLUE_ADDONS.values())), ("state", "in", ("installed", "to upgrade"))]
    ).mapped("name")
    Module.search(
        [
            ("name", "in", [glue for glue, parent in GLUE_ADDONS.items() if parent in parents]),
            ("state", "=", "uninstalled"),
        ]
    ).button_install()
