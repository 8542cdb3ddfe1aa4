"""Mango Office VPBX events: ``events/call``, ``events/summary``,
``events/recording`` — form fields ``vpbx_api_key``, ``sign`` and ``json`` where
``sign`` is the hex SHA-256 of api key + json + salt.

Mango posts to ``<our URL>/events/<kind>``; the connection's endpoint
``/crm_telephony/<key>`` is the URL to give it. One ``entry_id`` is one call.
Recordings expire: ``queries/recording/post`` with ``action=play`` answers a redirect
to the file.
"""

import hashlib
import json
from urllib.parse import parse_qsl, urlencode

import requests

from .common import Adapter, BadRequest, Unauthorized, clean_event, parse_datetime, same, to_int

API_URL = "https://app.mango-office.ru/vpbx"
TIMEOUT = 10
KINDS = ("call", "summary", "recording")
DIRECTIONS = {0: "internal", 1: "inbound", 2: "outbound"}


def sign(api_key, json_text, salt):
    return hashlib.sha256(f"{api_key}{json_text}{salt}".encode()).hexdigest()


class MangoAdapter(Adapter):
    provider = "mango"
    expiring_recordings = True

    def payload(self, data):
        kind = data.path.rsplit("/", 1)[-1] if data.path else ""
        return urlencode(sorted(dict(data.form, _kind=kind).items()))

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
        if kind not in KINDS:
            raise BadRequest(f"Unknown Mango event: {kind!r}")
        try:
            body = json.loads(params.get("json") or "")
        except ValueError as exc:
            raise BadRequest("The json field is not valid JSON.") from exc
        if not isinstance(body, dict):
            raise BadRequest("The json field must be an object.")
        if kind == "recording":
            if body.get("recording_state") not in (None, "Completed"):
                return []
            return [
                clean_event(
                    {
                        "provider_call_id": body.get("entry_id"),
                        "recording_ref": body.get("recording_id"),
                    }
                )
            ]
        if kind == "summary":
            return [clean_event(self._summary(connection, body))]
        return [clean_event(self._call(connection, body))]

    @staticmethod
    def _party(body, key):
        party = body.get(key) or {}
        return party if isinstance(party, dict) else {}

    def _summary(self, connection, body):
        direction = DIRECTIONS.get(to_int(body.get("call_direction"), "call_direction"))
        caller, callee = self._party(body, "from"), self._party(body, "to")
        client, ours = (caller, callee) if direction == "inbound" else (callee, caller)
        tz_name = connection.tz
        created = parse_datetime(body.get("create_time"), tz_name)
        talk_start = parse_datetime(body.get("talk_time"), tz_name)
        ended = parse_datetime(body.get("end_time"), tz_name)
        answered = to_int(body.get("entry_result"), "entry_result") == 1
        return {
            "provider_call_id": body.get("entry_id"),
            "direction": direction,
            "client_number": client.get("number"),
            "extension": ours.get("extension"),
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
        inbound = bool(caller.get("number")) and not caller.get("extension")
        client, ours = (caller, callee) if inbound else (callee, caller)
        state = body.get("call_state")
        values = {
            "provider_call_id": body.get("entry_id"),
            "direction": "inbound" if inbound else "outbound",
            "client_number": client.get("number"),
            "extension": ours.get("extension"),
            "our_number": callee.get("line_number"),
        }
        if state == "Appeared":
            values.update(started_at=at, status="ringing")
        elif state == "Connected":
            values.update(answered_at=at, status="in_progress")
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
