"""regulation_report: compliance and payroll summaries for a period."""

import argparse
import csv
import datetime
import io
import json
import sys

import odoorpc

from .connection import CONNECTION_HELP, CliError, add_connection_arguments, connect, rpc_message

SUMMARY_MODEL = "crm.regulation.payroll.summary"
REPORT_METHOD = "get_regulation_report"

DESCRIPTION = """Print the regulation report for a period, optionally for one sales team or one
salesperson, as the server computes it (the same figures as the Payroll summary and the
Compliance dashboard in Odoo):
  - payroll: what entering a payroll-eligible stage (Prepayment received, Final payment
    received) paid in the period - once per deal and stage -, and clawbacks (deals moved
    back across such a stage in the period), per salesperson and deal by deal;
  - compliance: violations by rule (open, resolved, waived), fines (waived ones carry
    none), the compliance score per salesperson (the average of the server's daily
    compliance snapshots in the period) and KPI eligibility (a score at or above the
    threshold - --kpi-threshold, else the company's setting - and no violation open at
    the end of the period).
Salespeople see their own figures only. Dates are UTC days; --to is included."""

EPILOG = (
    """examples:
  export ODOO_URL=https://erp.example.com ODOO_DB=prod ODOO_LOGIN=manager
  read -rs ODOO_PASSWORD && export ODOO_PASSWORD
  scripts/regulation_report                                  # this month, all teams
  scripts/regulation_report --from 2026-10-01 --to 2026-10-31 --team "Sales"
  scripts/regulation_report --salesperson demo --format json
  scripts/regulation_report --format xlsx --output october.xlsx

"""
    + CONNECTION_HELP
)


def parse_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from error


def build_parser():
    parser = argparse.ArgumentParser(
        prog="regulation_report",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--from", dest="date_from", type=parse_date,
                        help="first day (default: the first day of this month)")  # fmt: skip
    parser.add_argument("--to", dest="date_to", type=parse_date, help="last day (default: today)")
    parser.add_argument("--team", help="sales team name or id")
    parser.add_argument("--salesperson", help="salesperson login or name")
    parser.add_argument(
        "--format", choices=["table", "csv", "xlsx", "json"], default="table", help="output (table)"
    )
    parser.add_argument("--output", help="write to this file (required for xlsx)")
    parser.add_argument(
        "--kpi-threshold", type=float, help="minimum score for the KPI bonus (company setting)"
    )
    add_connection_arguments(parser)
    return parser


# ------------------------------------------------------------------ gathering


class Report:
    def __init__(self, client, args):
        self.client = client
        self.env = client.env
        self.args = args
        today = datetime.date.today()
        self.date_from = args.date_from or today.replace(day=1)
        self.date_to = args.date_to or today
        if self.date_to < self.date_from:
            raise CliError(f"--to {self.date_to} is before --from {self.date_from}")
        self.team = self._team(args.team)
        self.salesperson = self._salesperson(args.salesperson)

    def _team(self, arg):
        if not arg:
            return None
        domain = [("id", "=", int(arg))] if arg.isdigit() else [("name", "=ilike", arg)]
        found = self.env["crm.team"].search_read(domain, ["name"], limit=1)
        if not found:
            raise CliError(f"unknown sales team '{arg}'")
        return found[0]

    def _salesperson(self, arg):
        if not arg:
            return None
        users = self.env["res.users"].with_context(active_test=False)
        found = users.search_read([("login", "=", arg)], ["name"], limit=1) or users.search_read(
            [("name", "=ilike", arg)], ["name"], limit=1
        )
        if not found:
            raise CliError(f"unknown salesperson '{arg}'")
        return found[0]

    def gather(self):
        """Ask the server for the report: the figures are defined there, once."""
        try:
            server = self.client.execute_kw(
                SUMMARY_MODEL,
                REPORT_METHOD,
                [str(self.date_from), str(self.date_to)],
                {
                    "team_id": self.team["id"] if self.team else False,
                    "user_id": self.salesperson["id"] if self.salesperson else False,
                    "kpi_threshold": self.args.kpi_threshold,
                },
            )
        except odoorpc.error.RPCError as error:
            message = rpc_message(error)
            if "doesn't exist" in message or REPORT_METHOD in message:
                raise CliError(
                    "the server has no regulation report (crm_regulation 18.0.2 or newer is needed)"
                ) from error
            raise CliError(f"the server refused the report: {message}") from error
        return {
            "period": server["period"],
            "team": self.team["name"] if self.team else None,
            "salesperson": self.salesperson["name"] if self.salesperson else None,
            "compliance": compliance_section(server),
            "payroll": payroll_section(server),
        }


def payroll_section(server):
    people = [
        {
            "salesperson": row["salesperson"],
            "deals": row["payroll_deals"],
            "entries": row["payroll_entries"],
            "amount": row["payroll_amount"],
            "clawbacks": row["clawback_count"],
            "clawback_amount": row["clawback_amount"],
            "net_amount": row["net_amount"],
        }
        for row in server["salespeople"]
        if row["payroll_entries"] or row["clawback_count"]
    ]
    return {
        "salespeople": people,
        "entries": [dict(line, moved_to="") for line in server["entries"]],
        "clawbacks": server["clawbacks"],
    }


def compliance_section(server):
    people = [
        {
            "salesperson": row["salesperson"],
            "open": row["open"],
            "resolved": row["resolved"],
            "waived": row["waived"],
            "fines": row["fines"],
            "open_at_end": row["open_violation_count"],
            "score": "" if row["compliance_score"] is None else round(row["compliance_score"], 1),
            "kpi_eligible": row["kpi_eligible"],
        }
        for row in server["salespeople"]
        if row["violation_count"] or row["compliance_score"] is not None
    ]
    return {
        "rules": server["rules"],
        "salespeople": people,
        "fines": sum(rule["fines"] for rule in server["rules"]),
        "kpi_threshold": server["kpi_threshold"],
        "score_source": "average of the daily compliance snapshots",
    }


# ---------------------------------------------------------------------- output

PAYROLL_COLUMNS = [("salesperson", "Salesperson"), ("deals", "Deals"), ("entries", "Entries"),
                   ("amount", "Amount"), ("clawbacks", "Clawbacks"),
                   ("clawback_amount", "Clawback amount"), ("net_amount", "Net")]  # fmt: skip
ENTRY_COLUMNS = [("date", "Date"), ("deal", "Deal"), ("stage", "Stage"),
                 ("salesperson", "Salesperson"), ("amount", "Amount"),
                 ("forced", "Forced")]  # fmt: skip
CLAWBACK_COLUMNS = [("date", "Date"), ("deal", "Deal"), ("stage", "Left stage"),
                    ("moved_to", "Moved to"), ("salesperson", "Salesperson"),
                    ("amount", "Amount")]  # fmt: skip
RULE_COLUMNS = [("rule", "Rule"), ("name", "Name"), ("open", "Open"), ("resolved", "Resolved"),
                ("waived", "Waived"), ("fines", "Fines")]  # fmt: skip
SCORE_COLUMNS = [("salesperson", "Salesperson"), ("open", "Open"), ("resolved", "Resolved"),
                 ("waived", "Waived"), ("fines", "Fines"), ("open_at_end", "Open at end"),
                 ("score", "Score"), ("kpi_eligible", "KPI eligible")]  # fmt: skip


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", " ")
    return str(value)


def text_table(columns, rows, indent="  "):
    if not rows:
        return [f"{indent}(none)"]
    cells = [[_cell(row[key]) for key, _title in columns] for row in rows]
    widths = [max(len(title), *(len(c[i]) for c in cells)) for i, (_k, title) in enumerate(columns)]
    lines = [
        indent + "  ".join(title.ljust(w) for (_k, title), w in zip(columns, widths, strict=True))
    ]
    for row in cells:
        lines.append(indent + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return [line.rstrip() for line in lines]


def render_table(data):
    scope = f"team: {data['team'] or 'all'}, salesperson: {data['salesperson'] or 'all'}"
    lines = [f"Regulation report {data['period']['from']} .. {data['period']['to']} ({scope})", ""]
    compliance = data["compliance"]
    lines.append("Compliance")
    lines.append("  Violations by rule")
    lines += text_table(RULE_COLUMNS, compliance["rules"], "    ")
    lines.append(f"  Fines: {_cell(float(compliance['fines']))}")
    lines.append(
        f"  Score and KPI by salesperson (score: {compliance['score_source']}; "
        f"KPI threshold {compliance['kpi_threshold']:g})"
    )
    lines += text_table(SCORE_COLUMNS, compliance["salespeople"], "    ")
    payroll = data["payroll"]
    lines += ["", "Payroll (payroll-eligible stages: Prepayment received, Final payment received)"]
    lines += text_table(PAYROLL_COLUMNS, payroll["salespeople"])
    lines += ["", "Payroll-eligible deals"]
    lines += text_table(ENTRY_COLUMNS, payroll["entries"])
    lines += ["", "Clawbacks"]
    lines += text_table(CLAWBACK_COLUMNS, payroll["clawbacks"])
    return "\n".join(lines) + "\n"


CSV_HEADER = ["record", "date", "salesperson", "deal_id", "deal", "stage", "moved_to", "amount",
              "forced", "rule", "open", "resolved", "waived", "fines", "open_at_end", "score",
              "kpi_eligible", "note"]  # fmt: skip


def csv_records(data):
    payroll = data["payroll"]
    for row in payroll["salespeople"]:
        yield {"record": "payroll_summary", "salesperson": row["salesperson"],
               "amount": row["net_amount"]}  # fmt: skip
    for row in payroll["entries"]:
        yield {"record": "payroll_eligible", **row}
    for row in payroll["clawbacks"]:
        yield {"record": "clawback", **row}
    compliance = data["compliance"]
    for row in compliance["rules"]:
        yield {"record": "violations_by_rule", **{k: row[k] for k in RULE_COLUMNS_KEYS}}
    for row in compliance["salespeople"]:
        yield {"record": "compliance_score", **row}


RULE_COLUMNS_KEYS = ["rule", "open", "resolved", "waived", "fines"]


def render_csv(data):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_HEADER, extrasaction="ignore")
    writer.writeheader()
    for record in csv_records(data):
        writer.writerow(record)
    return buffer.getvalue()


def write_xlsx(data, path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheets = [
        ("Payroll", PAYROLL_COLUMNS, data["payroll"]["salespeople"]),
        ("Payroll deals", ENTRY_COLUMNS, data["payroll"]["entries"]),
        ("Clawbacks", CLAWBACK_COLUMNS, data["payroll"]["clawbacks"]),
    ]
    compliance = data["compliance"]
    sheets += [
        ("Violations", RULE_COLUMNS, compliance["rules"]),
        ("Compliance", SCORE_COLUMNS, compliance["salespeople"]),
    ]
    workbook.active.title = "Report"
    summary = workbook.active
    summary.append(["Period", data["period"]["from"], data["period"]["to"]])
    summary.append(["Team", data["team"] or "all"])
    summary.append(["Salesperson", data["salesperson"] or "all"])
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append([heading for _key, heading in columns])
        for row in rows:
            sheet.append([row[key] for key, _heading in columns])
    try:
        workbook.save(path)
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror or error}") from error


def emit(text, path):
    if not path:
        sys.stdout.write(text)
        return
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror or error}") from error


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.format == "xlsx" and not args.output:
        raise CliError("--format xlsx needs --output FILE.xlsx")
    client = connect(args)
    data = Report(client, args).gather()
    if args.format == "xlsx":
        write_xlsx(data, args.output)
    elif args.format == "json":
        emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output)
    elif args.format == "csv":
        emit(render_csv(data), args.output)
    else:
        emit(render_table(data), args.output)
    if args.output:
        print(f"report written to {args.output}")
    return 0
