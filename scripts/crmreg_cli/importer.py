"""import_spreadsheet: move deals and contacts from an Excel/CSV "CRM" into Odoo."""

import argparse
import csv
import re
import sys
import urllib.error
from pathlib import Path

import odoorpc
import phonenumbers

from . import mapping as mapping_mod
from .connection import CONNECTION_HELP, CliError, add_connection_arguments, connect, rpc_message
from .progress import Progress
from .spreadsheet import read_sheet

DESCRIPTION = """Import deals and contacts from an .xlsx or .csv file into Odoo over RPC.

Columns are recognized from common Russian and English headers (Сделка/Deal, Контакт/
Contact, Компания/Company, Телефон/Phone, Email, Статус/Status, Сумма/Amount,
Ответственный/Salesperson, Комментарий/Notes, ИНН/VAT, Адрес/Address, Город/City,
Причина отказа/Lost reason). Phones are normalized with phonenumbers, rows are
deduplicated within the file and against the database, statuses become regulation
stages. Re-running the same file creates nothing new."""

EPILOG = (
    """examples:
  export ODOO_URL=https://erp.example.com ODOO_DB=prod ODOO_LOGIN=admin
  read -rs ODOO_PASSWORD && export ODOO_PASSWORD
  scripts/import_spreadsheet deals.xlsx --dry-run
  scripts/import_spreadsheet deals.xlsx --team "Sales" --rejected rejected.csv
  scripts/import_spreadsheet old-crm.csv --encoding cp1251 --mapping mapping.json

mapping file (JSON), overriding the recognized headers and statuses:
  {"columns": {"Клиент": "company", "Служебное": null},
   "statuses": {"Думает": "proposal_sent", "Слился": "lost"}}
  fields: """
    + ", ".join(mapping_mod.FIELDS)
    + """
  stages: """
    + ", ".join(mapping_mod.STATUS_ALIASES)
    + """

exit status: 0 all rows imported or skipped, 1 some rows rejected (see the rejected-rows
CSV), 2 bad input or unusable server (one-line reason on stderr).

"""
    + CONNECTION_HELP
)

DEFAULT_LOST_REASON = "Imported as lost"


def build_parser():
    parser = argparse.ArgumentParser(
        prog="import_spreadsheet",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", help="the .xlsx or .csv file to import")
    parser.add_argument("--mapping", help="JSON file mapping columns and statuses")
    parser.add_argument("--sheet", help="worksheet of an .xlsx file (default: the first)")
    parser.add_argument("--encoding", help="CSV encoding (default: UTF-8, else Windows-1251)")
    parser.add_argument("--delimiter", choices=[";", ","], help="CSV delimiter (default: sniffed)")
    parser.add_argument("--team", help="sales team name or id (default: first regulation team)")
    parser.add_argument("--region", default="RU", help="region of phones without +code (RU)")
    parser.add_argument("--batch-size", type=int, default=100, help="rows per RPC write (100)")
    parser.add_argument(
        "--force-reason",
        help="reason recorded when a regulation manager's import forces deals past stage "
        "gates (default: 'Imported from <file>')",
    )
    parser.add_argument("--rejected", help="CSV of rejected rows (default: <file>-rejected.csv)")
    parser.add_argument(
        "--ignore-unknown-columns", action="store_true", help="skip unrecognized columns"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would change, write nothing"
    )
    parser.add_argument("--verbose", action="store_true", help="list every row in the summary")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar (default: when stderr is a terminal)")  # fmt: skip
    add_connection_arguments(parser)
    return parser


# ------------------------------------------------------------------ parsing rows


def parse_amount(text):
    """'1 250 000,50 руб.' / '1,250,000.50' / '250000' -> float; None when empty."""
    if isinstance(text, (int, float)):
        return float(text)
    cleaned = re.sub(r"[^\d,.\-]", "", str(text).replace("\u00a0", ""))
    if not cleaned:
        if str(text).strip():
            raise ValueError(text)
        return None
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in cleaned:
        # '1,250,000' groups thousands; '12,5' or '1250,00' has a decimal comma.
        tail = cleaned.rpartition(",")[2]
        thousands = cleaned.count(",") > 1 or len(tail) == 3
        cleaned = cleaned.replace(",", "" if thousands else ".")
    return float(cleaned)


def normalize_phone(raw, region):
    """Return (E.164 or None, text to store). Unrecognized phones are kept as written."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None, raw
    if not phonenumbers.is_valid_number(number):
        return None, raw
    return (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
    )


class Row:
    """One data row of the file, parsed: its values, its outcome and the reason."""

    def __init__(self, number, original, values):
        self.number = number
        self.original = original
        self.values = values
        self.phone_e164 = None
        self.email = (values.get("email") or "").strip().lower() or None
        self.amount = None
        self.stage_code = None
        self.lost = False
        self.user_id = None
        self.vals = {}
        self.lead_id = None
        self.outcome = None  # created / updated / skipped / rejected
        self.reason = ""
        self.changes = {}

    @property
    def name(self):
        values = self.values
        return (
            values.get("deal")
            or values.get("company")
            or values.get("contact")
            or values.get("phone")
            or values.get("email")
            or ""
        ).strip()

    def identity(self):
        """What makes two rows the same deal: its title and its contact."""
        contact = (
            self.phone_e164
            or self.email
            or (self.values.get("phone") or "").strip()
            or (self.values.get("company") or "").casefold().strip()
            or (self.values.get("contact") or "").casefold().strip()
        )
        return self.name.casefold(), contact

    def finish(self, outcome, reason=""):
        self.outcome = outcome
        self.reason = reason


# ------------------------------------------------------------- server context


class ServerContext:
    """What the import needs to know from the server: team, stages, users, rights."""

    def __init__(self, client, args, status_overrides):
        self.client = client
        self.env = client.env
        self.team_id, self.team_name = self._team(args.team)
        self.stages = self._stages()
        self.status_index = dict(mapping_mod.STATUS_INDEX)
        for stage_id_code_name in self.stage_names:
            code, name = stage_id_code_name
            self.status_index.setdefault(mapping_mod.normalize_key(name), code)
        for text, code in status_overrides.items():
            self.status_index[mapping_mod.normalize_key(text)] = code
        self.users = self._users()
        self.is_manager = self._is_regulation_manager()
        self.lost_reasons = {
            mapping_mod.normalize_key(r["name"]): r["id"]
            for r in self.env["crm.lost.reason"].search_read([], ["name"])
        }

    def _team(self, team_arg):
        teams = self.env["crm.team"]
        if team_arg:
            domain = (
                [("id", "=", int(team_arg))]
                if team_arg.isdigit()
                else [("name", "=ilike", team_arg)]
            )
            found = teams.search_read(domain, ["name", "use_regulation"], limit=1)
            if not found:
                raise CliError(f"unknown sales team '{team_arg}'")
            if not found[0]["use_regulation"]:
                raise CliError(f"sales team '{found[0]['name']}' does not follow the regulation")
        else:
            found = teams.search_read([("use_regulation", "=", True)], ["name"], limit=1)
            if not found:
                raise CliError("no sales team follows the regulation: pass --team")
        return found[0]["id"], found[0]["name"]

    def _stages(self):
        stages = self.env["crm.stage"].search_read(
            [("regulation_code", "!=", False)], ["name", "regulation_code"]
        )
        self.stage_names = [(s["regulation_code"], s["name"]) for s in stages]
        by_code = {s["regulation_code"]: s["id"] for s in stages}
        if "new" not in by_code:
            raise CliError("the server has no regulation stages: is crm_regulation installed?")
        self.stage_label = {s["id"]: s["name"] for s in stages}
        return by_code

    def _users(self):
        users = {}
        for user in self.env["res.users"].search_read([("share", "=", False)], ["name", "login"]):
            users.setdefault(mapping_mod.normalize_key(user["login"]), user["id"])
            users.setdefault(mapping_mod.normalize_key(user["name"]), user["id"])
        return users

    def _is_regulation_manager(self):
        user = self.env.user
        return bool(
            self.env["res.users"].has_group([user.id], "crm_regulation.group_regulation_manager")
        )

    def lost_reason_id(self, text, dry_run):
        key = mapping_mod.normalize_key(text or DEFAULT_LOST_REASON)
        if key not in self.lost_reasons:
            if dry_run:
                return 0
            self.lost_reasons[key] = self.env["crm.lost.reason"].create(
                {"name": (text or DEFAULT_LOST_REASON).strip()}
            )
        return self.lost_reasons[key]


# ----------------------------------------------------------------- the import


class Importer:
    def __init__(self, args, sheet, columns, server):
        self.args = args
        self.sheet = sheet
        self.columns = columns
        self.server = server
        self.env = server.env
        self.rows = []
        self.contacts_created = 0
        self.phones_kept = 0
        self.written_rows = []

    # -- parsing ---------------------------------------------------------------

    def parse(self):
        seen = {}
        for number, texts in self.sheet.rows:
            values = {field: texts[index] for index, field in self.columns.items()}
            row = Row(number, texts, values)
            self.rows.append(row)
            reason = self._parse_row(row)
            if reason:
                row.finish("rejected", reason)
                continue
            first = seen.setdefault(row.identity(), row)
            if first is not row:
                row.finish("skipped", f"duplicate of row {first.number}")

    def _parse_row(self, row):
        values = row.values
        if not row.name:
            return "no deal title, company, contact, phone or e-mail"
        if values.get("phone"):
            row.phone_e164, row.values["phone"] = normalize_phone(values["phone"], self.args.region)
            self.phones_kept += row.phone_e164 is None
        try:
            row.amount = parse_amount(values.get("amount") or "")
        except ValueError:
            return f"amount '{values['amount']}' is not a number"
        status = mapping_mod.normalize_key(values.get("status") or "")
        code = self.server.status_index.get(status, "?") if status else "new"
        if code == "?":
            return f"unknown status '{values['status']}': map it in a mapping file"
        row.lost = code == "lost"
        row.stage_code = "new" if row.lost else code
        if code not in ("lost", "new") and code not in self.server.stages:
            return f"the server has no stage for status '{values['status']}'"
        person = mapping_mod.normalize_key(values.get("salesperson") or "")
        if person:
            row.user_id = self.server.users.get(person)
            if not row.user_id:
                return f"unknown salesperson '{values['salesperson']}'"
        return ""

    # -- matching with the database ---------------------------------------------

    def match_existing(self):
        pending = [row for row in self.rows if row.outcome is None]
        for start in range(0, len(pending), 500):
            chunk = pending[start : start + 500]
            leads = self.env["crm.lead"].with_context(active_test=False).search_read(
                [("name", "in", sorted({row.name for row in chunk}))],
                ["name", "phone_sanitized", "email_normalized", "partner_name", "contact_name",
                 "stage_id", "expected_revenue", "user_id", "active"],
            )  # fmt: skip
            by_name = {}
            for lead in leads:
                by_name.setdefault(lead["name"].casefold(), []).append(lead)
            for row in chunk:
                lead = self._same_deal(row, by_name.get(row.name.casefold(), []))
                if lead:
                    self._plan_update(row, lead)

    @staticmethod
    def _same_deal(row, leads):
        for lead in leads:
            if row.phone_e164 and row.phone_e164 == lead["phone_sanitized"]:
                return lead
            if row.email and row.email == (lead["email_normalized"] or "").lower():
                return lead
            if not (row.phone_e164 or row.email) and row.identity()[1] in (
                (lead["partner_name"] or "").casefold(),
                (lead["contact_name"] or "").casefold(),
                "",
            ):
                return lead
        return None

    def _plan_update(self, row, lead):
        row.lead_id = lead["id"]
        changes = {}
        stage_id = self.server.stages[row.stage_code]
        if not row.lost and lead["active"] and lead["stage_id"] and lead["stage_id"][0] != stage_id:
            changes["stage_id"] = stage_id
        if row.amount is not None and abs((lead["expected_revenue"] or 0) - row.amount) > 0.005:
            changes["expected_revenue"] = row.amount
        if row.user_id and (not lead["user_id"] or lead["user_id"][0] != row.user_id):
            changes["user_id"] = row.user_id
        if row.lost and lead["active"]:
            changes["active"] = False
        row.changes = changes
        if not changes:
            row.finish("skipped", f"already in the database (deal #{lead['id']}), unchanged")

    # -- contacts ----------------------------------------------------------------

    def resolve_partners(self, rows):
        """Find or create the company and the contact person of each row to create."""
        companies = self._find_or_create_companies(rows)
        contacts = self._find_or_create_contacts(rows, companies)
        for row in rows:
            partner = contacts.get(self._contact_key(row)) or companies.get(self._company_key(row))
            if partner:
                row.vals["partner_id"] = partner

    @staticmethod
    def _company_key(row):
        return (row.values.get("company") or "").strip().casefold() or None

    @staticmethod
    def _contact_key(row):
        if not (row.values.get("contact") or row.phone_e164 or row.email):
            return None
        return row.phone_e164 or row.email or row.values["contact"].strip().casefold()

    def _find_or_create_companies(self, rows):
        wanted = {}
        for row in rows:
            key = self._company_key(row)
            if key:
                wanted.setdefault(key, row)
        if not wanted:
            return {}
        partners = self.env["res.partner"]
        found = partners.search_read(
            [("is_company", "=", True), ("name", "in", [r.values["company"].strip() for r in
                                                       wanted.values()])],
            ["name"],
        )  # fmt: skip
        result = {p["name"].casefold(): p["id"] for p in found}
        missing = [key for key in wanted if key not in result]
        vals = [self._company_vals(wanted[key]) for key in missing]
        if vals and not self.args.dry_run:
            ids = partners.create(vals)
            result.update(zip(missing, ids if isinstance(ids, list) else [ids], strict=True))
        self.contacts_created += len(vals)
        return result

    @staticmethod
    def _company_vals(row):
        values = row.values
        vals = {"name": values["company"].strip(), "is_company": True}
        for field, key in (("vat", "vat"), ("street", "street"), ("city", "city")):
            if values.get(key):
                vals[field] = values[key]
        return vals

    def _find_or_create_contacts(self, rows, companies):
        wanted = {}
        for row in rows:
            key = self._contact_key(row)
            if key and (row.values.get("contact") or not self._company_key(row)):
                wanted.setdefault(key, row)
        if not wanted:
            return {}
        phones = [row.phone_e164 for row in wanted.values() if row.phone_e164]
        emails = [row.email for row in wanted.values() if row.email]
        domain = ["|", ("phone_sanitized", "in", phones), ("email_normalized", "in", emails)]
        found = self.env["res.partner"].search_read(domain, ["phone_sanitized", "email_normalized"])
        result = {}
        for partner in found:
            for value in (partner["phone_sanitized"], partner["email_normalized"]):
                if value:
                    result.setdefault(value, partner["id"])
        missing = [key for key in wanted if key not in result]
        vals = [self._contact_vals(wanted[key], companies) for key in missing]
        if vals and not self.args.dry_run:
            ids = self.env["res.partner"].create(vals)
            result.update(zip(missing, ids if isinstance(ids, list) else [ids], strict=True))
        self.contacts_created += len(vals)
        return result

    def _contact_vals(self, row, companies):
        values = row.values
        vals = {
            "name": (values.get("contact") or values.get("phone") or row.email).strip(),
            "phone": values.get("phone") or False,
            "email": row.email or False,
        }
        company = companies.get(self._company_key(row))
        if company:
            vals["parent_id"] = company
        return vals

    # -- writing -----------------------------------------------------------------

    def lead_vals(self, row):
        values = row.values
        vals = {
            "name": row.name,
            "type": "opportunity",
            "team_id": self.server.team_id,
            "stage_id": self.server.stages[row.stage_code],
            "contact_name": values.get("contact") or False,
            "partner_name": values.get("company") or False,
            "phone": values.get("phone") or False,
            "email_from": row.email or False,
            "description": values.get("notes") or False,
            "street": values.get("street") or False,
            "city": values.get("city") or False,
        }
        if row.amount is not None:
            vals["expected_revenue"] = row.amount
        if row.user_id:
            vals["user_id"] = row.user_id
        if row.lost:
            vals["active"] = False
            vals["lost_reason_id"] = self.server.lost_reason_id(
                values.get("lost_reason"), self.args.dry_run
            )
        vals.update(row.vals)
        return vals

    def leads_model(self):
        leads = self.env["crm.lead"]
        if self.server.is_manager:
            reason = self.args.force_reason or f"Imported from {Path(self.args.file).name}"
            leads = leads.with_context(regulation_force_reason=reason)
        return leads

    def create_batch(self, rows):
        self.resolve_partners(rows)
        vals_list = [self.lead_vals(row) for row in rows]
        leads = self.leads_model()
        try:
            ids = leads.create(vals_list)
        except odoorpc.error.RPCError as error:
            if len(rows) == 1:
                rows[0].finish("rejected", rpc_message(error))
                return
            for row in rows:  # the batch was refused as a whole: find the rows, one by one
                self._create_one(row)
            return
        for row, lead_id in zip(rows, ids if isinstance(ids, list) else [ids], strict=True):
            row.lead_id = lead_id
            row.finish("created")
            self.written_rows.append(row.number)

    def _create_one(self, row):
        try:
            row.lead_id = self.leads_model().create(self.lead_vals(row))
        except odoorpc.error.RPCError as error:
            row.finish("rejected", rpc_message(error))
            return
        row.finish("created")
        self.written_rows.append(row.number)

    def update_row(self, row):
        changes = dict(row.changes)
        if changes.get("active") is False:
            changes["lost_reason_id"] = self.server.lost_reason_id(
                row.values.get("lost_reason"), False
            )
        try:
            self.leads_model().write([row.lead_id], changes)
        except odoorpc.error.RPCError as error:
            row.finish("rejected", rpc_message(error))
            return
        row.finish("updated", self.describe_changes(row))
        self.written_rows.append(row.number)

    def describe_changes(self, row):
        parts = []
        for field, value in row.changes.items():
            if field == "stage_id":
                parts.append(f"stage -> {self.server.stage_label.get(value, value)}")
            elif field == "active":
                parts.append("lost")
            else:
                parts.append(f"{field} -> {value}")
        return ", ".join(parts)

    def write(self, progress):
        to_create = [row for row in self.rows if row.outcome is None and not row.lead_id]
        to_update = [row for row in self.rows if row.outcome is None and row.lead_id]
        size = max(self.args.batch_size, 1)
        batches = [to_create[i : i + size] for i in range(0, len(to_create), size)]
        for batch in batches:
            self._guarded(batch, lambda batch=batch: self.create_batch(batch))
            progress.advance(len(batch))
        for row in to_update:
            self._guarded([row], lambda row=row: self.update_row(row))
            progress.advance(1)

    def _guarded(self, batch, action):
        """Run one write; if the connection breaks, say exactly which rows were written."""
        try:
            action()
        except (urllib.error.URLError, OSError, KeyboardInterrupt, odoorpc.error.RPCError) as error:
            written = compact_ranges(self.written_rows)
            first, last = batch[0].number, batch[-1].number
            reason = rpc_message(error) if isinstance(error, odoorpc.error.RPCError) else (
                "interrupted" if isinstance(error, KeyboardInterrupt) else str(error)
            )  # fmt: skip
            raise CliError(
                f"stopped while writing rows {first}-{last} ({reason}); no deal of those rows "
                f"was written; rows written before: {written or 'none'}; re-run the same file "
                "to import the rest (contacts already created are reused)"
            ) from error

    def plan_dry_run(self):
        for row in self.rows:
            if row.outcome is None and row.lead_id:
                row.finish("updated", self.describe_changes(row))
            elif row.outcome is None:
                self.resolve_partners([row])
                stage = self.server.stage_label[self.server.stages[row.stage_code]]
                row.finish("created", "lost" if row.lost else f"in {stage}")


def compact_ranges(numbers):
    numbers = sorted(numbers)
    ranges = []
    for number in numbers:
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


# -------------------------------------------------------------------- output


def write_rejected(path, sheet, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "reason", *sheet.headers])
        for row in rows:
            writer.writerow([row.number, row.reason, *row.original])


LIST_LIMIT = 20


def print_rows(rows, args, line):
    """Print one line per row, at most LIST_LIMIT of them unless --verbose."""
    shown = rows if args.verbose else rows[:LIST_LIMIT]
    for row in shown:
        print(line(row))
    if len(rows) > len(shown):
        print(f"  ... and {len(rows) - len(shown)} more (--verbose lists them all)")


def print_summary(importer, args, rejected_path):
    rows = importer.rows
    count = {kind: [r for r in rows if r.outcome == kind] for kind in
             ("created", "updated", "skipped", "rejected")}  # fmt: skip
    server = importer.server
    verb = "Would import" if args.dry_run else "Imported"
    print(f"{verb} {Path(args.file).name} into team '{server.team_name}'"
          + (" (dry run: nothing written)" if args.dry_run else ""))  # fmt: skip
    if args.dry_run:
        print_rows(
            count["created"],
            args,
            lambda row: f"  row {row.number}: create deal '{row.name}' {row.reason}",
        )
        print_rows(count["updated"], args,
                   lambda row: f"  row {row.number}: update deal #{row.lead_id} '{row.name}': "
                   f"{row.reason}")  # fmt: skip
        print("  stage gates are checked by the server only on a real import")
    contacts = "would create" if args.dry_run else "created"
    print(f"created: {len(count['created'])} deals ({contacts} {importer.contacts_created} "
          "contacts)")  # fmt: skip
    print(f"updated: {len(count['updated'])}")
    if not args.dry_run:
        print_rows(
            count["updated"],
            args,
            lambda row: f"  row {row.number}: deal #{row.lead_id}: {row.reason}",
        )
    print(f"skipped: {len(count['skipped'])}")
    print_rows(count["skipped"], args, lambda row: f"  row {row.number}: {row.reason}")
    where = f" (rows with reasons in {rejected_path})" if rejected_path else ""
    print(f"rejected: {len(count['rejected'])}{where}")
    print_rows(count["rejected"], args, lambda row: f"  row {row.number}: {row.reason}")
    if importer.phones_kept:
        print(f"phones not recognized, kept as written: {importer.phones_kept}")
    if server.is_manager and importer.written_rows:
        print(
            "stage gates: deals that missed a gate were forced past it with the reason "
            f"'{importer.leads_model().env.context['regulation_force_reason']}' "
            "(you are a regulation manager)"
        )


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.batch_size < 1:
        raise CliError("--batch-size must be at least 1")
    column_overrides, status_overrides = ({}, {})
    if args.mapping:
        column_overrides, status_overrides = mapping_mod.load_mapping_file(args.mapping)
    sheet = read_sheet(args.file, args.sheet, args.encoding, args.delimiter)
    columns = mapping_mod.map_columns(sheet.headers, column_overrides, args.ignore_unknown_columns)
    client = connect(args)
    server = ServerContext(client, args, status_overrides)
    importer = Importer(args, sheet, columns, server)
    importer.parse()
    importer.match_existing()
    if args.dry_run:
        importer.plan_dry_run()
    else:
        pending = sum(1 for row in importer.rows if row.outcome is None)
        progress = Progress(pending, "Importing", args.progress)
        try:
            importer.write(progress)
        finally:
            progress.close()
    rejected = [row for row in importer.rows if row.outcome == "rejected"]
    rejected_path = None
    if rejected and not args.dry_run:
        rejected_path = args.rejected or str(Path(args.file).stem) + "-rejected.csv"
        write_rejected(rejected_path, sheet, rejected)
    print_summary(importer, args, rejected_path)
    sys.stdout.flush()
    return 1 if rejected else 0
