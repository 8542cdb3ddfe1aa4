"""Rules of a database installed before the "how to fix" texts existed get them: the
rules are noupdate data, so an update never writes them. Every rule (of any company)
whose text is empty takes the text of its code in the data file; a text an admin wrote
stays as it is."""

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools.misc import file_open

DATA_FILE = "crm_regulation/data/crm_regulation_rule_data.xml"


def data_texts(path=DATA_FILE, field="how_to_fix"):
    """{rule code: text} of the rule records of a data file."""
    with file_open(path, "rb") as data:
        root = etree.parse(data).getroot()
    texts = {}
    for record in root.iter("record"):
        if record.get("model") != "crm.regulation.rule":
            continue
        code = record.findtext("field[@name='code']")
        text = record.findtext(f"field[@name='{field}']")
        if code and text:
            texts[code.strip()] = text.strip()
    return texts


def fill_empty_texts(env, texts, field="how_to_fix"):
    """Write each text on the rules of its code whose field is empty; returns them."""
    rules = (
        env["crm.regulation.rule"]
        .with_context(active_test=False)
        .search([("code", "in", list(texts))])
        .filtered(lambda rule: not (rule[field] or "").strip())
    )
    for code in set(rules.mapped("code")):
        rules.filtered(lambda rule, code=code: rule.code == code).write({field: texts[code]})
    return rules


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    fill_empty_texts(env, data_texts())
