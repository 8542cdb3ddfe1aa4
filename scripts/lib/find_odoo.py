"""Print the addons directory of an importable Odoo 18.0, or explain what is missing."""

import os
import sys

HELP = (
    "Odoo 18.0 is not importable by {python} ({reason}). "
    "This suite needs Odoo 18.0 Community installed from source: clone the 18.0 branch "
    "of https://github.com/odoo/odoo outside this repository, install its Python "
    "requirements (pip install -r requirements.txt; building them needs the Debian "
    "packages libpq-dev, libldap2-dev and libsasl2-dev) and either install it into this "
    "Python (pip install -e <odoo-tree>) or point ODOO_SRC to the tree "
    "(export ODOO_SRC=/path/to/odoo). Then run scripts/setup again."
)


def main():
    try:
        import odoo.release
    except ImportError as error:
        sys.exit(HELP.format(python=sys.executable, reason=f"import failed: {error}"))
    if tuple(odoo.release.version_info[:2]) != (18, 0):
        reason = f"found Odoo {odoo.release.version} at {odoo.__path__[0]}"
        sys.exit(HELP.format(python=sys.executable, reason=reason))
    try:
        import odoo.cli
    except ImportError as error:
        reason = f"Odoo 18.0 is there but its requirement is missing: {error}"
        sys.exit(HELP.format(python=sys.executable, reason=reason))
    addons = os.path.abspath(os.path.join(odoo.__path__[0], os.pardir, "addons"))
    if not os.path.isfile(os.path.join(addons, "crm", "__manifest__.py")):
        reason = f"Odoo at {odoo.__path__[0]} has no standard addons beside it ({addons})"
        sys.exit(HELP.format(python=sys.executable, reason=reason))
    print(addons)


if __name__ == "__main__":
    main()
