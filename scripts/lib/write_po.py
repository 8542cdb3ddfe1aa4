"""Write i18n/<lang>.po of an addon from its .pot and a {msgid: msgstr} table.

Usage: write_po.py ADDON_DIR LANG TABLE.py   (TABLE.py defines a dict named RU/…)
Fails when a term of the .pot has no translation, so nothing ships half-translated.
"""

import runpy
import sys
from pathlib import Path

import polib


def main(addon_dir, lang, table_path):
    addon = Path(addon_dir)
    pot = polib.pofile(str(addon / "i18n" / f"{addon.name}.pot"))
    table = next(v for k, v in runpy.run_path(table_path).items() if k.isupper())
    missing = [entry.msgid for entry in pot if entry.msgid not in table]
    if missing:
        sys.exit("untranslated:\n" + "\n".join(map(repr, missing)))
    po = polib.POFile()
    po.metadata = dict(pot.metadata, Language=lang, **{"Plural-Forms": ""})
    for entry in pot:
        entry.msgstr = table[entry.msgid]
        po.append(entry)
    po.save(str(addon / "i18n" / f"{lang}.po"))


if __name__ == "__main__":
    main(*sys.argv[1:4])
