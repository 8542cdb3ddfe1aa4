"""A team outside the regulation keeps Odoo's behaviour for RPC clients of a real server,
next to a team that follows it (issue #19)."""

import uuid

import odoorpc
import pytest
from test_cli_helpers import stage_team_field


@pytest.fixture(scope="module")
def plain_team(odoo_rpc):
    return odoo_rpc.env["crm.team"].create({"name": f"Plain team {uuid.uuid4().hex[:6]}"})


@pytest.fixture(scope="module")
def regulated_team(odoo_rpc):
    return odoo_rpc.env["crm.team"].create(
        {"name": f"Regulated team {uuid.uuid4().hex[:6]}", "use_regulation": True}
    )


def create_deal(client, team_id, name="Quote request", **values):
    return client.env["crm.lead"].create(
        dict({"name": name, "type": "opportunity", "team_id": team_id}, **values)
    )


def read(client, deal_id, fields):
    return client.env["crm.lead"].read([deal_id], fields)[0]


def test_mark_won_in_a_mixed_batch_gates_only_the_regulated_deal(
    odoo_rpc, plain_team, regulated_team
):
    plain = create_deal(odoo_rpc, plain_team)
    regulated = create_deal(odoo_rpc, regulated_team, name="ACME — 10 chairs")
    with pytest.raises(odoorpc.error.RPCError) as error:
        odoo_rpc.env["crm.lead"].browse([plain, regulated]).action_set_won()
    assert "Cannot move 'ACME — 10 chairs'" in str(error.value)
    odoo_rpc.env["crm.lead"].browse([plain]).action_set_won()
    assert (
        read(odoo_rpc, plain, ["stage_id"])["stage_id"][0] == odoo_rpc.env.ref("crm.stage_lead4").id
    )


def test_plain_team_deletes_and_reorders_its_stages(odoo_rpc, plain_team):
    stages = odoo_rpc.env["crm.stage"]
    team_field = stage_team_field(odoo_rpc)
    team_value = plain_team if team_field == "team_id" else [(6, 0, [plain_team])]
    visit = stages.create({"name": "Site visit", team_field: team_value, "sequence": 2})
    deal = create_deal(odoo_rpc, plain_team, stage_id=visit)
    odoo_rpc.env["crm.lead"].write([deal], {"stage_id": odoo_rpc.env.ref("crm.stage_lead2").id})
    stages.browse([visit]).unlink()
    assert not stages.search([("id", "=", visit)])
    history = odoo_rpc.env["crm.lead.stage.history"].search_read(
        [("lead_id", "=", deal), ("stage_name", "=", "Site visit")], ["stage_id"]
    )
    assert history and history[0]["stage_id"] is False
    # Odoo's own crm tests put every stage at 9999: the regulation's gates stay put.
    own = stages.search([(team_field, "=", plain_team)])
    stages.browse(own).write({"sequence": 9999})
    assert create_deal(odoo_rpc, plain_team)


def test_plain_deal_is_lost_without_a_reason(odoo_rpc, plain_team):
    deal = create_deal(odoo_rpc, plain_team)
    odoo_rpc.env["crm.lead"].browse([deal]).action_set_lost()
    assert read(odoo_rpc, deal, ["active"])["active"] is False
