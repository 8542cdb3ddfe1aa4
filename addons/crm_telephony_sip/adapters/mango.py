"""Mango Office VPBX API Realtime events — form fields ``vpbx_api_key``, ``sign`` and
``json`` where ``sign`` is the hex SHA-256 of api key + json + salt.

Mango posts to ``<our URL>/events/<kind>`` (``call``, ``summary``, ``recording``,
``record/added``, ``record/tagged``, ``dtmf``, ``sms``, ...); the connection's endpoint
``/crm_telephony/<key>`` is the URL to give it. One ``entry_id`` is one call, whatever
the number of legs (``call_id``) a ring group, queue or transfer gives it. Kinds that
say nothing about who talked (``dtmf``, ``sms``, ``record/tagged``, kinds Mango adds
later) are journaled and ignored. Recordings expire: ``queries/recording/post`` with
``action=play`` answers a redirect to the file.

Field names and meanings: Mango Office "API Виртуальной АТС" v1.9, section 3.1 (API
Realtime: 3.1.2 events/call, 3.1.4 events/recording, 3.1.5 events/dtmf, 3.1.6
events/summary, 3.1.8 events/record/added) and the event structs of the Go client
github.com/TrashPony/Mango-api-wrapper (``mango_objects/call.go``, ``record.go``).

- ``events/call``: one event per leg and state (``Appeared``, ``Connected``,
  ``OnHold``, ``Disconnected``); ``location`` says where the leg is (``ivr``,
  ``queue``, ``abonent`` = an employee). Only a ``Connected`` leg at ``abonent`` is an
  agent talking: it names ``agent_extension`` (the called employee, else the calling
  one), so a ring group or a transfer is credited to the agent who answered last,
  not to the first leg that rang.
- ``events/summary``: the final record (``call_direction`` 0 internal, 1 inbound,
  2 outbound). The call counts as answered only when ``entry_result`` is 1, the
  ``talk_time`` moment is set and, for an inbound call, an employee (``to.extension``)
  took it: a caller who hung up in the IVR is a missed call.
- A caller with no ``extension`` is outside (inbound), even without a number (hidden
  caller ID); an employee calling an employee (both with an ``extension``) is internal.
- ``events/recording``: only ``Completed`` with a success ``completion_code`` (1000,
  Mango's "action done" result code; absent means success) is kept; any other code
  means the recording was not saved. ``events/record/added``: the file is in the
  cloud storage (a recording ready later than the summary).
"""

import json
from urllib.parse import parse_qsl, urlencode

import requests

from .common import Adapter, BadRequest, Unauthorized, clean_event, parse_datetime, to_int
from .signing import mango_sign, same

API_URL = "https://app.mango-office.ru/vpbx"
TIMEOUT = 10
#: Kinds that carry call data; any other kind is journaled and ignored.
KINDS = ("call", "summary", "recording", "record/added")
DIRECTIONS = {0: "internal", 1: "inbound", 2: "outbound"}
AGENT_LOCATION = "abonent"
RECORDING_SAVED = 1000
MAX_KIND = 64


#: The ``sign`` form field: the hex SHA-256 of api key + json + salt.
sign = mango_sign


def event_kind(path):
    """``call`` or ``record/added`` from ``.../events/call`` or ``.../events/record/added``."""
    _head, sep, kind = (path or "").partition("/events/")
    return kind.strip("/")[:MAX_KIND] if sep else ""


class MangoAdapter(Adapter):
    provider = "mango"
    expiring_recordings = True

    def payload(self, data):
        return urlencode(sorted(dict(data.form, _kind=event_kind(data.path)).items()))

    def authenticate(self, connection, data):
        super().authenticate(connection, data)
        form = data.form
        if not (connection.api_key and connection.secret):
            raise Unauthorized("The connection has no Mango API key and salt.")
        if not same(form.get("vpbx_api_key"), connection.api_key):
            raise Unauthorized("Unknown vpbx_api_key.")
        expected = sign(connection.api_key, form.get("json", ""), connection.secret)
        if not same(form.get("sign"), expected):
            raise Unauthorized("The sign does not match.")
        return True

    def parse(self, connection, payload, received_at=None):
        params = dict(parse_qsl(payload, keep_blank_values=True))
        kind = params.get("_kind")
        if not kind:
            raise BadRequest("Mango posts to .../events/<kind>: the kind is missing.")
        if kind not in KINDS:
            return []
        try:
            body = json.loads(params.get("json") or "")
        except ValueError as exc:
            raise BadRequest("The json field is not valid JSON.") from exc
        if not isinstance(body, dict):
            raise BadRequest("The json field must be an object.")
        if kind in ("recording", "record/added"):
            return self._recording(body)
        if kind == "summary":
            return [clean_event(self._summary(connection, body))]
        return [clean_event(self._call(connection, body))]

    @staticmethod
    def _recording(body):
        if body.get("recording_state") not in (None, "Completed"):
            return []
        code = to_int(body.get("completion_code"), "completion_code")
        if code not in (None, RECORDING_SAVED):
            return []
        return [
            clean_event(
                {
                    "provider_call_id": body.get("entry_id"),
                    "recording_ref": body.get("recording_id"),
                }
            )
        ]

    @staticmethod
    def _party(body, key):
        party = body.get(key) or {}
        return party if isinstance(party, dict) else {}

    @staticmethod
    def _direction(caller, callee):
        if not caller.get("extension"):
            return "inbound"
        if callee.get("extension"):
            return "internal"
        return "outbound"

    @staticmethod
    def _parties(direction, caller, callee):
        """(client party, our employee's party) of a call."""
        if direction == "inbound":
            return caller, callee
        if direction == "outbound":
            return callee, caller
        return {}, caller

    def _summary(self, connection, body):
        caller, callee = self._party(body, "from"), self._party(body, "to")
        direction = DIRECTIONS.get(to_int(body.get("call_direction"), "call_direction"))
        direction = direction or self._direction(caller, callee)
        client, ours = self._parties(direction, caller, callee)
        tz_name = connection.tz
        created = parse_datetime(body.get("create_time"), tz_name)
        talk_start = parse_datetime(body.get("talk_time"), tz_name)
        ended = parse_datetime(body.get("end_time"), tz_name)
        answered = (
            to_int(body.get("entry_result"), "entry_result") == 1
            and bool(talk_start)
            and (direction != "inbound" or bool(callee.get("extension")))
        )
        return {
            "provider_call_id": body.get("entry_id"),
            "final": True,
            "direction": direction,
            "client_number": client.get("number"),
            "extension": ours.get("extension"),
            "agent_extension": ours.get("extension") if answered else None,
            "our_number": body.get("line_number"),
            "started_at": created,
            "answered_at": talk_start if answered else None,
            "ended_at": ended,
            "duration": int((ended - created).total_seconds()) if ended and created else None,
            "talk_time": int((ended - talk_start).total_seconds())
            if answered and ended and talk_start
            else 0,
            "status": "answered" if answered else "no_answer",
            "hangup_cause": str(body.get("disconnect_reason") or ""),
        }

    def _call(self, connection, body):
        caller, callee = self._party(body, "from"), self._party(body, "to")
        at = parse_datetime(body.get("timestamp"), connection.tz)
        direction = self._direction(caller, callee)
        client, ours = self._parties(direction, caller, callee)
        state = body.get("call_state")
        values = {
            "provider_call_id": body.get("entry_id"),
            "direction": direction,
            "client_number": client.get("number"),
            "extension": ours.get("extension"),
            "our_number": callee.get("line_number"),
        }
        if state == "Appeared":
            values.update(started_at=at, status="ringing")
        elif state == "Connected" and body.get("location") == AGENT_LOCATION:
            agent = callee.get("extension") or caller.get("extension")
            values.update(answered_at=at, status="in_progress", agent_extension=agent)
        return values

    def recording_url(self, connection, call):
        payload = json.dumps({"recording_id": call.recording_ref, "action": "play"})
        response = requests.post(
            (connection.api_url or API_URL).rstrip("/") + "/queries/recording/post",
            data={
                "vpbx_api_key": connection.api_key,
                "sign": sign(connection.api_key, payload, connection.secret),
                "json": payload,
            },
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if response.status_code in (301, 302, 303, 307):
            return response.headers.get("Location") or False
        response.raise_for_status()
        return False
