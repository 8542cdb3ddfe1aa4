"""End-to-end harness: a real Odoo server process on the test database.

The session fixture ``odoo_server`` starts Odoo the way ``odoo-bin`` does, in
multi-worker (prefork) mode on 127.0.0.1 and free ports, waits until it answers and
stops it afterwards. ``odoo_rpc`` is an ``odoorpc`` client logged in as admin.

The database and addons path come from the Odoo configuration file that
``scripts/test`` writes and exports as ``CRM_REG_TEST_CONF``.
"""

import configparser
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import odoorpc
import psycopg2
import pytest

START_TIMEOUT = 120
ODOO_BIN = str(Path(__file__).resolve().parents[1] / "scripts" / "lib" / "odoo-bin")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


class OdooServer:
    """A running Odoo server process and where to reach it."""

    def __init__(self, conf_path, db_name, workers, log_path):
        self.conf_path = conf_path
        self.db_name = db_name
        self.workers = workers
        self.log_path = log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def command(self):
        return [
            sys.executable,
            ODOO_BIN,
            f"--config={self.conf_path}",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            f"--workers={self.workers}",
            "--max-cron-threads=0",
            f"--logfile={self.log_path}",
            "--log-level=info",
            "--limit-time-real=300",
        ]

    def start(self):
        self.process = subprocess.Popen(self.command(), start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Odoo exited with {self.process.returncode}: see {self.log_path}"
                )
            if self.answers():
                return
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"Odoo did not answer within {START_TIMEOUT} s: see {self.log_path}")

    def answers(self):
        try:
            with urllib.request.urlopen(f"{self.url}/web/login", timeout=5) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def rpc(self, login="admin", password="admin"):
        client = odoorpc.ODOO("127.0.0.1", port=self.port, timeout=120)
        client.login(self.db_name, login, password)
        return client


@pytest.fixture(scope="session")
def odoo_server(tmp_path_factory):
    conf_path, db_name = read_test_conf()
    log_path = tmp_path_factory.mktemp("odoo") / "server.log"
    workers = int(os.environ.get("CRM_REG_E2E_WORKERS", "2"))
    server = OdooServer(conf_path, db_name, workers, log_path)
    server.start()
    yield server
    server.stop()


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
