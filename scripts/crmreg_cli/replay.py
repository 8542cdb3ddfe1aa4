"""Replay a recorded day of PBX calls to an Odoo server running crm_telephony_sip.

    scripts/replay_calls generate PROVIDER [--calls 300] [--date 2024-05-01] [--seed 1] > day.txt
    scripts/replay_calls send PROVIDER day.txt --url http://127.0.0.1:8069 --key=KEY
        [--secret S] [--api-key K] [--rate 20] [--concurrency 1]

A day file is in the provider's own format, as the provider sends it:

  generic      JSON Lines: one call event of the generic schema per line
  onlinepbx    JSON Lines: one OnlinePBX webhook body per line
  zadarma      JSON Lines: one Zadarma notification (its form fields) per line
  mango        JSON Lines: {"event": "call|summary|recording", "json": {...}} per line
  asterisk     Master.csv: cdr_csv rows (with uniqueid, userfield, linkedid, recordingfile)
  grandstream  one cdrapi document {"cdr_root": [...]}

Write ``--key=KEY`` (a key may start with '-').
Generated days give local times in UTC: set the connection's time zone to UTC.

`send` signs each request the provider's way (Standard Webhooks for generic, asterisk
and grandstream when --secret is given; Zadarma's Signature; Mango's sign with
--api-key and --secret as the salt) and prints how many requests got which answer
and the rate achieved. Only the standard library is needed; the signatures come from the
addon's own ``adapters/signing.py``.
"""

import argparse
import importlib.util
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

from .replay_days import PROVIDERS, generate

__all__ = ["PROVIDERS", "generate", "main", "send_one", "standard_webhooks_headers"]

CDR_BATCH = 20
SIGNING = Path(__file__).resolve().parents[2] / "addons/crm_telephony_sip/adapters/signing.py"


def _load_signing():
    """The adapters' signing module (standard library only), without importing Odoo."""
    spec = importlib.util.spec_from_file_location("crm_telephony_sip_signing", SIGNING)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


signing = _load_signing()


def standard_webhooks_headers(secret, body):
    msg_id = f"msg_{uuid.uuid4().hex}"
    timestamp = str(int(time.time()))
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": signing.standard_webhooks_signature(secret, msg_id, timestamp, body),
    }


def requests_for(provider, text, args):
    """Yield (path suffix, body bytes, headers) for each request of the day file."""
    if provider == "asterisk":
        lines = [line for line in text.splitlines() if line.strip()]
        for start in range(0, len(lines), CDR_BATCH):
            body = ("\n".join(lines[start : start + CDR_BATCH]) + "\n").encode()
            yield "/event", body, {"Content-Type": "text/csv"}
        return
    if provider == "grandstream":
        items = json.loads(text)["cdr_root"]
        for start in range(0, len(items), CDR_BATCH):
            body = json.dumps({"cdr_root": items[start : start + CDR_BATCH]}).encode()
            yield "/event", body, {"Content-Type": "application/json"}
        return
    for line in text.splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        if provider == "zadarma":
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            if args.secret:
                headers["Signature"] = signing.zadarma_signature(args.secret, record)
            yield "/event", urllib.parse.urlencode(record).encode(), headers
        elif provider == "mango":
            json_text = json.dumps(record["json"])
            sign = signing.mango_sign(args.api_key, json_text, args.secret)
            form = {"vpbx_api_key": args.api_key, "sign": sign, "json": json_text}
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            yield f"/events/{record['event']}", urllib.parse.urlencode(form).encode(), headers
        else:
            yield "/event", line.encode(), {"Content-Type": "application/json"}


def send_one(url, body, headers, timeout=60):
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        return f"error: {exc}"


def send(args):
    with open(args.file, encoding="utf-8") as handle:
        text = handle.read()
    base = f"{args.url.rstrip('/')}/crm_telephony/{args.key}"
    signed = args.provider in ("generic", "asterisk", "grandstream") and args.secret
    pending = list(requests_for(args.provider, text, args))
    statuses = Counter()
    lock = threading.Lock()
    interval = 1.0 / args.rate if args.rate else 0.0
    started = time.monotonic()

    def worker(index):
        for position in range(index, len(pending), args.concurrency):
            suffix, body, headers = pending[position]
            if signed:
                headers = dict(headers, **standard_webhooks_headers(args.secret, body))
            if interval:
                delay = started + position * interval - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            status = send_one(base + suffix, body, headers)
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    print(f"{len(pending)} requests in {elapsed:.1f} s ({len(pending) / elapsed:.1f}/s)")
    for status, count in sorted(statuses.items(), key=lambda item: str(item[0])):
        print(f"  {status}: {count}")
    return 0 if set(statuses) <= {200, 202} else 1


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write a synthetic day of calls to stdout")
    gen.add_argument("provider", choices=PROVIDERS)
    gen.add_argument("--calls", type=int, default=300)
    gen.add_argument("--date", default="2024-05-01")
    gen.add_argument("--seed", type=int, default=1)
    snd = sub.add_parser("send", help="send a day file to an Odoo server")
    snd.add_argument("provider", choices=PROVIDERS)
    snd.add_argument("file")
    snd.add_argument("--url", default="http://127.0.0.1:8069")
    snd.add_argument("--key", required=True, help="the PBX connection key (write --key=KEY)")
    snd.add_argument("--secret", default="", help="signing secret (Mango: the salt)")
    snd.add_argument("--api-key", default="", help="Mango: vpbx_api_key")
    snd.add_argument("--rate", type=float, default=0, help="requests per second (0: no pause)")
    snd.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args(argv)
    if args.command == "generate":
        sys.stdout.write(generate(args.provider, args.calls, args.date, args.seed))
        return 0
    return send(args)
