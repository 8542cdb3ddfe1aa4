"""Lead capture against the real multi-worker server: the rate limit is shared by the
worker processes because it lives in the database."""

import json
import re
import threading
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

ORIGIN = "https://e2e.example.com"


def post(url, payload, content_type="application/json", origin=ORIGIN, timeout=60):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": content_type, "Origin": origin}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


CREATED_SITES = []


def make_site(odoo_rpc, **values):
    sites = odoo_rpc.env["crm.capture.site"]
    site_id = sites.create(
        {"name": f"E2E {uuid.uuid4().hex[:6]}", "allowed_origins": ORIGIN, **values}
    )
    CREATED_SITES.append(site_id)
    return sites.read([site_id], ["key"])[0]["key"]


def delete_sites_and_leads(odoo_rpc, site_ids):
    """Leads sit in the regulation's stages: remove them so the addons can be uninstalled."""
    leads = odoo_rpc.env["crm.lead"].with_context(active_test=False)
    lead_ids = leads.search([("capture_site_id", "in", site_ids)])
    if lead_ids:
        leads.unlink(lead_ids)
    odoo_rpc.env["crm.capture.site"].unlink(site_ids)


@pytest.fixture(scope="module", autouse=True)
def cleanup(odoo_rpc):
    yield
    delete_sites_and_leads(odoo_rpc, CREATED_SITES)


@pytest.fixture
def limited_site(odoo_rpc):
    return make_site(odoo_rpc, rate_limit_ip=5, rate_limit_site=0, rate_limit_window=3600)


def served_by_pids(log_path, key):
    pattern = re.compile(rf"^\S+ \S+ (\d+) INFO .*POST /crm/capture/{re.escape(key)} ")
    with open(log_path, encoding="utf-8", errors="replace") as log:
        return {match.group(1) for line in log if (match := pattern.match(line))}


def test_rate_limit_holds_across_worker_processes(odoo_server, limited_site):
    url = f"{odoo_server.url}/crm/capture/{limited_site}"
    payloads = [{"email": f"burst{i}-{uuid.uuid4().hex[:6]}@example.com"} for i in range(16)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda payload: post(url, payload), payloads))
    statuses = [status for status, _body, _headers in answers]
    assert sorted(statuses) == [201] * 5 + [429] * 11
    assert len(served_by_pids(odoo_server.log_path, limited_site)) == 2


def test_json_inquiry_becomes_a_lead_visible_over_rpc(odoo_server, odoo_rpc):
    russia = odoo_rpc.env["res.country"].search([("code", "=", "RU")])[0]
    key = make_site(odoo_rpc, country_id=russia)
    if not odoo_rpc.env["utm.source"].search([("name", "=", "yandex")]):
        odoo_rpc.env["utm.source"].create({"name": "yandex"})
    email = f"rpc-{uuid.uuid4().hex[:8]}@example.com"
    status, body, _headers = post(
        f"{odoo_server.url}/crm/capture/{key}",
        {"email": email, "phone": "8 (999) 123-45-67", "utm_source": "yandex"},
    )
    assert status == 201, body
    leads = odoo_rpc.env["crm.lead"].search_read(
        [("email_from", "=", email)], ["phone", "source_id"]
    )
    assert leads[0]["phone"] == "+79991234567"
    assert leads[0]["source_id"][1] == "yandex"


def test_bad_input_gets_json_errors_not_html(odoo_server, odoo_rpc):
    key = make_site(odoo_rpc)
    status, body, headers = post(f"{odoo_server.url}/crm/capture/{key}", b"\xff\xfe{", "text/xml")
    assert status == 400
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["errors"]


def fire_at_once(url, payloads):
    """Post every payload from its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(payloads))

    def send(payload):
        barrier.wait()
        return post(url, payload)

    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        return list(pool.map(send, payloads))


def test_simultaneous_inquiries_of_one_new_contact_make_one_deal_with_all_of_them(
    odoo_server, odoo_rpc
):
    site_key = make_site(odoo_rpc, rate_limit_window=0)
    url = f"{odoo_server.url}/crm/capture/{site_key}"
    email = f"twin-{uuid.uuid4().hex[:8]}@example.com"
    # both workers warm, so that the inquiries below really run side by side
    fire_at_once(url, [{"email": f"warm{i}-{uuid.uuid4().hex[:8]}@example.com"} for i in range(4)])
    answers = fire_at_once(url, [{"email": email, "utm_content": f"ad{i}"} for i in range(8)])

    assert all(headers["Content-Type"].startswith("application/json") for *_s, headers in answers)
    assert [status for status, _body, _headers in answers] == [201] * 8, answers
    references = [json.loads(body)["reference"] for _status, body, _headers in answers]
    submissions = odoo_rpc.env["crm.capture.submission"].search_read(
        [("name", "in", references)], ["state", "lead_id"]
    )
    assert len(submissions) == 8
    assert {submission["state"] for submission in submissions} == {"done"}
    leads = odoo_rpc.env["crm.lead"].search_read([("email_from", "=", email)], ["touchpoint_count"])
    assert len(leads) == 1
    assert {submission["lead_id"][0] for submission in submissions} == {leads[0]["id"]}
    assert leads[0]["touchpoint_count"] == 8
