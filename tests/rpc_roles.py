"""What the "roles cannot cheat" tests share (test_roles_cannot_cheat,
test_roles_cannot_cheat_calls): a user of given groups logged in over RPC, and the
check that the server refuses a call."""

import odoorpc
import pytest
from test_cli_helpers import groups_field, unique

PASSWORD = "cheat-proof-2026"


def make_user(server, admin, name, groups, team_id=None):
    """A new user of ``groups`` (XML ids), member of ``team_id`` if given:
    (their RPC client, their id)."""
    login = unique(name).replace(" ", "-")
    user_id = admin.env["res.users"].create(
        {
            "name": login,
            "login": login,
            "email": f"{login}@example.com",
            "password": PASSWORD,
            groups_field(admin): [(6, 0, [admin.env.ref(xmlid).id for xmlid in groups])],
        }
    )
    if team_id:
        admin.env["crm.team.member"].create({"crm_team_id": team_id, "user_id": user_id})
    return server.rpc(login, PASSWORD), user_id


def refused(call, *words):
    """The server refuses the call with an error naming what is not allowed."""
    with pytest.raises(odoorpc.error.RPCError) as error:
        call()
    for word in words:
        assert word in str(error.value), str(error.value)
    return str(error.value)
