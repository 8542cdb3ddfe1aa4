"""Start and stop a real Odoo server process: the one way the end-to-end tests
(``tests/conftest.py``) and the benchmarks (``scripts/bench/``) do it.

``OdooServer(options, log_path)`` runs ``scripts/lib/odoo-bin`` with ``options`` (a
configuration file or ``-d``/``--addons-path``) on 127.0.0.1 and free ports, in
multi-worker (prefork) mode, without cron threads, logging to ``log_path`` (what still
reaches stderr goes to the same name with the suffix ``.stderr``). ``start()`` returns
once ``/web/login`` answers; ``stop()`` ends the whole process group.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ODOO_BIN = str(Path(__file__).resolve().parents[1] / "lib" / "odoo-bin")
START_TIMEOUT = 120


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_pids(master_pid):
    """The process ids of a prefork server's HTTP workers: the children of its master
    process, but its websocket (gevent) process."""
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            gevent = b"gevent" in (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if parent == master_pid and not gevent:
            pids.append(int(proc.name))
    return pids


class OdooServer:
    """A running Odoo server process and where to reach it."""

    def __init__(self, options, log_path, workers=1, extra_args=(), limit_time_real=300):
        self.options = list(options)
        self.log_path = Path(log_path)
        self.stderr_path = self.log_path.with_suffix(".stderr")
        self.workers = workers
        self.extra_args = list(extra_args)
        self.limit_time_real = limit_time_real
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def command(self):
        return [
            sys.executable,
            ODOO_BIN,
            *self.options,
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            f"--workers={self.workers}",
            "--max-cron-threads=0",
            f"--logfile={self.log_path}",
            "--log-level=info",
            f"--limit-time-real={self.limit_time_real}",
            *self.extra_args,
        ]

    def start(self):
        # Odoo logs to its logfile; what still reaches stderr is a process dying before
        # logging starts (as the gevent process once did at every start). Kept apart so
        # that a test can fail on it instead of it scrolling by.
        with open(self.stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(
                self.command(),
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env=self.environment(),
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Odoo exited with {self.process.returncode}: see {self.log_path}"
                )
            if self.answers():
                return self
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
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def worker_pids(self):
        return worker_pids(self.process.pid)

    @staticmethod
    def environment():
        # gevent imports pkg_resources before Odoo installs its own filter for this
        # deprecation notice (odoo/netsvc.py): the same filter, set earlier.
        env = dict(os.environ)
        ignore = "ignore:pkg_resources is deprecated as an API:UserWarning"
        env["PYTHONWARNINGS"] = ",".join(filter(None, [env.get("PYTHONWARNINGS"), ignore]))
        return env
