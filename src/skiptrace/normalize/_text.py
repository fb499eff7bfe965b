"""Text folding shared by the normalisers: Unicode to lowercase-able ASCII, cheaply.

Registries disagree on accents, ligatures and full-width forms; folding them once here means
"José" and "Jose" compare equal everywhere without each normaliser re-implementing it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# Letters NFKD does not decompose into ASCII; without this table "Straße" would lose its "ß".
_SPECIAL: Final = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "\u0131": "i",  # dotless i
        "ħ": "h",
        "Ħ": "H",
        "ŀ": "l",
        "Ŀ": "L",
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\uff03": "#",
    }
)


def to_ascii(text: str) -> str:
    """Strip diacritics and drop what has no ASCII form, keeping case and punctuation.

    Case and punctuation survive because the parsers downstream (nameparser, usaddress) use
    them as signals; each normaliser lowercases and folds punctuation itself afterwards.
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.encode("ascii", "ignore").decode("ascii")


_DOTTED: Final = re.compile(r"\b[a-z](?:\.[a-z])+\b\.?")


def undot(text: str) -> str:
    """Lower-case dotted initials joined up: "p.o. box" is "po box", "u.s.a." is "usa"."""
    return _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
