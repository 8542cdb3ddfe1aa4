import logging

from werkzeug.datastructures import ImmutableMultiDict

from odoo import SUPERUSER_ID, http
from odoo.http import request

from odoo.addons.crm_phone_base.tools.request_body import (
    BodyTooLarge,
    BodyUnreadable,
    drain,
    input_stream,
    read_bounded,
)

from ..tools.request_body import parse_body

_logger = logging.getLogger(__name__)

PREFLIGHT_MAX_AGE = "86400"
UNREADABLE = {"errors": [{"field": "body", "message": "Unreadable body."}]}


def _no_form_parsing(_controller):
    """Route hook run before Odoo parses the body: keep Odoo from parsing it at all
    (werkzeug 2.2 would read a chunked body whole). The controller reads the body itself,
    bounded by the site's limit, once the cheap checks have passed. Returns no limit:
    Odoo's own limit would answer an HTML 413."""
    httprequest = request.httprequest
    httprequest.form = ImmutableMultiDict()
    httprequest.files = ImmutableMultiDict()


def _json_response(status, body, headers=None):
    return request.make_json_response(body, headers=headers or {}, status=status)


def _cors_headers(origin):
    if not origin:
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Accept",
        "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
        "Vary": "Origin",
    }


def _refuse(status, body, headers=None):
    """Answer without reading the body: what is left of it is thrown away (up to a
    bound) so that the client gets the answer."""
    if not drain(input_stream(request.httprequest)):
        headers = {**(headers or {}), "Connection": "close"}
    return _json_response(status, body, headers)


class CaptureController(http.Controller):
    @http.route(
        "/crm/capture/<string:site_key>",
        type="http",
        # no user: OdooBot records the inquiry (the public user is not looked up)
        auth="none",
        readonly=False,  # the rate limit counts in the request's transaction
        methods=["GET", "POST", "OPTIONS"],
        csrf=False,
        save_session=False,
        max_content_length=_no_form_parsing,
    )
    def capture(self, site_key, **_params):
        """Capture a web-form inquiry into a lead (see crm.capture.site._capture).
        Every answer is JSON, failures included."""
        try:
            return self._capture(site_key)
        except Exception:
            # nothing could be kept (database down...): say so in JSON, never in HTML
            _logger.exception(
                "Capture for site key %s failed before it was journaled", site_key[:8]
            )
            return _json_response(503, {"error": "unavailable"}, {"Retry-After": "60"})

    def _capture(self, site_key):
        """Cheapest checks first, nothing stored for a refused request: site, origin,
        method, declared size, rate limit; then the body is read (bounded) and parsed."""
        httprequest = request.httprequest
        # OdooBot records the inquiry: notes on deals are not signed by the public user
        site = request.env["crm.capture.site"].with_user(SUPERUSER_ID)._find_by_key(site_key)
        if not site:
            return _refuse(404, {"error": "not_found"})
        origin = httprequest.headers.get("Origin")
        if not site._is_origin_allowed(origin):
            return _refuse(403, {"error": "origin_not_allowed"})
        cors = _cors_headers(origin)
        if httprequest.method == "OPTIONS":
            return request.make_response("", headers=list(cors.items()), status=204)
        if httprequest.method != "POST":
            return _refuse(405, {"error": "method_not_allowed"}, {**cors, "Allow": "POST"})
        too_large = (413, {"error": "payload_too_large"}, cors)
        if (httprequest.content_length or 0) > site.max_body_bytes:
            return _refuse(*too_large)
        rate = site._rate_check(httprequest.remote_addr)
        if rate.over_client:
            return _refuse(
                429, {"error": "too_many_requests"}, {**cors, "Retry-After": str(rate.retry_after)}
            )
        try:
            raw = read_bounded(input_stream(httprequest), site.max_body_bytes)
        except BodyTooLarge:
            return _refuse(*too_large)
        except BodyUnreadable:
            return _json_response(400, UNREADABLE, {**cors, "Connection": "close"})
        payload, parse_error = parse_body(
            raw, httprequest.mimetype, httprequest.mimetype_params, httprequest.args
        )
        meta = {
            "remote_ip": httprequest.remote_addr,
            "origin": origin,
            "content_type": httprequest.content_type,
            "user_agent": httprequest.headers.get("User-Agent"),
            "raw_body": raw,
            "body_size": len(raw),
            "parse_error": parse_error,
        }
        status, body, headers = site._capture(payload, meta, rate)
        return _json_response(status, body, {**cors, **headers})
