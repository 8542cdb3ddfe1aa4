"""Asterisk / FreePBX CDR rows.

CSV bodies are ``Master.csv`` lines of Asterisk's ``cdr_csv`` backend. Its column
order is ``build_csv_record()`` in ``cdr/cdr_csv.c`` (asterisk/asterisk), driven by the
``[csv]`` section of ``cdr.conf``::

    accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata,
    start, answer, end, duration, billsec, disposition, amaflags
    [, uniqueid]         loguniqueid=yes
    [, userfield]        loguserfield=yes
    [, peeraccount, linkedid, sequence]    newcdrcolumns=yes

so the stock layouts are 16 columns (the code defaults: all three options off), 18
(``cdr.conf.sample``: loguniqueid and loguserfield on) and 21 (the sample plus
``newcdrcolumns=yes``); 17, 19 and 20 are recognised the same way (the last column of
``newcdrcolumns`` is the integer ``sequence``). Times are the PBX's local time unless
``usegmtime=yes`` (the sample turns it on, the code default is off): the connection's
"PBX writes UTC" setting says which. Also accepted: a ``cdr_custom`` file whose first
line names the columns, the older ``uniqueid, userfield, linkedid, recordingfile``
mapping, and JSON objects — FreePBX's ``cdr`` table rows (``calldate``, ``cnum``,
``did``, ``linkedid``, ``recordingfile``; no answer or end column), one, a list, or
``{"rows": [...]}``.

Rows of one call are grouped by ``linkedid`` (else ``uniqueid``, else the calling
channel, number and day), and a ``Local/...;2`` leg joins the row that dialled its
``;1`` half, so a queue or ring group through Local channels (FreePBX) stays one call
even without ``linkedid``. An inbound call is credited to the last device leg that
answered (for a blind transfer, the agent who took it over), with that leg's answer
time and the talk time of the agent legs, never to the queue or ring group number;
rows answered only by the PBX itself (IVR, queue, voicemail) make a missed call, one
for the whole group. FreePBX keeps a recording in its date folder
``YYYY/MM/DD/<file>``.

Nothing in a CDR proves who sent it: the shipper signs the body like the generic
adapter (Standard Webhooks) when the connection has a secret.
"""

import csv
import hashlib
import io
import json
import re
from datetime import timedelta

import pytz

from .common import BadRequest, clean_event, parse_datetime, to_int
from .generic import GenericAdapter

BASE_COLUMNS = (
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
)
NEW_COLUMNS = ("peeraccount", "linkedid", "sequence")
LEGACY_CUSTOM_COLUMNS = ("uniqueid", "userfield", "linkedid", "recordingfile")
MAX_CSV_COLUMNS = len(BASE_COLUMNS) + 5
DISPOSITIONS = {
    "ANSWERED": "answered",
    "BUSY": "busy",
    "NO ANSWER": "no_answer",
    "FAILED": "failed",
    "CONGESTION": "failed",
}
CHANNEL_EXTENSION = re.compile(r"^[A-Za-z0-9]+/(\d{2,6})(?:[-@;].*)?$")
LOCAL_CHANNEL = re.compile(r"^Local/(.+);([12])$", re.IGNORECASE)
UNIQUEID = re.compile(r"^\d+\.\d+$")
CLID_NUMBER = re.compile(r"<([^<>]{1,64})>\s*$")
MIN_DID_DIGITS = 7


def is_extension(number):
    digits = re.sub(r"\D", "", number or "")
    return bool(digits) and len(digits) <= 6 and digits == str(number).strip()


def channel_extension(channel):
    match = CHANNEL_EXTENSION.match(channel or "")
    return match.group(1) if match else None


def is_local(channel):
    return bool(LOCAL_CHANNEL.match(channel or ""))


def csv_columns(values):
    """The column names of a ``cdr_csv`` line, from its column count (see the
    module docstring), or None when no layout has that many."""
    count = len(values)
    extra = count - len(BASE_COLUMNS)
    if extra < 0 or count > MAX_CSV_COLUMNS:
        return None
    tail = values[len(BASE_COLUMNS) :]
    new = extra >= len(NEW_COLUMNS) and tail[-1].strip().isdigit()
    middle = extra - len(NEW_COLUMNS) if new else extra
    if middle == 2:
        optional = ("uniqueid", "userfield")
    elif middle == 1:
        optional = ("uniqueid",) if UNIQUEID.match(tail[0]) else ("userfield",)
    elif middle == 0:
        optional = ()
    elif not new and middle <= len(LEGACY_CUSTOM_COLUMNS):
        optional = LEGACY_CUSTOM_COLUMNS[:middle]
    else:
        return None
    return BASE_COLUMNS + optional + (NEW_COLUMNS if new else ())


class CdrRowsMixin:
    """Turn Asterisk-like CDR rows (dicts) into one event per call."""

    group_keys = ("linkedid", "uniqueid")

    def _rows_to_events(self, connection, rows):
        for row in rows:
            if not isinstance(row, dict):
                raise BadRequest("Each CDR row must be an object.")
        tz_name = self._cdr_tz(connection)
        rows = [self._with_times(row, tz_name) for row in rows]
        return [
            clean_event(self._combine(connection, key, group))
            for key, group in self._group(rows).items()
        ]

    @staticmethod
    def _cdr_tz(connection):
        return "UTC" if connection.cdr_usegmtime else connection.tz

    # -- rows ------------------------------------------------------------

    @staticmethod
    def _with_times(row, tz_name):
        """The row with ``_start``, ``_answer``, ``_end`` (naive UTC); FreePBX's ``cdr``
        table has only ``calldate``, the answer and end come from the durations."""
        row = dict(row)
        start = parse_datetime(row.get("start") or row.get("calldate"), tz_name)
        answer = parse_datetime(row.get("answer"), tz_name)
        end = parse_datetime(row.get("end"), tz_name)
        duration = to_int(row.get("duration"), "duration") or 0
        billsec = to_int(row.get("billsec"), "billsec") or 0
        answered = (row.get("disposition") or "").upper() == "ANSWERED"
        if start and not end and "end" not in row:
            end = start + timedelta(seconds=duration)
        if end and not answer and answered and billsec and "answer" not in row:
            answer = end - timedelta(seconds=billsec)
        row.update(_start=start, _answer=answer, _end=end, _billsec=billsec, _answered=answered)
        return row

    def _row_key(self, row):
        key = next((str(row[name]) for name in self.group_keys if row.get(name)), None)
        if key:
            return key
        # cdr_csv without loguniqueid: the calling channel, number and day are stable
        seed = [row.get("channel"), row.get("src"), row["_start"] and row["_start"].date()]
        if not (row.get("channel") or row.get("src")) or not row["_start"]:
            raise BadRequest("A CDR row has no call id (linkedid or uniqueid) nor channel.")
        return "cdr-" + hashlib.sha1("|".join(map(str, seed)).encode()).hexdigest()[:20]

    def _group(self, rows):
        """{call id: rows}: rows with one key, joined through Local channel halves."""
        keys = [self._row_key(row) for row in rows]
        parent = {key: key for key in keys}

        def root(key):
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        dialled = {}
        for key, row in zip(keys, rows, strict=True):
            match = LOCAL_CHANNEL.match(row.get("dstchannel") or "")
            if match and match.group(2) == "1":
                dialled.setdefault(match.group(1).lower(), key)
        for key, row in zip(keys, rows, strict=True):
            match = LOCAL_CHANNEL.match(row.get("channel") or "")
            caller = match and dialled.get(match.group(1).lower())
            if caller and root(caller) != root(key):
                parent[root(key)] = root(caller)
        groups = {}
        for key, row in zip(keys, rows, strict=True):
            groups.setdefault(root(key), []).append(row)
        return groups

    # -- one call --------------------------------------------------------

    @staticmethod
    def _order(row):
        return (row["_start"] or row["_end"] or row["_answer"], to_int(row.get("sequence")) or 0)

    def _combine(self, connection, key, rows):
        rows = sorted(rows, key=lambda r: (self._order(r)[0] is None, self._order(r)))
        first = next((r for r in rows if not is_local(r.get("channel"))), rows[0])
        direction = self._direction(first)
        agents = self._agent_rows(rows) if direction == "inbound" else []
        answered = [r for r in rows if r["_answered"]]
        if direction == "inbound":
            is_answered = bool(agents)
            talk = sum(r["_billsec"] for r in agents)
            answered_at = min((r["_answer"] for r in agents if r["_answer"]), default=None)
        else:
            is_answered = bool(answered)
            talk = max((r["_billsec"] for r in answered), default=0)
            answered_at = min((r["_answer"] for r in answered if r["_answer"]), default=None)
        started = min((r["_start"] for r in rows if r["_start"]), default=None)
        ended = max((r["_end"] for r in rows if r["_end"]), default=None)
        last = rows[-1]
        if is_answered:
            status = "answered"
        elif (last.get("disposition") or "").upper() == "ANSWERED":
            status = "no_answer"  # answered by the PBX only (IVR, queue, voicemail)
        else:
            status = DISPOSITIONS.get((last.get("disposition") or "").upper(), "failed")
        durations = [to_int(r.get("duration"), "duration") or 0 for r in rows]
        values = {
            "provider_call_id": key,
            "final": True,
            "direction": direction,
            "started_at": started,
            "answered_at": answered_at if is_answered else None,
            "ended_at": ended,
            "duration": int((ended - started).total_seconds())
            if started and ended
            else max(durations, default=0),
            "talk_time": talk if is_answered else 0,
            "status": status,
            "hangup_cause": last.get("disposition"),
        }
        values.update(self._parties(direction, first, rows, agents))
        values.update(self._recording(connection, agents or answered or rows, started))
        return values

    @staticmethod
    def _number(row):
        """The calling number: ``src``, else FreePBX's ``cnum``, else the caller id."""
        number = row.get("src") or row.get("cnum")
        if not number:
            match = CLID_NUMBER.search(row.get("clid") or "")
            number = match.group(1) if match else None
        return number

    def _direction(self, first):
        src, dst = self._number(first) or "", first.get("dst") or ""
        if is_extension(src) and not is_extension(dst) and dst.lower() != "s":
            return "outbound"
        if src and not is_extension(src):
            return "inbound"
        if not src:
            return "inbound"  # no caller id: an outside caller who hid it
        return "internal"

    def _row_agent(self, row):
        """The extension of the agent a row connected to, or None."""
        return channel_extension(row.get("dstchannel"))

    def _agent_rows(self, rows):
        """Answered rows that reached an agent's device (a Local channel half only
        when the batch has no device leg), by answer time."""
        answered = [r for r in rows if r["_answered"] and self._row_agent(r)]
        devices = [r for r in answered if not is_local(r.get("dstchannel"))]
        return sorted(devices or answered, key=lambda r: r["_answer"] or r["_start"])

    @staticmethod
    def _our_number(row):
        number = row.get("did") or row.get("dst") or ""
        digits = re.sub(r"\D", "", number)
        return number if len(digits) >= MIN_DID_DIGITS and digits == number.lstrip("+") else None

    def _parties(self, direction, first, rows, agents):
        number = self._number(first)
        if direction == "outbound":
            return {
                "client_number": first.get("dst"),
                "extension": channel_extension(first.get("channel")) or number,
                "agent_extension": channel_extension(first.get("channel")) or number,
                "our_number": first.get("outbound_cnum") or None,
            }
        if direction == "inbound":
            rung = next(
                (self._row_agent(r) for r in rows if self._row_agent(r)),
                first.get("dst") if is_extension(first.get("dst")) else None,
            )
            return {
                "client_number": number,
                "extension": rung,
                "agent_extension": self._row_agent(agents[-1]) if agents else None,
                "our_number": self._our_number(first),
            }
        return {"extension": number, "agent_extension": number}

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
        lines = [values for values in csv.reader(io.StringIO(text)) if values]
        if not lines:
            raise BadRequest("Expected CDR rows.")
        header = [name.strip().lower() for name in lines[0]]
        if {"src", "dst"} <= set(header) and ({"start", "calldate"} & set(header)):
            # cdr_custom with a header line naming its columns
            return [dict(zip(header, values, strict=False)) for values in lines[1:]]
        rows = []
        for values in lines:
            columns = csv_columns(values)
            if not columns:
                raise BadRequest(
                    f"A CDR row has {len(values)} columns; the cdr_csv layouts have "
                    f"{len(BASE_COLUMNS)} to {MAX_CSV_COLUMNS}."
                )
            rows.append(dict(zip(columns, values, strict=True)))
        return rows
