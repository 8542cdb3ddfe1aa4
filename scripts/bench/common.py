"""What the benchmarks share: the repository's paths, the names of their databases, a
fresh database with given modules (all of them), and Odoo configured to open it in this
process (the in-process ones: bench_rules, bench_stage_change, bench_import). A benchmark
that runs an Odoo server starts it with ``crmreg_cli.odoo_server``. Import it before
``odoo``: it sets the time zone to UTC.

Every series (the Python that runs the script: ``python3`` is 18.0 here,
``/opt/odoo-venvs/19.0/bin/python`` 19.0) has its own databases: ``bench_db`` adds
``_19_0`` to a name on 19.0 (as ``scripts/test`` does), and ``CRM_REG_BENCH_DB_PREFIX``
in the environment puts a prefix before every name (sessions sharing a PostgreSQL)."""

import os
import subprocess
import sys
from pathlib import Path

os.environ["TZ"] = "UTC"
REPO = Path(__file__).resolve().parents[2]
ODOO_BIN = str(REPO / "scripts" / "lib" / "odoo-bin")
DATA_DIR = REPO / ".local" / "data"

import odoo  # noqa: E402
import odoo.api  # noqa: E402  (on 19.0, ``import odoo`` loads none of its parts)
import odoo.cli  # noqa: E402

sys.path.insert(0, str(REPO / "scripts" / "lib"))
from find_odoo import addons_dir  # noqa: E402

#: the Odoo series of this Python, e.g. 18 or 19
MAJOR = odoo.release.version_info[0]
#: no demo data in a new database: 19.0 takes a boolean, 18.0 "all" or a list of modules
WITHOUT_DEMO = "--without-demo=True" if MAJOR >= 19 else "--without-demo=all"


def bench_db(name):
    """The database called ``name`` for this series (and ``CRM_REG_BENCH_DB_PREFIX``)."""
    suffix = "" if MAJOR <= 18 else f"_{MAJOR}_0"
    return f"{os.environ.get('CRM_REG_BENCH_DB_PREFIX', '')}{name}{suffix}"


def odoo_addons_dir():
    """The standard addons of this Python's Odoo (beside the package on a git
    checkout, inside it on 19.0 nightlies)."""
    return addons_dir(odoo.__path__[0])


def addons_path():
    return f"{REPO / 'addons'},{odoo_addons_dir()}"


def build_database(name, modules):
    """Drop ``name`` and install ``modules`` (comma-separated) in it, without demo data."""
    subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)
    subprocess.run(
        [
            sys.executable,
            ODOO_BIN,
            "-d",
            name,
            f"--addons-path={addons_path()}",
            "-i",
            modules,
            WITHOUT_DEMO,
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
            f"--data-dir={DATA_DIR}",
        ],
        check=True,
    )


def configure_odoo():
    """Configure Odoo in this process for the bench databases."""
    odoo.tools.config.parse_config(
        [f"--addons-path={addons_path()}", "--log-level=warn", f"--data-dir={DATA_DIR}"]
    )


def open_database(name):
    """The registry of database ``name``, made this process's database (Odoo's ``db_name``
    option: one name on 18.0, a list of names on 19.0)."""
    from odoo.modules.registry import Registry

    odoo.tools.config["db_name"] = [name] if MAJOR >= 19 else name
    return Registry(name)
