"""Grandstream UCM CDR: the JSON of its CDR API (``cdrapi``).

Sources: Grandstream "UCM6xxx / UCM63xx HTTPS API Guide" (CDR API section: the
``challenge`` / ``login`` / ``cdrapi`` actions posted to ``https://<UCM>:8089/api``,
``startTime``/``endTime`` as ``YYYY-MM-DDTHH:MM[:SS][±hh:mm]``, ``timeFilterType``,
``numRecords``/``offset``, status ``0`` = success, ``-6`` = cookie expired) and the
CDR rows a UCM writes (Asterisk fields plus ``session``, ``channel_ext``,
``dstchannel_ext``, ``dstanswer``, ``action_type`` such as ``QUEUE[6500]``,
``RINGGROUP[6400]`` or ``IVR[7000]``, ``userfield`` ``Inbound``/``Outbound``/
``Internal``, ``recordfiles``).

Accepted bodies: ``{"cdr_root": [...]}`` (CDR API, format json), the same inside
``{"response": {...}}``, and the legacy ``{"cdr": [...]}``; an item is a row or
``{"main_cdr": row, "sub_cdr_1": row, ...}``. Rows of one call are grouped by
``session`` (else ``uniqueid``). A queue, ring group or IVR call is credited to the
agent leg that answered (a ``sub_cdr`` whose ``dstchannel_ext`` is a device, not the
queue number named in ``action_type``), with that leg's answer and talk time, so the
queue wait is not talk time.

The UCM does not push this JSON: ``UcmClient`` pulls it (see
``crm.telephony.connection._grandstream_poll``). Pushed bodies (from a shipper of
one's own) are signed like the generic adapter when the connection has a secret.
"""

import hashlib
import json
import re

import requests

from .asterisk import CdrRowsMixin, is_extension, is_local
from .common import BadRequest, TelephonyError
from .generic import GenericAdapter

USERFIELD_DIRECTIONS = {"inbound": "inbound", "outbound": "outbound", "internal": "internal"}
ACTION_TARGET = re.compile(r"\[(\d+)\]")
TIMEOUT = 20
STATUS_COOKIE_EXPIRED = -6


def cdr_items(body):
    """The ``cdr_root`` items of a CDR API answer, whatever its envelope."""
    if isinstance(body, dict) and isinstance(body.get("response"), dict):
        body = body["response"]
    if not isinstance(body, dict):
        return None
    items = body.get("cdr_root", body.get("cdr"))
    return items if isinstance(items, list) else None


def item_rows(item):
    """The rows of one ``cdr_root`` item: the main CDR then its sub CDRs."""
    if not isinstance(item, dict):
        raise BadRequest("Each cdr_root item must be an object.")
    if "main_cdr" not in item:
        return [item]
    subs = sorted(
        (key for key in item if key.startswith("sub_cdr")),
        key=lambda key: int(re.sub(r"\D", "", key) or 0),
    )
    main = dict(item["main_cdr"], _main=bool(subs))
    return [main] + [item[key] for key in subs if isinstance(item[key], dict)]


class GrandstreamAdapter(CdrRowsMixin, GenericAdapter):
    provider = "grandstream"
    group_keys = ("session", "uniqueid")

    def parse(self, connection, payload, received_at=None):
        try:
            body = json.loads(payload)
        except ValueError as exc:
            raise BadRequest("The body is not valid JSON.") from exc
        items = cdr_items(body)
        if not items:
            raise BadRequest('Expected {"cdr_root": [...]}.')
        rows = [row for item in items for row in item_rows(item)]
        rows = [self._normalize(row) for row in rows if isinstance(row, dict)]
        return self._rows_to_events(connection, rows)

    @staticmethod
    def _cdr_tz(connection):
        return connection.tz

    @staticmethod
    def _normalize(row):
        row = dict(row)
        files = [f for f in (row.get("recordfiles") or "").replace(",", "@").split("@") if f]
        if files:
            row["recordingfile"] = files[0]
        return row

    def _direction(self, first):
        direction = USERFIELD_DIRECTIONS.get((first.get("userfield") or "").lower())
        return direction or super()._direction(first)

    def _row_agent(self, row):
        """The agent extension a row reached: its ``dstchannel_ext`` when that is a
        device — not the queue, ring group or IVR the row is an ``action_type`` of,
        and not the main CDR that sums up sub CDRs."""
        extension = row.get("dstchannel_ext")
        if not is_extension(extension) or row.get("_main"):
            return None
        if extension in ACTION_TARGET.findall(row.get("action_type") or ""):
            return None
        dstchannel = row.get("dstchannel")
        if dstchannel is not None and (not dstchannel or is_local(dstchannel)):
            return None
        return extension


class UcmError(TelephonyError):
    """The UCM refused a request or could not be reached."""


class UcmClient:
    """The UCM HTTPS API: challenge, login with md5(challenge + password), then
    ``cdrapi`` with the session cookie."""

    def __init__(self, url, user, password, verify=True, timeout=TIMEOUT):
        self.url = url.rstrip("/") + "/api"
        self.user = user
        self.password = password
        self.verify = verify
        self.timeout = timeout
        self.cookie = None

    def _post(self, request):
        try:
            response = requests.post(
                self.url, json={"request": request}, timeout=self.timeout, verify=self.verify
            )
            response.raise_for_status()
            body = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise UcmError(f"The UCM could not be reached: {exc}") from exc
        if not isinstance(body, dict):
            raise UcmError("The UCM answered something else than a JSON object.")
        return body

    def _ok(self, body, action):
        status = body.get("status", 0)
        if status not in (0, "0"):
            raise UcmError(f"The UCM refused {action} (status {status}).")
        return body.get("response") if isinstance(body.get("response"), dict) else {}

    def login(self):
        answer = self._ok(
            self._post({"action": "challenge", "user": self.user, "version": "1.0"}), "challenge"
        )
        challenge = answer.get("challenge")
        if not challenge:
            raise UcmError("The UCM gave no challenge.")
        token = hashlib.md5(f"{challenge}{self.password}".encode()).hexdigest()
        answer = self._ok(
            self._post({"action": "login", "user": self.user, "token": token}), "login"
        )
        self.cookie = answer.get("cookie")
        if not self.cookie:
            raise UcmError("The UCM gave no session cookie.")
        return self.cookie

    def cdr_page(self, start_time, offset, limit):
        """One page of CDR items that ended at or after ``start_time`` (UCM text)."""
        request = {
            "action": "cdrapi",
            "format": "json",
            "startTime": start_time,
            "timeFilterType": "End",
            "numRecords": limit,
            "offset": offset,
        }
        for attempt in (1, 2):
            body = self._post(dict(request, cookie=self.cookie))
            if body.get("status") == STATUS_COOKIE_EXPIRED and attempt == 1:
                self.login()
                continue
            if "cdr_root" not in body and "cdr_root" not in (body.get("response") or {}):
                self._ok(body, "cdrapi")
            items = cdr_items(body)
            return items or []
        return []
