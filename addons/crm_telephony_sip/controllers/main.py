import json
import logging

import requests
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from ..adapters.common import RequestData

_logger = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024


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
        max_content_length=MAX_BODY,
    )
    def telephony_event(self, connection_key, **_params):
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > MAX_BODY:
            return _json_response(413, {"error": "body too large"})
        data = RequestData(
            method=httprequest.method,
            body=httprequest.get_data(cache=True),
            content_type=httprequest.mimetype,
            headers=dict(httprequest.headers),
            query=dict(httprequest.args),
            form=dict(httprequest.form),
            remote_addr=httprequest.remote_addr or "",
            path=httprequest.path,
        )
        status, payload = request.env["crm.telephony.connection"]._telephony_receive(
            connection_key, data
        )
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
