"""One phone-number normaliser for the suite, built on Odoo's ``phone_validation``.

Telephony (caller numbers from PBXes), lead capture (web forms, e-mail) and the
importer (spreadsheet cells) all call :func:`parse_phone` or :func:`parse_phones` and
get the same answer for the same text: a :class:`Phone` whose ``e164`` is set when the
number is valid. Nothing here raises on bad input.
"""

import re
from dataclasses import dataclass

from odoo.exceptions import UserError

from odoo.addons.phone_validation.tools import phone_validation

# An internal extension, a queue or a short service number is not a customer's phone.
EXTENSION_MAX_DIGITS = 6
# The longest text read as one phone: E.164 has 15 digits, people add spaces, dashes,
# brackets and an extension ("+7 (912) 345-67-89 доб. 105").
MAX_PHONE_CHARS = 64
# How people write an extension after the number: "доб. 105", "ext 105", "x105", "#105".
EXTENSION_RE = re.compile(
    r"\s*(?:[,;]?\s*(?:доб(?:авочный)?|вн(?:утр(?:енний)?)?|ext(?:ension)?|x|#)\.?\s*:?\s*)"
    r"(\d{1,6})\s*$",
    re.IGNORECASE,
)
# Several numbers in one cell or field: separated by a comma, a semicolon, a slash,
# "or"/"или" or a line break (never by a space: numbers contain spaces).
SEPARATOR_RE = re.compile(r"\s*(?:[,;/\n]|\s+(?:or|или)\s+)\s*", re.IGNORECASE)
URI_PREFIX_RE = re.compile(r"^(?:sips?|tel):", re.IGNORECASE)


@dataclass(frozen=True)
class Phone:
    """A phone number as written, and what it is.

    ``e164`` is the number in E.164 (``+79123456789``) when it is a valid number, else
    False; ``extension`` is the extension written after it, if any; ``is_internal`` says
    the text is an extension or a short internal number rather than a customer's phone.
    """

    raw: str
    e164: str | bool = False
    extension: str | bool = False
    is_internal: bool = False

    @property
    def valid(self):
        return bool(self.e164)

    @property
    def display(self):
        """What to store in a phone field: E.164 when valid, else the text as written."""
        return self.e164 or self.raw


def parse_phone(raw, country=None):
    """The :class:`Phone` of one number.

    :param raw: the text (a form field, a PBX caller id, a ``sip:`` or ``tel:`` URI)
    :param country: a ``res.country`` record or an ISO code such as ``"RU"``: the
        region of numbers written without their country code (``8 (912) 345-67-89``)
    """
    text = str(raw or "").strip()[:MAX_PHONE_CHARS]
    number = URI_PREFIX_RE.sub("", text).split("@")[0].strip()
    extension = False
    match = EXTENSION_RE.search(number)
    if match and re.search(r"\d{7}", re.sub(r"\D", "", number[: match.start()])):
        extension, number = match.group(1), number[: match.start()]
    digits = re.sub(r"\D", "", number)
    if not digits:
        return Phone(raw=text)
    if len(digits) <= EXTENSION_MAX_DIGITS:
        return Phone(raw=text, is_internal=True)
    return Phone(raw=text, e164=_e164(number, digits, country), extension=extension)


def parse_phones(text, country=None):
    """Every distinct number written in one text (``"+7 912 …, 8 (495) …"``), in order."""
    phones, seen = [], set()
    for part in SEPARATOR_RE.split(str(text or "")[: MAX_PHONE_CHARS * 8]):
        phone = parse_phone(part, country)
        key = phone.e164 or phone.raw
        if phone.raw and key not in seen:
            seen.add(key)
            phones.append(phone)
    return phones


def _e164(number, digits, country):
    code, phone_code = _region(country)
    candidates = [number] if number.lstrip().startswith("+") else [number, "+" + digits]
    for candidate in candidates:
        try:
            return phone_validation.phone_format(
                candidate, code, phone_code, force_format="E164", raise_exception=True
            )
        except UserError:
            continue
    return False


def _region(country):
    """(ISO code, dialling code) of a country record or an ISO code."""
    if not country:
        return None, None
    if isinstance(country, str):
        return country.upper(), None
    return country.code, country.phone_code
