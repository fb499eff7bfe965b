"""The holder a page's copyright notice names: how a small business's site most often names
itself when its title says only "Home" (``© 2024 Harbor Lane Plumbing, LLC``)."""

from __future__ import annotations

import re
from typing import Final

from selectolax.lexbor import LexborHTMLParser

from skiptrace.pages import _dom

_NOTICE: Final = re.compile(
    r"(?:\u00a9|\(c\)|\bcopyright\b)(?:\s*(?:\u00a9|\(c\)))?\s*"
    r"(?:(?:19|20)\d\d(?:\s*[-\u2013]\s*(?:(?:19|20)\d\d|present))?\s*,?\s*)?(?:by\s+)?"
    r"(?P<holder>[^\n|\u00b7\u2022]{2,120})",
    re.I,
)
_END: Final = re.compile(
    r"\.\s|\.$|\ball rights reserved\b|\s[-\u2013\u2014]\s"
    r"|,\s*(?=\d+\s|(?:p\.?\s?o\.?\s*|post\s+office\s+)box\b)",
    re.I,
)
"""Where the holder's name ends: its sentence, "All rights reserved", a dash, or a comma before
an address ("..., 418 Dockside Ave", "..., PO Box 2291"); not before a name's own number
("Route 66 Diner")."""
TAIL: Final = 1_500
"""Characters at the end of the page's text read for a notice when it has no footer element."""


_PAGE_FOOTER: Final = (
    "footer, #footer, .footer, #site-footer, .site-footer, #page-footer, .page-footer, "
    "#main-footer, .main-footer"
)
"""The page's own footer: not a card's or an article's ("card-footer", "entry-footer"), where
a portfolio names its clients."""


_NOT_THE_PAGE: Final = frozenset({"article", "blockquote", "aside"})


def copyright_holder(tree: LexborHTMLParser, text: str) -> str:
    """The holder named by the last copyright notice in the page's last footer (a ``<footer>``
    or an element whose id or class is footer, site-footer...; else the end of ``text``, the
    page's text as ``_dom.plain_text`` read it), "" if none. Call it after that: it reads the
    tree as it is, scripts and styles gone."""
    footers = tree.css(_PAGE_FOOTER)
    ids = {f.mem_id for f in footers}
    outer = [  # a "footer" div inside <footer> is its part; an article's footer is the article's
        f
        for f in footers
        if not any(a.mem_id in ids or a.tag in _NOT_THE_PAGE for a in _dom.ancestors(f)[1:])
    ]
    tail = (outer[-1].text(separator="\n") if outer else text)[-TAIL:]
    for found in reversed(list(_NOTICE.finditer(tail))):
        holder = _END.split(found.group("holder"), maxsplit=1)[0]
        holder = " ".join(holder.split()).strip(" ,;:")
        if any(c.isalpha() for c in holder):
            return holder
    return ""
