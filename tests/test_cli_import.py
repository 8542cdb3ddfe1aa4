"""scripts/import_spreadsheet end to end: a real amoCRM-style export, a real server, and the
same file imported through the form's methods (crm.regulation.import.job) for comparison."""

import base64
import uuid

import pytest
from test_cli_helpers import run_tool, write_csv

# amoCRM's deals export (see addons/crm_regulation_import/tests/data/amocrm_deals.csv).
AMO_HEADER = ["ID", "Название сделки", "Бюджет", "Ответственный", "Дата создания сделки",
              "Этап сделки", "Воронка", "Полное имя контакта", "Компания контакта",
              "Рабочий телефон", "Мобильный телефон", "Рабочий email", "Теги"]  # fmt: skip


def import_file(server, path, *args, **kwargs):
    return run_tool(server, "import_spreadsheet", path, *args, cwd=path.parent, **kwargs)


@pytest.fixture(scope="module")
def salespeople(odoo_rpc, round_the_clock_team):
    users = odoo_rpc.env["res.users"]
    ids = []
    for login, name in (("e2e_kovaleva", "Анна Ковалева"), ("e2e_smirnov", "Игорь Смирнов")):
        found = users.search([("login", "=", login)])
        ids.append(found[0] if found else users.create({"login": login, "name": name}))
    odoo_rpc.env["crm.team"].write([round_the_clock_team], {"member_ids": [(6, 0, ids)]})
    return ids


@pytest.fixture()
def amo_export(tmp_path, salespeople):
    """An amoCRM export whose IDs are new to the database (the import key is the ID)."""
    base = uuid.uuid4().int % 10**9
    rows = [
        [base + 1, "Кресла", "1 250 000,50", "Ковалёва Анна", "12.01.2024 10:15:00",
         "Первичный контакт", "Основная", "Иван Петров", "ООО Ромашка", "8 (912) 345-67-89",
         "+7 (912) 345-67-89, 8 (495) 123-45-67", "ivan@romashka.example", "опт"],
        [base + 2, "Столы", "1.250.000", "Смирнов Игорь", "15.01.2024 09:00:00", "Переговоры",
         "Основная", "Ольга Сидорова", "ООО Лютик", "+7 495 765-43-21", "", "", ""],
        [base + 3, "Шкафы", "—", "Смирнов Игорь", "01.02.2024 12:00:00", "Успешно реализовано",
         "Основная", "Пётр Иванов", "", "8 (916) 111-22-33 доб. 105", "", "", ""],
        [base + 4, "Тумбы", "5 000", "Некто Неизвестный", "01.02.2024 12:00:00", "Переговоры",
         "Основная", "Олег", "", "8 916 000-00-00", "", "", ""],
    ]  # fmt: skip
    return write_csv(tmp_path / "amocrm.csv", AMO_HEADER, rows, encoding="cp1251"), base


def form_import(client, path, team, dry_run):
    """The form's path: upload, read the file, dry run or import."""
    jobs = client.env["crm.regulation.import.job"]
    job_id = jobs.create(
        {
            "file": base64.b64encode(path.read_bytes()).decode(),
            "file_name": path.name,
            "team_id": team,
            "country_id": client.env.ref("base.ru").id,
        }
    )
    jobs.browse(job_id).action_detect()
    if dry_run:
        jobs.browse(job_id).action_dry_run()
    else:
        jobs.browse(job_id).action_import()
    [job] = jobs.read(
        [job_id], ["preset", "created_count", "skipped_count", "rejected_count", "log", "state"]
    )
    return job


def team_arg(team):
    return ["--team", str(team), "--country", "RU"]


def test_cli_and_form_give_the_same_result(odoo_server, odoo_rpc, round_the_clock_team, amo_export):
    path, base = amo_export
    form = form_import(odoo_rpc, path, round_the_clock_team, dry_run=True)
    result = import_file(odoo_server, path, "--dry-run", *team_arg(round_the_clock_team))
    assert result.returncode == 1, result.stderr  # one row names an unknown salesperson
    assert form["preset"] == "amocrm_deals"
    assert (form["created_count"], form["rejected_count"]) == (3, 1)
    assert "Created: 3 deals" in result.stdout
    assert "Rejected: 1" in result.stdout
    assert form["log"].splitlines()[0] in result.stdout

    result = import_file(odoo_server, path, *team_arg(round_the_clock_team))
    assert result.returncode == 1, result.stderr
    again = form_import(odoo_rpc, path, round_the_clock_team, dry_run=False)
    assert (again["created_count"], again["skipped_count"]) == (0, 3)

    deals = (
        odoo_rpc.env["crm.lead"]
        .with_context(active_test=False)
        .search_read(
            [("import_external_id", "in", [f"amocrm_deals:{base + n}" for n in (1, 2, 3)])],
            ["name", "stage_id", "expected_revenue", "phone", "user_id", "regulation_start_at"],
            order="name",
        )
    )
    by_name = {deal["name"]: deal for deal in deals}
    assert set(by_name) == {"Кресла", "Столы", "Шкафы"}
    assert by_name["Кресла"]["expected_revenue"] == 1250000.5
    assert by_name["Кресла"]["phone"] == "+79123456789"
    assert by_name["Столы"]["user_id"][1] == "Игорь Смирнов"
    assert all(deal["regulation_start_at"] for deal in deals)


def test_rejected_rows_are_written_to_a_file(
    odoo_server, round_the_clock_team, amo_export, tmp_path
):
    path, _base = amo_export
    rejected = tmp_path / "rejected.txt"
    result = import_file(
        odoo_server, path, "--dry-run", "--rejected", rejected, *team_arg(round_the_clock_team)
    )
    assert result.returncode == 1
    assert "unknown salesperson 'Некто Неизвестный'" in rejected.read_text(encoding="utf-8")


def test_a_mapping_file_maps_people_and_stages(
    odoo_server, round_the_clock_team, amo_export, tmp_path
):
    path, _base = amo_export
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        '{"people": {"Некто Неизвестный": "e2e_smirnov"}, "stages": {"Переговоры": "in_work"}}',
        encoding="utf-8",
    )
    result = import_file(
        odoo_server, path, "--dry-run", "--mapping", mapping, *team_arg(round_the_clock_team)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Created: 4 deals" in result.stdout


def test_missing_file_is_a_one_line_error(odoo_server, tmp_path):
    result = import_file(odoo_server, tmp_path / "nope.csv")
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: cannot read {tmp_path / 'nope.csv'}: no such file"


def test_a_file_that_is_no_table_is_refused_by_the_server(odoo_server, tmp_path):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(b"PK this is not a spreadsheet")
    result = import_file(odoo_server, path)
    assert result.returncode == 2
    assert "not a readable .xlsx file" in result.stderr


def test_help_names_the_server_engine(odoo_server):
    result = run_tool(odoo_server, "import_spreadsheet", "--help")
    assert result.returncode == 0
    assert "crm_regulation_import" in result.stdout
