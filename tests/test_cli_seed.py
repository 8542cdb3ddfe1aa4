"""scripts/seed_demo end to end against the harness server."""

import itertools
import random

import pytest
from test_cli_helpers import run_tool

DEALS = 120


@pytest.fixture(scope="module")
def seeded(odoo_server, odoo_rpc, tmp_path_factory):
    seed = random.SystemRandom().randrange(10**6, 10**9)
    result = run_tool(
        odoo_server,
        "seed_demo",
        "--deals",
        DEALS,
        "--seed",
        seed,
        cwd=tmp_path_factory.mktemp("seed"),
    )
    assert result.returncode == 0, result.stderr
    leads = odoo_rpc.env["crm.lead"].with_context(active_test=False)
    deals = leads.search_read(
        [("referred", "=", f"demo seed {seed}")],
        ["stage_id", "active", "lost_reason_id", "partner_id", "activity_ids", "phone"],
    )
    return {"seed": seed, "output": result.stdout, "deals": deals}


def test_seed_creates_the_requested_number_of_deals(seeded):
    assert len(seeded["deals"]) == DEALS


def test_seeded_deals_cover_every_regulation_stage_but_unsorted(odoo_rpc, seeded):
    codes = {
        stage["id"]: stage["regulation_code"]
        for stage in odoo_rpc.env["crm.stage"].search_read(
            [("regulation_code", "!=", False)], ["regulation_code"]
        )
    }
    used = {codes[deal["stage_id"][0]] for deal in seeded["deals"]}
    assert used == set(codes.values()) - {"unsorted"}


def test_every_lost_deal_has_a_lost_reason(seeded):
    lost = [deal for deal in seeded["deals"] if not deal["active"]]
    assert lost
    assert all(deal["lost_reason_id"] for deal in lost)


def test_contacts_have_russian_and_international_phones(seeded):
    phones = [deal["phone"] for deal in seeded["deals"] if deal["phone"]]
    assert any(phone.startswith("+7 9") for phone in phones)
    assert any(not phone.startswith("+7") for phone in phones)


def test_open_deals_have_planned_activities(seeded, odoo_rpc):
    won = odoo_rpc.env.ref("crm_regulation.stage_won").id
    open_deals = [d for d in seeded["deals"] if d["active"] and d["stage_id"][0] != won]
    assert open_deals
    assert all(deal["activity_ids"] for deal in open_deals)


def test_stage_history_is_contiguous_and_ends_in_the_current_stage(seeded, odoo_rpc):
    deals = {deal["id"]: deal for deal in seeded["deals"]}
    stays = odoo_rpc.env["crm.lead.stage.history"].search_read(
        [("lead_id", "in", list(deals))],
        ["lead_id", "stage_id", "entered_at", "left_at", "next_stage_id", "forced"],
        order="lead_id, entered_at, id",
    )
    by_lead = {}
    for stay in stays:
        by_lead.setdefault(stay["lead_id"][0], []).append(stay)
    for lead_id, lead_stays in by_lead.items():
        for before, after in itertools.pairwise(lead_stays):
            assert before["left_at"] == after["entered_at"]
            assert before["next_stage_id"][0] == after["stage_id"][0]
        assert lead_stays[-1]["left_at"] is False
        assert lead_stays[-1]["stage_id"][0] == deals[lead_id]["stage_id"][0]
    assert not any(stay["forced"] for stay in stays)


def test_stage_history_lies_in_the_past(seeded, odoo_rpc):
    stays = odoo_rpc.env["crm.lead.stage.history"].search_read(
        [("lead_id", "in", [deal["id"] for deal in seeded["deals"]])], ["entered_at"]
    )
    days = {stay["entered_at"][:10] for stay in stays}
    assert len(days) > 10


def test_the_same_seed_twice_creates_nothing_new(odoo_server, odoo_rpc, seeded, tmp_path):
    result = run_tool(
        odoo_server, "seed_demo", "--deals", 5, "--seed", seeded["seed"], cwd=tmp_path
    )
    assert result.returncode == 0
    assert "nothing created" in result.stdout
    count = (
        odoo_rpc.env["crm.lead"]
        .with_context(active_test=False)
        .search_count([("referred", "=", f"demo seed {seeded['seed']}")])
    )
    assert count == DEALS


def test_unknown_team_exits_with_a_one_line_reason(odoo_server, tmp_path):
    result = run_tool(odoo_server, "seed_demo", "--team", "No such team", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: unknown sales team 'No such team'"


def test_help_shows_examples(odoo_server):
    result = run_tool(odoo_server, "seed_demo", "--help")
    assert "scripts/seed_demo --deals 200 --seed 7" in result.stdout


def test_the_same_seed_plans_the_same_deals(odoo_server, tmp_path):
    first = run_tool(
        odoo_server, "seed_demo", "--deals", 15, "--seed", 4242, "--dry-run", cwd=tmp_path
    )
    second = run_tool(
        odoo_server, "seed_demo", "--deals", 15, "--seed", 4242, "--dry-run", cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert first.stdout.count(" | ") == 2 * 15


def test_another_seed_plans_other_deals(odoo_server, tmp_path):
    first = run_tool(
        odoo_server, "seed_demo", "--deals", 15, "--seed", 4242, "--dry-run", cwd=tmp_path
    )
    other = run_tool(
        odoo_server, "seed_demo", "--deals", 15, "--seed", 4243, "--dry-run", cwd=tmp_path
    )
    assert first.stdout.splitlines()[1:] != other.stdout.splitlines()[1:]


def test_seeded_deals_have_utm_touchpoints(seeded, odoo_rpc):
    ids = [deal["id"] for deal in seeded["deals"]]
    touchpoints = odoo_rpc.env["crm.touchpoint"].search_read(
        [("lead_id", "in", ids)], ["lead_id", "source_id"]
    )
    assert {touch["lead_id"][0] for touch in touchpoints} == set(ids)
    assert all(touch["source_id"] for touch in touchpoints)


def test_seeded_calls_carry_recording_links(seeded, odoo_rpc):
    ids = [deal["id"] for deal in seeded["deals"]]
    calls = odoo_rpc.env["crm.telephony.call"].search_read(
        [("lead_id", "in", ids)], ["status", "recording_url"]
    )
    answered = [call for call in calls if call["status"] == "answered"]
    assert answered
    assert all(call["recording_url"].endswith(".mp3") for call in answered)


def test_lost_deals_are_queued_for_a_quality_call_back(seeded, odoo_rpc):
    lost = {deal["id"] for deal in seeded["deals"] if not deal["active"]}
    reviews = odoo_rpc.env["crm.quality.review"].search_read(
        [("lead_id", "in", list(lost))], ["lead_id", "review_type"]
    )
    assert {review["lead_id"][0] for review in reviews} == lost
    assert {review["review_type"] for review in reviews} == {"lost_callback"}
