"""What the columns of known exports mean, and what their stages are in the regulation.

The header names come from the exports themselves (see tests/data/ for the sources):
amoCRM's deals export, Bitrix24's deal, contact and company lists, 1C's
"Контрагенты" list; anything else is a plain spreadsheet with common Russian and
English headers.
"""

from .text import fold

# Target keys: what a column fills in. Several columns may feed one key: phones,
# e-mails, notes and tags are all kept, other keys take the first non-empty cell.
FIELDS = (
    "external_id", "deal", "contact", "company", "phone", "email", "status", "pipeline",
    "amount", "currency", "salesperson", "created", "closed", "lost_reason", "tags",
    "source", "utm_source", "utm_medium", "utm_campaign", "notes", "vat", "kpp", "street",
    "city", "position", "website",
)  # fmt: skip
MULTI_FIELDS = {"phone", "email", "notes", "tags"}

HEADER_ALIASES = {
    "external_id": ["id", "код", "идентификатор", "external id", "id сделки"],
    "deal": [
        "deal", "deal name", "deal title", "opportunity", "title", "subject", "сделка",
        "название сделки", "название", "наименование сделки", "тема", "название заявки",
    ],
    "contact": [
        "contact", "contact name", "contact person", "full name", "customer name",
        "контакт", "контактное лицо", "фио", "полное имя контакта", "имя контакта",
        "основной контакт", "полное имя", "имя",
    ],
    "company": [
        "company", "company name", "organization", "organisation", "customer", "account",
        "компания", "организация", "клиент", "название компании", "контрагент",
        "компания контакта", "наименование", "полное наименование",
    ],
    "phone": [
        "phone", "phone number", "telephone", "tel", "mobile", "mobile phone", "work phone",
        "телефон", "тел", "мобильный", "мобильный телефон", "номер телефона",
        "контактный телефон", "рабочий телефон", "рабочий прямой телефон",
        "домашний телефон", "другой телефон", "телефоны",
    ],
    "email": [
        "email", "e-mail", "mail", "email address", "work email", "почта", "эл почта",
        "электронная почта", "рабочий email", "рабочий e-mail", "личный email",
        "личный e-mail", "другой email", "другой e-mail", "адрес электронной почты",
    ],
    "status": [
        "status", "stage", "deal stage", "статус", "этап", "стадия", "этап сделки",
        "статус сделки", "стадия сделки", "стадия заявки",
    ],
    "pipeline": ["pipeline", "воронка", "направление"],
    "amount": [
        "amount", "budget", "expected revenue", "revenue", "value", "deal value", "sum",
        "сумма", "бюджет", "сумма сделки", "стоимость", "ожидаемая выручка", "бюджет руб",
        "бюджет ₽", "сумма руб",
    ],
    "currency": ["currency", "валюта"],
    "salesperson": [
        "salesperson", "sales person", "owner", "responsible", "manager", "assigned to",
        "ответственный", "менеджер", "продавец", "ответственный менеджер",
        "основной менеджер", "ответственный за сделку",
    ],
    "created": [
        "created", "create date", "created on", "дата создания", "дата создания сделки",
        "создана",
    ],
    "closed": [
        "closed", "close date", "closed on", "дата закрытия", "дата закрытия сделки",
        "предполагаемая дата закрытия", "дата завершения", "закрыта",
    ],
    "lost_reason": [
        "lost reason", "reason lost", "причина отказа", "причина проигрыша",
        "причина провала",
    ],
    "tags": ["tags", "tag", "теги", "тег", "теги сделки"],
    "source": ["source", "источник", "источник сделки", "источник заявки"],
    "utm_source": ["utm source"],
    "utm_medium": ["utm medium"],
    "utm_campaign": ["utm campaign"],
    "notes": [
        "notes", "note", "comment", "comments", "description", "комментарий",
        "примечание", "описание", "заметки", "примечание 2", "примечание 3",
        "примечание 4", "примечание 5", "дополнительная информация",
    ],
    "vat": ["vat", "tax id", "vat number", "инн", "реквизит россия инн"],
    "kpp": ["кпп", "реквизит россия кпп"],
    "street": ["address", "street", "адрес", "улица", "юридический адрес", "фактический адрес"],
    "city": ["city", "town", "город"],
    "position": ["position", "job title", "должность"],
    "website": ["website", "web", "сайт", "корпоративный сайт"],
}  # fmt: skip

# Columns of the known exports that carry nothing to import (read, then left out).
IGNORED_HEADERS = [
    "кем создана сделка", "кем создана", "дата редактирования", "кем редактирована",
    "дата изменения", "кем изменена", "ответственный за контакт", "факс", "skype", "icq",
    "jabber", "google talk", "msn", "другой im", "пользовательское соглашение", "cid", "uid",
    "tid", "utm content", "utm term", "utm referrer", "вероятность", "тип", "вид контрагента",
    "дата начала", "группа стадий", "сделка закрыта", "заявка закрыта", "товар",
    "№", "n", "примечание 1",
]  # fmt: skip

# Stage texts -> regulation stage code ("lost": archived as lost).
GENERIC_STAGES = {
    "unsorted": ["unsorted", "неразобранное", "неразобранные"],
    "new": ["new", "new lead", "lead", "новый", "новый лид", "новая", "новая заявка", "заявка"],
    "in_work": ["in work", "in progress", "contacted", "в работе", "принято в работу",
                "взят в работу"],
    "qualified": ["qualified", "qualification", "квалификация", "квалификация пройдена"],
    "proposal_sent": ["proposal sent", "quote sent", "кп отправлено", "отправлено кп"],
    "proposal_agreed": ["proposal agreed", "кп согласовано", "кп принято"],
    "contract_sent": ["contract sent", "invoice sent", "счет+договор отправлен",
                      "договор отправлен", "счет отправлен"],
    "contract_agreed": ["contract agreed", "contract signed", "счет+договор согласован",
                        "договор подписан", "договор согласован"],
    "prepayment": ["prepayment", "предоплата", "предоплата получена"],
    "final_payment": ["final payment", "доплата", "доплата получена", "оплачено полностью"],
    "won": ["won", "closed won", "успешно", "реализовано", "выиграна", "выиграно"],
    "lost": ["lost", "closed lost", "не реализовано", "отказ", "проиграна", "проиграно",
             "потеряна"],
}  # fmt: skip

AMOCRM_STAGES = {
    "unsorted": ["неразобранное"],
    "new": ["первичный контакт"],
    "qualified": ["переговоры"],
    "proposal_sent": ["принимают решение"],
    "contract_sent": ["согласование договора"],
    "won": ["успешно реализовано"],
    "lost": ["закрыто и не реализовано"],
}
BITRIX24_STAGES = {
    "new": ["новая"],
    "qualified": ["подготовка документов"],
    "contract_sent": ["счет на предоплату"],
    "prepayment": ["в работе"],
    "final_payment": ["финальный счет"],
    "won": ["сделка успешна"],
    "lost": ["сделка провалена", "анализ причины провала"],
}


class Preset:
    """A kind of export: the headers that identify it and what its stages mean."""

    def __init__(self, code, label, signature, mode="deals", stages=None, aliases=None):
        self.code = code
        self.label = label
        self.signature = [fold(header) for header in signature]
        self.mode = mode
        self.stages = _index(GENERIC_STAGES) | _index(stages or {})
        self.headers = _index(HEADER_ALIASES) | _index(aliases or {})
        self.ignored = {fold(header) for header in IGNORED_HEADERS}

    def matches(self, folded_headers):
        return all(header in folded_headers for header in self.signature)

    def field_of(self, header):
        """The target key of a header, None for a known column without a target, "?"
        for an unknown one."""
        key = fold(header)
        unnumbered = key.rstrip("0123456789 ")  # "Телефон 2", "Примечание 3"
        for candidate in (key, unnumbered):
            if candidate in self.headers:
                return self.headers[candidate]
        return None if key in self.ignored or not key else "?"

    def stage_code(self, text):
        return self.stages.get(fold(text))


def _index(aliases):
    return {fold(alias): key for key, names in aliases.items() for alias in names}


PRESETS = [
    Preset(
        "amocrm_deals",
        "amoCRM: deals",
        ["ID", "Название сделки", "Этап сделки", "Воронка"],
        stages=AMOCRM_STAGES,
        aliases={"company": ["компания контакта"], "contact": ["полное имя контакта"]},
    ),
    Preset(
        "amocrm_contacts",
        "amoCRM: contacts",
        ["ID", "Полное имя", "Ответственный", "Рабочий телефон"],
        mode="contacts",
    ),
    Preset(
        "bitrix24_deals",
        "Bitrix24: deals",
        ["ID", "Название сделки", "Стадия сделки", "Валюта"],
        stages=BITRIX24_STAGES,
    ),
    Preset(
        "bitrix24_companies",
        "Bitrix24: companies",
        ["ID", "Название компании", "Рабочий e-mail"],
        mode="contacts",
    ),
    Preset(
        "bitrix24_contacts",
        "Bitrix24: contacts",
        ["ID", "Имя", "Фамилия", "Рабочий e-mail"],
        mode="contacts",
        aliases={"contact": ["фамилия"]},
    ),
    Preset("onec_clients", "1C: Контрагенты", ["Наименование", "ИНН", "КПП"], mode="contacts"),
    Preset("excel", "Spreadsheet", []),
]
PRESETS_BY_CODE = {preset.code: preset for preset in PRESETS}
KNOWN_HEADERS = {key for preset in PRESETS for key in preset.headers} | {
    fold(header) for header in IGNORED_HEADERS
}


def detect_preset(headers):
    """The first preset whose signature headers are all in ``headers``."""
    folded = {fold(header) for header in headers}
    return next(preset for preset in PRESETS if preset.matches(folded))
