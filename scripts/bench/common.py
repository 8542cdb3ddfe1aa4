"""What the benchmarks share: the repository's paths, a fresh database with given
modules (all of them), and Odoo configured to open it in this process (the in-process
ones: bench_rules, bench_stage_change, bench_import). A benchmark that runs an Odoo
server starts it with ``crmreg_cli.odoo_server``. Import it before ``odoo``: it sets the
time zone to UTC."""

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
            # 19.0 takes a boolean, 18.0 "all" or a list of modules
            "--without-demo=True" if odoo.release.version_info[0] >= 19 else "--without-demo=all",
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
