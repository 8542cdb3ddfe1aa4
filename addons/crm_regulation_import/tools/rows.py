"""One data row of a sheet, read into the values an import needs (no database here)."""

import hashlib
import re

from odoo.addons.crm_phone_base.tools import parse_phones

from .presets import MULTI_FIELDS
from .sheet import cell_text
from .values import parse_amount, parse_datetime, split_list

EMAIL_RE = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")


class RowError(ValueError):
    """The row cannot be imported; the message says why."""


class ParsedRow:
    """The values of one row: ``values`` holds texts (lists for several-valued keys),
    ``phones`` :class:`Phone` objects, ``emails``, ``amount``, ``currency``, dates."""

    def __init__(self, number, values):
        self.number = number
        self.values = values
        self.phones = []
        self.emails = []
        self.amount = None
        self.currency = None
        self.created = None
        self.closed = None

    def get(self, key):
        value = self.values.get(key)
        if isinstance(value, list):
            return " ".join(value)
        return value or ""

    @property
    def title(self):
        return (
            self.get("deal")
            or self.get("company")
            or self.get("contact")
            or (self.phones[0].display if self.phones else "")
            or (self.emails[0] if self.emails else "")
        )

    def row_key(self):
        """Identity of a row without an ID column: a hash of what it says."""
        text = "|".join(f"{key}={self.get(key)}" for key in sorted(self.values))
        return "h" + hashlib.sha1(text.encode()).hexdigest()[:20]


def collect(cells, columns):
    """{key: text or [texts]} of one row; ``columns`` is {column index: key}."""
    values = {}
    for index, key in columns.items():
        if not key or index >= len(cells):
            continue
        raw = cells[index]
        if key in ("created", "closed", "amount") and raw not in (None, ""):
            values.setdefault(key, raw)
            continue
        text = cell_text(raw)
        if not text:
            continue
        if key in MULTI_FIELDS or key == "contact":
            values.setdefault(key, []).append(text)
        else:
            values.setdefault(key, text)
    return values


def parse_row(number, cells, columns, country=None):
    """A :class:`ParsedRow`; raises :class:`RowError` on a value that cannot be read."""
    row = ParsedRow(number, collect(cells, columns))
    _read_contacts(row, country)
    _read_numbers(row)
    row.values["tags"] = [tag for text in row.values.get("tags", []) for tag in split_list(text)]
    if not row.title:
        raise RowError("no deal title, company, contact, phone or e-mail")
    return row


def _read_contacts(row, country):
    values = row.values
    seen = set()
    for text in values.get("phone", []):
        for phone in parse_phones(text, country):
            if phone.raw and (phone.e164 or phone.raw) not in seen:
                seen.add(phone.e164 or phone.raw)
                row.phones.append(phone)
    for text in values.get("email", []):
        for email in EMAIL_RE.findall(text):
            if email.lower() not in row.emails:
                row.emails.append(email.lower())


def _read_numbers(row):
    values = row.values
    if "amount" in values:
        try:
            row.amount, row.currency = parse_amount(values["amount"])
        except ValueError as error:
            raise RowError(f"amount '{cell_text(values['amount'])}' is not a number") from error
    if values.get("currency"):
        row.currency = values["currency"]
    for key in ("created", "closed"):
        if key in values:
            try:
                setattr(row, key, parse_datetime(values[key]))
            except ValueError as error:
                raise RowError(f"date '{cell_text(values[key])}' is not a date") from error
