"""Phone numbers written as text after a label ("Phone: (217) 555-0143", "Tel 0113 496 0000"):
a business's own number as small sites show it. A number with no label, or a fax, is not
taken: a page's other digits (an order number, a licence) look the same."""

from __future__ import annotations

import re
from typing import Final

from skiptrace.pages._model import Fact, snippet

MAX_PHONES: Final = 10
_LABELLED: Final = re.compile(
    r"\b(?:phone|tel(?:ephone)?|call(?:\s+us)?(?:\s+(?:at|on))?|office|main(?:\s+line)?)\b\.?"
    r"(?:\s*(?:number|no\.?))?\s*[:.]?\s*"
    r"(?P<phone>(?:\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}"
    r"|(?:\+44\s?(?:\(0\)\s?)?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4})(?![\d-])",
    re.I,
)


def find_phones(text: str) -> tuple[Fact, ...]:
    """The labelled phone numbers in ``text`` (a page's text), in page order, each once."""
    found: dict[str, Fact] = {}
    for match in _LABELLED.finditer(text):
        number = " ".join(match.group("phone").split())
        context = text[max(0, match.start() - 20) : match.end() + 20]
        found.setdefault(number, Fact(number, "text", snippet(context)))
        if len(found) >= MAX_PHONES:
            break
    return tuple(found.values())
