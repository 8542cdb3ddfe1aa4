import io
import json
import logging
import re
from urllib.parse import parse_qsl

import requests
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import NotFound
from werkzeug.formparser import FormDataParser

from odoo import http
from odoo.http import request

from ..adapters.common import RequestData
from ..tools import BodyTooLarge, BodyUnreadable, drain, input_stream, read_bounded

_logger = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
MAX_FORM_FIELDS = 1000
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
KEY_IN_PATH = re.compile(r"(/crm_telephony/)[^/\s?]+")


class HideConnectionKeys(logging.Filter):
    """The connection key is the PBX's password: the access log shows the path
    without it."""

    def filter(self, record):
        message = record.getMessage()
        if "/crm_telephony/" in message:
            record.msg, record.args = KEY_IN_PATH.sub(r"\1***", message), ()
        return True


logging.getLogger("werkzeug").addFilter(HideConnectionKeys())


def _no_form_parsing(_controller):
    """Route hook run before Odoo parses the body: keep Odoo from parsing it at all
    (werkzeug 2.2 would read a chunked body whole, before the key is even looked at).
    The controller reads the body itself, bounded, once the connection is known."""
    httprequest = request.httprequest
    httprequest.form = ImmutableMultiDict()
    httprequest.files = ImmutableMultiDict()


def _refuse(status, payload):
    """Answer without reading the body: what is left of it is thrown away (up to a
    bound) so that the PBX gets the answer."""
    response = _json_response(status, payload)
    if not drain(input_stream(request.httprequest)):
        response.headers["Connection"] = "close"
    return response


def _form(body, mimetype, mimetype_params):
    """The form fields of a form body (first value of each), as Odoo would have parsed
    them; {} for other bodies."""
    if mimetype == URLENCODED:
        pairs = parse_qsl(
            body.decode("utf-8", errors="replace"),
            keep_blank_values=True,
            max_num_fields=MAX_FORM_FIELDS,
        )
        return dict(ImmutableMultiDict(pairs))
    if mimetype == MULTIPART:
        boundary = (mimetype_params or {}).get("boundary", "").encode("latin-1", "replace")
        # werkzeug 2.2 has no cap on the number of parts: count them first
        if not boundary or body.count(b"--" + boundary) > MAX_FORM_FIELDS + 1:
            raise ValueError("bad multipart body")
        parser = FormDataParser(
            max_form_memory_size=len(body) + 1,
            max_content_length=len(body) + 1,
            cls=ImmutableMultiDict,
        )
        _stream, form, _files = parser.parse(
            io.BytesIO(body), MULTIPART, len(body), mimetype_params
        )
        return dict(form)
    return {}


def _json_response(status, payload):
    if isinstance(payload, str):
        return request.make_response(
            payload, headers=[("Content-Type", "text/plain; charset=utf-8")], status=status
        )
    return request.make_response(
        json.dumps(payload), headers=[("Content-Type", "application/json")], status=status
    )


class TelephonyController(http.Controller):
    @http.route(
        [
            "/crm_telephony/<string:connection_key>/event",
            # Mango Office posts to <its configured URL>/events/<kind>, and some kinds
            # have two segments (events/record/added, events/record/tagged)
            "/crm_telephony/<string:connection_key>/events/<path:kind>",
        ],
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
        max_content_length=_no_form_parsing,
    )
    def telephony_event(self, connection_key, **_params):
        """The key first, then the body, read bounded whatever the headers say."""
        httprequest = request.httprequest
        connections = request.env["crm.telephony.connection"]
        if not connections.sudo()._find_by_key(connection_key):
            return _refuse(404, {"error": "unknown connection"})
        if (httprequest.content_length or 0) > MAX_BODY:
            return _refuse(413, {"error": "body too large"})
        try:
            body = read_bounded(input_stream(httprequest), MAX_BODY)
            form = _form(body, httprequest.mimetype, httprequest.mimetype_params)
        except BodyTooLarge:
            return _refuse(413, {"error": "body too large"})
        except (BodyUnreadable, ValueError):
            return _refuse(400, {"error": "unreadable body"})
        data = RequestData(
            method=httprequest.method,
            body=body,
            content_type=httprequest.mimetype,
            headers=dict(httprequest.headers),
            query=dict(httprequest.args),
            form=form,
            remote_addr=httprequest.remote_addr or "",
            path=httprequest.path,
        )
        status, payload = connections._telephony_receive(connection_key, data)
        return _json_response(status, payload)

    @http.route("/crm_telephony/recording/<int:call_id>", type="http", auth="user")
    def telephony_recording(self, call_id, **_params):
        call = request.env["crm.telephony.call"].browse(call_id).exists()
        if not call:
            raise NotFound()
        call.check_access("read")
        try:
            url = call._recording_playable_url()
        except (requests.RequestException, ValueError) as exc:
            _logger.info("Recording of call %s could not be fetched: %s", call_id, exc)
            return _json_response(502, {"error": "the PBX did not give the recording"})
        if not url:
            raise NotFound()
        return request.redirect(url, local=False)
