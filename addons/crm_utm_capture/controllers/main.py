import json

from werkzeug.datastructures import FileStorage

from odoo import http
from odoo.http import request

from ..models.crm_capture_site import HARD_MAX_BODY_BYTES

JSON_TYPES = ("application/json", "text/json")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
PREFLIGHT_MAX_AGE = "86400"


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
        return payload, None, raw
    return None, "Send the form as JSON, urlencoded or multipart form data.", raw


class CaptureController(http.Controller):
    @http.route(
        "/crm/capture/<string:site_key>",
        type="http",
        auth="public",
        methods=["POST", "OPTIONS"],
        csrf=False,
        save_session=False,
        max_content_length=HARD_MAX_BODY_BYTES,
    )
    def capture(self, site_key, **params):
        """Capture a web-form inquiry into a lead (see crm.capture.site.capture)."""
        httprequest = request.httprequest
        site = request.env["crm.capture.site"].sudo()._find_by_key(site_key)
        if not site:
            return _json_response(404, {"error": "not_found"})
        origin = httprequest.headers.get("Origin")
        if not site._is_origin_allowed(origin):
            return _json_response(403, {"error": "origin_not_allowed"})
        cors = _cors_headers(origin)
        if httprequest.method == "OPTIONS":
            return request.make_response("", headers=list(cors.items()), status=204)
        payload, parse_error, raw = _read_body(httprequest, params)
        meta = {
            "remote_ip": httprequest.remote_addr,
            "origin": origin,
            "content_type": httprequest.content_type,
            "user_agent": httprequest.headers.get("User-Agent"),
            "raw_body": raw,
            "body_size": httprequest.content_length or len(raw),
            "parse_error": parse_error,
        }
        status, body, headers = site.capture(payload, meta)
        return _json_response(status, body, {**cors, **headers})
