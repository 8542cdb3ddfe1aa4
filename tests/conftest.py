"""End-to-end harness: a real Odoo server process on the test database.

The session fixture ``odoo_server`` starts Odoo the way ``odoo-bin`` does, in
multi-worker (prefork) mode on 127.0.0.1 and free ports, waits until it answers and
stops it afterwards. ``odoo_rpc`` is an ``odoorpc`` client logged in as admin.

The database and addons path come from the Odoo configuration file that
``scripts/test`` writes and exports as ``CRM_REG_TEST_CONF``.
"""

import configparser
import os
import sys
from pathlib import Path

import odoorpc
import psycopg2
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from crmreg_cli.odoo_server import OdooServer

# What odoo-bin itself prints to stderr on a healthy start.
BENIGN_STDERR = {"Running as user 'root' is a security risk."}


def read_test_conf():
    path = os.environ.get("CRM_REG_TEST_CONF")
    if not path or not Path(path).is_file():
        pytest.exit(
            "CRM_REG_TEST_CONF must name the Odoo configuration of the test database: "
            "run the end-to-end tests through scripts/test",
            returncode=2,
        )
    parser = configparser.ConfigParser()
    parser.read(path)
    return path, parser["options"]["db_name"]


class TestServer(OdooServer):
    """The shared Odoo server process on the test database's configuration, with what
    the tests ask of it."""

    __test__ = False  # not a test class, whatever pytest makes of its name

    def __init__(self, conf_path, db_name, workers, log_path, extra_args=()):
        super().__init__([f"--config={conf_path}"], log_path, workers, extra_args)
        self.conf_path = conf_path
        self.db_name = db_name

    def assert_quiet_stderr(self):
        lines = Path(self.stderr_path).read_text(errors="replace").splitlines()
        unexpected = [line for line in lines if line.strip() and line not in BENIGN_STDERR]
        assert not unexpected, (
            f"the Odoo server wrote to stderr ({self.stderr_path}):\n" + "\n".join(unexpected)
        )

    def rpc(self, login="admin", password="admin"):
        client = odoorpc.ODOO("127.0.0.1", port=self.port, timeout=120)
        client.login(self.db_name, login, password)
        return client


@pytest.fixture(scope="session")
def odoo_server(tmp_path_factory):
    conf_path, db_name = read_test_conf()
    log_path = tmp_path_factory.mktemp("odoo") / "server.log"
    workers = int(os.environ.get("CRM_REG_E2E_WORKERS", "2"))
    server = TestServer(conf_path, db_name, workers, log_path)
    server.start()
    yield server
    server.stop()
    server.assert_quiet_stderr()


@pytest.fixture
def start_odoo_server(tmp_path):
    """Start a server of its own for one test, with extra command-line arguments (e.g.
    another log level); stopped when the test ends."""
    servers = []

    def start(*extra_args, workers=1):
        conf_path, db_name = read_test_conf()
        server = TestServer(conf_path, db_name, workers, tmp_path / "server.log", extra_args)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()
        server.assert_quiet_stderr()


@pytest.fixture(scope="session")
def odoo_rpc(odoo_server):
    return odoo_server.rpc()


@pytest.fixture(scope="session")
def database(odoo_server):
    """Open a real PostgreSQL connection to the test database (for what RPC cannot do,
    such as backdating a deal)."""
    options = configparser.ConfigParser()
    options.read(odoo_server.conf_path)
    conf = options["options"]
    params = {"dbname": odoo_server.db_name, "user": conf.get("db_user")}
    if conf.get("db_host", "False") != "False":
        params["host"] = conf["db_host"]
    if conf.get("db_port", "False") != "False":
        params["port"] = conf["db_port"]

    def connect():
        return psycopg2.connect(**params)

    return connect


@pytest.fixture(scope="session")
def round_the_clock_team(odoo_rpc):
    """A regulation team whose working hours are the whole week, in UTC.

    Rules count *working* minutes of the deal's team calendar, so a test that backdates
    a deal by a day only knows a rule is late if every minute of that day is working
    time. With the company calendar (weekdays 8-17), the same test is late on a
    Wednesday and on time on a Sunday night. Tests that age deals use this team.
    """
    attendances = [
        (
            0,
            0,
            {
                "name": f"Day {day}",
                "dayofweek": str(day),
                "hour_from": 0,
                "hour_to": 24,
                "day_period": "morning",
            },
        )
        for day in range(7)
    ]
    calendar_id = odoo_rpc.env["resource.calendar"].create(
        {"name": "Round the clock (e2e)", "tz": "UTC", "attendance_ids": attendances}
    )
    return odoo_rpc.env["crm.team"].create(
        {
            "name": "Round the clock (e2e)",
            "use_regulation": True,
            "resource_calendar_id": calendar_id,
        }
    )
