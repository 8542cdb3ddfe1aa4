"""Uninstall our addons from a database and prove nothing of theirs is left behind.

First the quality review alone, on a database with a fine it recorded: the fine must
outlive the addon (past payroll never changes). Then every addon.

Usage: uninstall_check.py ODOO_CONF ADDON[,ADDON...] LOGFILE
"""

import os
import sys

os.environ["TZ"] = "UTC"

import odoo
import odoo.api  # 19.0: "import odoo" alone no longer imports it
from odoo.modules.registry import Registry

QUALITY = "crm_quality_review"


def quality_fines_survive(db_name):
    """Uninstall the quality review alone: its fines of past months stay."""
    with Registry(db_name).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        rule = env.ref("crm_quality_review.rule_q01")
        lead = env["crm.lead"].search([], limit=1)
        rule._record_found(lead, env.ref("base.user_admin"))
        cr.execute("SELECT id, fine FROM crm_regulation_violation ORDER BY id")
        before = cr.fetchall()
        env["ir.module.module"].search([("name", "=", QUALITY)]).button_immediate_uninstall()
    with Registry(db_name).cursor() as cr:
        cr.execute("SELECT id, fine FROM crm_regulation_violation ORDER BY id")
        after = cr.fetchall()
    if after != before:
        sys.exit(f"Uninstalling {QUALITY} changed the fines: {len(before)} -> {len(after)} rows")
    print(f"Uninstalled {QUALITY} alone: its {len(before)} fines stayed")


def main(conf, addons, logfile):
    names = addons.split(",")
    odoo.tools.config.parse_config(["-c", conf, f"--logfile={logfile}", "--log-level=info"])
    db_name = odoo.tools.config["db_name"]
    if isinstance(db_name, list):  # 19.0 reads db_name as a list of names
        [db_name] = db_name
    if QUALITY in names:
        quality_fines_survive(db_name)
    with Registry(db_name).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        modules = env["ir.module.module"].search(
            [("name", "in", names), ("state", "=", "installed")]
        )
        modules.button_immediate_uninstall()
    with Registry(db_name).cursor() as cr:
        cr.execute("SELECT name, state FROM ir_module_module WHERE name = ANY(%s)", [names])
        not_uninstalled = [name for name, state in cr.fetchall() if state != "uninstalled"]
        cr.execute("SELECT model FROM ir_model_data WHERE module = ANY(%s) LIMIT 5", [names])
        leftovers = cr.fetchall()
    if not_uninstalled or leftovers:
        sys.exit(f"Uninstall left {not_uninstalled or ''} {leftovers or ''}")
    print(f"Uninstalled {', '.join(names)} cleanly")


if __name__ == "__main__":
    main(*sys.argv[1:4])
