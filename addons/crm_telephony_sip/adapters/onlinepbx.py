"""OnlinePBX webhooks: ``call_start``, ``call_answered``, ``call_end``,
``call_missed`` (JSON or form fields ``event``, ``direction``, ``uuid``, ``caller``,
``callee``, ``gateway``, ``date`` (Unix time), and on the end ``call_duration``,
``dialog_duration``, ``hangup_cause``).

Source: OnlinePBX knowledge base, "Веб-хуки" (kb.onlinepbx.ru, page 27591028): the
four events one chooses in Профиль > Веб-хуки, and the request examples with
``domain``, ``event``, ``direction``, ``uuid``, ``caller``, ``callee``,
``from_domain``, ``to_domain``, ``gateway``, ``date``. The ``uuid`` is the call's id
in every event of that call (the recordings API searches history by it). A
``direction`` this adapter does not know (a later or localised value, or none) is
read from the numbers instead: an extension calling a number is outbound, a number
calling in is inbound, extension to extension is internal. Events other than the
four are journaled and ignored. On an answered inbound call the ``callee`` is the
agent who talked (``agent_extension``), so a transfer is credited to the last one.

OnlinePBX does not sign its requests: the long random key in the URL is the
credential, optionally with an IP allow-list. Recordings are fetched on demand through
the OnlinePBX API (``auth.json`` then ``mongo_history/search.json`` with
``download=1``), whose links expire.
"""

import json
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

import requests

from .common import Adapter, BadRequest, clean_event, parse_datetime, to_int

API_URL = "https://api.onlinepbx.ru"
TIMEOUT = 10
EVENTS = ("call_start", "call_answered", "call_end", "call_missed")
DIRECTIONS = {
    "inbound": "inbound",
    "incoming": "inbound",
    "in": "inbound",
    "outbound": "outbound",
    "outgoing": "outbound",
    "out": "outbound",
    "internal": "internal",
    "local": "internal",
}
EXTENSION_MAX_DIGITS = 6
HANGUP_STATUSES = {
    "USER_BUSY": "busy",
    "NO_ANSWER": "no_answer",
    "NO_USER_RESPONSE": "no_answer",
    "ORIGINATOR_CANCEL": "cancelled",
    "CALL_REJECTED": "busy",
}


class OnlinePbxAdapter(Adapter):
    provider = "onlinepbx"
    expiring_recordings = True

    def payload(self, data):
        if data.form:
            return urlencode(sorted(data.form.items()))
        return data.text()

    def parse(self, connection, payload, received_at=None):
        params = self._params(payload)
        event = params.get("event")
        if not event:
            raise BadRequest("The event is missing.")
        if event not in EVENTS:
            return []
        caller, callee = params.get("caller"), params.get("callee")
        if not (caller or callee):
            raise BadRequest("The caller and callee are missing.")
        direction = DIRECTIONS.get((params.get("direction") or "").strip().lower())
        direction = direction or self._direction(caller, callee)
        client, extension = (caller, callee) if direction == "inbound" else (callee, caller)
        if direction == "internal":
            client = None
        at = parse_datetime(params.get("date"), connection.tz) or received_at
        values = {
            "provider_call_id": params.get("uuid"),
            "direction": direction,
            "client_number": client,
            "extension": extension,
            "our_number": params.get("gateway"),
        }
        if event == "call_start":
            values.update(started_at=at, status="ringing")
        elif event == "call_answered":
            values.update(answered_at=at, status="in_progress", agent_extension=extension)
        elif event == "call_missed":
            values.update(ended_at=at, status="no_answer")
        else:
            values.update(self._end_values(params, at))
            if values["status"] == "answered":
                values["agent_extension"] = extension
        if not self._is_extension(extension):  # e.g. our DID while the call rings
            values.pop("extension")
            values.pop("agent_extension", None)
        return [clean_event(values)]

    @staticmethod
    def _is_extension(number):
        digits = "".join(ch for ch in str(number or "") if ch.isdigit())
        return bool(digits) and len(digits) <= EXTENSION_MAX_DIGITS

    def _direction(self, caller, callee):
        if self._is_extension(caller):
            return "internal" if self._is_extension(callee) else "outbound"
        return "inbound"

    @staticmethod
    def _params(payload):
        text = payload.strip()
        if text.startswith("{"):
            try:
                params = json.loads(text)
            except ValueError as exc:
                raise BadRequest("The body is not valid JSON.") from exc
            if not isinstance(params, dict):
                raise BadRequest("Expected a JSON object.")
            return {key: str(value) if value is not None else "" for key, value in params.items()}
        return dict(parse_qsl(text, keep_blank_values=True))

    @staticmethod
    def _end_values(params, ended_at):
        duration = to_int(params.get("call_duration"), "call_duration") or 0
        talk = to_int(params.get("dialog_duration"), "dialog_duration") or 0
        cause = params.get("hangup_cause") or ""
        if talk > 0:
            status = "answered"
        else:
            status = HANGUP_STATUSES.get(cause.upper(), "no_answer")
        values = {
            "status": status,
            "duration": duration,
            "talk_time": talk,
            "hangup_cause": cause,
            "ended_at": ended_at,
            "recording_ref": params.get("uuid") if talk > 0 else None,
        }
        if ended_at and duration:
            values["started_at"] = ended_at - timedelta(seconds=duration)
        return values

    def recording_url(self, connection, call):
        base = (connection.api_url or API_URL).rstrip("/")
        domain = connection.api_domain
        auth = requests.post(
            f"{base}/{domain}/auth.json",
            data={"auth_key": connection.api_key or ""},
            timeout=TIMEOUT,
        )
        auth.raise_for_status()
        keys = auth.json().get("data") or {}
        response = requests.post(
            f"{base}/{domain}/mongo_history/search.json",
            data={"uuid": call.recording_ref, "download": "1"},
            headers={"x-pbx-authentication": f"{keys.get('key_id')}:{keys.get('key')}"},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        return response.json().get("data") or False
