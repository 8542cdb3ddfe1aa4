"""Generic JSON: our documented schema, signed like Standard Webhooks.

Body: one call object, a list of them, or ``{"events": [...]}``. A call object::

    {"call_id": "abc", "direction": "inbound", "client_number": "+7 999 123-45-67",
     "our_number": "+74950000000", "extension": "101", "user_email": "a@b.c",
     "started_at": "2024-05-01T10:00:00Z", "answered_at": null, "ended_at": "...",
     "duration": 35, "talk_time": 20, "status": "answered", "hangup_cause": "16",
     "recording_url": "https://..."}

``extension`` is who the call is with: the first one heard stays while the call rings
(the phone that rang), and an event that says the call was answered (``answered_at``
or ``status`` answered / in_progress) names the agent who talked, which replaces it
(the last answering agent of a transfer is credited).

When the connection has a secret, requests carry ``webhook-id``,
``webhook-timestamp`` and ``webhook-signature`` (``v1,<base64 HMAC-SHA256 of
"id.timestamp.body">``, the secret given as ``whsec_<base64>`` or as plain text) and
are refused outside a five-minute window.
"""

import json
import time

from .common import (
    Adapter,
    BadRequest,
    Unauthorized,
    clean_event,
    parse_datetime,
    to_int,
)
from .signing import same, standard_webhooks_signature

TOLERANCE = 5 * 60


#: The ``webhook-signature`` header value for a body (used by tests and tools).
sign = standard_webhooks_signature


class GenericAdapter(Adapter):
    provider = "generic"
    journal_headers = ("webhook-id", "webhook-timestamp", "webhook-signature")

    def authenticate(self, connection, data):
        super().authenticate(connection, data)
        secret = connection.secret
        if not secret:
            return
        msg_id = data.header("webhook-id")
        timestamp = data.header("webhook-timestamp")
        signatures = data.header("webhook-signature")
        if not (msg_id and timestamp and signatures):
            raise Unauthorized("The webhook signature headers are missing.")
        try:
            sent_at = int(timestamp)
        except ValueError as exc:
            raise Unauthorized("The webhook timestamp is invalid.") from exc
        if abs(time.time() - sent_at) > TOLERANCE:
            raise Unauthorized("The webhook timestamp is outside the tolerance window.")
        expected = sign(secret, msg_id, timestamp, data.body).split(",", 1)[1]
        for item in signatures.split():
            version, _sep, value = item.partition(",")
            if version == "v1" and same(value, expected):
                return
        raise Unauthorized("The webhook signature does not match.")

    def parse(self, connection, payload, received_at=None):
        try:
            body = json.loads(payload)
        except ValueError as exc:
            raise BadRequest("The body is not valid JSON.") from exc
        if isinstance(body, dict) and "events" in body:
            body = body["events"]
        items = body if isinstance(body, list) else [body]
        if not items or not all(isinstance(item, dict) for item in items):
            raise BadRequest("Expected a call object or a list of call objects.")
        return [self._event(connection, item) for item in items]

    def _event(self, connection, item):
        tz_name = connection.tz
        answered = item.get("answered_at") or item.get("status") in ("answered", "in_progress")
        return clean_event(
            {
                "provider_call_id": item.get("call_id") or item.get("id"),
                "direction": item.get("direction"),
                "client_number": item.get("client_number"),
                "our_number": item.get("our_number"),
                "extension": item.get("extension"),
                "agent_extension": item.get("extension") if answered else None,
                "user_email": item.get("user_email"),
                "started_at": parse_datetime(item.get("started_at"), tz_name),
                "answered_at": parse_datetime(item.get("answered_at"), tz_name),
                "ended_at": parse_datetime(item.get("ended_at"), tz_name),
                "duration": to_int(item.get("duration"), "duration"),
                "talk_time": to_int(item.get("talk_time"), "talk_time"),
                "status": item.get("status"),
                "hangup_cause": item.get("hangup_cause"),
                "recording_url": item.get("recording_url"),
            }
        )
