"""Parse the body of a capture request.

The capture route turns Odoo's parsing off, and the controller reads at most the site's
limit from the stream itself (``crm_phone_base``'s ``tools/request_body``, shared with
the PBX endpoint), after the cheap checks (site, origin, rate limit) have passed.
"""

import json

from werkzeug.datastructures import FileStorage, ImmutableMultiDict

from odoo.addons.crm_phone_base.tools.request_body import (
    MULTIPART,
    URLENCODED,
    parse_multipart,
    parse_urlencoded,
)

JSON_TYPES = ("application/json", "text/json")


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
    return _multi_to_payload(parse_urlencoded(data))


def _parse_multipart(data, mimetype_params):
    return _multi_to_payload(*parse_multipart(data, mimetype_params))


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
