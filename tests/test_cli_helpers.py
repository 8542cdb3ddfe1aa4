"""Helpers of the admin-script tests (no tests here): running the scripts as a user would,
as subprocesses against the harness server, and writing the spreadsheets they read; and
what other end-to-end tests share with them (unique names, a deal created a day ago)."""

import os
import subprocess
import uuid
from pathlib import Path

import openpyxl

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def run_tool(server, tool, *args, login="admin", password="admin", cwd=None, env=None):
    environ = dict(os.environ)
    environ.pop("CRMREG_CONFIG", None)
    environ.update(
        ODOO_URL=server.url,
        ODOO_DB=server.db_name,
        ODOO_LOGIN=login,
        ODOO_PASSWORD=password,
        HOME=str(cwd or os.getcwd()),
    )
    environ.update(env or {})
    return subprocess.run(
        [str(SCRIPTS / tool), *map(str, args)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=cwd,
        env=environ,
        timeout=600,
        check=False,
    )


def groups_field(client):
    """res.users' field of its groups over RPC: ``groups_id`` on Odoo 18.0, ``group_ids``
    from 19.0 (see addons/crm_phone_base/tools/compat.py)."""
    return "groups_id" if int(client.version.split(".")[0].split("~")[-1]) < 19 else "group_ids"


def stage_team_field(client):
    """crm.stage's field of its teams over RPC: ``team_id`` on Odoo 18.0, the Many2many
    ``team_ids`` from 19.0 (both take ``("<field>", "=", team_id)`` in a domain)."""
    return "team_id" if groups_field(client) == "groups_id" else "team_ids"


def unique(prefix):
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def created_a_day_ago(database, deal_id):
    """Back-date a deal's creation by a day (what RPC cannot do): never contacted, it is
    late for R02 on a round-the-clock team."""
    with database() as connection, connection.cursor() as cr:
        cr.execute(
            "UPDATE crm_lead SET create_date = now() at time zone 'UTC' - interval '1 day' "
            "WHERE id = %s",
            [deal_id],
        )


def write_xlsx(path, header, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path, header, rows, encoding="utf-8", delimiter=";"):
    lines = [delimiter.join(header)] + [delimiter.join(map(str, row)) for row in rows]
    Path(path).write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path
