#!/usr/bin/env python3
"""PBX events per second on one Odoo worker, and SQL queries per event, journal on.

Builds (once, or again with --reset) a database with crm_telephony_sip, starts Odoo with
one HTTP worker, sends a generated day of calls (generic JSON, signed like Standard
Webhooks, one request per event) one after the other, and reads the SQL query count of
every request from the server's request log.

    scripts/bench/bench_telephony.py [--calls 300] [--db crm_telephony_bench] [--reset]
                                     [--health N]

Then, on the same server, ``--health`` requests (as many as events by default) to
Odoo's ``/web/health``: the anchor, what Odoo's HTTP stack costs for a request that
does nothing (the database found by listing them, as for any request without a
session), measured the same way in the same run.

Then the follow-up job, which the server's cron worker runs right after the requests
(this server has none): the deals of missed calls from unknown numbers and the to-dos
of the others, created together for every call due. Its queries and CPU are reported
apart and shared out over the events.

Targets (issue #20): the queries per event do not grow with the number of calls already
stored (the first and the last tenth of the run cost the same); an event costs at most
10 queries and 20 ms of CPU (Odoo worker + PostgreSQL backend).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xmlrpc.client
from pathlib import Path

os.environ["TZ"] = "UTC"
REPO = Path(__file__).resolve().parents[2]
SECRET = "whsec_YmVuY2gtc2VjcmV0"
REQUEST_LOG = re.compile(r'"POST /crm_telephony/\S+ HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)')
# (19.0 logs the model and method after the path: /xmlrpc/2/object#ir.cron.method…)
RPC_LOG = re.compile(
    r'"POST /xmlrpc/2/object(?:#\S*)? HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)'
)
HEALTH_LOG = re.compile(r'"GET /web/health HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)')

sys.path.insert(0, str(REPO / "scripts"))
from common import DATA_DIR, addons_path, bench_db, build_database  # noqa: E402
from crmreg_cli import replay  # noqa: E402
from crmreg_cli.odoo_server import OdooServer  # noqa: E402
from crmreg_cli.odoo_server import worker_pids as odoo_workers  # noqa: E402


def installed(db):
    query = "SELECT state FROM ir_module_module WHERE name = 'crm_telephony_sip'"
    result = subprocess.run(
        ["psql", "-X", "-tA", "-d", db, "-c", query],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0 and result.stdout.strip() == "installed"


def start_server(db, log_path):
    options = ["-d", db, f"--db-filter=^{db}$", f"--addons-path={addons_path()}"]
    server = OdooServer([*options, f"--data-dir={DATA_DIR}"], log_path, limit_time_real=600)
    try:
        return server.start()
    except RuntimeError as error:
        raise SystemExit(str(error)) from error


def rpc(url, db):
    """(execute_kw of admin, uid) on the server."""
    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, "admin", "admin", {})
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")
    return models.execute_kw, uid


def create_connection(url, db):
    execute_kw, uid = rpc(url, db)
    connection_id = execute_kw(
        db,
        uid,
        "admin",
        "crm.telephony.connection",
        "create",
        [{"name": f"bench {time.time():.0f}", "provider": "generic", "secret": SECRET}],
    )
    return execute_kw(
        db, uid, "admin", "crm.telephony.connection", "read", [[connection_id], ["key"]]
    )[0]["key"]


def calls_due(url, db):
    execute_kw, uid = rpc(url, db)
    return execute_kw(
        db, uid, "admin", "crm.telephony.call", "search_count", [[("followup", "!=", False)]]
    )


def run_followups(url, db):
    """Run the follow-up job once, as the cron worker would (one XML-RPC request)."""
    execute_kw, uid = rpc(url, db)
    cron_ids = execute_kw(
        db,
        uid,
        "admin",
        "ir.model.data",
        "search_read",
        [[("module", "=", "crm_telephony_sip"), ("name", "=", "ir_cron_telephony_followups")]],
        {"fields": ["res_id"]},
    )
    result = execute_kw(
        db, uid, "admin", "ir.cron", "method_direct_trigger", [[cron_ids[0]["res_id"]]]
    )
    if result is not True:  # Odoo 19.0 answers a failed job with an action, not a fault
        raise SystemExit(f"The follow-up job failed: {result}")


def cpu_seconds(pid):
    """User + system CPU seconds of a process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pg_backends(db):
    """The PostgreSQL backend processes connected to the database."""
    query = f"SELECT pid FROM pg_stat_activity WHERE datname = '{db}'"
    result = subprocess.run(
        ["psql", "-X", "-tA", "-d", "postgres", "-c", query],
        capture_output=True,
        text=True,
        check=False,
    )
    return [int(pid) for pid in result.stdout.split()]


class CpuMeter:
    """CPU seconds spent by the Odoo workers and the PostgreSQL backends of the bench
    database (on this machine) between ``start()`` and ``stop()``. Backends opened and
    closed within the run are missed, so the PostgreSQL figure is a lower bound."""

    def __init__(self, master_pid, db):
        self.master_pid, self.db = master_pid, db
        self.before = {}

    def sample(self):
        pids = [("odoo", pid) for pid in odoo_workers(self.master_pid)]
        pids += [("pg", pid) for pid in pg_backends(self.db)]
        return {key: cpu_seconds(key[1]) for key in pids}

    def start(self):
        self.before = self.sample()

    def stop(self):
        after = self.sample()
        spent = {"odoo": 0.0, "pg": 0.0}
        for key, seconds in after.items():
            spent[key[0]] += seconds - self.before.get(key, 0.0)
        return spent


def kind_of(line):
    event = json.loads(line)
    if event["status"] == "ringing":
        return "start"
    if event["direction"] == "inbound" and event["status"] != "answered":
        return "end, missed inbound (deal or activity)"
    return f"end, {event['direction']} {event['status'].replace('_', ' ')}"


def run(args):
    if args.reset or not installed(args.db):
        print(f"Building the database {args.db} (about a minute)...", flush=True)
        build_database(args.db, "crm_telephony_sip")
    log_path = REPO / ".local" / "logs" / "bench_telephony.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.unlink(missing_ok=True)
    server = start_server(args.db, log_path)
    process, url = server.process, server.url
    try:
        key = create_connection(url, args.db)
        lines = replay.generate("generic", args.calls, "2024-05-01", args.seed).splitlines()
        endpoint = f"{url}/crm_telephony/{key}/event"
        statuses = []
        meter = CpuMeter(process.pid, args.db)
        meter.start()
        started = time.monotonic()
        for line in lines:
            body = line.encode()
            headers = {"Content-Type": "application/json"}
            headers.update(replay.standard_webhooks_headers(SECRET, body))
            statuses.append(replay.send_one(endpoint, body, headers))
        elapsed = time.monotonic() - started
        cpu = meter.stop()
        due = calls_due(url, args.db)
        rpc_lines_before = len(RPC_LOG.findall(log_path.read_text()))
        meter.start()
        run_followups(url, args.db)
        job_cpu = meter.stop()
        remaining = calls_due(url, args.db)
        health_count = len(lines) if args.health is None else args.health
        meter.start()
        health_statuses = [get_health(url) for _i in range(health_count)]
        health_cpu = meter.stop()
    finally:
        server.stop()
    log_text = log_path.read_text()
    matches = list(REQUEST_LOG.finditer(log_text))
    counts = [int(m.group(2)) for m in matches]
    report(lines, statuses, counts, elapsed)
    report_cpu(len(lines), cpu, server_times(matches))
    job_queries = int(RPC_LOG.findall(log_text)[rpc_lines_before + 1][1])  # after its look-up
    report_followups(len(lines), cpu, due, remaining, job_queries, job_cpu)
    if health_count:
        health = list(HEALTH_LOG.finditer(log_text))
        print(
            f"\nanchor: {health_count} GET /web/health, answers "
            f"{ {s: health_statuses.count(s) for s in sorted(set(health_statuses), key=str)} }, "
            f"queries (median) {statistics.median([int(m.group(2)) for m in health] or [0])}"
        )
        report_cpu(health_count, health_cpu, server_times(health), what="request")
    return 0 if set(statuses) == {200} and len(counts) == len(lines) else 1


def get_health(url):
    try:
        with urllib.request.urlopen(f"{url}/web/health", timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        return f"error: {exc}"


def server_times(matches):
    """Milliseconds per request of Odoo's request log lines (SQL + Python, wall)."""
    return [1000 * (float(m.group(3)) + float(m.group(4))) for m in matches]


def report(lines, statuses, counts, elapsed):
    events = len(lines)
    print(f"\n{events} events ({events // 2} calls), journal on, one worker")
    print(f"  throughput: {events / elapsed:.1f} events/s ({1000 * elapsed / events:.1f} ms each)")
    print(f"  answers: { {s: statuses.count(s) for s in sorted(set(statuses), key=str)} }")
    if len(counts) != events:
        print(f"  query counts found for {len(counts)} of {events} requests")
        return
    by_kind = {}
    for line, count in zip(lines, counts, strict=True):
        by_kind.setdefault(kind_of(line), []).append(count)
    print("  SQL queries per event (min / median / max):")
    for kind, values in sorted(by_kind.items()):
        print(
            f"    {kind:<40} {min(values):>4} / {statistics.median(values):>5} / {max(values):>4}"
            f"   ({len(values)} events)"
        )
    tenth = max(events // 10, 1)
    first, last = counts[:tenth], counts[-tenth:]
    print(
        f"  first tenth: {statistics.mean(first):.1f} queries/event, "
        f"last tenth: {statistics.mean(last):.1f} queries/event"
    )


def report_followups(events, cpu, due, remaining, queries, job_cpu):
    job_ms = 1000 * (job_cpu["odoo"] + job_cpu["pg"])
    print(
        f"\nfollow-up job, one run: {due} calls due, {remaining} left after it, "
        f"{queries} queries, CPU {job_ms:.0f} ms "
        f"({job_ms / max(due - remaining, 1):.1f} ms per call followed up)"
    )
    total_ms = 1000 * (cpu["odoo"] + cpu["pg"]) + job_ms
    print(
        f"  CPU per event with its share of the job: {total_ms / events:.1f} ms; "
        f"queries per event with its share: "
        f"{queries / events:.1f} more than the request's own"
    )


def report_cpu(events, cpu, server_ms, what="event"):
    odoo_ms, pg_ms = 1000 * cpu["odoo"] / events, 1000 * cpu["pg"] / events
    print(
        f"  CPU per {what}: {odoo_ms + pg_ms:.1f} ms "
        f"(Odoo worker {odoo_ms:.1f} ms + PostgreSQL backends {pg_ms:.1f} ms)"
    )
    if server_ms:
        print(
            f"  server time per {what} (Odoo's request log, SQL + Python, wall): "
            f"median {statistics.median(server_ms):.1f} ms, "
            f"mean {statistics.mean(server_ms):.1f} ms"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--db", default=bench_db("crm_telephony_bench"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reset", action="store_true", help="rebuild the database")
    parser.add_argument(
        "--health", type=int, help="GET /web/health requests after the events (default: as many)"
    )
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
