"""The real server answers, and the suite's addons are installed in it."""

import re
import urllib.request

import odoorpc
import pytest

ADDONS = ("crm_regulation", "crm_telephony_sip", "crm_utm_capture", "crm_quality_review")


def test_login_page_is_served(odoo_server):
    with urllib.request.urlopen(f"{odoo_server.url}/web/login", timeout=10) as response:
        body = response.read().decode()
    assert response.status == 200
    assert 'name="login"' in body


def test_admin_reads_installed_addon_versions_over_rpc(odoo_rpc):
    modules = odoo_rpc.env["ir.module.module"].search_read(
        [("name", "in", ADDONS)], ["name", "state", "latest_version"]
    )
    by_name = {module["name"]: module for module in modules}
    assert set(by_name) == set(ADDONS)
    for module in by_name.values():
        assert module["state"] == "installed", module
        # Odoo prefixes the series to the manifests' x.y.z: 18.0.x.y.z, 19.0.x.y.z
        series = re.match(r"\d+\.\d+", odoo_rpc.version).group()  # "19.0-20260402": 19.0
        assert module["latest_version"].startswith(f"{series}."), (series, module)


def test_wrong_password_is_refused(odoo_server):
    client = odoorpc.ODOO("127.0.0.1", port=odoo_server.port)
    with pytest.raises(odoorpc.error.RPCError):
        client.login(odoo_server.db_name, "admin", "not-the-password")
