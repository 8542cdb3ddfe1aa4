"""Stage gates hold for RPC clients of a real multi-worker server."""

import odoorpc
import pytest


def stage_id(client, code):
    return client.env.ref(f"crm_regulation.stage_{code}").id


@pytest.fixture(scope="module")
def salesperson(odoo_server):
    return odoo_server.rpc("demo", "demo")


@pytest.fixture()
def deal(odoo_rpc, salesperson):
    team = odoo_rpc.env.ref("sales_team.team_sales_department")
    demo_user = odoo_rpc.env.ref("base.user_demo")
    return salesperson.env["crm.lead"].create(
        {
            "name": "RPC — 10 chairs",
            "type": "opportunity",
            "team_id": team.id,
            "user_id": demo_user.id,
            "stage_id": stage_id(odoo_rpc, "in_work"),
        }
    )


def read_stage(client, deal_id):
    return client.env["crm.lead"].read([deal_id], ["stage_id"])[0]["stage_id"][0]


def test_salesperson_cannot_move_a_deal_past_an_unmet_gate_over_rpc(odoo_rpc, salesperson, deal):
    with pytest.raises(odoorpc.error.RPCError) as error:
        salesperson.env["crm.lead"].write([deal], {"stage_id": stage_id(odoo_rpc, "qualified")})
    assert "Cannot move 'RPC — 10 chairs' to Qualified" in str(error.value)
    assert "fill in the budget (expected revenue)" in str(error.value)
    assert read_stage(odoo_rpc, deal) == stage_id(odoo_rpc, "in_work")


def test_salesperson_moves_the_deal_once_the_gate_is_met_over_rpc(odoo_rpc, salesperson, deal):
    salesperson.env["crm.lead"].write(
        [deal], {"stage_id": stage_id(odoo_rpc, "qualified"), "expected_revenue": 90000}
    )
    assert read_stage(odoo_rpc, deal) == stage_id(odoo_rpc, "qualified")


def test_salesperson_cannot_force_through_the_context_over_rpc(odoo_rpc, salesperson, deal):
    leads = salesperson.env["crm.lead"].with_context(regulation_force_reason="please")
    with pytest.raises(odoorpc.error.RPCError) as error:
        leads.write([deal], {"stage_id": stage_id(odoo_rpc, "qualified")})
    assert "Only a regulation manager" in str(error.value)
    assert read_stage(odoo_rpc, deal) == stage_id(odoo_rpc, "in_work")


def test_manager_forces_a_move_with_a_reason_over_rpc(odoo_rpc, deal):
    leads = odoo_rpc.env["crm.lead"].with_context(regulation_force_reason="Agreed by phone")
    leads.write([deal], {"stage_id": stage_id(odoo_rpc, "qualified")})
    assert read_stage(odoo_rpc, deal) == stage_id(odoo_rpc, "qualified")
    stays = odoo_rpc.env["crm.lead.stage.history"].search_read(
        [("lead_id", "=", deal), ("left_at", "=", False)], ["forced", "force_reason"]
    )
    assert stays == [{"id": stays[0]["id"], "forced": True, "force_reason": "Agreed by phone"}]


def test_import_cannot_create_a_deal_past_an_unmet_gate(odoo_rpc, salesperson):
    result = salesperson.env["crm.lead"].load(
        ["name", "type", "stage_id/id"],
        [["Imported — 5 sofas", "opportunity", "crm_regulation.stage_contract_agreed"]],
    )
    messages = " ".join(message["message"] for message in result["messages"])
    assert not result["ids"]
    assert "attach a contract scan" in messages
