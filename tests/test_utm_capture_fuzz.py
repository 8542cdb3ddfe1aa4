"""Fuzzing the capture endpoint of the real server with generated bodies: it never
answers 5xx, always answers JSON, and never loses a valid inquiry."""

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ORIGIN = "https://fuzz.example.com"
CONTENT_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "text/plain",
    "",
]
FIELDS = ["name", "phone", "email", "company", "message", "utm_source", "utm_term", "gclid"]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children),
    max_leaves=8,
)


def post(url, body, content_type):
    headers = {"Origin": ORIGIN}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


@pytest.fixture(scope="module")
def fuzz_site(odoo_rpc):
    sites = odoo_rpc.env["crm.capture.site"]
    site_id = sites.create(
        {"name": "Fuzz", "allowed_origins": ORIGIN, "rate_limit_window": 0, "honeypot_field": ""}
    )
    yield sites.read([site_id], ["key"])[0]["key"]
    # leads sit in the regulation's stages: remove them so the addons can be uninstalled
    leads = odoo_rpc.env["crm.lead"].with_context(active_test=False)
    lead_ids = leads.search([("capture_site_id", "=", site_id)])
    if lead_ids:
        leads.unlink(lead_ids)
    sites.unlink([site_id])


@FUZZ
@given(body=st.binary(max_size=2048), content_type=st.sampled_from(CONTENT_TYPES))
def test_random_bytes_never_get_a_server_error(odoo_server, fuzz_site, body, content_type):
    status, answer, headers = post(f"{odoo_server.url}/crm/capture/{fuzz_site}", body, content_type)
    assert status < 500, answer
    assert headers["Content-Type"].startswith("application/json")


@FUZZ
@given(payload=st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=20), json_values))
def test_random_json_fields_never_get_a_server_error(odoo_server, fuzz_site, payload):
    status, answer, _headers = post(
        f"{odoo_server.url}/crm/capture/{fuzz_site}",
        json.dumps(payload).encode(),
        "application/json",
    )
    assert status in (201, 400), answer


@FUZZ
@given(
    name=st.text(max_size=80),
    message=st.text(max_size=300),
    extra=st.dictionaries(st.text(min_size=1, max_size=10).map(lambda k: f"x_{k}"), st.text()),
    as_form=st.booleans(),
)
def test_valid_inquiry_is_never_lost(
    odoo_server, odoo_rpc, fuzz_site, name, message, extra, as_form
):
    email = f"fuzz-{uuid.uuid4().hex}@example.com"
    fields = {**extra, "name": name, "message": message, "email": email}
    if as_form:
        body = urllib.parse.urlencode(fields).encode()
        content_type = "application/x-www-form-urlencoded"
    else:
        body, content_type = json.dumps(fields).encode(), "application/json"
    url = f"{odoo_server.url}/crm/capture/{fuzz_site}"
    status, answer, _headers = post(url, body, content_type)
    assert status == 201, answer
    assert odoo_rpc.env["crm.lead"].search_count([("email_from", "=", email)]) == 1
