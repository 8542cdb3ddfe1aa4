"""Each role of the quality department, over RPC on the real server."""

import uuid

import odoorpc
import pytest


@pytest.fixture(scope="module")
def reviewer(odoo_server):
    return odoo_server.rpc("reviewer", "reviewer")


@pytest.fixture(scope="module")
def salesperson(odoo_server):
    return odoo_server.rpc("demo", "demo")


@pytest.fixture(scope="module")
def lost_deal(odoo_rpc):
    """A lost deal of the demo salesperson, with a review assigned to the demo reviewer."""
    demo = odoo_rpc.env.ref("base.user_demo")
    reviewer_user = odoo_rpc.env.ref("crm_quality_review.user_reviewer_demo")
    reason = odoo_rpc.env["crm.lost.reason"].create({"name": "RPC test reason"})
    deal_id = odoo_rpc.env["crm.lead"].create(
        {"name": "Quality RPC — lost sofas", "type": "opportunity", "user_id": demo.id}
    )
    odoo_rpc.env["crm.lead"].browse(deal_id).action_set_lost(lost_reason_id=reason)
    review_id = odoo_rpc.env["crm.quality.review"].create(
        {"lead_id": deal_id, "salesperson_id": demo.id, "reviewer_id": reviewer_user.id}
    )
    return deal_id, review_id


def test_reviewer_reads_deals_of_every_team(reviewer, odoo_rpc):
    all_deals = odoo_rpc.env["crm.lead"].search_count([])
    assert reviewer.env["crm.lead"].search_count([]) == all_deals


def test_reviewer_cannot_edit_or_reassign_a_deal(reviewer, lost_deal):
    deal_id, _review = lost_deal
    with pytest.raises(odoorpc.error.RPCError) as error:
        reviewer.env["crm.lead"].write([deal_id], {"user_id": False})
    assert "not allowed to modify" in str(error.value)


def test_reviewer_cannot_export_the_customer_base(reviewer, lost_deal):
    deal_id, _review = lost_deal
    with pytest.raises(odoorpc.error.RPCError):
        reviewer.env["crm.lead"].export_data([deal_id], ["name", "phone"])


def test_reviewer_has_no_sales_rights(reviewer):
    user = reviewer.env.user
    assert not reviewer.env["res.users"].has_group([user.id], "sales_team.group_sale_salesman")


def test_reviewer_works_their_review(reviewer, lost_deal):
    _deal, review_id = lost_deal
    reviewer.env["crm.quality.review"].action_take([review_id])
    state = reviewer.env["crm.quality.review"].read([review_id], ["state"])[0]["state"]
    assert state == "in_progress"


def test_salesperson_sees_the_review_only_once_published(odoo_rpc, salesperson, lost_deal):
    _deal, review_id = lost_deal
    reviews = salesperson.env["crm.quality.review"]
    assert reviews.search_count([("id", "=", review_id)]) == 0
    odoo_rpc.env["crm.quality.review"].write([review_id], {"published": True})
    assert reviews.search_count([("id", "=", review_id)]) == 1


def test_salesperson_cannot_write_reviews(salesperson, lost_deal):
    _deal, review_id = lost_deal
    with pytest.raises(odoorpc.error.RPCError):
        salesperson.env["crm.quality.review"].write([review_id], {"note": "<p>it was fine</p>"})


def test_reviewer_reads_the_call_log(reviewer, odoo_rpc):
    assert reviewer.env["crm.telephony.call"].search_count([]) == odoo_rpc.env[
        "crm.telephony.call"
    ].search_count([])


def test_reviewer_cannot_change_a_call(reviewer, odoo_rpc):
    connection = odoo_rpc.env["crm.telephony.connection"].search([], limit=1)
    call = odoo_rpc.env["crm.telephony.call"].create(
        {
            "connection_id": connection[0],
            "provider_call_id": f"quality-rpc-call-{uuid.uuid4().hex[:8]}",
            "client_number": "+79990001122",
        }
    )
    assert reviewer.env["crm.telephony.call"].search_count([("id", "=", call)]) == 1
    with pytest.raises(odoorpc.error.RPCError):
        reviewer.env["crm.telephony.call"].write([call], {"summary": "changed"})
