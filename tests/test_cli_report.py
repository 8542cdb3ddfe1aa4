"""scripts/regulation_report end to end: payroll from the stage history of a real server."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from test_cli_helpers import created_a_day_ago, groups_field, run_tool, unique

TODAY = datetime.datetime.now(datetime.timezone.utc).date()
PERIOD = ["--from", TODAY - datetime.timedelta(days=1), "--to", TODAY + datetime.timedelta(days=1)]


def stage_id(client, code):
    return client.env.ref(f"crm_regulation.stage_{code}").id


def new_salesperson(odoo_rpc):
    login = unique("seller").replace(" ", "-")
    group = odoo_rpc.env.ref("sales_team.group_sale_salesman").id
    user_id = odoo_rpc.env["res.users"].create(
        {"name": f"Seller {login}", "login": login, groups_field(odoo_rpc): [(6, 0, [group])]}
    )
    return {"id": user_id, "login": login, "name": f"Seller {login}"}


@pytest.fixture(scope="module")
def salesperson(odoo_rpc):
    return new_salesperson(odoo_rpc)


def make_deal(client, salesperson, amount, team_id=None):
    team_id = team_id or client.env.ref("sales_team.team_sales_department").id
    return client.env["crm.lead"].create(
        {
            "name": unique("Report — deal"),
            "type": "opportunity",
            "team_id": team_id,
            "user_id": salesperson["id"],
            "stage_id": stage_id(client, "in_work"),
            "expected_revenue": amount,
        }
    )


def move(client, deal_id, code):
    leads = client.env["crm.lead"].with_context(regulation_force_reason="report test")
    leads.write([deal_id], {"stage_id": stage_id(client, code)})


@pytest.fixture(scope="module")
def paid_deals(odoo_rpc, salesperson):
    prepaid = make_deal(odoo_rpc, salesperson, 100000)
    move(odoo_rpc, prepaid, "prepayment")
    paid = make_deal(odoo_rpc, salesperson, 50000)
    move(odoo_rpc, paid, "prepayment")
    move(odoo_rpc, paid, "final_payment")
    clawed = make_deal(odoo_rpc, salesperson, 30000)
    move(odoo_rpc, clawed, "prepayment")
    move(odoo_rpc, clawed, "contract_agreed")
    return {"prepaid": prepaid, "paid": paid, "clawed": clawed}


def report(server, *args, cwd=None):
    return run_tool(server, "regulation_report", *PERIOD, *args, cwd=cwd)


def json_report(server, salesperson):
    result = report(server, "--salesperson", salesperson["login"], "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_payroll_lists_each_entry_into_a_payroll_eligible_stage(
    odoo_server, salesperson, paid_deals
):
    entries = json_report(odoo_server, salesperson)["payroll"]["entries"]
    assert sorted((e["deal_id"], e["stage"]) for e in entries) == sorted(
        [
            (paid_deals["prepaid"], "Prepayment received"),
            (paid_deals["paid"], "Prepayment received"),
            (paid_deals["paid"], "Final payment received"),
            (paid_deals["clawed"], "Prepayment received"),
        ]
    )


def test_clawback_lists_the_deal_that_left_a_payroll_stage_backwards(
    odoo_server, salesperson, paid_deals
):
    clawbacks = json_report(odoo_server, salesperson)["payroll"]["clawbacks"]
    assert [(c["deal_id"], c["stage"], c["moved_to"], c["amount"]) for c in clawbacks] == [
        (paid_deals["clawed"], "Prepayment received", "Invoice and contract agreed", 30000)
    ]


def test_payroll_summary_counts_deals_and_nets_clawbacks(odoo_server, salesperson, paid_deals):
    [summary] = json_report(odoo_server, salesperson)["payroll"]["salespeople"]
    assert (summary["deals"], summary["entries"], summary["amount"]) == (3, 4, 230000)
    assert (summary["clawbacks"], summary["net_amount"]) == (1, 200000)


def test_a_period_without_moves_has_no_payroll(odoo_server, salesperson, paid_deals):
    result = run_tool(
        odoo_server, "regulation_report", "--from", "2020-01-01", "--to", "2020-01-31",
        "--salesperson", salesperson["login"], "--format", "json",
    )  # fmt: skip
    payroll = json.loads(result.stdout)["payroll"]
    assert (payroll["entries"], payroll["clawbacks"]) == ([], [])


def test_team_filter_keeps_only_the_teams_deals(odoo_server, odoo_rpc, paid_deals):
    team = odoo_rpc.env["crm.team"].create({"name": unique("Team"), "use_regulation": True})
    other = make_deal(odoo_rpc, new_salesperson(odoo_rpc), 7000, team_id=team)
    move(odoo_rpc, other, "prepayment")
    team_name = odoo_rpc.env["crm.team"].read([team], ["name"])[0]["name"]
    result = report(odoo_server, "--team", team_name, "--format", "json")
    entries = json.loads(result.stdout)["payroll"]["entries"]
    assert [e["deal_id"] for e in entries] == [other]


def test_table_names_the_payroll_deals_of_the_salesperson(
    odoo_server, salesperson, paid_deals, odoo_rpc
):
    result = report(odoo_server, "--salesperson", salesperson["login"])
    assert result.returncode == 0, result.stderr
    name = odoo_rpc.env["crm.lead"].read([paid_deals["paid"]], ["name"])[0]["name"]
    assert name in result.stdout
    assert "Payroll-eligible deals" in result.stdout


def test_compliance_lists_violations_by_rule_with_their_fines(
    odoo_server, odoo_rpc, database, round_the_clock_team
):
    seller = new_salesperson(odoo_rpc)
    # Round the clock: a day-old deal is late for R02 on a Sunday night too.
    deal = make_deal(odoo_rpc, seller, 1000, team_id=round_the_clock_team)
    created_a_day_ago(database, deal)
    odoo_rpc.env["crm.regulation.rule"].action_run_detection([])
    compliance = json_report(odoo_server, seller)["compliance"]
    rules = {rule["rule"]: rule for rule in compliance["rules"]}
    fine = odoo_rpc.env["crm.regulation.rule"].read(
        [odoo_rpc.env.ref("crm_regulation.rule_r02").id], ["fine_amount"]
    )[0]["fine_amount"]
    assert rules["R02"]["open"] == 1
    assert rules["R02"]["fines"] == fine
    assert compliance["fines"] >= fine


def test_csv_has_one_record_per_payroll_entry(odoo_server, salesperson, paid_deals):
    result = report(odoo_server, "--salesperson", salesperson["login"], "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    eligible = [row for row in rows if row["record"] == "payroll_eligible"]
    assert len(eligible) == 4


def test_xlsx_writes_a_workbook_with_the_payroll_deals(
    odoo_server, salesperson, paid_deals, tmp_path
):
    path = tmp_path / "report.xlsx"
    result = report(
        odoo_server, "--salesperson", salesperson["login"], "--format", "xlsx", "--output", path
    )
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(path)["Payroll deals"]
    assert sheet.max_row == 1 + 4


def test_xlsx_without_an_output_file_exits_with_a_one_line_reason(odoo_server):
    result = report(odoo_server, "--format", "xlsx")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --format xlsx needs --output FILE.xlsx"


def test_unknown_salesperson_exits_with_a_one_line_reason(odoo_server):
    result = report(odoo_server, "--salesperson", "nobody-at-all")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: unknown salesperson 'nobody-at-all'"


def test_help_shows_examples(odoo_server):
    result = run_tool(odoo_server, "regulation_report", "--help")
    assert "scripts/regulation_report --format xlsx --output october.xlsx" in result.stdout
