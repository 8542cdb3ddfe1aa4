"""Turn a submitted form (any shape) into clean inquiry fields. Pure functions, no ORM."""

import json
import math
from urllib.parse import parse_qsl, urlsplit

from .utm import CLICK_ID_PARAMS, UTM_PARAMS

# canonical field -> accepted form field names, in order of preference
FIELD_ALIASES = {
    "name": ("name", "contact_name", "your_name", "fio"),
    "phone": ("phone", "tel", "telephone", "mobile"),
    "email": ("email", "e-mail", "e_mail", "mail"),
    "company": ("company", "company_name", "organization"),
    "message": ("message", "comment", "comments", "text"),
    "landing_url": ("landing_url", "landing_page", "page_url"),
    "referrer": ("referrer", "referer"),
}
for _key in UTM_PARAMS + CLICK_ID_PARAMS:
    FIELD_ALIASES[_key] = (_key,)
# set by the JavaScript snippet when the page is loaded (milliseconds since the epoch)
LOADED_AT_KEY = "_utm_loaded_at"
MAX_LENGTHS = {"message": 20000, "landing_url": 2000, "referrer": 2000}
DEFAULT_MAX_LENGTH = 256
MAX_EXTRA_FIELDS = 50
MAX_QUERY_FIELDS = 100


def is_finite(value):
    """Whether a value is a float that JSON (and jsonb) can store: not NaN or infinite."""
    return isinstance(value, float) and math.isfinite(value)


def clean_text(value, max_length=DEFAULT_MAX_LENGTH):
    """A trimmed string without NUL characters (PostgreSQL refuses them), or None
    when the value is not text-like."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    # cut first: the work stays proportional to what is kept, whatever was sent
    return value[: max_length * 2].replace("\x00", "").strip()[:max_length]


def clean_json(value):
    """A JSON-storable copy of an extra field: scalars stay, structures become text."""
    if value is None or isinstance(value, bool | int) or is_finite(value):
        return value
    if not isinstance(value, str):
        value = json.dumps(strip_nul(value), ensure_ascii=False, default=str)
    return value.replace("\x00", "")[: DEFAULT_MAX_LENGTH * 8]


def first_value(value):
    """Forms may repeat a field: keep the first non-empty occurrence."""
    if isinstance(value, list):
        for item in value:
            if item not in (None, ""):
                return item
        return value[0] if value else ""
    return value


def url_params(url):
    """UTM tags and click ids found in the query string of a URL."""
    try:
        pairs = parse_qsl(urlsplit(url).query, max_num_fields=MAX_QUERY_FIELDS)
    except ValueError:
        return {}
    wanted = set(UTM_PARAMS + CLICK_ID_PARAMS)
    found = {}
    for key, value in pairs:
        key = key.lower()
        if key in wanted and value and key not in found:
            found[key] = clean_text(value)
    return found


def extract_fields(payload, ignored=()):
    """Split a payload into known fields, extra fields and the names of fields that
    are not text. ``payload`` is a dict of field name -> value (any JSON value).

    :return: (fields, not_text): ``fields`` holds the known fields as capped text and
        ``extra`` (at most MAX_EXTRA_FIELDS other fields, capped): what the journal
        keeps of a submission, whatever the size of the body.
    """
    lowered = {}
    for key, value in payload.items():
        lowered.setdefault(str(key).replace("\x00", "").strip().lower(), first_value(value))
    values, not_text, used = {}, [], set(ignored) | {LOADED_AT_KEY}
    for field, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in lowered:
                used.add(alias)
                text = clean_text(lowered[alias], MAX_LENGTHS.get(field, DEFAULT_MAX_LENGTH))
                if text is None:
                    not_text.append(field)
                elif text and not values.get(field):
                    values[field] = text
    for key, value in url_params(values.get("landing_url", "")).items():
        values.setdefault(key, value)
    extra = {}
    for key, value in lowered.items():
        if key not in used and key and len(extra) < MAX_EXTRA_FIELDS:
            extra[key[:DEFAULT_MAX_LENGTH]] = clean_json(value)
    values["extra"] = extra
    return values, not_text


def loaded_at_seconds(payload):
    """When the page with the form was loaded (seconds since the epoch), if the snippet
    told us."""
    raw = first_value(payload.get(LOADED_AT_KEY))
    try:
        stamp = float(raw)
    except (TypeError, ValueError, OverflowError):
        return None
    if math.isnan(stamp) or stamp <= 0:
        return None
    return stamp / 1000.0 if stamp > 1e11 else stamp


def strip_nul(value, depth=0):
    """A copy of a JSON value without NUL characters (PostgreSQL refuses them in text
    and jsonb); structures nested deeper than 32 levels are dropped."""
    if depth > 32:
        return None
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {
            str(key).replace("\x00", ""): strip_nul(item, depth + 1) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [strip_nul(item, depth + 1) for item in value]
    if value is None or isinstance(value, bool | int) or is_finite(value):
        return value
    return str(value).replace("\x00", "")
