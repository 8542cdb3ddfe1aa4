"""Reading a spreadsheet (CSV or .xlsx) into a header and data rows.

A CSV is UTF-8 or Windows-1251, separated by ``;``, ``,`` or tabs. The header row is
found among the first rows (title rows such as "Контрагенты" above it are skipped); a
two-row header (a merged group cell above its columns, as 1C writes it) is flattened;
totals rows ("Итого", "Всего") and empty rows are dropped.
"""

import csv
import datetime
import io
import zipfile

from .text import fold

ENCODINGS = ("utf-8-sig", "cp1251")
DELIMITERS = (";", ",", "\t")
HEADER_SEARCH_ROWS = 15
TOTALS_WORDS = ("итого", "всего", "total", "totals", "grand total")


class SheetError(ValueError):
    """The file cannot be read as a table; the message says why, for a person."""


class Sheet:
    """The header of a file and its data rows: ``rows`` are (file row number, cells)."""

    def __init__(self, headers, rows, header_row, skipped_totals=0):
        self.headers = headers
        self.rows = rows
        self.header_row = header_row
        self.skipped_totals = skipped_totals


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(" ")
    return " ".join(str(value).split())


def decode(data, encoding=None):
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as error:
            raise SheetError(f"cannot decode the file as {encoding}: {error}") from error
    for candidate in ENCODINGS:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise SheetError("cannot decode the file: neither UTF-8 nor Windows-1251")  # pragma: no cover


def sniff_delimiter(text):
    """The separator that splits the first lines most evenly."""
    lines = [line for line in text.splitlines()[: HEADER_SEARCH_ROWS + 5] if line.strip()]
    if not lines:
        return ";"
    return max(DELIMITERS, key=lambda mark: (max(line.count(mark) for line in lines), mark == ";"))


def read_csv_rows(data, encoding=None, delimiter=None):
    if b"\x00" in data[:4096]:
        raise SheetError("a binary file, not CSV text")
    text, encoding = decode(data, encoding)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter or sniff_delimiter(text))
    try:
        return list(enumerate(reader, start=1)), encoding
    except csv.Error as error:
        raise SheetError(f"not a readable CSV file: {error}") from error


def read_xlsx_rows(data, sheet_name=None):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise SheetError(f"not a readable .xlsx file ({error})") from error
    try:
        if sheet_name and sheet_name not in workbook.sheetnames:
            raise SheetError(f"no sheet '{sheet_name}' (sheets: {', '.join(workbook.sheetnames)})")
        worksheet = workbook[sheet_name] if sheet_name else workbook.worksheets[0]
        return list(enumerate(worksheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def is_xlsx(file_name, data):
    return (file_name or "").lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK"


def read_rows(data, file_name="", encoding=None, delimiter=None, sheet_name=None):
    """(numbered raw rows, encoding or None) of a CSV or .xlsx file's bytes."""
    if not data:
        raise SheetError("the file is empty")
    if (file_name or "").lower().endswith(".xls") and data[:2] != b"PK":
        raise SheetError("old .xls format: save it as .xlsx or .csv")
    if is_xlsx(file_name, data):
        return read_xlsx_rows(data, sheet_name), None
    return read_csv_rows(data, encoding, delimiter)


def _flatten(top, bottom):
    """One header from two rows: a merged group cell above applies to the cells under it;
    a column named only above keeps that name."""
    headers = []
    for index in range(max(len(top), len(bottom))):
        upper = top[index] if index < len(top) else ""
        lower = bottom[index] if index < len(bottom) else ""
        headers.append(lower or upper)
    return headers


def _score(headers, known):
    return sum(1 for header in headers if header and fold(header) in known)


def find_header(texts, known, header_row=None):
    """(row index in ``texts``, rows the header takes, headers).

    ``known`` is the set of folded header names a preset recognises; the row (or pair of
    rows) naming the most of them is the header. ``header_row`` (1-based) forces it.
    """
    if header_row:
        index = header_row - 1
        if index >= len(texts):
            raise SheetError(f"the file has no row {header_row}")
        return index, 1, texts[index]
    best = None
    for index, row in enumerate(texts[:HEADER_SEARCH_ROWS]):
        if not any(row):
            continue
        candidates = [(_score(row, known), 1, row)]
        if index + 1 < len(texts):
            flat = _flatten(row, texts[index + 1])
            candidates.append((_score(flat, known), 2, flat))
        for score, height, headers in candidates:
            if best is None or (score, -height) > (best[0], -best[2]):
                best = (score, index, height, headers)
    if best is None:
        raise SheetError("the file is empty: no header row")
    if best[0] == 0:  # nothing recognised: the first non-empty row names the columns
        index = next(i for i, row in enumerate(texts) if any(row))
        return index, 1, texts[index]
    return best[1], best[2], best[3]


def is_totals(cells):
    first = next((cell for cell in cells if cell), "")
    return fold(first).startswith(TOTALS_WORDS)


def build_sheet(raw_rows, known, header_row=None):
    """A :class:`Sheet` of numbered raw rows (cells of any type)."""
    numbers = [number for number, _values in raw_rows]
    raws = [list(values) for _number, values in raw_rows]
    texts = [[cell_text(value) for value in values] for values in raws]
    index, height, headers = find_header(texts, known, header_row)
    headers = list(headers)
    while headers and not headers[-1]:
        headers.pop()
    rows, totals = [], 0
    width = len(headers)
    for position in range(index + height, len(texts)):
        cells = texts[position]
        if not any(cells):
            continue
        if is_totals(cells):
            totals += 1
            continue
        values = raws[position][:width] + [None] * (width - len(raws[position]))
        rows.append((numbers[position], values))
    return Sheet(headers, rows, numbers[index], totals)
