"""Read and parse the body of a capture request with bounded memory and time.

Werkzeug 2.2 (Odoo 18's) reads a chunked body whole, whatever ``max_content_length``
says, and Odoo parses form bodies before the controller runs. The capture route turns
Odoo's parsing off, and the controller reads at most the site's limit from the stream
itself, after the cheap checks (site, origin, rate limit) have passed.
"""

import io
import json
import time
from urllib.parse import parse_qsl

from werkzeug.datastructures import FileStorage, ImmutableMultiDict
from werkzeug.exceptions import ClientDisconnected
from werkzeug.formparser import FormDataParser

READ_CHUNK = 64 * 1024
# Bytes of a refused body read (and thrown away) so that the client gets the answer;
# beyond that the connection is closed.
DRAIN_LIMIT = 4 * 1024 * 1024
# A client that trickles its body is cut off.
READ_SECONDS = 10
MAX_FORM_FIELDS = 1000
JSON_TYPES = ("application/json", "text/json")
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


class BodyTooLarge(Exception):
    """The body is longer than the limit."""


class BodyUnreadable(Exception):
    """The body could not be read (client gone, broken chunked encoding, too slow)."""


def input_stream(httprequest):
    """The WSGI input stream of a request. Odoo's HTTPRequest wrapper keeps ``wsgi.input``
    out of its environ and exposes no stream; the werkzeug request it wraps does."""
    return httprequest._HTTPRequest__wrapped.stream


def read_bounded(stream, limit, seconds=READ_SECONDS):
    """At most ``limit`` bytes of a stream.

    :raises BodyTooLarge: when the stream holds more than ``limit`` bytes
    :raises BodyUnreadable: when reading fails or takes longer than ``seconds``
    """
    chunks, size = [], 0
    deadline = time.monotonic() + seconds
    try:
        while size <= limit:
            chunk = stream.read(min(READ_CHUNK, limit + 1 - size))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if time.monotonic() > deadline:
                raise BodyUnreadable("The body was sent too slowly.")
    except (OSError, ValueError, ClientDisconnected) as exc:
        raise BodyUnreadable(str(exc)) from exc
    raise BodyTooLarge()


def drain(stream, limit=DRAIN_LIMIT, seconds=READ_SECONDS):
    """Read and drop what is left of a body, up to ``limit`` bytes, so that the answer
    reaches the client; memory stays one chunk whatever the size. Returns whether the
    body was read to its end."""
    size, deadline = 0, time.monotonic() + seconds
    try:
        while size < limit and time.monotonic() < deadline:
            chunk = stream.read(READ_CHUNK)
            if not chunk:
                return True
            size += len(chunk)
    except (OSError, ValueError, ClientDisconnected):
        return False
    return False


def _multi_to_payload(form, files=None):
    """A dict of field -> value, or list of values for a repeated field; files are
    represented by their file name (their content is not kept)."""
    payload = {}
    for key, values in form.lists():
        payload[key] = values[0] if len(values) == 1 else values
    for key, storage in (files or ImmutableMultiDict()).items(multi=True):
        name = storage.filename or "" if isinstance(storage, FileStorage) else ""
        payload.setdefault(key, name)
        storage.close()
    return payload


def _parse_urlencoded(data):
    pairs = parse_qsl(
        data.decode("utf-8", errors="replace"),
        keep_blank_values=True,
        max_num_fields=MAX_FORM_FIELDS,
    )
    return _multi_to_payload(ImmutableMultiDict(pairs))


def _parse_multipart(data, mimetype_params):
    boundary = (mimetype_params or {}).get("boundary", "").encode("latin-1", "replace")
    # werkzeug 2.2 has no cap on the number of parts: count them first
    if not boundary or data.count(b"--" + boundary) > MAX_FORM_FIELDS + 1:
        raise ValueError("bad multipart body")
    parser = FormDataParser(
        max_form_memory_size=len(data) + 1,
        max_content_length=len(data) + 1,
        cls=ImmutableMultiDict,
    )
    _stream, form, files = parser.parse(io.BytesIO(data), MULTIPART, len(data), mimetype_params)
    return _multi_to_payload(form, files)


def _parse_json(data):
    payload = json.loads(data.decode("utf-8"))
    if not isinstance(payload, dict):
        raise TypeError("not an object")
    return payload


def parse_body(data, mimetype, mimetype_params, query_args):
    """(payload, error): the submitted fields of a body, merged with the fields of the
    query string (the body wins), or None and the reason it could not be read.

    :param query_args: a werkzeug MultiDict of the query string
    """
    mimetype = (mimetype or "").lower()
    query = _multi_to_payload(query_args)
    try:
        if mimetype == URLENCODED:
            return {**query, **_parse_urlencoded(data)}, None
        if mimetype == MULTIPART:
            return {**query, **_parse_multipart(data, mimetype_params)}, None
        if mimetype in JSON_TYPES or mimetype.endswith("+json") or data.lstrip()[:1] == b"{":
            try:
                return {**query, **_parse_json(data)}, None
            except TypeError:
                return None, "The JSON body must be an object of fields."
    except (ValueError, RecursionError, UnicodeDecodeError):
        # the parsers raise ValueError subclasses (JSON, multipart, too many fields)
        return None, "The body is not valid {kind}.".format(
            kind="JSON" if mimetype not in (URLENCODED, MULTIPART) else "form data"
        )
    return None, "Send the form as JSON, urlencoded or multipart form data."
