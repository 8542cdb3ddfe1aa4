"""How the admin scripts find and use their connection settings."""

from test_cli_helpers import run_tool


def test_a_configuration_file_supplies_the_connection(odoo_server, tmp_path):
    config = tmp_path / "odoo.ini"
    config.write_text(
        f"[odoo]\nurl = {odoo_server.url}\ndb = {odoo_server.db_name}\n"
        "login = admin\npassword = admin\n",
        encoding="utf-8",
    )
    result = run_tool(
        odoo_server,
        "regulation_report",
        "--config",
        config,
        cwd=tmp_path,
        env={"ODOO_URL": "", "ODOO_DB": "", "ODOO_LOGIN": "", "ODOO_PASSWORD": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Regulation report")


def test_flags_override_the_environment(odoo_server, tmp_path):
    result = run_tool(
        odoo_server, "regulation_report", "--url", odoo_server.url, cwd=tmp_path,
        env={"ODOO_URL": "http://127.0.0.1:9"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_unknown_database_exits_with_a_one_line_reason(odoo_server, tmp_path):
    result = run_tool(odoo_server, "regulation_report", "--db", "no_such_db_here", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: database 'no_such_db_here' does not exist on the server"


def test_missing_password_exits_with_a_one_line_reason(odoo_server, tmp_path):
    result = run_tool(odoo_server, "regulation_report", cwd=tmp_path, env={"ODOO_PASSWORD": ""})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: no password: set ODOO_PASSWORD or put it in the configuration file"
    )
