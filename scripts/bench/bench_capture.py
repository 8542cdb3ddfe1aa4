#!/usr/bin/env python3
"""Benchmark of the lead capture endpoint on one Odoo worker.

Starts Odoo with --workers=1 on a benchmark database (built with crm_utm_capture when
missing), creates a capture site, then for each scenario posts JSON inquiries from a few
client threads for a fixed time and reports:

- sustained captures per second (HTTP 201 answers / wall time);
- SQL queries per capture, read from the per-request query count Odoo appends to its
  access log lines (min / median / max after a warm-up): constant means max == min.

Scenarios: ``new`` (every inquiry a new lead) and ``dedupe`` (every inquiry matches the
same open deal and becomes a touchpoint on it).

    scripts/bench/bench_capture.py [--db crm_reg_bench] [--seconds 10] [--clients 2]
"""

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import odoorpc

REPO = Path(__file__).resolve().parents[2]
ODOO_MAIN = 'import os; os.environ["TZ"] = "UTC"; import odoo.cli; odoo.cli.main()'
WARMUP = 5


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_conf(db_name):
    script = (
        'source scripts/lib/common.sh && ensure_postgres && ensure_db_role && write_odoo_conf "$0"'
    )
    out = subprocess.run(
        ["bash", "-c", script, db_name], cwd=REPO, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def install(conf, log):
    print("Installing crm_utm_capture in the benchmark database (once)...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-c",
            ODOO_MAIN,
            "-c",
            conf,
            "-i",
            "crm_utm_capture",
            "--stop-after-init",
            "--max-cron-threads=0",
            f"--logfile={log}",
        ],
        check=True,
    )


def start_server(conf, log):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            ODOO_MAIN,
            "-c",
            conf,
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            f"--gevent-port={free_port()}",
            "--workers=1",
            "--max-cron-threads=0",
            f"--logfile={log}",
            "--log-level=info",
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(240):
        try:
            with urllib.request.urlopen(f"{url}/web/login", timeout=5):
                return process, port, url
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"Odoo did not start: see {log}")


def post(url, payload):
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run(url, make_payload, seconds, clients):
    for _i in range(WARMUP):
        post(url, make_payload())
    done, statuses, lock = [0], {}, threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline:
            status = post(url, make_payload())
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                done[0] += status == 201

    start = time.monotonic()
    threads = [threading.Thread(target=client) for _i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - start), statuses


def query_counts(log, key, skip):
    pattern = re.compile(rf'"POST /crm/capture/{re.escape(key)} [^"]*" 201 - (\d+) ')
    with open(log, encoding="utf-8", errors="replace") as handle:
        counts = [int(m.group(1)) for line in handle if (m := pattern.search(line))]
    return counts[skip:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("CRM_REG_BENCH_DB", "crm_reg_bench"))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--skip-install", action="store_true")
    args = parser.parse_args()

    conf = odoo_conf(args.db)
    logdir = Path(tempfile.mkdtemp(prefix="bench_capture_"))
    if not args.skip_install:
        install(conf, logdir / "install.log")
    log = logdir / "server.log"
    process, port, url = start_server(conf, log)
    try:
        rpc = odoorpc.ODOO("127.0.0.1", port=port, timeout=120)
        rpc.login(args.db, "admin", "admin")
        print(f"Odoo on {url}, one worker; server log: {log}")
        print(f"{'scenario':<10} {'captures/s':>10} {'queries/capture (min/median/max)':>34}")
        for scenario in ("new", "dedupe"):
            sites = rpc.env["crm.capture.site"]
            site_id = sites.create(
                {"name": f"Bench {scenario} {uuid.uuid4().hex[:6]}", "rate_limit_window": 0}
            )
            key = sites.read([site_id], ["key"])[0]["key"]
            capture_url = f"{url}/crm/capture/{key}"
            if scenario == "new":

                def payload():
                    return {
                        "email": f"bench-{uuid.uuid4().hex}@example.com",
                        "name": "Bench",
                        "utm_source": "bench",
                        "utm_medium": "cpc",
                    }
            else:
                email = f"bench-deal-{uuid.uuid4().hex}@example.com"
                post(capture_url, {"email": email, "name": "Deal"})

                def payload(email=email):
                    return {
                        "email": email,
                        "name": "Bench",
                        "utm_source": "bench",
                        "utm_medium": "cpc",
                    }

            rate, statuses = run(capture_url, payload, args.seconds, args.clients)
            counts = query_counts(log, key, WARMUP + (scenario == "dedupe"))
            spread = f"{min(counts)}/{statistics.median(counts):g}/{max(counts)}" if counts else "-"
            print(f"{scenario:<10} {rate:>10.1f} {spread:>34}   answers: {statuses}")
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
