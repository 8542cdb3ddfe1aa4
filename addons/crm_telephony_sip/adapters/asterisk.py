"""Asterisk / FreePBX CDR rows.

The body is CSV in the ``cdr_csv`` column order (``Master.csv``, with ``loguniqueid``
and ``loguserfield``)::

    accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata,
    start, answer, end, duration, billsec, disposition, amaflags, uniqueid, userfield

optionally followed by ``linkedid`` and ``recordingfile`` (a ``cdr_custom`` mapping
with the same leading columns), or JSON: the same fields as objects (FreePBX's ``cdr``
table rows, with ``calldate``, ``did``, ``linkedid``, ``recordingfile``), one, a list,
or ``{"rows": [...]}``. Rows of one call are grouped by ``linkedid`` (else
``uniqueid``). FreePBX keeps a recording in its date folder ``YYYY/MM/DD/<file>``.

Nothing in a CDR proves who sent it: the shipper signs the body like the generic
adapter (Standard Webhooks) when the connection has a secret.
"""

import csv
import io
import json
import re

import pytz

from .common import BadRequest, clean_event, parse_datetime, to_int
from .generic import GenericAdapter

CSV_COLUMNS = (
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
    "uniqueid",
    "userfield",
    "linkedid",
    "recordingfile",
)
MIN_CSV_COLUMNS = 16
DISPOSITIONS = {
    "ANSWERED": "answered",
    "BUSY": "busy",
    "NO ANSWER": "no_answer",
    "FAILED": "failed",
    "CONGESTION": "failed",
}
CHANNEL_EXTENSION = re.compile(r"^[A-Za-z0-9]+/(\d{2,6})(?:[-@].*)?$")


def is_extension(number):
    digits = re.sub(r"\D", "", number or "")
    return bool(digits) and len(digits) <= 6


def channel_extension(channel):
    match = CHANNEL_EXTENSION.match(channel or "")
    return match.group(1) if match else None


class CdrRowsMixin:
    """Turn Asterisk-like CDR rows (dicts) into one event per call."""

    group_keys = ("linkedid", "uniqueid")

    def _rows_to_events(self, connection, rows):
        groups = {}
        for row in rows:
            if not isinstance(row, dict):
                raise BadRequest("Each CDR row must be an object.")
            key = next((str(row[name]) for name in self.group_keys if row.get(name)), None)
            if not key:
                raise BadRequest("A CDR row has no call id (linkedid or uniqueid).")
            groups.setdefault(key, []).append(row)
        return [clean_event(self._combine(connection, key, rows)) for key, rows in groups.items()]

    def _combine(self, connection, key, rows):
        tz_name = connection.tz
        answered_rows = [r for r in rows if (r.get("disposition") or "").upper() == "ANSWERED"]
        best = answered_rows[0] if answered_rows else rows[-1]
        starts = [parse_datetime(r.get("start") or r.get("calldate"), tz_name) for r in rows]
        answers = [parse_datetime(r.get("answer"), tz_name) for r in rows]
        ends = [parse_datetime(r.get("end"), tz_name) for r in rows]
        started = min(filter(None, starts), default=None)
        values = {
            "provider_call_id": key,
            "started_at": started,
            "answered_at": min(filter(None, answers), default=None) if answered_rows else None,
            "ended_at": max(filter(None, ends), default=None),
            "duration": max(to_int(r.get("duration"), "duration") or 0 for r in rows),
            "talk_time": max(to_int(r.get("billsec"), "billsec") or 0 for r in answered_rows)
            if answered_rows
            else 0,
            "status": DISPOSITIONS.get((best.get("disposition") or "").upper(), "failed"),
            "hangup_cause": best.get("disposition"),
        }
        values.update(self._parties(rows[0], best))
        values.update(self._recording(connection, rows, started))
        return values

    def _direction(self, first):
        src, dst = first.get("src") or "", first.get("dst") or ""
        if is_extension(src) and not is_extension(dst):
            return "outbound"
        if src and not is_extension(src):
            return "inbound"
        return "internal"

    def _parties(self, first, best):
        direction = self._direction(first)
        src, dst = first.get("src"), first.get("dst")
        if direction == "outbound":
            return {
                "direction": direction,
                "client_number": dst,
                "extension": src,
                "our_number": first.get("outbound_cnum") or None,
            }
        if direction == "inbound":
            extension = channel_extension(best.get("dstchannel")) or (
                best.get("dst") if is_extension(best.get("dst")) else None
            )
            return {
                "direction": direction,
                "client_number": src,
                "extension": extension,
                "our_number": first.get("did") or (None if is_extension(dst) else dst),
            }
        return {"direction": direction, "extension": src}

    def _recording(self, connection, rows, started):
        filename = next((r["recordingfile"] for r in rows if r.get("recordingfile")), None)
        if not filename:
            return {}
        local = started and self._local(started, connection.tz)
        folder = local.strftime("%Y/%m/%d/") if local else ""
        reference = filename if "/" in filename else folder + filename
        base = (connection.recording_base_url or "").rstrip("/")
        if base:
            return {"recording_url": f"{base}/{reference}"}
        return {"recording_ref": reference}

    @staticmethod
    def _local(moment, tz_name):
        return pytz.utc.localize(moment).astimezone(pytz.timezone(tz_name or "UTC"))


class AsteriskAdapter(CdrRowsMixin, GenericAdapter):
    provider = "asterisk"

    def parse(self, connection, payload, received_at=None):
        text = payload.strip()
        if not text:
            raise BadRequest("The body is empty.")
        if text[0] in "[{":
            try:
                body = json.loads(text)
            except ValueError as exc:
                raise BadRequest("The body is not valid JSON.") from exc
            if isinstance(body, dict):
                body = body.get("rows", [body])
            if not isinstance(body, list) or not body:
                raise BadRequest("Expected CDR rows.")
            return self._rows_to_events(connection, body)
        return self._rows_to_events(connection, self._csv_rows(text))

    @staticmethod
    def _csv_rows(text):
        rows = []
        for values in csv.reader(io.StringIO(text)):
            if not values:
                continue
            if len(values) < MIN_CSV_COLUMNS or len(values) > len(CSV_COLUMNS):
                raise BadRequest(
                    f"A CDR row has {len(values)} columns; the cdr_csv order has "
                    f"{MIN_CSV_COLUMNS} to {len(CSV_COLUMNS)}."
                )
            rows.append(dict(zip(CSV_COLUMNS, values, strict=False)))
        if not rows:
            raise BadRequest("Expected CDR rows.")
        return rows
