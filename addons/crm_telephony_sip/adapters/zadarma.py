"""Zadarma PBX notifications (``NOTIFY_*``), form-encoded.

The ``Signature`` header is the base64 of the *hex* HMAC-SHA1 of a few fields
concatenated in an event-specific order, keyed with the API secret. The URL check is a
GET with ``zd_echo`` whose value must be echoed back.

Events, fields and signed strings: Zadarma's own client library
github.com/zadarma/user-api-v1, ``lib/Webhook/*.php`` (``getSignatureString()`` of
each ``Notify*`` class). ``NOTIFY_INTERNAL`` says which extension rings (kept, so a
call nobody answered still has the salesperson of the first extension that rang);
``NOTIFY_ANSWER`` and an answered ``NOTIFY_END`` name the extension that talked
(``agent_extension``: a transfer is credited to the last one); ``NOTIFY_IVR``
(a ``NotifyStart`` with ``wait_dtmf``, signed like it) starts the call like
``NOTIFY_START``; ``SMS`` and ``SPEECH_RECOGNITION`` (signed over ``result``) and
events this adapter does not know are journaled and ignored.
"""

import hashlib
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

import requests

from .common import (
    Adapter,
    BadRequest,
    Unauthorized,
    clean_event,
    parse_datetime,
    to_int,
)
from .signing import ZADARMA_SIGNED_FIELDS, hmac_b64_of_hex, same, zadarma_signature

API_URL = "https://api.zadarma.com"
TIMEOUT = 10

SIGNED_FIELDS = ZADARMA_SIGNED_FIELDS
#: Events that say something about a call; the others are journaled and ignored.
CALL_EVENTS = (
    "NOTIFY_START",
    "NOTIFY_IVR",
    "NOTIFY_INTERNAL",
    "NOTIFY_ANSWER",
    "NOTIFY_END",
    "NOTIFY_OUT_START",
    "NOTIFY_OUT_END",
    "NOTIFY_RECORD",
)
DISPOSITIONS = {
    "answered": "answered",
    "busy": "busy",
    "cancel": "cancelled",
    "no answer": "no_answer",
}


#: The ``Signature`` header Zadarma sends with these notification params.
sign = zadarma_signature


class ZadarmaAdapter(Adapter):
    provider = "zadarma"
    expiring_recordings = True
    journal_headers = ("signature",)

    def handshake(self, connection, data):
        echo = data.query.get("zd_echo")
        return echo if echo else None

    def payload(self, data):
        return urlencode(sorted(data.form.items()))

    def authenticate(self, connection, data):
        super().authenticate(connection, data)
        if not connection.secret or data.form.get("event") not in SIGNED_FIELDS:
            return  # nothing to check: an event we do not know is only journaled
        signature = data.header("signature")
        if not signature:
            raise Unauthorized("The Signature header is missing.")
        if not same(signature, sign(connection.secret, data.form)):
            raise Unauthorized("The Signature header does not match.")

    def parse(self, connection, payload, received_at=None):
        params = dict(parse_qsl(payload, keep_blank_values=True))
        event = params.get("event")
        if not event:
            raise BadRequest("The event is missing.")
        if event not in CALL_EVENTS:
            return []
        started_at = parse_datetime(params.get("call_start"), connection.tz)
        values = {"provider_call_id": params.get("pbx_call_id"), "started_at": started_at}
        if event == "NOTIFY_RECORD":
            values["recording_ref"] = params.get("call_id_with_rec")
        elif event in (
            "NOTIFY_START",
            "NOTIFY_IVR",
            "NOTIFY_INTERNAL",
            "NOTIFY_ANSWER",
            "NOTIFY_END",
        ):
            values.update(
                direction="inbound",
                client_number=params.get("caller_id"),
                our_number=params.get("called_did"),
                extension=params.get("internal"),
                status="in_progress" if event == "NOTIFY_ANSWER" else "ringing",
            )
            if event == "NOTIFY_ANSWER":
                values.update(answered_at=received_at, agent_extension=params.get("internal"))
        else:
            values.update(
                direction="outbound",
                client_number=params.get("destination"),
                our_number=params.get("caller_id"),
                extension=params.get("internal"),
                agent_extension=params.get("internal"),
                status="ringing",
            )
        if event in ("NOTIFY_END", "NOTIFY_OUT_END"):
            values.update(self._end_values(params, started_at))
            if values["status"] == "answered":
                values["agent_extension"] = params.get("internal")
        return [clean_event(values)]

    def _end_values(self, params, started_at):
        status = DISPOSITIONS.get(params.get("disposition"), "failed")
        duration = to_int(params.get("duration"), "duration") or 0
        values = {
            "status": status,
            "duration": duration,
            "talk_time": duration if status == "answered" else 0,
            "hangup_cause": params.get("status_code"),
            "ended_at": started_at and started_at + timedelta(seconds=duration),
        }
        if params.get("is_recorded") == "1":
            values["recording_ref"] = params.get("call_id_with_rec")
        return values

    def recording_url(self, connection, call):
        if not call.recording_ref:
            return call.recording_url or False
        method = "/v1/pbx/record/request/"
        params = urlencode({"call_id": call.recording_ref})
        md5 = hashlib.md5(params.encode()).hexdigest()
        signature = hmac_b64_of_hex(connection.secret or "", method + params + md5)
        response = requests.get(
            (connection.api_url or API_URL).rstrip("/") + method,
            params={"call_id": call.recording_ref},
            headers={"Authorization": f"{connection.api_key}:{signature}"},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        body = response.json()
        return body.get("link") or (body.get("links") or [False])[0]
