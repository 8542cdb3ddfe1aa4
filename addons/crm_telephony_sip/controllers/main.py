import json
import logging
import re

import requests
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.crm_phone_base.tools.request_body import (
    MULTIPART,
    URLENCODED,
    BodyTooLarge,
    BodyUnreadable,
    drain,
    input_stream,
    parse_multipart,
    parse_urlencoded,
    read_bounded,
)

from ..adapters.common import RequestData

_logger = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
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
        return dict(parse_urlencoded(body))
    if mimetype == MULTIPART:
        form, _files = parse_multipart(body, mimetype_params)
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
        # the connection key in the URL is the credential: no user is needed (nor the
        # public user's query), the PBX's requests are processed as the superuser
        auth="none",
        # the request's transaction journals the request, commits, then processes it
        readonly=False,
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
        max_content_length=_no_form_parsing,
    )
    def telephony_event(self, connection_key, **_params):
        """The key first, then the body, read bounded whatever the headers say."""
        httprequest = request.httprequest
        if not request.db:  # no database for this host (auth="none" routes answer then)
            return _refuse(404, {"error": "unknown connection"})
        connection = request.env["crm.telephony.connection"].sudo()._find_by_key(connection_key)
        if not connection:
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
        status, payload = connection._telephony_receive(data, in_request=True)
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
