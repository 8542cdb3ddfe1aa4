"""The request a PBX of each provider would send for one answered inbound call, signed
with the connection's credentials: what "Send a test event" puts through the endpoint's
processing. The payloads follow the adapters' sources (see each adapter's docstring)."""

import ipaddress
import json
import time
import uuid
from datetime import timedelta
from urllib.parse import urlencode

import pytz

from ..adapters.common import RequestData
from ..adapters.signing import mango_sign, standard_webhooks_signature, zadarma_signature

#: The User-Agent of a test request: the journal row is marked as a test by it.
TEST_USER_AGENT = "CRM Regulation test event"
#: The caller of the test call (a number no customer has: +7 999 000-00-00).
TEST_CLIENT_NUMBER = "79990000000"
TEST_OUR_NUMBER = "74950000000"
TALK_SECONDS = 60
RING_SECONDS = 5


def sample_request(connection, now):
    """(RequestData, provider call id) of a test call answered by the connection's first
    extension, that started a minute before ``now`` (naive UTC)."""
    call_id = f"crm-test-{uuid.uuid4().hex[:12]}"
    extension = connection.extension_ids[:1].extension or "101"
    start = now - timedelta(seconds=RING_SECONDS + TALK_SECONDS)
    build = BUILDERS.get(connection.provider, _generic)
    data = build(connection, call_id, extension, start)
    data.headers["User-Agent"] = TEST_USER_AGENT
    data.remote_addr = _sender_address(connection)
    data.path = data.path or f"/crm_telephony/{connection.key}/event"
    return data, call_id


def _sender_address(connection):
    """The first address the connection's allow-list accepts (the PBX's), else this
    server's own."""
    for item in (connection.ip_allowlist or "").replace(",", " ").split():
        try:
            network = ipaddress.ip_network(item, strict=False)
        except ValueError:
            continue
        return str(next(iter(network.hosts()), network.network_address))
    return "127.0.0.1"


def _local(moment, connection, fmt="%Y-%m-%d %H:%M:%S"):
    """A naive UTC datetime as the PBX writes it in the connection's time zone."""
    tz = pytz.timezone(connection.tz or "UTC")
    return pytz.utc.localize(moment).astimezone(tz).strftime(fmt)


def _signed_json(connection, body, content_type="application/json"):
    """A body signed like Standard Webhooks when the connection has a secret."""
    headers = {"Content-Type": content_type}
    if connection.secret:
        msg_id = f"msg_{uuid.uuid4().hex}"
        timestamp = str(int(time.time()))
        headers.update(
            {
                "webhook-id": msg_id,
                "webhook-timestamp": timestamp,
                "webhook-signature": standard_webhooks_signature(
                    connection.secret, msg_id, timestamp, body
                ),
            }
        )
    return RequestData(body=body, content_type=content_type, headers=headers)


def _form(params, headers=None):
    return RequestData(
        body=urlencode(params).encode(),
        content_type="application/x-www-form-urlencoded",
        headers=dict({"Content-Type": "application/x-www-form-urlencoded"}, **(headers or {})),
        form=dict(params),
    )


def _generic(connection, call_id, extension, start):
    answered = start + timedelta(seconds=RING_SECONDS)
    ended = answered + timedelta(seconds=TALK_SECONDS)
    iso = "%Y-%m-%dT%H:%M:%SZ"
    body = {
        "call_id": call_id,
        "direction": "inbound",
        "client_number": f"+{TEST_CLIENT_NUMBER}",
        "our_number": f"+{TEST_OUR_NUMBER}",
        "extension": extension,
        "started_at": start.strftime(iso),
        "answered_at": answered.strftime(iso),
        "ended_at": ended.strftime(iso),
        "duration": RING_SECONDS + TALK_SECONDS,
        "talk_time": TALK_SECONDS,
        "status": "answered",
        "hangup_cause": "16",
    }
    return _signed_json(connection, json.dumps(body).encode())


def _onlinepbx(connection, call_id, extension, start):
    """OnlinePBX's ``call_end`` webhook (kb.onlinepbx.ru, "Веб-хуки")."""
    ended = start + timedelta(seconds=RING_SECONDS + TALK_SECONDS)
    domain = connection.api_domain or "example.onpbx.ru"
    body = {
        "domain": domain,
        "event": "call_end",
        "direction": "inbound",
        "uuid": call_id,
        "caller": TEST_CLIENT_NUMBER,
        "callee": extension,
        "from_domain": domain,
        "to_domain": "",
        "gateway": TEST_OUR_NUMBER,
        "date": str(int(pytz.utc.localize(ended).timestamp())),
        "call_duration": str(RING_SECONDS + TALK_SECONDS),
        "dialog_duration": str(TALK_SECONDS),
        "hangup_cause": "NORMAL_CLEARING",
    }
    return RequestData(
        body=json.dumps(body).encode(),
        content_type="application/json",
        headers={"Content-Type": "application/json"},
    )


def _zadarma(connection, call_id, extension, start):
    """Zadarma's ``NOTIFY_END`` (github.com/zadarma/user-api-v1, ``NotifyEnd``)."""
    params = {
        "event": "NOTIFY_END",
        "call_start": _local(start, connection),
        "pbx_call_id": call_id,
        "caller_id": TEST_CLIENT_NUMBER,
        "called_did": TEST_OUR_NUMBER,
        "internal": extension,
        "duration": str(TALK_SECONDS),
        "disposition": "answered",
        "status_code": "16",
        "is_recorded": "0",
        "call_id_with_rec": "",
    }
    headers = {}
    if connection.secret:
        headers["Signature"] = zadarma_signature(connection.secret, params)
    return _form(params, headers)


def _mango(connection, call_id, extension, start):
    """Mango Office's ``events/summary`` (VPBX API v1.9, 3.1.6)."""
    created = int(pytz.utc.localize(start).timestamp())
    summary = {
        "entry_id": call_id,
        "call_direction": 1,
        "from": {"number": TEST_CLIENT_NUMBER},
        "to": {"extension": extension, "number": f"sip:{extension}@vpbx.mangosip.ru"},
        "line_number": TEST_OUR_NUMBER,
        "create_time": created,
        "forward_time": created + 1,
        "talk_time": created + RING_SECONDS,
        "end_time": created + RING_SECONDS + TALK_SECONDS,
        "entry_result": 1,
        "disconnect_reason": 1110,
    }
    json_text = json.dumps(summary)
    api_key, salt = connection.api_key or "", connection.secret or ""
    data = _form(
        {"vpbx_api_key": api_key, "sign": mango_sign(api_key, json_text, salt), "json": json_text}
    )
    data.path = f"/crm_telephony/{connection.key}/events/summary"
    return data


def _asterisk(connection, call_id, extension, start):
    """One ``Master.csv`` line of cdr_csv with loguniqueid, loguserfield and
    newcdrcolumns (21 columns), times as cdr.conf's usegmtime says."""
    answered = start + timedelta(seconds=RING_SECONDS)
    ended = answered + timedelta(seconds=TALK_SECONDS)
    tz_connection = connection if not connection.cdr_usegmtime else None

    def when(moment):
        return _local(moment, tz_connection) if tz_connection else moment.strftime("%F %T")

    unique = f"{int(pytz.utc.localize(start).timestamp())}.{uuid.uuid4().int % 1000}"
    values = [
        "",
        TEST_CLIENT_NUMBER,
        extension,
        "from-trunk",
        f'"""Test"" <{TEST_CLIENT_NUMBER}>"',
        "PJSIP/trunk-00000001",
        f"PJSIP/{extension}-00000002",
        "Dial",
        f"PJSIP/{extension},30",
        when(start),
        when(answered),
        when(ended),
        RING_SECONDS + TALK_SECONDS,
        TALK_SECONDS,
        "ANSWERED",
        "DOCUMENTATION",
        unique,
        call_id,
        "",
        unique,
        1,
    ]
    line = ",".join(
        str(value) if isinstance(value, int) or value.startswith('"') else f'"{value}"'
        for value in values
    )
    return _signed_json(connection, (line + "\n").encode(), "text/csv")


def _grandstream(connection, call_id, extension, start):
    """A row of the UCM CDR API (``cdr_root``), as a shipper of one's own posts it."""
    answered = start + timedelta(seconds=RING_SECONDS)
    ended = answered + timedelta(seconds=TALK_SECONDS)
    row = {
        "AcctId": "1",
        "accountcode": "",
        "src": TEST_CLIENT_NUMBER,
        "dst": extension,
        "dcontext": "from-trunk-1",
        "clid": f'"{TEST_CLIENT_NUMBER}" <{TEST_CLIENT_NUMBER}>',
        "channel": "PJSIP/trunk_1-00000001",
        "dstchannel": f"PJSIP/{extension}-00000002",
        "lastapp": "Dial",
        "lastdata": "",
        "start": _local(start, connection),
        "answer": _local(answered, connection),
        "end": _local(ended, connection),
        "duration": str(RING_SECONDS + TALK_SECONDS),
        "billsec": str(TALK_SECONDS),
        "disposition": "ANSWERED",
        "amaflags": "DOCUMENTATION",
        "uniqueid": call_id,
        "userfield": "Inbound",
        "channel_ext": "trunk_1",
        "dstchannel_ext": extension,
        "service": "s",
        "caller_name": TEST_CLIENT_NUMBER,
        "recordfiles": "",
        "dstanswer": extension,
        "session": call_id,
        "action_owner": "",
        "action_type": "DIAL",
        "src_trunk_name": "Trunk1",
        "dst_trunk_name": "",
        "sn": "",
    }
    return _signed_json(connection, json.dumps({"cdr_root": [row]}).encode())


BUILDERS = {
    "generic": _generic,
    "onlinepbx": _onlinepbx,
    "zadarma": _zadarma,
    "mango": _mango,
    "asterisk": _asterisk,
    "grandstream": _grandstream,
}
