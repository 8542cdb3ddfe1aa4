"""Uninstall our addons from a database and prove nothing of theirs is left behind.

Usage: uninstall_check.py ODOO_CONF ADDON[,ADDON...] LOGFILE
"""

import os
import sys

os.environ["TZ"] = "UTC"

import odoo
from odoo.modules.registry import Registry


def main(conf, addons, logfile):
    names = addons.split(",")
    odoo.tools.config.parse_config(["-c", conf, f"--logfile={logfile}", "--log-level=info"])
    db_name = odoo.tools.config["db_name"]
    with Registry(db_name).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["ir.module.module"].search([("name", "in", names)]).button_immediate_uninstall()
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
