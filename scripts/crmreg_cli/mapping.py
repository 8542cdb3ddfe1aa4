"""Which column of a spreadsheet holds which deal or contact field, and which stage a
status text means. Common Russian and English headers are recognized; a mapping file
(JSON) overrides them."""

import json
import re
from pathlib import Path

from .connection import CliError

# Target keys and what they fill in.
FIELDS = {
    "deal": "deal title (crm.lead name)",
    "contact": "contact person's name",
    "company": "customer's company name",
    "phone": "phone (normalized with phonenumbers)",
    "email": "e-mail",
    "status": "status text, mapped to a regulation stage",
    "amount": "budget / expected revenue",
    "salesperson": "salesperson: user name or login",
    "notes": "notes / description",
    "vat": "company VAT / INN",
    "street": "address",
    "city": "city",
    "lost_reason": "lost reason of a lost deal",
}

HEADER_ALIASES = {
    "deal": [
        "deal", "deal name", "deal title", "opportunity", "title", "subject", "сделка",
        "название", "название сделки", "наименование", "наименование сделки", "тема",
    ],
    "contact": [
        "contact", "contact name", "contact person", "full name", "name", "customer name",
        "контакт", "контактное лицо", "фио", "имя", "клиент фио",
    ],
    "company": [
        "company", "company name", "organization", "organisation", "customer", "account",
        "компания", "организация", "клиент", "название компании", "контрагент",
    ],
    "phone": [
        "phone", "phone number", "telephone", "tel", "mobile", "mobile phone",
        "телефон", "тел", "мобильный", "мобильный телефон", "номер телефона", "контактный телефон",
    ],
    "email": ["email", "e-mail", "mail", "email address", "почта", "эл почта",
              "электронная почта", "e-mail адрес"],
    "status": ["status", "stage", "deal stage", "статус", "этап", "стадия", "этап сделки",
               "статус сделки"],
    "amount": [
        "amount", "budget", "expected revenue", "revenue", "value", "deal value", "sum",
        "сумма", "бюджет", "сумма сделки", "стоимость", "ожидаемая выручка",
    ],
    "salesperson": [
        "salesperson", "sales person", "owner", "responsible", "manager", "assigned to",
        "ответственный", "менеджер", "продавец", "ответственный менеджер",
    ],
    "notes": ["notes", "note", "comment", "comments", "description",
              "комментарий", "примечание", "описание", "заметки"],
    "vat": ["vat", "tax id", "vat number", "инн"],
    "street": ["address", "street", "адрес", "улица"],
    "city": ["city", "town", "город"],
    "lost_reason": ["lost reason", "reason lost", "причина отказа", "причина проигрыша"],
}  # fmt: skip

STATUS_ALIASES = {
    "unsorted": ["unsorted", "неразобранное", "неразобранные"],
    "new": ["new", "new lead", "lead", "новый", "новый лид", "новая", "новая заявка", "заявка"],
    "in_work": [
        "in work", "taken into work", "in progress", "contacted", "working",
        "в работе", "принято в работу", "взят в работу",
    ],
    "qualified": ["qualified", "qualification", "квалификация", "квалификация пройдена",
                  "квалифицирован"],
    "proposal_sent": ["proposal sent", "quote sent", "offer sent", "кп отправлено",
                      "коммерческое предложение отправлено", "отправлено кп"],
    "proposal_agreed": ["proposal agreed", "proposal accepted", "offer accepted",
                        "кп согласовано", "кп принято"],
    "contract_sent": [
        "contract sent", "invoice sent", "invoice and contract sent",
        "счёт+договор отправлен", "счет+договор отправлен", "счёт и договор отправлены",
        "счет и договор отправлены", "договор отправлен", "счёт отправлен", "счет отправлен",
    ],
    "contract_agreed": [
        "contract agreed", "contract signed", "invoice and contract agreed",
        "счёт+договор согласован", "счет+договор согласован", "договор подписан",
        "договор согласован",
    ],
    "prepayment": ["prepayment", "prepayment received", "deposit paid", "предоплата",
                   "предоплата получена"],
    "final_payment": ["final payment", "final payment received", "paid in full",
                      "доплата", "доплата получена", "оплачено полностью"],
    "won": ["won", "closed won", "done", "success", "успешно реализовано", "успешно",
            "реализовано", "выиграна", "выиграно"],
    "lost": ["lost", "closed lost", "closed and lost", "закрыто и не реализовано",
             "не реализовано", "отказ", "проиграна", "проиграно", "потеряна"],
}  # fmt: skip


def normalize_key(text):
    """Compare headers and statuses case-, 'ё'-, spacing- and punctuation-insensitively."""
    text = str(text).casefold().replace("ё", "е").replace("_", " ")
    text = re.sub(r"[.:*()\"'№#]", " ", text)
    text = re.sub(r"\s*\+\s*", "+", text)
    return " ".join(text.split())


def _index(aliases):
    return {normalize_key(alias): key for key, names in aliases.items() for alias in names}


HEADER_INDEX = _index(HEADER_ALIASES)
STATUS_INDEX = _index(STATUS_ALIASES)
STAGE_CODES = [code for code in STATUS_ALIASES if code != "lost"]


def load_mapping_file(path):
    """Read a JSON mapping: {"columns": {header: field or null}, "statuses": {text: code}}."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise CliError(f"cannot read mapping file {path}: {error.strerror or error}") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise CliError(f"mapping file {path} is not valid JSON: {error}") from error
    if not isinstance(data, dict) or not set(data) <= {"columns", "statuses"}:
        raise CliError(f"mapping file {path}: expected an object with 'columns' and 'statuses'")
    columns = data.get("columns") or {}
    statuses = data.get("statuses") or {}
    for header, field in columns.items():
        if field is not None and field not in FIELDS:
            raise CliError(
                f"mapping file {path}: column '{header}' maps to unknown field '{field}' "
                f"(known: {', '.join(FIELDS)})"
            )
    for text, code in statuses.items():
        if code not in STATUS_ALIASES:
            raise CliError(
                f"mapping file {path}: status '{text}' maps to unknown stage '{code}' "
                f"(known: {', '.join(STATUS_ALIASES)})"
            )
    return columns, statuses


def map_columns(headers, overrides=None, ignore_unknown=False):
    """Return {column index: field key}; raise CliError on unknown or doubled columns."""
    present = {normalize_key(header) for header in headers}
    for header in overrides or {}:
        if normalize_key(header) not in present:
            raise CliError(f"unknown column '{header}' in the mapping file: not in the file")
    overrides = {normalize_key(header): field for header, field in (overrides or {}).items()}
    mapping = {}
    unknown = []
    for index, header in enumerate(headers):
        key = normalize_key(header)
        if not key:
            continue
        field = overrides[key] if key in overrides else HEADER_INDEX.get(key, "?")
        if field == "?":
            unknown.append(header)
            continue
        if field is None:
            continue
        if field in mapping.values():
            raise CliError(f"two columns map to the field '{field}', e.g. '{header}'")
        mapping[index] = field
    if unknown and not ignore_unknown:
        raise CliError(
            f"unknown column '{unknown[0]}': map it in a mapping file (--mapping) or pass "
            "--ignore-unknown-columns"
        )
    if not {"deal", "contact", "company", "phone", "email"} & set(mapping.values()):
        raise CliError("no column with a deal title, contact, company, phone or e-mail")
    return mapping
