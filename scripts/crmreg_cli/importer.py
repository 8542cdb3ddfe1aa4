"""import_spreadsheet: a thin client of the server-side import engine.

The file is sent to Odoo and imported by ``crm.regulation.import.job.import_file``
(addon crm_regulation_import), the engine behind CRM → Configuration → Import deals:
the command line and the form give the same result.
"""

import argparse
import base64
import json
import sys
from pathlib import Path

from .connection import CONNECTION_HELP, CliError, add_connection_arguments, connect

DESCRIPTION = """Import deals or contacts from an amoCRM, Bitrix24, 1C or Excel export (.csv or
.xlsx) into Odoo, with the server's import engine (addon crm_regulation_import).

The kind of export is recognised from its headers (amoCRM deals, Bitrix24 deals,
contacts, companies, 1C Контрагенты, a plain spreadsheet); title rows, two-row headers
and totals rows are handled; stages of the source pipeline map to regulation stages.
Imported deals are judged by the regulation from the import and earn no payroll for
their past. Re-running the same file creates nothing new."""

EPILOG = (
    """examples:
  export ODOO_URL=https://erp.example.com ODOO_DB=prod ODOO_LOGIN=admin
  read -rs ODOO_PASSWORD && export ODOO_PASSWORD
  scripts/import_spreadsheet deals.csv --dry-run
  scripts/import_spreadsheet deals.xlsx --team "Sales" --rejected rejected.txt
  scripts/import_spreadsheet clients.csv --mode contacts --mapping mapping.json

mapping file (JSON), changing what the server detected:
  {"columns": {"Клиент": "company", "Служебное": null},
   "stages": {"Думает": "proposal_sent", "Слился": "lost"},
   "people": {"Ковалёва А.": "kovaleva"}}
  columns: header -> external_id, deal, contact, company, phone, email, status, pipeline,
           amount, currency, salesperson, created, closed, lost_reason, tags, source,
           utm_source, utm_medium, utm_campaign, notes, vat, kpp, street, city, position,
           website (null: not imported)
  stages:  text -> regulation stage code (unsorted, new, in_work, qualified, ...) or lost
  people:  name in the file -> user login

exit status: 0 all rows imported or skipped, 1 some rows rejected (listed), 2 bad input or
unusable server (one-line reason on stderr).

"""
    + CONNECTION_HELP
)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="import_spreadsheet",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", help="the .xlsx or .csv file to import")
    parser.add_argument("--team", help="sales team name or id (default: first regulation team)")
    parser.add_argument(
        "--preset",
        choices=["amocrm_deals", "amocrm_contacts", "bitrix24_deals", "bitrix24_companies",
                 "bitrix24_contacts", "onec_clients", "excel"],
        help="kind of export (default: detected from the headers)",
    )  # fmt: skip
    parser.add_argument("--mode", choices=["deals", "contacts"], help="default: by the preset")
    parser.add_argument("--mapping", help="JSON file with columns, stages and people")
    parser.add_argument("--sheet", help="worksheet of an .xlsx file (default: the first)")
    parser.add_argument("--encoding", help="CSV encoding (default: UTF-8, else Windows-1251)")
    parser.add_argument("--delimiter", choices=[";", ",", "\t"], help="default: detected")
    parser.add_argument("--header-row", type=int, help="row of the headers (default: found)")
    parser.add_argument(
        "--country", help="ISO code of phones written without +code (default: the company's)"
    )
    parser.add_argument("--force-reason", help="reason recorded on deals forced past gates")
    parser.add_argument("--rejected", help="write the rejected and skipped rows to this file")
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would change, write nothing"
    )
    parser.add_argument("--verbose", action="store_true", help="list every rejected row")
    add_connection_arguments(parser)
    return parser


def load_mapping(path):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise CliError(f"cannot read mapping file {path}: {error.strerror or error}") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise CliError(f"mapping file {path} is not valid JSON: {error}") from error
    if not isinstance(data, dict) or not set(data) <= {"columns", "stages", "people"}:
        raise CliError(f"mapping file {path}: expected an object with columns, stages, people")
    return data


def options_of(args):
    options = {"dry_run": args.dry_run}
    for key in ("team", "preset", "mode", "sheet", "encoding", "delimiter", "header_row",
                "force_reason", "country"):  # fmt: skip
        value = getattr(args, key)
        if value:
            options[key] = value
    if args.mapping:
        options.update(load_mapping(args.mapping))
    return options


LIST_LIMIT = 20


def print_summary(result, args):
    print(f"{Path(args.file).name}: {result['summary']}")
    lines = [line for line in result["log"].splitlines() if line]
    shown = lines if args.verbose else lines[:LIST_LIMIT]
    for line in shown:
        print(f"  {line}")
    if len(lines) > len(shown):
        print(f"  ... and {len(lines) - len(shown)} more (--verbose lists them all)")


def main(argv=None):
    args = build_parser().parse_args(argv)
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"cannot read {path}: no such file")
    options = options_of(args)
    content = base64.b64encode(path.read_bytes()).decode()
    client = connect(args)
    result = client.env["crm.regulation.import.job"].import_file(path.name, content, options)
    print_summary(result, args)
    if args.rejected and result["log"]:
        Path(args.rejected).write_text(result["log"] + "\n", encoding="utf-8")
    sys.stdout.flush()
    return 1 if result["rejected"] else 0
