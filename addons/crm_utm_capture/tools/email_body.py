"""Find UTM tags, click ids and contact fields in the body of an e-mailed web form."""

import html
import re
from urllib.parse import unquote_plus

from odoo.tools import html2plaintext

from .inquiry import CLICK_ID_KEYS, UTM_KEYS, clean_text, url_params

LABELS = {
    "name": r"name|your name|contact name|имя|ваше имя|фио|контактное лицо",
    "phone": r"phone|phone number|tel|telephone|mobile|телефон|тел\.?|мобильный",
    "email": r"e-?mail|email address|почта|эл\. ?почта|электронная почта",
    "company": r"company|company name|organi[sz]ation|компания|организация",
}
for _key in UTM_KEYS + CLICK_ID_KEYS:
    LABELS[_key] = _key.replace("_", r"[ _-]?")
LABEL_LINE_RES = {
    field: re.compile(
        rf"^[ \t*\-•]*(?:{pattern})[ \t]*[:=][ \t]*(\S[^\n]*?)[ \t]*$",
        re.IGNORECASE | re.MULTILINE,
    )
    for field, pattern in LABELS.items()
}
PAIR_RE = re.compile(
    r"(?<![\w-])(" + "|".join(UTM_KEYS + CLICK_ID_KEYS) + r")=([^&\s\"'<>,;]+)", re.IGNORECASE
)
URL_RE = re.compile(r"https?://[^\s<>\"'\]\[)]+", re.IGNORECASE)
HREF_RE = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
CELL_BREAK_RE = re.compile(r"</t[dh]>\s*<t[dh][^>]*>", re.IGNORECASE)
ROW_END_RE = re.compile(r"</(?:tr|table|p|div)>", re.IGNORECASE)


def body_text(body):
    """Plain text of an e-mail body, HTML table rows read as ``label: value`` lines."""
    if not body:
        return ""
    if "<" in body and ">" in body:
        body = CELL_BREAK_RE.sub(": </td><td>", body)
        body = ROW_END_RE.sub(r"\g<0><br/>", body)
        return html2plaintext(body)
    return body


def _urls(body, text):
    urls = [html.unescape(href) for href in HREF_RE.findall(body or "")]
    urls += URL_RE.findall(text)
    return [url.rstrip(".,;") for url in urls]


def parse_email_body(body):
    """Inquiry values found in an e-mail body (plain text or HTML): the UTM tags and click
    ids, the landing URL and the contact fields. Labelled lines win over ``key=value``
    pairs, which win over the query strings of URLs."""
    text = body_text(body)
    values = {}
    for field, regex in LABEL_LINE_RES.items():
        match = regex.search(text)
        if match:
            value = clean_text(match.group(1))
            if field in UTM_KEYS + CLICK_ID_KEYS:
                value = unquote_plus(value.split()[0]) if " " not in value.strip() else value
            if value:
                values[field] = value
    for key, value in PAIR_RE.findall(text):
        values.setdefault(key.lower(), clean_text(unquote_plus(value.rstrip(".,;"))))
    for url in _urls(body, text):
        params = url_params(url)
        if params:
            values.setdefault("landing_url", clean_text(url, 2000))
            for key, value in params.items():
                values.setdefault(key, value)
    return values
