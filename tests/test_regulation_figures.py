"""One definition of the money, read the same way by everyone who shows it: the Odoo
payroll summary, the compliance dashboard and scripts/regulation_report give the same
numbers for the same month; and deals brought in by an import are judged from it."""

import calendar
import datetime
import json

import pytest
from test_cli_helpers import created_a_day_ago, groups_field, run_tool, unique

PASSWORD = "figures-2026"


def stage_id(client, code):
    return client.env.ref(f"crm_regulation.stage_{code}").id


def move(admin, deal_id, code):
    admin.env["crm.lead"].with_context(regulation_force_reason="figures test").write(
        [deal_id], {"stage_id": stage_id(admin, code)}
    )


@pytest.fixture(scope="module")
def seller(odoo_rpc):
    login = unique("figures-seller").replace(" ", "-")
    group = odoo_rpc.env.ref("sales_team.group_sale_salesman").id
    user_id = odoo_rpc.env["res.users"].create(
        {
            "name": login,
            "login": login,
            "password": PASSWORD,
            groups_field(odoo_rpc): [(6, 0, [group])],
        }
    )
    return {"id": user_id, "login": login}


def new_deal(admin, team, seller, amount=0, stage="in_work"):
    return admin.env["crm.lead"].create(
        {
            "name": unique("Figures — deal"),
            "type": "opportunity",
            "team_id": team,
            "user_id": seller["id"],
            "stage_id": stage_id(admin, stage),
            "expected_revenue": amount,
        }
    )


def late_deal(admin, database, team, seller):
    deal_id = new_deal(admin, team, seller, stage="new")
    created_a_day_ago(database, deal_id)
    return deal_id


@pytest.fixture(scope="module")
def month(odoo_rpc, database, round_the_clock_team, seller):
    """A month of the seller: payroll, a clawback, an open fine, a waived one and the
    day's compliance snapshot. Returns the first and last day of that month."""
    admin, team = odoo_rpc, round_the_clock_team
    kept = new_deal(admin, team, seller, 100000)
    move(admin, kept, "prepayment")
    move(admin, kept, "final_payment")
    clawed = new_deal(admin, team, seller, 40000)
    move(admin, clawed, "prepayment")
    move(admin, clawed, "contract_agreed")
    late_deal(admin, database, team, seller)
    waived = late_deal(admin, database, team, seller)
    admin.env["crm.regulation.rule"].action_run_detection([])
    to_waive = admin.env["crm.regulation.violation"].search([("lead_id", "=", waived)])
    admin.env["crm.regulation.violation"].action_waive(to_waive, "Customer on holiday")
    snapshot_cron = admin.env.ref("crm_regulation.ir_cron_regulation_compliance_snapshot")
    admin.env["ir.cron"].method_direct_trigger([snapshot_cron.id])
    [stay] = admin.env["crm.lead.stage.history"].search_read(
        [("lead_id", "=", kept), ("payroll_amount", ">", 0)], ["entered_at"], limit=1
    )
    day = datetime.date.fromisoformat(stay["entered_at"][:10])
    first = day.replace(day=1)
    return first, day.replace(day=calendar.monthrange(day.year, day.month)[1])


def test_cli_payroll_summary_and_dashboard_give_the_same_numbers(
    odoo_server, odoo_rpc, seller, month
):
    first, last = month
    result = run_tool(
        odoo_server, "regulation_report", "--from", first, "--to", last,
        "--salesperson", seller["login"], "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    cli = json.loads(result.stdout)
    [cli_pay] = cli["payroll"]["salespeople"]
    [cli_score] = cli["compliance"]["salespeople"]

    [report] = odoo_rpc.env["crm.regulation.payroll.summary"].search_read(
        [("user_id", "=", seller["id"]), ("month", "=", str(first))],
        ["payroll_deals", "payroll_amount", "clawback_amount", "net_amount", "fines",
         "open_violation_count", "compliance_score", "kpi_eligible"],
    )  # fmt: skip
    [dashboard] = odoo_rpc.env["crm.regulation.payroll.summary"].read_group(
        [("user_id", "=", seller["id"]), ("month", "=", str(first))],
        ["fines:sum", "open_violation_count:sum", "compliance_score:avg", "net_amount:sum"],
        ["user_id"],
        lazy=False,
    )
    [violations_pivot] = odoo_rpc.env["crm.regulation.violation"].read_group(
        [
            ("user_id", "=", seller["id"]),
            ("detected_at", ">=", f"{first} 00:00:00"),
            ("detected_at", "<=", f"{last} 23:59:59"),
        ],
        ["fine_due:sum"],
        ["user_id"],
        lazy=False,
    )

    # Payroll: 100 000 twice (two stages), 40 000 paid then clawed back.
    assert (cli_pay["deals"], cli_pay["amount"], cli_pay["clawback_amount"]) == (2, 240000, 40000)
    assert (report["payroll_deals"], report["payroll_amount"], report["clawback_amount"]) == (
        cli_pay["deals"],
        cli_pay["amount"],
        cli_pay["clawback_amount"],
    )
    assert report["net_amount"] == cli_pay["net_amount"] == dashboard["net_amount"] == 200000
    # Fines: the open one counts, the waived one does not.
    assert report["fines"] == cli_score["fines"] == dashboard["fines"]
    assert report["fines"] == violations_pivot["fine_due"] > 0
    assert report["open_violation_count"] == cli_score["open_at_end"] > 0
    assert report["compliance_score"] == pytest.approx(cli_score["score"], abs=0.05)
    assert dashboard["compliance_score"] == pytest.approx(report["compliance_score"])
    # An open violation at the end of the month: no KPI bonus, whatever the score.
    assert report["kpi_eligible"] is False
    assert cli_score["kpi_eligible"] is False


def test_an_imported_deal_is_judged_from_its_import(odoo_rpc, database, round_the_clock_team):
    """Created a month ago, imported now: not late; 20 working minutes after the import
    (round-the-clock team, R02 allows 15): late."""
    admin = odoo_rpc
    deal_id = admin.env["crm.lead"].create(
        {
            "name": unique("Imported — old deal"),
            "type": "opportunity",
            "team_id": round_the_clock_team,
            "stage_id": stage_id(admin, "new"),
        }
    )

    def r02_after_import(minutes_ago):
        with database() as connection, connection.cursor() as cr:
            cr.execute(
                "UPDATE crm_lead SET create_date = now() at time zone 'UTC' - interval '30 days',"
                " regulation_start_at = now() at time zone 'UTC' - make_interval(mins => %s) "
                "WHERE id = %s",
                [minutes_ago, deal_id],
            )
        admin.env["crm.regulation.rule"].action_run_detection([])
        return admin.env["crm.regulation.violation"].search_count(
            [("lead_id", "=", deal_id), ("rule_code", "=", "R02"), ("state", "=", "open")]
        )

    assert r02_after_import(0) == 0
    assert r02_after_import(20) == 1
