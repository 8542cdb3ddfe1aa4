"""Comparing what people type: headers, stage names, salespeople's names.

``fold`` makes texts that a person reads as the same compare equal: case, ``ё``/``е``,
Latin letters typed in a Cyrillic word (Bitrix24's default stage "Cчет на предоплату"
starts with a Latin C), punctuation and spacing.
"""

import re

# Latin letters that look like Cyrillic ones, mapped only inside words that hold
# Cyrillic letters (so that "Won" or "Lost" stay Latin).
HOMOGLYPHS = str.maketrans(
    {
        "a": "а",
        "b": "в",
        "c": "с",
        "e": "е",
        "h": "н",
        "k": "к",
        "m": "м",
        "o": "о",
        "p": "р",
        "t": "т",
        "x": "х",
        "y": "у",
        "3": "з",
    }
)
CYRILLIC_RE = re.compile(r"[а-яё]")
PUNCTUATION_RE = re.compile(r"[^\w\s+@]", re.UNICODE)


def fold(text):
    """The comparison key of a text: ``"  Cчёт на  предоплату "`` -> ``"счет на предоплату"``."""
    text = str(text or "").casefold().replace("ё", "е").replace("_", " ")
    text = PUNCTUATION_RE.sub(" ", text)
    words = []
    for word in text.split():
        if CYRILLIC_RE.search(word):
            word = word.translate(HOMOGLYPHS)
        words.append(word)
    return " ".join(words)


def name_key(text):
    """A person's name in any word order: ``"Ковалёва Анна"`` == ``"Анна Ковалева"``."""
    return frozenset(fold(text).split())
