"""The holder a page's copyright notice names: how a small business's site most often names
itself when its title says only "Home" (``© 2024 Harbor Lane Plumbing, LLC``)."""

from __future__ import annotations

import re
from typing import Final

from selectolax.lexbor import LexborHTMLParser

_NOTICE: Final = re.compile(
    r"(?:\u00a9|\(c\)|\bcopyright\b)(?:\s*(?:\u00a9|\(c\)))?\s*"
    r"(?:(?:19|20)\d\d(?:\s*[-\u2013]\s*(?:(?:19|20)\d\d|present))?\s*,?\s*)?(?:by\s+)?"
    r"(?P<holder>[^\n|\u00b7\u2022]{2,120})",
    re.I,
)
_END: Final = re.compile(r"\.\s|\.$|\ball rights reserved\b|\s[-\u2013\u2014]\s", re.I)
TAIL: Final = 1_500
"""Characters at the end of the page's text read for a notice when it has no footer element."""


def copyright_holder(tree: LexborHTMLParser) -> str:
    """The holder named by the copyright notice in the page's footer (a ``<footer>``, or an
    element whose id or class says footer; else the end of the page's text), "" if none.
    Call it after the page's text was read: it reads the tree as it is."""
    footers = tree.css("footer, [id*=footer], [class*=footer]")[:5]
    texts = [node.text(separator="\n")[:TAIL] for node in footers]
    if not texts and tree.body is not None:
        texts = [tree.body.text(separator="\n")[-TAIL:]]
    for text in texts:
        found = _NOTICE.search(text)
        if found:
            holder = _END.split(found.group("holder"), maxsplit=1)[0]
            holder = " ".join(holder.split()).strip(" ,;:")
            if any(c.isalpha() for c in holder):
                return holder
    return ""
