"""Find UTM tags, click ids and contact fields in the body of an e-mailed web form.

Anyone can e-mail the CRM alias, so the body is hostile text: it is cut to a few
hundred kilobytes before anything looks at it, lines are read one by one and cut, and
every regular expression below runs in linear time (no nested or overlapping
quantifiers; quantified runs are bounded).
"""

import html
import re
from urllib.parse import unquote_plus

from odoo.tools import html2plaintext

from .inquiry import clean_text, url_params
from .utm import CLICK_ID_PARAMS, UTM_PARAMS

# An e-mailed form is a few kilobytes: what lies beyond these bounds is not read.
MAX_BODY_CHARS = 200_000
MAX_TEXT_CHARS = 64_000
MAX_LINES = 2_000
MAX_LINE_CHARS = 1_000
MAX_URLS = 50

LABELS = {
    "name": r"name|your name|contact name|имя|ваше имя|фио|контактное лицо",
    "phone": r"phone|phone number|tel|telephone|mobile|телефон|тел\.?|мобильный",
    "email": r"e-?mail|email address|почта|эл\. ?почта|электронная почта",
    "company": r"company|company name|organi[sz]ation|компания|организация",
}
for _key in UTM_PARAMS + CLICK_ID_PARAMS:
    LABELS[_key] = _key.replace("_", r"[ _-]?")
# "<bullet> label :" at the start of a line; the value is the rest of the line.
LABEL_PREFIX_RES = {
    field: re.compile(rf"[ \t*\-•]*+(?:{pattern})[ \t]*+[:=]", re.IGNORECASE)
    for field, pattern in LABELS.items()
}
PAIR_RE = re.compile(
    r"(?<![\w-])(" + "|".join(UTM_PARAMS + CLICK_ID_PARAMS) + r")=([^&\s\"'<>,;]{1,2000})",
    re.IGNORECASE,
)
URL_RE = re.compile(r"https?://[^\s<>\"'\]\[)]{1,2000}", re.IGNORECASE)
HREF_RE = re.compile(r"""href[ \t\r\n]*+=[ \t\r\n]*+["']([^"']{1,2000})["']""", re.IGNORECASE)
CELL_BREAK_RE = re.compile(r"</t[dh]>[ \t\r\n]*+<t[dh][^>]{0,500}>", re.IGNORECASE)
ROW_END_RE = re.compile(r"</(?:tr|table|p|div)>", re.IGNORECASE)


def body_text(body):
    """Plain text of an e-mail body (cut to MAX_TEXT_CHARS), HTML table rows read as
    ``label: value`` lines."""
    if not body:
        return ""
    body = body[:MAX_BODY_CHARS]
    if "<" in body and ">" in body:
        body = CELL_BREAK_RE.sub(": </td><td>", body)
        body = ROW_END_RE.sub(r"\g<0><br/>", body)
        body = html2plaintext(body)
    return body[:MAX_TEXT_CHARS]


def body_lines(text):
    """The first MAX_LINES lines of a text, each cut to MAX_LINE_CHARS."""
    return [line[:MAX_LINE_CHARS] for line in text.split("\n", MAX_LINES)[:MAX_LINES]]


def _labelled_values(lines):
    """The value of the first ``label: value`` line of each field."""
    values = {}
    for line in lines:
        for field, prefix in LABEL_PREFIX_RES.items():
            if field in values:
                continue
            match = prefix.match(line)
            value = clean_text(line[match.end() :]) if match else ""
            if not value:
                continue
            if field in UTM_PARAMS + CLICK_ID_PARAMS and " " not in value:
                value = clean_text(unquote_plus(value))
            if value:
                values[field] = value
    return values


def _urls(body, text):
    urls = [html.unescape(href) for href in HREF_RE.findall(body[:MAX_BODY_CHARS])]
    urls += URL_RE.findall(text)
    return [url.rstrip(".,;") for url in urls[:MAX_URLS]]


def parse_email_body(body):
    """Inquiry values found in an e-mail body (plain text or HTML): the UTM tags and click
    ids, the landing URL and the contact fields. Labelled lines win over ``key=value``
    pairs, which win over the query strings of URLs."""
    body = body or ""
    text = body_text(body)
    values = _labelled_values(body_lines(text))
    for key, value in PAIR_RE.findall(text):
        values.setdefault(key.lower(), clean_text(unquote_plus(value.rstrip(".,;"))))
    for url in _urls(body, text):
        params = url_params(url)
        if params:
            values.setdefault("landing_url", clean_text(url, 2000))
            for key, value in params.items():
                values.setdefault(key, value)
    return values
