"""Phone numbers written as text after a label ("Phone: (217) 555-0143", "Tel 0113 496 0000"):
a business's own number as small sites show it. A number with no label, or a fax, is not
taken: a page's other digits (an order number, a licence) look the same."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from skiptrace.pages._model import Fact, snippet

MAX_PHONES: Final = 10
_LABELLED: Final = re.compile(
    r"\b(?:phone|tel(?:ephone)?|call\s+us(?:\s+(?:at|on))?|office|main(?:\s+line)?)\b\.?"
    r"(?:\s*(?:number|no\.?))?\s*[:.]?\s*"
    r"(?P<phone>(?:\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}"
    r"|(?:\+44\s?(?:\(0\)\s?)?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4})(?![\d-])",
    re.I,
)


_LABEL_WORDS: Final = ("phone", "tel", "call", "office", "main")


def _labelled(text: str) -> Iterator[re.Match[str]]:
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer ("\u0130"): scan it all
        yield from (m for m in _LABELLED.finditer(text)
                    if not _someone_elses(text[max(0, m.start() - 30) : m.start()]))  # fmt: skip
        return
    starts: set[int] = set()
    for word in _LABEL_WORDS:
        at = lower.find(word)
        while at >= 0:
            starts.add(at)
            at = lower.find(word, at + len(word))
    for start in sorted(starts):
        match = _LABELLED.match(text, start)
        if match is not None and not _someone_elses(text[max(0, start - 30) : start]):
            yield match


_NOT_THE_BUSINESS: Final = frozenset(
    {"fax", "cell", "mobile", "home", "direct", "personal", "private", "his", "her", "my"}
)


def _someone_elses(before: str) -> bool:
    """The words before a label, on its line, make the number a person's or a fax ("direct
    phone", "Dana's phone", "fax/phone"; not a "Home" link on the line above)."""
    words = re.findall(r"[\w'\u2019]+", before.rpartition("\n")[2].lower())
    last = words[-1] if words else ""
    return last in _NOT_THE_BUSINESS or last.endswith(("'s", "\u2019s"))


_NUMBER: Final = re.compile(
    r"\+?\(?\d[\d\s().\-/]{4,30}\d(?:\s*(?:ext\.?|x|#)\s*\d{1,6}(?!\d))?", re.I
)


def phone_number(value: str) -> str:
    """The first phone number in ``value`` (a schema.org ``telephone``, an h-card's tel: markup
    read as written), made only of digits, blanks, "+", brackets, dots, dashes, slashes and an
    extension: what else the value says may be whom it reaches ("(217) 555-0143 (Marcus
    Oyelaran)"); '' when it holds none."""
    found = _NUMBER.search(value[:200])
    return " ".join(found.group().split()) if found else ""


def find_phones(text: str) -> tuple[Fact, ...]:
    """The labelled phone numbers in ``text`` (a page's text), in page order, each once. The
    label words are found first (``str.find``, C speed), and the pattern tried only there: run
    over the whole text it cost more than parsing the page."""
    found: dict[str, Fact] = {}
    for match in _labelled(text):
        number = " ".join(match.group("phone").split())
        context = text[max(0, match.start() - 20) : match.end() + 20]
        found.setdefault(number, Fact(number, "text", snippet(context)))
        if len(found) >= MAX_PHONES:
            break
    return tuple(found.values())
