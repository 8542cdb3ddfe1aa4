"""Nobody bends the money: every attack a role could try over RPC on the real
multi-worker server is refused (or harmless by design), and nothing changed afterwards —
payroll totals, violations, stage history, the deal's owner and its chatter.

One test per attack, named after it, played as the role that would try it: a
salesperson, a quality reviewer, a regulation manager or Sales administrator, a portal
user. The fixtures (made by the administrator) are a round-the-clock regulation team, a
deal with an open fine, a deal that earned payroll and a lost deal under review.
"""

import pytest
from rpc_roles import make_user, refused
from test_cli_helpers import created_a_day_ago, unique

# ----------------------------------------------------------------- helpers


def ref_id(client, xmlid):
    return client.env.ref(xmlid).id


def stage_id(client, code):
    return ref_id(client, f"crm_regulation.stage_{code}")


def evidence(admin, deal_id):
    """Everything an attack on a deal could change: owner, stage, money, chatter."""
    leads = admin.env["crm.lead"].with_context(active_test=False)
    deal = leads.read(
        [deal_id],
        ["user_id", "team_id", "stage_id", "active", "lost_reason_id", "regulation_start_at"],
    )
    violations = admin.env["crm.regulation.violation"].search_read(
        [("lead_id", "=", deal_id)],
        ["rule_code", "state", "fine", "fine_due", "user_id", "is_current", "waive_reason"],
        order="id",
    )
    stays = admin.env["crm.lead.stage.history"].search_read(
        [("lead_id", "=", deal_id)],
        ["stage_id", "entered_at", "left_at", "payroll_amount", "clawback_amount"],
        order="id",
    )
    chatter = admin.env["mail.message"].search_read(
        [("model", "=", "crm.lead"), ("res_id", "=", deal_id)],
        ["date", "message_type", "body"],
        order="id",
    )
    return {"deal": deal, "violations": violations, "stays": stays, "chatter": chatter}


def payroll(admin, user_id):
    """The payroll and fine totals of a salesperson, all months together."""
    lines = admin.env["crm.regulation.payroll.summary"].search_read(
        [("user_id", "=", user_id)], ["net_amount", "payroll_deals", "fines", "kpi_eligible"]
    )
    return {
        "net": sum(line["net_amount"] for line in lines),
        "deals": sum(line["payroll_deals"] for line in lines),
        "fines": sum(line["fines"] for line in lines),
    }


def new_deal(admin, team_id, user_id, stage="in_work", **values):
    vals = {
        "name": unique("Cheat — deal"),
        "type": "opportunity",
        "team_id": team_id,
        "user_id": user_id,
        "stage_id": stage_id(admin, stage),
    }
    vals.update(values)
    return admin.env["crm.lead"].create(vals)


def force(admin, deal_id, code, reason="set up by the administrator"):
    admin.env["crm.lead"].with_context(regulation_force_reason=reason).write(
        [deal_id], {"stage_id": stage_id(admin, code)}
    )


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def admin(odoo_rpc):
    return odoo_rpc


@pytest.fixture(scope="module")
def team(round_the_clock_team):
    return round_the_clock_team


@pytest.fixture(scope="module")
def customer(admin):
    return admin.env["res.partner"].create(
        {
            "name": unique("Cheat Customer LLC"),
            "is_company": True,
            "vat": "7707083893",
            "street": "Tverskaya 7",
        }
    )


@pytest.fixture(scope="module")
def seller(odoo_server, admin):
    return make_user(odoo_server, admin, "cheat-seller", ["sales_team.group_sale_salesman"])


@pytest.fixture(scope="module")
def colleague(odoo_server, admin):
    return make_user(odoo_server, admin, "cheat-colleague", ["sales_team.group_sale_salesman"])


@pytest.fixture(scope="module")
def reviewer(odoo_server):
    client = odoo_server.rpc("reviewer", "reviewer")
    return client, client.env.uid


@pytest.fixture(scope="module")
def reviewer_seller(odoo_server, admin):
    return make_user(
        odoo_server,
        admin,
        "cheat-reviewer-seller",
        ["crm_quality_review.group_quality_reviewer", "sales_team.group_sale_salesman"],
    )


@pytest.fixture(scope="module")
def regulation_manager(odoo_server, admin):
    return make_user(
        odoo_server,
        admin,
        "cheat-reg-manager",
        ["crm_regulation.group_regulation_manager", "sales_team.group_sale_salesman_all_leads"],
    )


@pytest.fixture(scope="module")
def sales_admin(odoo_server, admin):
    return make_user(odoo_server, admin, "cheat-sales-admin", ["sales_team.group_sale_manager"])


@pytest.fixture(scope="module")
def portal(odoo_server, admin):
    return make_user(odoo_server, admin, "cheat-portal", ["base.group_portal"])


def late_deal(admin, database, team, user_id):
    """A deal never contacted a day after it came in: R02 is open."""
    deal_id = new_deal(admin, team, user_id, stage="new")
    created_a_day_ago(database, deal_id)
    admin.env["crm.regulation.rule"].action_run_detection([])
    violations = admin.env["crm.regulation.violation"].search_read(
        [("lead_id", "=", deal_id), ("rule_code", "=", "R02")], ["state"]
    )
    assert [violation["state"] for violation in violations] == ["open"]
    return deal_id


@pytest.fixture(scope="module")
def fined_deal(admin, database, team, seller):
    return late_deal(admin, database, team, seller[1])


@pytest.fixture(scope="module")
def paid_deal(admin, team, seller, customer):
    """A deal of the seller that entered Prepayment received for 250 000."""
    deal_id = new_deal(admin, team, seller[1], expected_revenue=250000, partner_id=customer)
    force(admin, deal_id, "prepayment")
    return deal_id


@pytest.fixture(scope="module")
def reason(admin):
    return admin.env["crm.lost.reason"].create({"name": unique("Too expensive")})


def lost_deal_under_review(admin, team, salesperson_id, reviewer_id, reason, **review):
    deal_id = new_deal(admin, team, salesperson_id, expected_revenue=5000)
    admin.env["crm.lead"].browse(deal_id).action_set_lost(lost_reason_id=reason)
    values = {"lead_id": deal_id, "salesperson_id": salesperson_id, "reviewer_id": reviewer_id}
    values.update(review)
    return deal_id, admin.env["crm.quality.review"].create(values)


# ------------------------------------------------------------ salesperson


def test_salesperson_cycling_stages_is_paid_once(admin, team, seller, customer):
    client, uid = seller
    deal_id = new_deal(admin, team, uid, expected_revenue=250000, partner_id=customer)
    admin.env["ir.attachment"].create(
        {
            "name": "contract.pdf",
            "res_model": "crm.lead",
            "res_id": deal_id,
            "raw": "JVBERi0xLjQ=",
            "regulation_document_type": "contract",
        }
    )
    before = payroll(admin, uid)
    leads = client.env["crm.lead"]
    for _lap in range(3):
        leads.browse(deal_id).message_post(
            body="Customer confirmed the order", message_type="comment"
        )
        leads.write([deal_id], {"stage_id": stage_id(admin, "prepayment")})
        leads.write([deal_id], {"stage_id": stage_id(admin, "won")})
        leads.write([deal_id], {"stage_id": stage_id(admin, "in_work")})
    leads.browse(deal_id).message_post(body="Paid again", message_type="comment")
    leads.write([deal_id], {"stage_id": stage_id(admin, "prepayment")})
    after = payroll(admin, uid)
    assert after["net"] - before["net"] == 250000
    assert after["deals"] - before["deals"] == 1


def test_salesperson_cannot_cancel_their_fine(admin, seller, fined_deal):
    client, _uid = seller
    before = evidence(admin, fined_deal)
    [violation] = [v["id"] for v in before["violations"] if v["rule_code"] == "R02"]
    violations = client.env["crm.regulation.violation"]
    refused(lambda: violations.write([violation], {"fine": 0}), "not allowed")
    refused(lambda: violations.write([violation], {"state": "resolved"}), "not allowed")
    refused(lambda: violations.unlink([violation]), "not allowed")
    assert evidence(admin, fined_deal) == before


def test_salesperson_cannot_waive_their_own_violation(admin, seller, fined_deal):
    client, _uid = seller
    before = evidence(admin, fined_deal)
    [violation] = [v["id"] for v in before["violations"] if v["rule_code"] == "R02"]
    refused(
        lambda: client.env["crm.regulation.violation"].action_waive([violation], "I was busy"),
        "Only a regulation manager may waive",
    )
    assert evidence(admin, fined_deal) == before


def test_salesperson_cannot_fine_a_colleague(admin, seller, colleague, team):
    client, _uid = seller
    victim_deal = new_deal(admin, team, colleague[1])
    before = payroll(admin, colleague[1])
    refused(
        lambda: client.env["crm.regulation.violation"].create(
            {
                "rule_id": ref_id(admin, "crm_regulation.rule_r02"),
                "lead_id": victim_deal,
                "user_id": colleague[1],
                "company_id": 1,
                "detected_at": "2026-01-01 00:00:00",
                "fine": 99999,
            }
        ),
        "not allowed",
    )
    assert payroll(admin, colleague[1]) == before


def test_salesperson_cannot_forge_a_payroll_entry(admin, seller, paid_deal):
    client, uid = seller
    before = payroll(admin, uid)
    refused(
        lambda: client.env["crm.lead.stage.history"].create(
            {
                "lead_id": paid_deal,
                "stage_id": stage_id(admin, "final_payment"),
                "entered_at": "2026-01-01 00:00:00",
                "salesperson_id": uid,
                "payroll_amount": 1000000,
            }
        ),
        "not allowed",
    )
    assert payroll(admin, uid) == before


def test_salesperson_cannot_rewrite_the_stage_history(admin, seller, paid_deal):
    client, _uid = seller
    before = evidence(admin, paid_deal)
    stays = [stay["id"] for stay in before["stays"]]
    history = client.env["crm.lead.stage.history"]
    refused(lambda: history.write(stays, {"payroll_amount": 999999}), "not allowed")
    refused(lambda: history.write(stays, {"entered_at": "2020-01-01 00:00:00"}), "not allowed")
    refused(lambda: history.unlink(stays), "not allowed")
    assert evidence(admin, paid_deal) == before


def test_salesperson_cannot_drag_a_deal_out_of_the_regulation_pipeline(admin, team, seller):
    client, uid = seller
    deal_id = new_deal(admin, team, uid)
    generic = admin.env["crm.stage"].search([("regulation_code", "=", False)], limit=1)[0]
    before = evidence(admin, deal_id)
    refused(
        lambda: client.env["crm.lead"].write([deal_id], {"stage_id": generic}),
        "cannot leave",
    )
    assert evidence(admin, deal_id) == before


def test_salesperson_cannot_escape_the_rules_by_changing_team(admin, team, seller):
    client, uid = seller
    deal_id = new_deal(admin, team, uid)
    classic = admin.env["crm.team"].create({"name": unique("Classic team")})
    before = evidence(admin, deal_id)
    refused(
        lambda: client.env["crm.lead"].write([deal_id], {"team_id": classic}),
        "cannot leave",
    )
    assert evidence(admin, deal_id) == before


def test_salesperson_cannot_force_a_gate_through_the_context(admin, team, seller):
    client, uid = seller
    deal_id = new_deal(admin, team, uid)
    before = evidence(admin, deal_id)
    leads = client.env["crm.lead"].with_context(regulation_force_reason="trust me")
    refused(
        lambda: leads.write([deal_id], {"stage_id": stage_id(admin, "contract_agreed")}),
        "Only a regulation manager",
    )
    assert evidence(admin, deal_id) == before


def test_salesperson_cannot_postpone_the_rules_of_a_late_deal(admin, seller, fined_deal):
    client, _uid = seller
    before = evidence(admin, fined_deal)
    refused(
        lambda: client.env["crm.lead"].write(
            [fined_deal], {"regulation_start_at": "2099-01-01 00:00:00"}
        ),
        "Only a regulation manager",
    )
    assert evidence(admin, fined_deal) == before


def test_salesperson_cannot_create_a_deal_judged_from_the_future(admin, team, seller):
    client, uid = seller
    refused(
        lambda: client.env["crm.lead"].create(
            {
                "name": unique("Cheat — future"),
                "team_id": team,
                "user_id": uid,
                "regulation_start_at": "2099-01-01 00:00:00",
            }
        ),
        "cannot start in the future",
    )


def test_salesperson_cannot_backdate_a_contact(admin, database, team, seller):
    client, uid = seller
    fined_deal = late_deal(admin, database, team, uid)
    client.env["crm.lead"].browse(fined_deal).message_post(
        body="Called the customer", message_type="comment"
    )
    [message] = client.env["mail.message"].search(
        [("model", "=", "crm.lead"), ("res_id", "=", fined_deal), ("body", "ilike", "Called")]
    )
    admin.env["crm.regulation.rule"].action_run_detection([])
    before = evidence(admin, fined_deal)
    refused(
        lambda: client.env["mail.message"].write([message], {"date": "2020-01-01 00:00:00"}),
        "evidence",
    )
    assert evidence(admin, fined_deal) == before


def test_salesperson_cannot_reset_the_unsorted_clock(admin, database, team, seller):
    client, uid = seller
    deal_id = new_deal(admin, team, uid, stage="unsorted")
    with database() as connection, connection.cursor() as cr:
        cr.execute(
            "UPDATE crm_lead_stage_history SET entered_at = entered_at - interval '1 day' "
            "WHERE lead_id = %s",
            [deal_id],
        )
    # The ordinary "last stage update" field is his to write; the rule does not read it.
    client.env["crm.lead"].write([deal_id], {"date_last_stage_update": "2099-01-01 00:00:00"})
    admin.env["crm.regulation.rule"].action_run_detection([])
    violations = admin.env["crm.regulation.violation"].search_read(
        [("lead_id", "=", deal_id), ("rule_code", "=", "R03")], ["state"]
    )
    assert [violation["state"] for violation in violations] == ["open"]


def test_salesperson_cannot_export_deals_through_the_stage_history(admin, seller, paid_deal):
    client, _uid = seller
    company = admin.env.user.company_id.id
    admin.env["res.company"].write([company], {"regulation_restrict_export": True})
    try:
        stays = client.env["crm.lead.stage.history"].search([("lead_id", "=", paid_deal)])
        refused(
            lambda: client.env["crm.lead.stage.history"].export_data(
                stays, ["lead_id/phone", "lead_id/partner_id/name"]
            ),
            "export the customer base",
        )
    finally:
        admin.env["res.company"].write([company], {"regulation_restrict_export": False})


def test_salesperson_cannot_export_by_picking_an_unrestricted_company(admin, seller, paid_deal):
    client, uid = seller
    company = admin.env.user.company_id.id
    free = admin.env["res.company"].create({"name": unique("Free branch")})
    admin.env["res.users"].write([uid], {"company_ids": [(4, free)]})
    admin.env["res.company"].write([company], {"regulation_restrict_export": True})
    try:
        leads = client.env["crm.lead"].with_context(allowed_company_ids=[free, company])
        refused(
            lambda: leads.export_data([paid_deal], ["name", "phone"]),
            "export the customer base",
        )
    finally:
        admin.env["res.company"].write([company], {"regulation_restrict_export": False})


def test_salesperson_sees_only_their_own_payroll(admin, seller, colleague, paid_deal):
    client, uid = seller
    lines = client.env["crm.regulation.payroll.summary"].search_read([], ["user_id"])
    assert {line["user_id"][0] for line in lines} == {uid}
    refused(
        lambda: client.execute_kw(
            "crm.regulation.payroll.summary",
            "get_regulation_report",
            ["2026-01-01", "2026-12-31"],
            {"user_id": colleague[1]},
        ),
        "only see your own",
    )


def test_salesperson_cannot_merge_tags(admin, seller):
    client, _uid = seller
    before = admin.env["crm.tag"].search_count([])
    refused(
        lambda: client.env["crm.tag"].action_merge_duplicate_tags(),
        "Only a regulation manager may merge",
    )
    assert admin.env["crm.tag"].search_count([]) == before


# -------------------------------------------------------- quality reviewer


def test_reviewer_cannot_make_a_review_to_revive_any_deal(admin, team, colleague, reviewer):
    client, uid = reviewer
    deal_id = new_deal(admin, team, colleague[1])
    before = evidence(admin, deal_id)
    refused(
        lambda: client.env["crm.quality.review"].create(
            {
                "lead_id": deal_id,
                "outcome": "revive",
                "revive_user_id": uid,
                "salesperson_id": colleague[1],
            }
        ),
        "not allowed",
    )
    assert evidence(admin, deal_id) == before


def test_reviewer_cannot_revive_an_open_deal_through_a_review(admin, team, colleague, reviewer):
    client, uid = reviewer
    deal_id = new_deal(admin, team, colleague[1])
    review = admin.env["crm.quality.review"].create(
        {"lead_id": deal_id, "salesperson_id": colleague[1], "reviewer_id": uid}
    )
    reviews = client.env["crm.quality.review"]
    reviews.write(
        [review], {"outcome": "revive", "revive_user_id": ref_id(admin, "base.user_demo")}
    )
    reviews.action_take([review])
    before = evidence(admin, deal_id)
    refused(lambda: reviews.action_done([review]), "Only a lost deal")
    assert evidence(admin, deal_id) == before


def test_reviewer_cannot_rewrite_the_lost_reason_of_an_open_deal(admin, team, colleague, reviewer):
    client, uid = reviewer
    deal_id = new_deal(admin, team, colleague[1])
    review = admin.env["crm.quality.review"].create(
        {"lead_id": deal_id, "salesperson_id": colleague[1], "reviewer_id": uid}
    )
    other_reason = admin.env["crm.lost.reason"].create({"name": unique("Rewritten")})
    reviews = client.env["crm.quality.review"]
    reviews.write([review], {"outcome": "corrected", "corrected_lost_reason_id": other_reason})
    reviews.action_take([review])
    before = evidence(admin, deal_id)
    refused(lambda: reviews.action_done([review]), "Only a lost deal")
    assert evidence(admin, deal_id) == before


def test_reviewer_cannot_fine_someone_else_than_the_deals_salesperson(
    admin, team, seller, colleague, reviewer, reason
):
    client, uid = reviewer
    _deal, review = lost_deal_under_review(admin, team, seller[1], uid, reason)
    reviews = client.env["crm.quality.review"]
    before = payroll(admin, colleague[1])
    refused(
        lambda: reviews.write([review], {"salesperson_id": colleague[1]}),
        "salesperson_id",
    )
    assert payroll(admin, colleague[1]) == before


def test_reviewer_cannot_publish_past_the_quality_manager(admin, team, seller, reviewer, reason):
    client, uid = reviewer
    _deal, review = lost_deal_under_review(admin, team, seller[1], uid, reason)
    reviews = client.env["crm.quality.review"]
    refused(lambda: reviews.write([review], {"published": True}), "published")
    refused(lambda: reviews.action_publish([review]), "Only a quality manager")
    assert reviews.read([review], ["published"])[0]["published"] is False


def test_reviewer_cannot_change_a_closed_review_or_close_it_twice(
    admin, team, seller, reviewer, reason
):
    client, uid = reviewer
    deal_id, review = lost_deal_under_review(
        admin, team, seller[1], uid, reason, outcome="salesperson_error"
    )
    reviews = client.env["crm.quality.review"]
    reviews.action_take([review])
    reviews.action_done([review])
    before = evidence(admin, deal_id)
    assert [v["rule_code"] for v in before["violations"]] == ["Q01"]
    refused(lambda: reviews.write([review], {"outcome": "confirmed"}), "closed review")
    refused(lambda: reviews.action_done([review]), "closed")
    assert evidence(admin, deal_id) == before


def test_reviewer_cannot_tick_the_checklist_of_a_closed_audit(admin, team, seller, reviewer):
    client, uid = reviewer
    deal_id = new_deal(admin, team, seller[1])
    script = ref_id(admin, "crm_quality_review.script_sales_call")
    items = admin.env["crm.quality.script.item"].search([("script_id", "=", script)])
    review = admin.env["crm.quality.review"].create(
        {
            "review_type": "call_audit",
            "lead_id": deal_id,
            "salesperson_id": seller[1],
            "reviewer_id": uid,
            "script_id": script,
            "check_ids": [(0, 0, {"item_id": item}) for item in items],
        }
    )
    reviews = client.env["crm.quality.review"]
    reviews.action_take([review])
    reviews.action_done([review])
    checks = admin.env["crm.quality.review.check"].search([("review_id", "=", review)])
    before = reviews.read([review], ["score", "violation_id"])
    refused(
        lambda: client.env["crm.quality.review.check"].write(checks, {"done": True}),
        "closed review",
    )
    assert reviews.read([review], ["score", "violation_id"]) == before


def test_reviewer_cannot_review_their_own_deal(admin, team, reviewer_seller, reason):
    client, uid = reviewer_seller
    deal_id, review = lost_deal_under_review(admin, team, uid, uid, reason, outcome="confirmed")
    reviews = client.env["crm.quality.review"]
    refused(lambda: reviews.action_take([review]), "own deal")
    refused(lambda: reviews.action_done([review]), "own deal")
    assert reviews.read([review], ["state"])[0]["state"] == "todo"
    assert evidence(admin, deal_id)["deal"][0]["active"] is False


def test_reviewer_cannot_revive_a_lost_deal_for_themself(
    admin, team, colleague, reviewer_seller, reason
):
    client, uid = reviewer_seller
    deal_id, review = lost_deal_under_review(
        admin, team, colleague[1], uid, reason, outcome="revive", revive_user_id=uid
    )
    reviews = client.env["crm.quality.review"]
    reviews.action_take([review])
    before = evidence(admin, deal_id)
    refused(lambda: reviews.action_done([review]), "for themself")
    assert evidence(admin, deal_id) == before


def test_reviewer_cannot_export_deals_through_the_reviews(admin, team, seller, reviewer, reason):
    client, uid = reviewer
    _deal, review = lost_deal_under_review(admin, team, seller[1], uid, reason)
    refused(
        lambda: client.env["crm.quality.review"].export_data(
            [review], ["lead_id/phone", "lead_id/partner_id/email"]
        ),
        "cannot export the customer base",
    )


# -------------------------------------------- regulation manager, Sales administrator


def test_regulation_manager_cannot_zero_a_fine_without_a_trace(
    admin, regulation_manager, fined_deal
):
    client, _uid = regulation_manager
    before = evidence(admin, fined_deal)
    [violation] = [v["id"] for v in before["violations"] if v["rule_code"] == "R02"]
    violations = client.env["crm.regulation.violation"]
    refused(lambda: violations.write([violation], {"fine": 0}), "not allowed")
    refused(lambda: violations.write([violation], {"state": "waived"}), "not allowed")
    refused(lambda: violations.write([violation], {"user_id": 1}), "not allowed")
    refused(lambda: violations.action_waive([violation], "   "), "needs a reason")
    assert evidence(admin, fined_deal) == before


def test_sales_admin_cannot_rewrite_or_delete_the_stage_history(admin, sales_admin, paid_deal):
    client, uid = sales_admin
    before = evidence(admin, paid_deal)
    stays = [stay["id"] for stay in before["stays"]]
    history = client.env["crm.lead.stage.history"]
    refused(lambda: history.write(stays, {"salesperson_id": uid}), "not allowed")
    refused(lambda: history.unlink(stays), "not allowed")
    assert evidence(admin, paid_deal) == before


def test_sales_admin_cannot_delete_a_fined_deal(admin, sales_admin, fined_deal):
    client, _uid = sales_admin
    before = evidence(admin, fined_deal)
    refused(lambda: client.env["crm.lead"].unlink([fined_deal]), "archive them")
    assert evidence(admin, fined_deal) == before


def test_sales_admin_cannot_delete_a_deal_that_earned_payroll(
    admin, sales_admin, seller, paid_deal
):
    client, _uid = sales_admin
    before, totals = evidence(admin, paid_deal), payroll(admin, seller[1])
    refused(lambda: client.env["crm.lead"].unlink([paid_deal]), "archive them")
    assert evidence(admin, paid_deal) == before
    assert payroll(admin, seller[1]) == totals


def test_regulation_manager_cannot_delete_a_rule_with_fines(admin, regulation_manager, fined_deal):
    client, _uid = regulation_manager
    rule = ref_id(admin, "crm_regulation.rule_r02")
    refused(lambda: client.env["crm.regulation.rule"].unlink([rule]), "not allowed to delete")
    assert admin.env["crm.regulation.rule"].search_count([("id", "=", rule)]) == 1


def test_regulation_manager_cannot_turn_an_engine_rule_into_a_silent_one(admin, regulation_manager):
    client, _uid = regulation_manager
    rule = ref_id(admin, "crm_regulation.rule_r02")
    rules = client.env["crm.regulation.rule"]
    refused(lambda: rules.write([rule], {"detection": "manual"}), "detection")
    refused(lambda: rules.write([rule], {"code": "R99"}), "code")
    assert rules.read([rule], ["code", "detection"])[0] == {
        "id": rule,
        "code": "R02",
        "detection": "engine",
    }


# ------------------------------------------------------------------ portal


def test_portal_user_cannot_merge_tags(admin, portal):
    client, _uid = portal
    before = admin.env["crm.tag"].search_count([])
    refused(
        lambda: client.env["crm.tag"].action_merge_duplicate_tags(),
        "Only a regulation manager may merge",
    )
    assert admin.env["crm.tag"].search_count([]) == before


def test_portal_user_cannot_read_payroll_or_fines(admin, portal, fined_deal):
    client, _uid = portal
    refused(lambda: client.env["crm.regulation.violation"].search_read([], ["fine"]), "not allowed")
    refused(
        lambda: client.env["crm.regulation.payroll.summary"].search_read([], ["net_amount"]),
        "not allowed",
    )
    refused(
        lambda: client.execute_kw(
            "crm.regulation.payroll.summary",
            "get_regulation_report",
            ["2026-01-01", "2026-12-31"],
        ),
        "not allowed",
    )


def test_portal_user_cannot_run_the_detection(admin, portal):
    client, _uid = portal
    refused(
        lambda: client.env["crm.regulation.rule"].action_run_detection([]),
        "Only a regulation manager may run",
    )
