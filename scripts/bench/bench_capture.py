#!/usr/bin/env python3
"""Benchmark of the lead capture endpoint against Odoo's own website_crm form.

Builds, in a private PostgreSQL cluster (``.local/bench_pg``, so that all of its CPU
time is the benchmark's), two databases: ``crm_reg_bench`` with crm_utm_capture and
crm_regulation (their glue installs itself) and ``crm_reg_bench_vanilla`` with Odoo's
website_crm only. Starts one Odoo server on each (``--workers``, a db filter as in
production) and runs, in alternating rounds, these scenarios from ``--clients``
client threads for ``--seconds`` each:

- ``health``: GET /web/health on the suite's server (Odoo's trivial request);
- ``website_crm``: POST /website/form/crm.lead on the vanilla server, a new contact
  each time (the anchor: what Odoo itself pays for a lead from a web form);
- ``new``: POST /crm/capture/<key>, a new contact each time (a new lead);
- ``dedupe``: the same contact every time (a touchpoint and a note on its open deal);
- ``concurrent``: bursts of ``--clients`` simultaneous inquiries of one new contact
  (a double-clicked "Send"); every answer must be JSON and each burst one deal.

For each it reports requests per second, CPU milliseconds per request of Odoo (the
server's processes) plus PostgreSQL (the private cluster's processes), and SQL queries
per request (from the query count Odoo writes in its access log), as medians over the
rounds. Throughput depends on the load of the machine; CPU per request and queries
much less.

    scripts/bench/bench_capture.py [--workers 2] [--clients 4] [--seconds 10] [--rounds 3]
                                   [--only new,dedupe] [--update]
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
from common import WITHOUT_DEMO, bench_db  # noqa: E402
from crmreg_cli.odoo_server import ODOO_BIN, OdooServer, free_port  # noqa: E402

STATE = REPO / ".local"
CLUSTER = STATE / "bench_pg"
SUITE_DB, VANILLA_DB = bench_db("crm_reg_bench"), bench_db("crm_reg_bench_vanilla")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ACCESS_LINE = re.compile(r'"(?:GET|POST) (\S+) [^"]*" (\d{3}) - (\d+) ')


def run(command, **kwargs):
    return subprocess.run(command, check=True, text=True, capture_output=True, **kwargs)


# ---------------------------------------------------------------- private PostgreSQL


class PrivateCluster:
    """A PostgreSQL cluster of the benchmark's own, on a Unix socket in CLUSTER."""

    def __init__(self, path):
        self.path = path
        self.data = path / "data"
        self.port = None
        pg_bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
        if not pg_bins:
            raise SystemExit("PostgreSQL server binaries (initdb) are not installed")
        self.bin = pg_bins[-1]

    def as_owner(self, *command):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return run([*prefix, *map(str, command)])

    def start(self):
        if not self.data.exists():
            self.path.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.path, "postgres")
            self.as_owner(self.bin / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres")
        self.port = free_port()
        self.as_owner(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.path / "server.log",
            "-w",
            "-o",
            f"-p {self.port} -k {self.path} -c listen_addresses=''",
            "start",
        )

    def stop(self):
        self.as_owner(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "stop")

    def psql(self, sql):
        """Run one statement as the cluster's owner; its output, stripped."""
        out = self.as_owner(
            "psql", "-h", self.path, "-p", self.port, "-d", "postgres", "-tAqc", sql
        )
        return out.stdout.strip()

    def postmaster_pid(self):
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def cpu_seconds(self):
        """CPU of the postmaster, its live children and the children it reaped."""
        postmaster = self.postmaster_pid()
        total = process_cpu(postmaster, with_reaped=True)
        for pid in children(postmaster):
            total += process_cpu(pid)
        return total


def process_stat(pid):
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def process_cpu(pid, with_reaped=False):
    """utime + stime (+ cutime + cstime) of a process, in seconds."""
    try:
        fields = process_stat(pid)
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if with_reaped:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


def children(parent):
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if int(process_stat(proc.name)[1]) == parent:
                pids.append(int(proc.name))
        except (OSError, IndexError, ValueError):
            continue
    return pids


# ---------------------------------------------------------------- Odoo servers


def odoo_conf(db_name, cluster):
    script = 'source scripts/lib/common.sh && write_odoo_conf "$0"'
    env = dict(os.environ, ODOO_DB_HOST=str(cluster.path), ODOO_DB_PORT=str(cluster.port))
    env["CRM_REG_STATE_DIR"] = str(STATE / "bench_state")
    env["ODOO_PYTHON"] = sys.executable  # the addons path of this Python's series
    out = run(["bash", "-c", script, db_name], cwd=REPO, env=env)
    return out.stdout.strip().splitlines()[-1]


def database_exists(cluster, db_name):
    found = cluster.psql(f"SELECT 1 FROM pg_database WHERE datname = '{db_name}'")
    return found == "1"


def ensure_role(cluster):
    """The role Odoo connects with (as scripts/lib/common.sh chooses it)."""
    me = run(["id", "-un"]).stdout.strip()
    role = os.environ.get("ODOO_DB_USER") or ("odoo" if me == "postgres" else me)
    cluster.psql(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
        f'CREATE ROLE "{role}" LOGIN CREATEDB; END IF; END $$;'
    )


def install(conf, modules, log, update=False):
    print(f"{'Updating' if update else 'Installing'} {modules}...", flush=True)
    command = [sys.executable, ODOO_BIN, "-c", conf, "-u" if update else "-i", modules]
    command += [WITHOUT_DEMO, "--stop-after-init", "--max-cron-threads=0"]
    subprocess.run([*command, f"--logfile={log}"], check=True)


class Server(OdooServer):
    """An Odoo server on a configuration file, with what the benchmark reads of it."""

    def __init__(self, conf, log, workers):
        super().__init__(["-c", conf], log, workers)
        try:
            self.start()
        except RuntimeError as error:
            raise SystemExit(str(error)) from error
        self.log = log

    def cpu_seconds(self):
        """CPU of every process of the server (master, workers, gevent) and of the
        children they reaped."""
        total = 0.0
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if int(process_stat(proc.name)[3]) == self.process.pid:  # process group
                    total += process_cpu(proc.name, with_reaped=True)
            except (OSError, IndexError, ValueError):
                continue
        return total

    def log_size(self):
        return self.log.stat().st_size

    def queries_since(self, offset, path_prefix):
        """Query counts of the access-log lines written since ``offset``."""
        with open(self.log, encoding="utf-8", errors="replace") as handle:
            handle.seek(offset)
            return [
                int(match.group(3))
                for line in handle
                if (match := ACCESS_LINE.search(line)) and match.group(1).startswith(path_prefix)
            ]


# ---------------------------------------------------------------- HTTP clients


def request(url, data=None, headers=None):
    req = urllib.request.Request(
        url, data=data, headers=headers or {}, method="POST" if data else "GET"
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def post_json(url, payload):
    return request(url, json.dumps(payload).encode(), {"Content-Type": "application/json"})


def post_website_form(url, fields):
    return request(
        url,
        urllib.parse.urlencode(fields).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )


def timed(seconds, clients, send):
    """Call ``send()`` from ``clients`` threads for ``seconds``; answers by status."""
    statuses, lock = {}, threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline:
            for status in send():
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1

    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(client) for _i in range(clients)]:
            future.result()
    return statuses


# ---------------------------------------------------------------- scenarios


def scenarios(suite, vanilla, key, clients):
    capture_url = f"{suite.url}/crm/capture/{key}"
    deal_email = f"bench-deal-{uuid.uuid4().hex}@example.com"
    post_json(capture_url, {"email": deal_email, "name": "Deal"})
    bursts = {"lost": 0, "not_json": 0, "deals_per_burst": []}

    def new_contact():
        return f"bench-{uuid.uuid4().hex}@example.com"

    def send_new():
        payload = {"email": new_contact(), "name": "Bench", "utm_source": "bench"}
        return [post_json(capture_url, payload)[0]]

    def send_dedupe():
        return [post_json(capture_url, {"email": deal_email, "name": "Bench again"})[0]]

    def send_website_crm():
        fields = {
            "contact_name": "Bench",
            "email_from": new_contact(),
            "name": "Website form",
            "description": "Please call me back",
        }
        return [post_website_form(f"{vanilla.url}/website/form/crm.lead", fields)[0]]

    def send_health():
        return [request(f"{suite.url}/web/health")[0]]

    burst_lock = threading.Lock()

    def send_burst():
        # only one client thread sends bursts; the others wait for it
        if not burst_lock.acquire(blocking=False):
            time.sleep(0.05)
            return []
        try:
            email = new_contact()
            barrier = threading.Barrier(clients)

            def one(_i):
                barrier.wait()
                return post_json(capture_url, {"email": email, "name": "Double click"})

            with ThreadPoolExecutor(max_workers=clients) as pool:
                answers = list(pool.map(one, range(clients)))
            bursts["not_json"] += sum(
                not content_type.startswith("application/json") for _s, content_type, _b in answers
            )
            bursts["lost"] += sum(status not in (201, 202) for status, _t, _b in answers)
            bursts["emails"] = bursts.get("emails", []) + [email]
            return [status for status, _t, _b in answers]
        finally:
            burst_lock.release()

    return {
        "health": (suite, "/web/health", send_health),
        "website_crm": (vanilla, "/website/form/crm.lead", send_website_crm),
        "new": (suite, "/crm/capture/", send_new),
        "dedupe": (suite, "/crm/capture/", send_dedupe),
        "concurrent": (suite, "/crm/capture/", send_burst),
    }, bursts


def measure(cluster, server, path, send, seconds, clients):
    offset = server.log_size()
    cpu_odoo, cpu_pg = server.cpu_seconds(), cluster.cpu_seconds()
    start = time.monotonic()
    statuses = timed(seconds, clients, send)
    wall = time.monotonic() - start
    time.sleep(0.5)  # the last access-log lines
    cpu = (server.cpu_seconds() - cpu_odoo) + (cluster.cpu_seconds() - cpu_pg)
    answered = sum(count for status, count in statuses.items() if status < 300)
    queries = server.queries_since(offset, path)
    return {
        "rate": answered / wall,
        "cpu_ms": 1000 * cpu / max(answered, 1),
        "queries": statistics.median(queries) if queries else None,
        "statuses": statuses,
    }


def prepare(args, cluster):
    logdir = STATE / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    ensure_role(cluster)
    confs = {}
    for db_name, modules in (
        (SUITE_DB, "crm_utm_capture,crm_regulation"),
        (VANILLA_DB, "website_crm"),
    ):
        confs[db_name] = odoo_conf(db_name, cluster)
        log = logdir / f"bench_capture_install_{db_name}.log"
        if not database_exists(cluster, db_name):
            install(confs[db_name], modules, log)
        elif args.update and db_name == SUITE_DB:
            install(confs[db_name], modules, log, update=True)
    suite = Server(confs[SUITE_DB], logdir / "bench_capture_suite.log", args.workers)
    vanilla = Server(confs[VANILLA_DB], logdir / "bench_capture_vanilla.log", args.workers)
    return suite, vanilla


def capture_site(suite):
    import odoorpc

    rpc = odoorpc.ODOO("127.0.0.1", port=suite.port, timeout=120)
    rpc.login(SUITE_DB, "admin", "admin")
    team = rpc.env.ref("sales_team.team_sales_department")
    team.use_regulation = True
    site_id = rpc.env["crm.capture.site"].create(
        {"name": f"Bench {uuid.uuid4().hex[:6]}", "rate_limit_window": 0, "team_id": team.id}
    )
    return rpc, rpc.env["crm.capture.site"].read([site_id], ["key"])[0]["key"]


def report(results, bursts, rpc, args):
    print(
        f"\n{args.workers} worker(s), {args.clients} clients, {args.rounds} rounds of "
        f"{args.seconds:g} s (medians)"
    )
    print(f"{'scenario':<12} {'req/s':>8} {'CPU ms/req':>11} {'queries/req':>12}")
    for name, rounds in results.items():
        rate = statistics.median(r["rate"] for r in rounds)
        cpu = statistics.median(r["cpu_ms"] for r in rounds)
        queries = [r["queries"] for r in rounds if r["queries"] is not None]
        query_text = f"{statistics.median(queries):g}" if queries else "-"
        print(f"{name:<12} {rate:>8.1f} {cpu:>11.1f} {query_text:>12}")
    emails = bursts.get("emails", [])
    deals = [rpc.env["crm.lead"].search_count([("email_from", "=", email)]) for email in emails]
    print(
        f"\nconcurrent: {len(emails)} bursts of {args.clients}: "
        f"{bursts['lost']} answers other than 201/202, {bursts['not_json']} not JSON, "
        f"deals per burst: {sorted(set(deals)) or '-'}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--only", help="comma-separated scenarios (health,website_crm,new,dedupe,concurrent)"
    )
    parser.add_argument(
        "--update", action="store_true", help="update the suite's addons in its database first"
    )
    args = parser.parse_args()

    cluster = PrivateCluster(CLUSTER)
    cluster.start()
    servers = []
    try:
        suite, vanilla = prepare(args, cluster)
        servers = [suite, vanilla]
        rpc, key = capture_site(suite)
        plan, bursts = scenarios(suite, vanilla, key, args.clients)
        names = args.only.split(",") if args.only else list(plan)
        for name in names:  # warm both servers' workers up
            server, path, send = plan[name]
            timed(1, args.clients, send)
        results = {name: [] for name in names}
        for round_number in range(1, args.rounds + 1):
            for name in names:
                server, path, send = plan[name]
                results[name].append(
                    measure(cluster, server, path, send, args.seconds, args.clients)
                )
            print(f"round {round_number}/{args.rounds} done", flush=True)
        report(results, bursts, rpc, args)
        print(f"\nlogs: {suite.log} {vanilla.log}")
    finally:
        for server in servers:
            server.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
