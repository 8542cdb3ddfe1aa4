from odoo.tests import TransactionCase, tagged

from ..tools.presets import KNOWN_HEADERS, detect_preset
from ..tools.sheet import build_sheet, read_rows
from ..tools.text import fold, name_key
from ..tools.values import parse_amount, parse_datetime
from .common import DATA


@tagged("post_install", "-at_install")
class TestParsing(TransactionCase):
    def test_amounts_as_people_write_them(self):
        self.assertEqual(parse_amount("1 250 000,50"), (1250000.5, None))
        self.assertEqual(parse_amount("1.250.000"), (1250000.0, None))
        self.assertEqual(parse_amount("1,250,000.50"), (1250000.5, None))
        self.assertEqual(parse_amount("5 000 USD"), (5000.0, "USD"))
        self.assertEqual(parse_amount("12 000 ₽"), (12000.0, "RUB"))
        self.assertEqual(parse_amount(120000), (120000.0, None))
        for empty in ("—", "-", "–", ""):
            self.assertEqual(parse_amount(empty), (None, None))
        with self.assertRaises(ValueError):
            parse_amount("договорная")

    def test_homoglyphs_and_yo_are_folded(self):
        self.assertEqual(fold("Cчет на предоплату"), fold("Счёт на предоплату"))
        self.assertEqual(fold("  Бюджет, ₽ "), "бюджет")
        self.assertEqual(fold("Won"), "won")

    def test_names_in_any_order(self):
        self.assertEqual(name_key("Ковалёва Анна"), name_key("Анна Ковалева"))

    def test_dates(self):
        self.assertEqual(str(parse_datetime("12.01.2024 10:15:00")), "2024-01-12 10:15:00")
        self.assertEqual(str(parse_datetime("2024-01-12")), "2024-01-12 00:00:00")

    def test_1c_title_rows_two_row_header_and_totals(self):
        raw, encoding = read_rows((DATA / "onec_clients.csv").read_bytes(), "onec_clients.csv")
        self.assertEqual(encoding, "cp1251")
        sheet = build_sheet(raw, KNOWN_HEADERS)
        self.assertEqual(sheet.header_row, 3)
        self.assertEqual(sheet.headers[3:5], ["ИНН", "КПП"])
        self.assertEqual(sheet.headers[0], "Код")
        self.assertEqual(len(sheet.rows), 3)
        self.assertEqual(sheet.skipped_totals, 1)
        self.assertEqual(detect_preset(sheet.headers).code, "onec_clients")

    def test_merged_xlsx_header_is_flattened(self):
        raw, _encoding = read_rows((DATA / "onec_clients.xlsx").read_bytes(), "x.xlsx")
        sheet = build_sheet(raw, KNOWN_HEADERS)
        self.assertEqual(
            sheet.headers[:5], ["Код", "Наименование", "Полное наименование", "ИНН", "КПП"]
        )
        self.assertEqual(len(sheet.rows), 3)
