"""regulation_report: compliance and payroll summaries for a period."""

import argparse
import csv
import datetime
import io
import json
import sys

import odoorpc

from .connection import CONNECTION_HELP, CliError, add_connection_arguments, connect, rpc_message

VIOLATION_MODEL = "crm.regulation.violation"
DATE_FIELDS = ("date", "detected_at", "violation_date", "create_date")
SNAPSHOT_MODEL = "crm.regulation.compliance.snapshot"
SCORE_PENALTY = 5
DEFAULT_KPI_THRESHOLD = 80.0

DESCRIPTION = f"""Print the regulation report for a period, optionally for one sales team or one
salesperson:
  - compliance: violations by rule (open, resolved, waived), fines, a score per
    salesperson and KPI eligibility (needs the violations model crm.regulation.violation
    on the server; without it the report says so and skips this part);
  - payroll: deals that entered a payroll-eligible stage (Prepayment received, Final
    payment received) in the period, and clawbacks (deals that left such a stage
    backwards in the period), per salesperson and deal by deal.
Score: the average of the server's daily compliance snapshots in the period (share of
open deals without an open violation) when the server keeps them, otherwise 100 -
{SCORE_PENALTY} per open or resolved violation (waived ones do not count), at least 0.
KPI-eligible: score at or above the threshold (--kpi-threshold, else the company's KPI
threshold setting, else {DEFAULT_KPI_THRESHOLD:g}) and no open violation.
Dates are UTC days; --to is included."""

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

    def bounds(self):
        end = self.date_to + datetime.timedelta(days=1)
        return f"{self.date_from} 00:00:00", f"{end} 00:00:00"

    def _filters(self, team_field, user_field):
        domain = []
        if self.team:
            domain.append((team_field, "=", self.team["id"]))
        if self.salesperson:
            domain.append((user_field, "=", self.salesperson["id"]))
        return domain

    # -- payroll -------------------------------------------------------------------

    def payroll(self):
        start, end = self.bounds()
        history = self.env["crm.lead.stage.history"]
        fields = ["lead_id", "stage_id", "next_stage_id", "salesperson_id", "entered_at",
                  "left_at", "expected_revenue", "forced"]  # fmt: skip
        filters = self._filters("team_id", "salesperson_id")
        entries = history.search_read(
            [("is_payroll_eligible", "=", True), ("entered_at", ">=", start),
             ("entered_at", "<", end), *filters],
            fields, order="entered_at, id",
        )  # fmt: skip
        clawbacks = history.search_read(
            [("is_clawback", "=", True), ("left_at", ">=", start), ("left_at", "<", end),
             *filters],
            fields, order="left_at, id",
        )  # fmt: skip
        entries = [self._line(entry, entry["entered_at"]) for entry in entries]
        clawbacks = [self._line(entry, entry["left_at"]) for entry in clawbacks]
        return {
            "salespeople": self._payroll_by_salesperson(entries, clawbacks),
            "entries": entries,
            "clawbacks": clawbacks,
        }

    @staticmethod
    def _line(entry, moment):
        return {
            "date": moment,
            "deal_id": entry["lead_id"][0],
            "deal": entry["lead_id"][1],
            "stage": entry["stage_id"][1],
            "moved_to": entry["next_stage_id"][1] if entry["next_stage_id"] else "",
            "salesperson": entry["salesperson_id"][1] if entry["salesperson_id"] else "",
            "amount": entry["expected_revenue"] or 0.0,
            "forced": entry["forced"],
        }

    @staticmethod
    def _payroll_by_salesperson(entries, clawbacks):
        people = {}

        def person(name):
            return people.setdefault(
                name,
                {"salesperson": name, "deals": set(), "entries": 0, "amount": 0.0,
                 "clawbacks": 0, "clawback_amount": 0.0},
            )  # fmt: skip

        for entry in entries:
            row = person(entry["salesperson"])
            row["deals"].add(entry["deal_id"])
            row["entries"] += 1
            row["amount"] += entry["amount"]
        for entry in clawbacks:
            row = person(entry["salesperson"])
            row["clawbacks"] += 1
            row["clawback_amount"] += entry["amount"]
        result = []
        for name in sorted(people):
            row = people[name]
            row["deals"] = len(row["deals"])
            row["net_amount"] = row["amount"] - row["clawback_amount"]
            result.append(row)
        return result

    # -- compliance ----------------------------------------------------------------

    def compliance(self):
        if not self._model_exists(VIOLATION_MODEL):
            return {
                "available": False,
                "reason": f"the server has no {VIOLATION_MODEL} model (the regulation rules "
                "and violations are not installed): compliance skipped",
            }
        try:
            return self._compliance()
        except odoorpc.error.RPCError as error:
            return {"available": False, "reason": f"compliance skipped: {rpc_message(error)}"}

    def _compliance(self):
        model = self.env[VIOLATION_MODEL]
        known = model.fields_get(attributes=["type", "relation"])
        date_field = next(name for name in DATE_FIELDS if name in known)
        team_field = "team_id" if "team_id" in known else "lead_id.team_id"
        start, end = self.bounds()
        violations = model.search_read(
            [(date_field, ">=", start), (date_field, "<", end),
             *self._filters(team_field, "user_id")],
            ["rule_id", "lead_id", "user_id", "state", "fine"],
        )  # fmt: skip
        codes = self._rule_codes(known["rule_id"]["relation"], violations)
        by_rule, by_person = {}, {}
        for violation in violations:
            rule_id, rule_name = violation["rule_id"] or (None, "")
            code = codes.get(rule_id, "?")
            rule = by_rule.setdefault(code, {"rule": code, "name": rule_name, "open": 0,
                                             "resolved": 0, "waived": 0, "fines": 0.0})  # fmt: skip
            user_id, user_name = violation["user_id"] or (None, "")
            person = by_person.setdefault(
                user_id, {"salesperson": user_name, "open": 0, "resolved": 0, "waived": 0,
                          "fines": 0.0}
            )  # fmt: skip
            state = violation["state"] if violation["state"] in rule else "open"
            for bucket in (rule, person):
                bucket[state] += 1
                if state != "waived":
                    bucket["fines"] += violation["fine"] or 0.0
        scores, score_source = self._snapshot_scores()
        threshold = self._kpi_threshold()
        people = [
            self._score(by_person[user_id], scores, user_id, threshold)
            for user_id in sorted(by_person, key=lambda uid: by_person[uid]["salesperson"])
        ]
        return {
            "available": True,
            "rules": [by_rule[code] for code in sorted(by_rule)],
            "salespeople": people,
            "fines": sum(rule["fines"] for rule in by_rule.values()),
            "kpi_threshold": threshold,
            "score_source": score_source,
        }

    def _rule_codes(self, rule_model, violations):
        rule_ids = sorted({v["rule_id"][0] for v in violations if v["rule_id"]})
        return {r["id"]: r["code"] for r in self.env[rule_model].read(rule_ids, ["code"])}

    def _snapshot_scores(self):
        """Average daily compliance score per salesperson, when the server keeps them."""
        if not self._model_exists(SNAPSHOT_MODEL):
            return None, f"100 - {SCORE_PENALTY} per open or resolved violation"
        domain = [("date", ">=", str(self.date_from)), ("date", "<=", str(self.date_to))]
        if self.salesperson:
            domain.append(("user_id", "=", self.salesperson["id"]))
        try:
            snapshots = self.env[SNAPSHOT_MODEL].search_read(domain, ["user_id", "score"])
        except odoorpc.error.RPCError:
            return {}, "unknown: this user may not read the daily compliance snapshots"
        totals = {}
        for snapshot in snapshots:
            total = totals.setdefault(snapshot["user_id"][0], [0.0, 0])
            total[0] += snapshot["score"] or 0.0
            total[1] += 1
        scores = {user_id: total / count for user_id, (total, count) in totals.items()}
        return scores, "average of the daily compliance snapshots"

    def _model_exists(self, name):
        """Whether the server has the model (without reading ir.model, which needs admin)."""
        try:
            self.client.execute_kw(name, "fields_get", [], {"attributes": ["type"]})
        except odoorpc.error.RPCError as error:
            if "doesn't exist" in str(error):
                return False
            raise
        return True

    def _kpi_threshold(self):
        if self.args.kpi_threshold is not None:
            return self.args.kpi_threshold
        companies = self.env["res.company"]
        if "regulation_kpi_threshold" in companies.fields_get(attributes=["type"]):
            company_id = self.env.user.company_id.id
            return companies.read([company_id], ["regulation_kpi_threshold"])[0][
                "regulation_kpi_threshold"
            ]
        return DEFAULT_KPI_THRESHOLD

    @staticmethod
    def _score(counts, scores, user_id, threshold):
        if scores is None:
            score = max(0, 100 - SCORE_PENALTY * (counts["open"] + counts["resolved"]))
        else:
            score = scores.get(user_id)
        eligible = None if score is None else score >= threshold and not counts["open"]
        return {**counts, "score": "" if score is None else round(score, 1),
                "kpi_eligible": eligible}  # fmt: skip

    def gather(self):
        return {
            "period": {"from": str(self.date_from), "to": str(self.date_to)},
            "team": self.team["name"] if self.team else None,
            "salesperson": self.salesperson["name"] if self.salesperson else None,
            "compliance": self.compliance(),
            "payroll": self.payroll(),
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
                 ("waived", "Waived"), ("fines", "Fines"), ("score", "Score"),
                 ("kpi_eligible", "KPI eligible")]  # fmt: skip


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
    if compliance["available"]:
        lines.append("  Violations by rule")
        lines += text_table(RULE_COLUMNS, compliance["rules"], "    ")
        lines.append(f"  Fines: {_cell(float(compliance['fines']))}")
        lines.append(
            f"  Score and KPI by salesperson (score: {compliance['score_source']}; "
            f"KPI threshold {compliance['kpi_threshold']:g})"
        )
        lines += text_table(SCORE_COLUMNS, compliance["salespeople"], "    ")
    else:
        lines.append(f"  not available: {compliance['reason']}")
    payroll = data["payroll"]
    lines += ["", "Payroll (payroll-eligible stages: Prepayment received, Final payment received)"]
    lines += text_table(PAYROLL_COLUMNS, payroll["salespeople"])
    lines += ["", "Payroll-eligible deals"]
    lines += text_table(ENTRY_COLUMNS, payroll["entries"])
    lines += ["", "Clawbacks"]
    lines += text_table(CLAWBACK_COLUMNS, payroll["clawbacks"])
    return "\n".join(lines) + "\n"


CSV_HEADER = ["record", "date", "salesperson", "deal_id", "deal", "stage", "moved_to", "amount",
              "forced", "rule", "open", "resolved", "waived", "fines", "score", "kpi_eligible",
              "note"]  # fmt: skip


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
    if not compliance["available"]:
        yield {"record": "compliance_unavailable", "note": compliance["reason"]}
        return
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
    if compliance["available"]:
        sheets += [
            ("Violations", RULE_COLUMNS, compliance["rules"]),
            ("Compliance", SCORE_COLUMNS, compliance["salespeople"]),
        ]
    workbook.active.title = "Report"
    summary = workbook.active
    summary.append(["Period", data["period"]["from"], data["period"]["to"]])
    summary.append(["Team", data["team"] or "all"])
    summary.append(["Salesperson", data["salesperson"] or "all"])
    summary.append(["Compliance", "available" if compliance["available"] else compliance["reason"]])
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
    if not data["compliance"]["available"] and args.format != "table":
        print(f"note: {data['compliance']['reason']}", file=sys.stderr)
    return 0
