"""scripts/import_spreadsheet end to end: real files, a real server, the user's view."""

import csv

import pytest
from test_cli_helpers import run_tool, unique, write_csv, write_xlsx

RU_HEADER = ["Сделка", "Контакт", "Компания", "Телефон", "Статус", "Сумма"]


def import_file(server, path, *args, **kwargs):
    return run_tool(server, "import_spreadsheet", path, *args, cwd=path.parent, **kwargs)


def deals_named(client, name):
    return client.env["crm.lead"].with_context(active_test=False).search_read(
        [("name", "=", name)],
        ["stage_id", "phone", "expected_revenue", "partner_id", "team_id", "active",
         "lost_reason_id"],
    )  # fmt: skip


def stage_id(client, code):
    return client.env.ref(f"crm_regulation.stage_{code}").id


@pytest.fixture()
def deal_name():
    return unique("Romashka — 40 chairs")


def test_russian_xlsx_creates_deals_in_the_mapped_stage(odoo_server, odoo_rpc, tmp_path, deal_name):
    path = write_xlsx(
        tmp_path / "crm.xlsx",
        RU_HEADER,
        [[deal_name, "Иван Петров", "Ромашка ООО", "8 (916) 123-45-67", "Квалификация", 90000]],
    )
    result = import_file(odoo_server, path)
    assert result.returncode == 0, result.stderr
    [deal] = deals_named(odoo_rpc, deal_name)
    assert deal["stage_id"][0] == stage_id(odoo_rpc, "qualified")
    assert deal["expected_revenue"] == 90000


def test_phones_are_normalized_to_international_format(odoo_server, odoo_rpc, tmp_path, deal_name):
    path = write_xlsx(
        tmp_path / "crm.xlsx", RU_HEADER, [[deal_name, "Иван", "", "8 (916) 123-45-67", "", ""]]
    )
    assert import_file(odoo_server, path).returncode == 0
    [deal] = deals_named(odoo_rpc, deal_name)
    assert deal["phone"] == "+7 916 123-45-67"


def test_rerunning_the_same_file_creates_nothing_new(odoo_server, odoo_rpc, tmp_path, deal_name):
    path = write_xlsx(
        tmp_path / "crm.xlsx", RU_HEADER, [[deal_name, "Иван", "Ромашка", "+79161112233", "", ""]]
    )
    assert import_file(odoo_server, path).returncode == 0
    again = import_file(odoo_server, path)
    assert again.returncode == 0
    assert "created: 0 deals" in again.stdout
    assert "already in the database" in again.stdout
    assert len(deals_named(odoo_rpc, deal_name)) == 1


def test_duplicate_rows_in_the_file_are_imported_once(odoo_server, odoo_rpc, tmp_path, deal_name):
    row = [deal_name, "Иван", "Ромашка", "+7 916 222-33-44", "Новый лид", 1000]
    path = write_xlsx(tmp_path / "crm.xlsx", RU_HEADER, [row, list(row)])
    result = import_file(odoo_server, path)
    assert result.returncode == 0
    assert "row 3: duplicate of row 2" in result.stdout
    assert len(deals_named(odoo_rpc, deal_name)) == 1


def test_windows_1251_csv_with_semicolons_is_read(odoo_server, odoo_rpc, tmp_path, deal_name):
    path = write_csv(
        tmp_path / "crm.csv",
        ["Название сделки", "ФИО", "Телефон", "Этап", "Бюджет"],
        [[deal_name, "Пётр Сидоров", "+7 495 123-45-67", "В работе", "250 000"]],
        encoding="cp1251",
    )
    result = import_file(odoo_server, path)
    assert result.returncode == 0, result.stderr
    [deal] = deals_named(odoo_rpc, deal_name)
    assert deal["stage_id"][0] == stage_id(odoo_rpc, "in_work")
    assert deal["expected_revenue"] == 250000


def test_english_csv_with_commas_is_read(odoo_server, odoo_rpc, tmp_path, deal_name):
    path = write_csv(
        tmp_path / "crm.csv",
        ["Deal", "Contact", "Phone", "Status", "Amount"],
        [[deal_name, "John Smith", "+44 20 7946 0958", "Proposal sent", "1250.50"]],
        delimiter=",",
    )
    assert import_file(odoo_server, path).returncode == 0
    [deal] = deals_named(odoo_rpc, deal_name)
    assert deal["stage_id"][0] == stage_id(odoo_rpc, "proposal_sent")
    assert deal["phone"] == "+44 20 7946 0958"


def test_salesperson_gets_the_gate_message_for_a_rejected_row(odoo_server, tmp_path, deal_name):
    path = write_xlsx(
        tmp_path / "crm.xlsx", RU_HEADER, [[deal_name, "Иван", "", "", "КП отправлено", ""]]
    )
    result = import_file(odoo_server, path, login="demo", password="demo")
    assert result.returncode == 1
    assert "fill in the budget (expected revenue)" in result.stdout
    with open(tmp_path / "crm-rejected.csv", encoding="utf-8") as handle:
        rejected = list(csv.DictReader(handle))
    assert [(r["row"], r["Сделка"]) for r in rejected] == [("2", deal_name)]
    assert "fill in the budget (expected revenue)" in rejected[0]["reason"]


def test_rows_past_an_unmet_gate_are_not_created_for_a_salesperson(
    odoo_server, odoo_rpc, tmp_path, deal_name
):
    path = write_xlsx(
        tmp_path / "crm.xlsx", RU_HEADER, [[deal_name, "Иван", "", "", "КП отправлено", ""]]
    )
    import_file(odoo_server, path, login="demo", password="demo")
    assert deals_named(odoo_rpc, deal_name) == []


def test_other_rows_of_a_batch_are_created_when_one_is_rejected(
    odoo_server, odoo_rpc, tmp_path, deal_name
):
    good = unique("Vector — 12 tables")
    path = write_xlsx(
        tmp_path / "crm.xlsx",
        RU_HEADER,
        [[deal_name, "Иван", "", "", "Квалификация", ""], [good, "Пётр", "", "", "Новый лид", ""]],
    )
    result = import_file(odoo_server, path, login="demo", password="demo")
    assert "created: 1 deals" in result.stdout
    assert len(deals_named(odoo_rpc, good)) == 1


def test_regulation_manager_forces_past_gates_with_the_reason(
    odoo_server, odoo_rpc, tmp_path, deal_name
):
    path = write_xlsx(
        tmp_path / "crm.xlsx", RU_HEADER, [[deal_name, "Иван", "", "", "КП отправлено", ""]]
    )
    result = import_file(odoo_server, path, "--force-reason", "Migrated from Excel")
    assert result.returncode == 0, result.stdout
    [deal] = deals_named(odoo_rpc, deal_name)
    stays = odoo_rpc.env["crm.lead.stage.history"].search_read(
        [("lead_id", "=", deal["id"]), ("left_at", "=", False)], ["forced", "force_reason"]
    )
    assert [(s["forced"], s["force_reason"]) for s in stays] == [(True, "Migrated from Excel")]


def test_dry_run_writes_nothing(odoo_server, odoo_rpc, tmp_path, deal_name):
    path = write_xlsx(
        tmp_path / "crm.xlsx", RU_HEADER, [[deal_name, "Иван", "Ромашка", "", "", ""]]
    )
    result = import_file(odoo_server, path, "--dry-run")
    assert result.returncode == 0
    assert f"row 2: create deal '{deal_name}' in New lead" in result.stdout
    assert deals_named(odoo_rpc, deal_name) == []


def test_a_changed_status_updates_the_existing_deal(odoo_server, odoo_rpc, tmp_path, deal_name):
    row = [deal_name, "Иван", "Ромашка", "+7 916 333-44-55", "Новый лид", 5000]
    import_file(odoo_server, write_xlsx(tmp_path / "a.xlsx", RU_HEADER, [row]))
    row[4] = "Квалификация"
    result = import_file(odoo_server, write_xlsx(tmp_path / "b.xlsx", RU_HEADER, [row]))
    assert "updated: 1" in result.stdout
    [deal] = deals_named(odoo_rpc, deal_name)
    assert deal["stage_id"][0] == stage_id(odoo_rpc, "qualified")


def test_lost_status_closes_the_deal_with_the_lost_reason(
    odoo_server, odoo_rpc, tmp_path, deal_name
):
    path = write_xlsx(
        tmp_path / "crm.xlsx",
        [*RU_HEADER, "Причина отказа"],
        [[deal_name, "Иван", "", "", "Отказ", "", "Дорого"]],
    )
    assert import_file(odoo_server, path).returncode == 0
    [deal] = deals_named(odoo_rpc, deal_name)
    assert (deal["active"], deal["lost_reason_id"][1]) == (False, "Дорого")


def test_mapping_file_overrides_headers_and_statuses(odoo_server, odoo_rpc, tmp_path, deal_name):
    (tmp_path / "mapping.json").write_text(
        '{"columns": {"Что продаём": "deal", "Служебное": null}, '
        '"statuses": {"Думает": "proposal_sent"}}',
        encoding="utf-8",
    )
    path = write_xlsx(
        tmp_path / "crm.xlsx",
        ["Что продаём", "Служебное", "Статус", "Сумма"],
        [[deal_name, "x", "Думает", 100]],
    )
    result = import_file(odoo_server, path, "--mapping", tmp_path / "mapping.json")
    assert result.returncode == 0, result.stderr
    [deal] = deals_named(odoo_rpc, deal_name)
    assert deal["stage_id"][0] == stage_id(odoo_rpc, "proposal_sent")


def test_unknown_column_exits_with_a_one_line_reason(odoo_server, tmp_path):
    path = write_xlsx(tmp_path / "crm.xlsx", ["Сделка", "Цвет глаз"], [["X — y", "голубой"]])
    result = import_file(odoo_server, path)
    assert result.returncode == 2
    expected = (
        "error: unknown column 'Цвет глаз': map it in a mapping file (--mapping) or pass "
        "--ignore-unknown-columns"
    )
    assert result.stderr.strip().splitlines() == [expected]


def test_unknown_status_rejects_the_row(odoo_server, odoo_rpc, tmp_path, deal_name):
    path = write_xlsx(tmp_path / "crm.xlsx", RU_HEADER, [[deal_name, "Иван", "", "", "Думает", ""]])
    result = import_file(odoo_server, path)
    assert "row 2: unknown status 'Думает'" in result.stdout
    assert deals_named(odoo_rpc, deal_name) == []


def test_unreadable_file_exits_with_a_one_line_reason(odoo_server, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    result = import_file(odoo_server, path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "not a readable .xlsx file" in result.stderr


def test_wrong_password_exits_with_a_one_line_reason(odoo_server, tmp_path):
    path = write_xlsx(tmp_path / "crm.xlsx", RU_HEADER, [["A — b", "", "", "", "", ""]])
    result = import_file(odoo_server, path, password="wrong")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: login refused for 'admin': wrong login or password"


def test_unreachable_server_exits_with_a_one_line_reason(odoo_server, tmp_path):
    path = write_xlsx(tmp_path / "crm.xlsx", RU_HEADER, [["A — b", "", "", "", "", ""]])
    result = import_file(odoo_server, path, env={"ODOO_URL": "http://127.0.0.1:9"})
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot reach Odoo at http://127.0.0.1:9")
    assert len(result.stderr.strip().splitlines()) == 1


def test_help_shows_examples_without_a_password_on_the_command_line(odoo_server):
    result = run_tool(odoo_server, "import_spreadsheet", "--help")
    assert result.returncode == 0
    assert "scripts/import_spreadsheet deals.xlsx --dry-run" in result.stdout
    assert "--password" not in result.stdout


def test_the_same_phone_written_differently_is_a_duplicate(odoo_server, tmp_path, deal_name):
    path = write_xlsx(
        tmp_path / "crm.xlsx",
        RU_HEADER,
        [[deal_name, "Иван", "", "8 (916) 444-55-66", "", ""],
         [deal_name, "Иван", "", "+7 916 4445566", "", ""]],
    )  # fmt: skip
    result = import_file(odoo_server, path)
    assert "row 3: duplicate of row 2" in result.stdout


def test_a_phone_stored_as_a_number_in_excel_is_normalized(
    odoo_server, odoo_rpc, tmp_path, deal_name
):
    path = write_xlsx(
        tmp_path / "crm.xlsx", RU_HEADER, [[deal_name, "Иван", "", 79165556677, "", ""]]
    )
    assert import_file(odoo_server, path).returncode == 0
    [deal] = deals_named(odoo_rpc, deal_name)
    assert deal["phone"] == "+7 916 555-66-77"


def test_a_long_import_in_batches_shows_progress_and_creates_every_row(
    odoo_server, odoo_rpc, tmp_path, deal_name
):
    rows = [[f"{deal_name} #{n}", f"Контакт {n}", "", f"+7 916 700-00-{n:02d}", "", ""]
            for n in range(7)]  # fmt: skip
    path = write_xlsx(tmp_path / "crm.xlsx", RU_HEADER, rows)
    result = import_file(odoo_server, path, "--batch-size", 3, "--progress")
    assert "Importing [" in result.stderr
    assert "7/7" in result.stderr
    assert "created: 7 deals" in result.stdout


def test_a_mapping_file_naming_a_missing_column_exits_with_a_one_line_reason(odoo_server, tmp_path):
    (tmp_path / "mapping.json").write_text('{"columns": {"Клиент X": "company"}}', encoding="utf-8")
    path = write_xlsx(tmp_path / "crm.xlsx", RU_HEADER, [["A — b", "", "", "", "", ""]])
    result = import_file(odoo_server, path, "--mapping", tmp_path / "mapping.json")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: unknown column 'Клиент X' in the mapping file: not in the file"
    )


def test_rerunning_the_same_file_creates_no_new_contacts(
    odoo_server, odoo_rpc, tmp_path, deal_name
):
    path = write_xlsx(
        tmp_path / "crm.xlsx", RU_HEADER, [[deal_name, "Иван", "", "+7 916 321-54-76", "", ""]]
    )
    import_file(odoo_server, path)
    import_file(odoo_server, path)
    partners = odoo_rpc.env["res.partner"].search([("phone_sanitized", "=", "+79163215476")])
    assert len(partners) == 1


def test_an_existing_contact_with_the_same_phone_becomes_the_deals_customer(
    odoo_server, odoo_rpc, tmp_path, deal_name
):
    partner = odoo_rpc.env["res.partner"].create({"name": unique("Анна"), "phone": "+79165550099"})
    path = write_xlsx(
        tmp_path / "crm.xlsx", RU_HEADER, [[deal_name, "Анна", "", "8 916 555 00 99", "", ""]]
    )
    import_file(odoo_server, path)
    [deal] = deals_named(odoo_rpc, deal_name)
    assert deal["partner_id"][0] == partner
