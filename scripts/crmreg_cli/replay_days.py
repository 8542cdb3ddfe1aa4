"""Synthetic days of PBX calls, written in each provider's own format (see replay.py)."""

import base64
import csv
import io
import json
import random
import uuid
from datetime import datetime, timedelta, timezone

PROVIDERS = ("generic", "onlinepbx", "zadarma", "mango", "asterisk", "grandstream")
EXTENSIONS = ("101", "102", "103", "104", "105")
OUR_NUMBER = "74950000000"


def synthetic_calls(count, day, seed):
    """Calls of a working day: inbound (a quarter missed) and outbound, from a pool of
    clients so that missed calls get called back."""
    rng = random.Random(seed)
    clients = [f"7916{rng.randint(1000000, 9999999)}" for _ in range(max(count // 3, 1))]
    start_of_day = datetime.fromisoformat(day).replace(hour=9, tzinfo=timezone.utc)
    calls = []
    for index in range(count):
        started = start_of_day + timedelta(seconds=int(index * 9 * 3600 / max(count, 1)))
        inbound = rng.random() < 0.6
        answered = rng.random() < (0.75 if inbound else 0.7)
        ring = rng.randint(3, 25)
        talk = rng.randint(15, 400) if answered else 0
        calls.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128)).hex,
                "direction": "inbound" if inbound else "outbound",
                "client": rng.choice(clients),
                "extension": rng.choice(EXTENSIONS),
                "started": started,
                "answered": started + timedelta(seconds=ring) if answered else None,
                "ended": started + timedelta(seconds=ring + talk),
                "talk": talk,
                "status": "answered" if answered else rng.choice(["no_answer", "busy"]),
            }
        )
    return calls


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def local(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def unix(moment):
    return int(moment.timestamp()) if moment else 0


def gen_generic(call):
    start = {
        "call_id": call["id"],
        "direction": call["direction"],
        "client_number": "+" + call["client"],
        "our_number": "+" + OUR_NUMBER,
        "extension": call["extension"],
        "started_at": iso(call["started"]),
        "status": "ringing",
    }
    end = dict(
        start,
        answered_at=iso(call["answered"]),
        ended_at=iso(call["ended"]),
        duration=int((call["ended"] - call["started"]).total_seconds()),
        talk_time=call["talk"],
        status=call["status"],
    )
    if call["talk"]:
        end["recording_url"] = f"https://records.example.com/{call['id']}.mp3"
    return [json.dumps(start), json.dumps(end)]


def gen_onlinepbx(call):
    inbound = call["direction"] == "inbound"
    base = {
        "domain": "example.onpbx.ru",
        "direction": call["direction"],
        "uuid": call["id"],
        "caller": call["client"] if inbound else call["extension"],
        "callee": call["extension"] if inbound else call["client"],
        "from_domain": "example.onpbx.ru",
        "to_domain": "",
        "gateway": OUR_NUMBER,
    }
    lines = [dict(base, event="call_start", date=str(unix(call["started"])))]
    if call["answered"]:
        lines.append(dict(base, event="call_answered", date=str(unix(call["answered"]))))
    if inbound and not call["answered"]:
        lines.append(dict(base, event="call_missed", date=str(unix(call["ended"]))))
    else:
        duration = int((call["ended"] - call["started"]).total_seconds())
        cause = "NORMAL_CLEARING" if call["answered"] else "USER_BUSY"
        lines.append(
            dict(
                base,
                event="call_end",
                date=str(unix(call["ended"])),
                call_duration=str(duration),
                dialog_duration=str(call["talk"]),
                hangup_cause=cause,
            )
        )
    return [json.dumps(line) for line in lines]


def gen_zadarma(call):
    start = local(call["started"])
    disposition = {"answered": "answered", "no_answer": "no answer", "busy": "busy"}
    duration = str(int((call["ended"] - call["started"]).total_seconds()))
    end = {
        "call_start": start,
        "pbx_call_id": call["id"],
        "internal": call["extension"],
        "duration": duration,
        "disposition": disposition[call["status"]],
        "status_code": "16" if call["answered"] else "17",
        "is_recorded": "1" if call["talk"] else "0",
        "call_id_with_rec": f"{call['id']}.rec" if call["talk"] else "",
    }
    if call["direction"] == "inbound":
        caller = {"caller_id": call["client"], "called_did": OUR_NUMBER}
        lines = [dict(caller, event="NOTIFY_START", call_start=start, pbx_call_id=call["id"])]
        if call["answered"]:
            lines.append(
                {
                    "event": "NOTIFY_ANSWER",
                    "caller_id": call["client"],
                    "destination": call["extension"],
                    "call_start": start,
                    "pbx_call_id": call["id"],
                    "internal": call["extension"],
                }
            )
        lines.append(dict(end, event="NOTIFY_END", **caller))
    else:
        out = {"internal": call["extension"], "destination": call["client"]}
        lines = [dict(out, event="NOTIFY_OUT_START", call_start=start, pbx_call_id=call["id"])]
        lines.append(dict(end, event="NOTIFY_OUT_END", caller_id=OUR_NUMBER, **out))
    if call["talk"]:
        lines.append(
            {
                "event": "NOTIFY_RECORD",
                "pbx_call_id": call["id"],
                "call_id_with_rec": f"{call['id']}.rec",
            }
        )
    return [json.dumps(line) for line in lines]


def gen_mango(call):
    inbound = call["direction"] == "inbound"
    client = {"number": call["client"]}
    employee = {"extension": call["extension"], "number": f"sip:{call['extension']}@vpbx"}
    caller, callee = (client, employee) if inbound else (employee, client)
    callee = dict(callee, line_number=OUR_NUMBER)
    entry = base64.b64encode(call["id"].encode()).decode()
    events = [("call", "Appeared", call["started"])]
    if call["answered"]:
        events.append(("call", "Connected", call["answered"]))
    events.append(("call", "Disconnected", call["ended"]))
    lines = []
    for seq, (_kind, state, moment) in enumerate(events, 1):
        body = {
            "entry_id": entry,
            "call_id": entry + str(seq),
            "timestamp": unix(moment),
            "seq": seq,
            "call_state": state,
            "location": "abonent",
            "from": caller,
            "to": callee,
        }
        lines.append({"event": "call", "json": body})
    summary = {
        "entry_id": entry,
        "call_direction": 1 if inbound else 2,
        "from": caller,
        "to": callee,
        "line_number": OUR_NUMBER,
        "create_time": unix(call["started"]),
        "forward_time": unix(call["started"]),
        "talk_time": unix(call["answered"]),
        "end_time": unix(call["ended"]),
        "entry_result": 1 if call["answered"] else 0,
        "disconnect_reason": 1110,
    }
    lines.append({"event": "summary", "json": summary})
    if call["talk"]:
        recording = {
            "entry_id": entry,
            "product_id": 1,
            "recording_id": entry + "rec",
            "recording_state": "Completed",
            "seq": len(events) + 1,
            "timestamp": unix(call["ended"]),
        }
        lines.append({"event": "recording", "json": recording})
    return [json.dumps(line) for line in lines]


def cdr_row(call):
    inbound = call["direction"] == "inbound"
    src, dst = (call["client"], OUR_NUMBER) if inbound else (call["extension"], call["client"])
    disposition = {"answered": "ANSWERED", "no_answer": "NO ANSWER", "busy": "BUSY"}
    duration = int((call["ended"] - call["started"]).total_seconds())
    recording = ""
    if call["talk"]:
        kind = "in" if inbound else "out"
        stamp = call["started"].strftime("%Y%m%d-%H%M%S")
        recording = f"{kind}-{dst}-{src}-{stamp}-{call['id']}.wav"
    return {
        "accountcode": "",
        "src": src,
        "dst": dst,
        "dcontext": "from-trunk" if inbound else "from-internal",
        "clid": f'"{src}" <{src}>',
        "channel": "PJSIP/trunk-0001" if inbound else f"PJSIP/{call['extension']}-0001",
        "dstchannel": f"PJSIP/{call['extension']}-0002" if inbound else "PJSIP/trunk-0002",
        "lastapp": "Dial",
        "lastdata": "",
        "start": local(call["started"]),
        "answer": local(call["answered"]),
        "end": local(call["ended"]),
        "duration": duration,
        "billsec": call["talk"],
        "disposition": disposition[call["status"]],
        "amaflags": "DOCUMENTATION",
        "uniqueid": call["id"],
        "userfield": "",
        "linkedid": call["id"],
        "recordingfile": recording,
    }


def gen_asterisk(calls):
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for call in calls:
        writer.writerow(cdr_row(call).values())
    return out.getvalue()


def gen_grandstream(calls):
    rows = []
    for call in calls:
        row = cdr_row(call)
        row.update(
            session=call["id"],
            userfield=call["direction"].capitalize(),
            channel_ext="" if call["direction"] == "inbound" else call["extension"],
            dstchannel_ext=call["extension"] if call["direction"] == "inbound" else "",
            recordfiles=(row.pop("recordingfile") + "@") if call["talk"] else "",
        )
        rows.append({"main_cdr": row})
    return json.dumps({"cdr_root": rows}, indent=1)


def generate(provider, count, day, seed):
    calls = synthetic_calls(count, day, seed)
    if provider == "asterisk":
        return gen_asterisk(calls)
    if provider == "grandstream":
        return gen_grandstream(calls)
    make = {
        "generic": gen_generic,
        "onlinepbx": gen_onlinepbx,
        "zadarma": gen_zadarma,
        "mango": gen_mango,
    }[provider]
    return "\n".join(line for call in calls for line in make(call)) + "\n"
