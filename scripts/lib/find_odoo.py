"""Print the addons directory of an importable Odoo 18.0 or 19.0, or explain what is missing.

``--series`` prints the series instead ("18.0", "19.0"). With ODOO_SERIES set, only that
series is accepted.
"""

import os
import sys

SUPPORTED = ("18.0", "19.0")

HELP = (
    "Odoo {wanted} is not importable by {python} ({reason}). "
    "This suite needs Odoo 18.0 or 19.0 Community installed from source: clone the "
    "series' branch of https://github.com/odoo/odoo outside this repository, install its "
    "Python requirements (pip install -r requirements.txt; building them needs the Debian "
    "packages libpq-dev, libldap2-dev and libsasl2-dev) and either install it into this "
    "Python (pip install -e <odoo-tree>) or point ODOO_SRC to the tree "
    "(export ODOO_SRC=/path/to/odoo); ODOO_PYTHON names another Python (a virtualenv "
    "of that series). Then run scripts/setup again."
)


def addons_dir(odoo_path):
    """The standard addons of an Odoo tree: beside the odoo package (git checkout),
    or inside it (odoo/addons: nightly builds and 19.0 packages)."""
    beside, inside = os.path.join(odoo_path, os.pardir, "addons"), os.path.join(odoo_path, "addons")
    for candidate in (os.path.abspath(beside), os.path.abspath(inside)):
        if os.path.isfile(os.path.join(candidate, "crm", "__manifest__.py")):
            return candidate
    return None


def main():
    wanted = os.environ.get("ODOO_SERIES") or " or ".join(SUPPORTED)
    accepted = (os.environ["ODOO_SERIES"],) if os.environ.get("ODOO_SERIES") else SUPPORTED
    try:
        import odoo.release
    except ImportError as error:
        reason = f"import failed: {error}"
        sys.exit(HELP.format(wanted=wanted, python=sys.executable, reason=reason))
    series = "{}.{}".format(*odoo.release.version_info[:2])
    odoo_path = next(iter(odoo.__path__))
    if series not in accepted:
        reason = f"found Odoo {odoo.release.version} at {odoo_path}"
        sys.exit(HELP.format(wanted=wanted, python=sys.executable, reason=reason))
    try:
        import odoo.cli
    except ImportError as error:
        reason = f"Odoo {series} is there but its requirement is missing: {error}"
        sys.exit(HELP.format(wanted=wanted, python=sys.executable, reason=reason))
    addons = addons_dir(odoo_path)
    if not addons:
        reason = f"Odoo at {odoo_path} has no standard addons beside or inside it"
        sys.exit(HELP.format(wanted=wanted, python=sys.executable, reason=reason))
    print(series if "--series" in sys.argv[1:] else addons)


if __name__ == "__main__":
    main()
