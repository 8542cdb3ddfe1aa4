"""Cell values: amounts, currencies, dates and lists written in one cell."""

import datetime
import re

from .text import fold

# What stands for "no amount" in exported sheets.
EMPTY_AMOUNTS = {"", "-", "—", "–", "н/д", "нет", "n/a"}
# How people write currencies, in a cell of its own or beside the amount.
CURRENCY_ALIASES = {
    "₽": "RUB",
    "р": "RUB",
    "руб": "RUB",
    "рубль": "RUB",
    "рублей": "RUB",
    "rur": "RUB",
    "$": "USD",
    "долл": "USD",
    "доллар": "USD",
    "€": "EUR",
    "евро": "EUR",
    "тенге": "KZT",
    "₸": "KZT",
    "грн": "UAH",
    "₴": "UAH",
    "byn": "BYN",
}
CURRENCY_IN_AMOUNT_RE = re.compile(r"([A-Za-z]{3}\b|[₽$€₸₴]|руб\w*|р\.)", re.IGNORECASE)
DATE_FORMATS = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%d/%m/%Y",
)
LIST_SEPARATOR_RE = re.compile(r"\s*[,;\n]\s*")


def currency_code(text):
    """An ISO code from ``"USD"``, ``"руб."``, ``"₽"``; None when the cell is empty."""
    raw = str(text or "").strip()
    if not raw:
        return None
    key = fold(raw).replace(" ", "") or raw
    return CURRENCY_ALIASES.get(key) or CURRENCY_ALIASES.get(raw) or raw.upper()


def parse_amount(value):
    """``(amount, currency code or None)`` of a cell.

    ``"1 250 000,50"``, ``"1.250.000"``, ``"1,250,000.50"``, ``"5 000 USD"``,
    ``"250000"``; ``"—"``, ``"-"`` or empty: ``(None, None)``. Raises ValueError on text
    that is no amount.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), None
    text = str(value or "").replace("\u00a0", " ").replace("\u202f", " ").strip()
    if text.casefold() in EMPTY_AMOUNTS:
        return None, None
    currency = None
    match = CURRENCY_IN_AMOUNT_RE.search(text)
    if match:
        currency = currency_code(match.group(1))
        text = text[: match.start()] + text[match.end() :]
    cleaned = re.sub(r"[\s']", "", text)
    if not re.fullmatch(r"-?[\d.,]+", cleaned) or not re.search(r"\d", cleaned):
        raise ValueError(value)
    return _number(cleaned), currency


def _number(cleaned):
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return float(cleaned.replace(thousands, "").replace(",", "."))
    for mark in (",", "."):
        if mark in cleaned:
            tail = cleaned.rpartition(mark)[2]
            # "1,250,000" / "1.250.000" group thousands; "12,5" or "1250.00" has decimals
            if cleaned.count(mark) > 1 or (mark == "," and len(tail) == 3):
                return float(cleaned.replace(mark, ""))
            return float(cleaned.replace(mark, "."))
    return float(cleaned)


def parse_datetime(value):
    """A naive datetime from a cell (a spreadsheet date, ``"02.01.2024 15:04:05"``, ISO);
    None when empty; ValueError on anything else."""
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    text = str(value or "").strip()
    if text in EMPTY_AMOUNTS:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(value)


def split_list(text):
    """Values written in one cell, separated by commas, semicolons or line breaks."""
    return [part for part in LIST_SEPARATOR_RE.split(str(text or "").strip()) if part]
