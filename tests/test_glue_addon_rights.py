"""Reviewers' read access to the call log belongs to the glue addon
crm_quality_review_telephony, and to nothing else: uninstalling it takes the access
away, installing it again gives it back — whatever was installed before, in whatever
order (Odoo installs the glue addon with the second of its two parents and uninstalls
it with the first). Played on the real server, as an administrator would.
"""

import odoorpc
import pytest
from test_cli_helpers import groups_field, unique

GLUE = "crm_quality_review_telephony"
PASSWORD = "glue-rights-2026"


def module(admin, name):
    [module_id] = admin.env["ir.module.module"].search([("name", "=", name)])
    return module_id


def state(admin, name):
    return admin.env["ir.module.module"].read([module(admin, name)], ["state"])[0]["state"]


@pytest.fixture(scope="module")
def reviewer(odoo_server, odoo_rpc):
    login = unique("glue-reviewer").replace(" ", "-")
    odoo_rpc.env["res.users"].create(
        {
            "name": login,
            "login": login,
            "password": PASSWORD,
            groups_field(odoo_rpc): [
                (6, 0, [odoo_rpc.env.ref("crm_quality_review.group_quality_reviewer").id])
            ],
        }
    )
    return odoo_server.rpc(login, PASSWORD)


def can_read_calls(client):
    try:
        client.env["crm.telephony.call"].search([], limit=1)
    except odoorpc.error.RPCError as error:
        assert "not allowed" in str(error), str(error)
        return False
    return True


def test_reviewers_read_the_call_log_exactly_while_the_glue_addon_is_installed(odoo_rpc, reviewer):
    admin = odoo_rpc
    assert state(admin, GLUE) == "installed"
    assert can_read_calls(reviewer)
    try:
        admin.env["ir.module.module"].button_immediate_uninstall([module(admin, GLUE)])
        assert state(admin, GLUE) == "uninstalled"
        assert state(admin, "crm_quality_review") == "installed"
        assert state(admin, "crm_telephony_sip") == "installed"
        assert not can_read_calls(reviewer)
    finally:
        if state(admin, GLUE) != "installed":
            admin.env["ir.module.module"].button_immediate_install([module(admin, GLUE)])
    assert state(admin, GLUE) == "installed"
    assert can_read_calls(reviewer)
