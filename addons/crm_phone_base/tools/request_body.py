"""Read the body of a public request (a PBX event, a captured inquiry) with bounded
memory and time, and parse a form body without werkzeug's unbounded parser.

Werkzeug 2.2 (Odoo 18's) reads a chunked body whole, whatever ``max_content_length``
says, and Odoo parses form bodies before the controller runs. The public routes of the
suite (``crm_telephony_sip``'s event route, ``crm_utm_capture``'s capture route) turn
Odoo's parsing off, and their controllers read at most their limit from the stream
themselves, after the cheap checks (connection key, site, origin, rate limit) have passed.
"""

import io
import time
from urllib.parse import parse_qsl

from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import ClientDisconnected
from werkzeug.formparser import FormDataParser

READ_CHUNK = 64 * 1024
# Bytes of a refused body read (and thrown away) so that the client gets the answer;
# beyond that the connection is closed.
DRAIN_LIMIT = 4 * 1024 * 1024
# A client that trickles its body is cut off.
READ_SECONDS = 10
MAX_FORM_FIELDS = 1000
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


def parse_urlencoded(data):
    """The fields of an urlencoded body, an ImmutableMultiDict (at most
    ``MAX_FORM_FIELDS`` fields: more raise ValueError)."""
    pairs = parse_qsl(
        data.decode("utf-8", errors="replace"),
        keep_blank_values=True,
        max_num_fields=MAX_FORM_FIELDS,
    )
    return ImmutableMultiDict(pairs)


def parse_multipart(data, mimetype_params):
    """(form, files) of a multipart body, as werkzeug parses them.

    :raises ValueError: without a boundary, with more than ``MAX_FORM_FIELDS`` parts, or
        on a broken body
    """
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
    return form, files
