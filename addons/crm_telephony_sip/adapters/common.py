"""What every PBX adapter shares: the request it reads, the errors it raises and the
normalized call event it produces.

An adapter turns one provider request into a list of *call events*: plain dicts with
the keys of ``EVENT_KEYS``. Missing keys mean "this request does not say"; the call
record merges the events of one call whatever their order: the first value it hears
of a party or number stays, except for two keys that say more than the others:

- ``agent_extension``: the extension of the agent who *talked* (answered this leg).
  It replaces the extension and salesperson of the call (the ringing legs of a ring
  group or queue only fill them while nobody has answered). Transfers: the last agent
  who talked is credited, so a later answering leg wins while the call is not over.
- ``final``: the event is the PBX's own record of the finished call (Mango's summary,
  a CDR): its direction and parties replace what the live events guessed, and its
  ``agent_extension`` wins whenever it arrives.
"""

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pytz

EVENT_KEYS = (
    "provider_call_id",
    "direction",
    "client_number",
    "our_number",
    "extension",
    "user_email",
    "started_at",
    "answered_at",
    "ended_at",
    "duration",
    "talk_time",
    "status",
    "hangup_cause",
    "recording_url",
    "recording_ref",
    "agent_extension",
    "final",
)
DIRECTIONS = ("inbound", "outbound", "internal")
FINAL_STATUSES = ("answered", "no_answer", "busy", "failed", "cancelled")
STATUSES = ("ringing", "in_progress") + FINAL_STATUSES


class TelephonyError(Exception):
    """A request the adapter refuses; ``status`` is the HTTP status to answer."""

    status = 400

    def __init__(self, reason, status=None):
        super().__init__(reason)
        self.reason = reason
        if status:
            self.status = status


class BadRequest(TelephonyError):
    status = 400


class Unauthorized(TelephonyError):
    status = 401


class Forbidden(TelephonyError):
    status = 403


@dataclass
class RequestData:
    """The parts of an HTTP request an adapter may look at."""

    method: str = "POST"
    body: bytes = b""
    content_type: str = ""
    headers: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    form: dict = field(default_factory=dict)
    remote_addr: str = ""
    path: str = ""

    def header(self, name, default=""):
        name = name.lower()
        for key, value in self.headers.items():
            if key.lower() == name:
                return value
        return default

    def text(self):
        try:
            return self.body.decode()
        except UnicodeDecodeError as exc:
            raise BadRequest("The body is not UTF-8 text.") from exc


class Adapter:
    """Base adapter: no handshake, no authentication, no events."""

    provider = None
    #: Recording references of this provider expire and are resolved on play.
    expiring_recordings = False
    #: Headers kept in the journal (besides Content-Type and User-Agent).
    journal_headers = ()

    def handshake(self, connection, data):
        """Answer a provider's URL check (e.g. Zadarma's ``zd_echo``), or None."""
        return

    def authenticate(self, connection, data):
        """Raise Unauthorized/Forbidden when the request is not the provider's."""
        check_ip_allowed(connection, data)

    def parse(self, connection, payload, received_at=None):
        """Return the call events of a journaled payload (a dict, see ``payload``)."""
        raise NotImplementedError

    def payload(self, data):
        """What the journal keeps of a request: the body text (forms re-encoded)."""
        return data.text()

    def recording_url(self, connection, call):
        """A playable URL for the call's recording (may ask the provider's API)."""
        return call.recording_url or False


def check_ip_allowed(connection, data):
    allowed = (connection.ip_allowlist or "").replace(",", " ").split()
    if not allowed:
        return
    try:
        address = ipaddress.ip_address(data.remote_addr)
    except ValueError as exc:
        raise Forbidden("The sender's address is not allowed.") from exc
    for item in allowed:
        try:
            if address in ipaddress.ip_network(item, strict=False):
                return
        except ValueError:
            continue
    raise Forbidden("The sender's address is not allowed.")


def parse_datetime(value, tz_name="UTC"):
    """A naive UTC datetime from an ISO 8601 string, 'YYYY-MM-DD HH:MM:SS' in the
    connection's time zone, or a Unix timestamp (seconds); None when empty."""
    if value in (None, "", 0, "0"):
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and _is_number(value)):
        try:
            return datetime.fromtimestamp(float(value), tz=timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError) as exc:
            raise BadRequest(f"Invalid timestamp: {value!r}") from exc
    if not isinstance(value, str):
        raise BadRequest(f"Invalid date: {value!r}")
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise BadRequest(f"Invalid date: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = pytz.timezone(tz_name or "UTC").localize(parsed)
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_int(value, name="value"):
    if value in (None, ""):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError) as exc:
        raise BadRequest(f"Invalid {name}: {value!r}") from exc


def clean_event(event):
    """Drop empty values and unknown keys; check the enumerations."""
    cleaned = {key: event[key] for key in EVENT_KEYS if event.get(key) not in (None, "")}
    if not cleaned.get("provider_call_id"):
        raise BadRequest("The call id is missing.")
    cleaned["provider_call_id"] = str(cleaned["provider_call_id"])[:128]
    if cleaned.get("direction") and cleaned["direction"] not in DIRECTIONS:
        raise BadRequest(f"Unknown direction: {cleaned['direction']!r}")
    if "final" in cleaned:
        cleaned["final"] = bool(cleaned["final"])
    if cleaned.get("status") and cleaned["status"] not in STATUSES:
        raise BadRequest(f"Unknown status: {cleaned['status']!r}")
    for key in (
        "client_number",
        "our_number",
        "extension",
        "agent_extension",
        "hangup_cause",
        "user_email",
    ):
        if key in cleaned:
            cleaned[key] = str(cleaned[key])[:64]
    return cleaned
