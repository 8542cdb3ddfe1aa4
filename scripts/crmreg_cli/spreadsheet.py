"""Reading .xlsx and .csv files (UTF-8 or Windows-1251, ';' or ',') into rows."""

import csv
import datetime
import io
import zipfile
from pathlib import Path

from .connection import CliError

ENCODINGS = ("utf-8-sig", "cp1251")


class Sheet:
    """The header and the data rows of a file; ``rows`` are (file row number, values)."""

    def __init__(self, headers, rows):
        self.headers = headers
        self.rows = rows


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(" ")
    return str(value).strip()


def _table(raw_rows):
    """Take the first non-empty row as the header; drop empty rows."""
    header_at = None
    rows = []
    for number, values in raw_rows:
        texts = [_cell_text(value) for value in values]
        if not any(texts):
            continue
        if header_at is None:
            header_at = number
            headers = texts
            while headers and not headers[-1]:
                headers.pop()
            continue
        texts = (texts + [""] * len(headers))[: len(headers)]
        rows.append((number, texts))
    if header_at is None:
        raise CliError("the file is empty: no header row")
    return Sheet(headers, rows)


def read_xlsx(path, sheet_name=None):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise CliError(f"cannot read {path}: not a readable .xlsx file ({error})") from error
    try:
        if sheet_name:
            if sheet_name not in workbook.sheetnames:
                raise CliError(
                    f"{path} has no sheet '{sheet_name}' (sheets: {', '.join(workbook.sheetnames)})"
                )
            worksheet = workbook[sheet_name]
        else:
            worksheet = workbook.worksheets[0]
        return _table(enumerate(worksheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def decode(data, encoding=None):
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise CliError(f"cannot decode the file as {encoding}: {error}") from error
    for candidate in ENCODINGS:
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise CliError("cannot decode the file: neither UTF-8 nor Windows-1251")  # pragma: no cover


def sniff_delimiter(text):
    first = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first.count(";") >= first.count(",") and ";" in first else ","


def read_csv(path, encoding=None, delimiter=None):
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise CliError(f"cannot read {path}: {error.strerror or error}") from error
    if b"\x00" in data[:4096]:
        raise CliError(f"cannot read {path}: a binary file, not CSV text")
    text = decode(data, encoding)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter or sniff_delimiter(text))
    try:
        return _table(enumerate(reader, start=1))
    except csv.Error as error:
        raise CliError(f"cannot read {path}: {error}") from error


def read_sheet(path, sheet_name=None, encoding=None, delimiter=None):
    path = Path(path)
    if not path.is_file():
        raise CliError(f"cannot read {path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet_name)
    if suffix in (".csv", ".txt"):
        return read_csv(path, encoding, delimiter)
    if suffix == ".xls":
        raise CliError(f"cannot read {path}: old .xls format; save it as .xlsx or .csv")
    raise CliError(f"cannot read {path}: expected a .xlsx or .csv file")
