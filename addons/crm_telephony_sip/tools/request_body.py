"""Read a PBX request's body with bounded memory and time.

Werkzeug 2.2 (Odoo 18's) reads a chunked body whole, whatever ``max_content_length``
says, and Odoo parses form bodies before the controller runs. The event route turns
Odoo's parsing off, and the controller reads at most ``limit`` bytes from the stream
itself, once the connection key is known. (The same reading as crm_utm_capture's
``tools/request_body``: telephony does not depend on capture.)
"""

import time

from werkzeug.exceptions import ClientDisconnected

READ_CHUNK = 64 * 1024
# Bytes of a refused body read (and thrown away) so that the client gets the answer;
# beyond that the connection is closed.
DRAIN_LIMIT = 4 * 1024 * 1024
# A client that trickles its body is cut off.
READ_SECONDS = 10


class BodyTooLarge(Exception):
    """The body is longer than the limit."""


class BodyUnreadable(Exception):
    """The body could not be read (client gone, broken chunked encoding, too slow)."""


def input_stream(httprequest):
    """The WSGI input stream of a request (Odoo's wrapper exposes none)."""
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
    reaches the client. Returns whether the body was read to its end."""
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
