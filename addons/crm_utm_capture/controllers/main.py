import json

from werkzeug.datastructures import FileStorage, ImmutableMultiDict

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..models.crm_capture_site import HARD_MAX_BODY_BYTES

JSON_TYPES = ("application/json", "text/json")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
PREFLIGHT_MAX_AGE = "86400"
OVERSIZE_KEY = "crm_utm_capture.oversize"
DRAIN_LIMIT = 32 * 1024 * 1024


def _body_limit(_controller):
    """Route body limit, computed before Odoo parses the form: a body over the hard cap
    is not parsed but read and dropped, so that the endpoint can still journal it and
    answer 413 in JSON instead of an HTML error page."""
    httprequest = request.httprequest
    length = httprequest.content_length or 0
    if length <= HARD_MAX_BODY_BYTES:
        return HARD_MAX_BODY_BYTES
    httprequest.environ[OVERSIZE_KEY] = length
    httprequest.form = ImmutableMultiDict()
    httprequest.files = ImmutableMultiDict()
    if length <= DRAIN_LIMIT:
        # read the body out of the connection so that the client gets the answer
        httprequest.max_content_length = None
        httprequest.get_data(cache=False)
    return None


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


def _form_value(value):
    return value.filename or "" if isinstance(value, FileStorage) else value


def _read_body(httprequest, params):
    """(payload or None, parse error or None, raw body) of a capture request."""
    if httprequest.environ.get(OVERSIZE_KEY):
        return None, "The body is too large.", b""
    mimetype = (httprequest.mimetype or "").lower()
    if mimetype in FORM_TYPES:
        form = httprequest.form.to_dict(flat=False)
        payload = {key: _form_value(value) for key, value in params.items()}
        return payload, None, json.dumps(form, ensure_ascii=False)
    raw = httprequest.get_data()
    if mimetype in JSON_TYPES or mimetype.endswith("+json") or raw.lstrip()[:1] == b"{":
        try:
            payload = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):
            return None, "The body is not valid JSON.", raw
        if not isinstance(payload, dict):
            return None, "The JSON body must be an object of fields.", raw
        # fields of the query string, as Odoo merges them into forms
        for key, value in httprequest.args.items():
            payload.setdefault(key, value)
        return payload, None, raw
    return None, "Send the form as JSON, urlencoded or multipart form data.", raw


class CaptureController(http.Controller):
    @http.route(
        "/crm/capture/<string:site_key>",
        type="http",
        auth="public",
        methods=["GET", "POST", "OPTIONS"],
        csrf=False,
        save_session=False,
        max_content_length=_body_limit,
    )
    def capture(self, site_key, **params):
        """Capture a web-form inquiry into a lead (see crm.capture.site.capture)."""
        httprequest = request.httprequest
        # OdooBot records the inquiry: notes on deals are not signed by the public user
        site = request.env["crm.capture.site"].with_user(SUPERUSER_ID)._find_by_key(site_key)
        if not site:
            return _json_response(404, {"error": "not_found"})
        origin = httprequest.headers.get("Origin")
        if not site._is_origin_allowed(origin):
            return _json_response(403, {"error": "origin_not_allowed"})
        cors = _cors_headers(origin)
        if httprequest.method == "OPTIONS":
            return request.make_response("", headers=list(cors.items()), status=204)
        if httprequest.method != "POST":
            return _json_response(405, {"error": "method_not_allowed"}, {**cors, "Allow": "POST"})
        payload, parse_error, raw = _read_body(httprequest, params)
        meta = {
            "remote_ip": httprequest.remote_addr,
            "origin": origin,
            "content_type": httprequest.content_type,
            "user_agent": httprequest.headers.get("User-Agent"),
            "raw_body": raw,
            "body_size": max(httprequest.content_length or 0, len(raw)),
            "parse_error": parse_error,
        }
        status, body, headers = site.capture(payload, meta)
        return _json_response(status, body, {**cors, **headers})
