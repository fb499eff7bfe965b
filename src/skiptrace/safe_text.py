"""Text from sources made safe where people read it: in a spreadsheet and on a terminal.

A value a source returned (an employer, an address, a page's error message) is data written by
whoever runs that source. Opened in a spreadsheet, a cell starting with ``=`` is a formula that
can fetch a URL built from the other cells (OWASP's "CSV injection"); printed to a terminal, an
escape sequence can clear the screen, retitle the window, plant a link or reverse the text
around it. Both functions leave ordinary text exactly as it was.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What OWASP lists as making a spreadsheet cell a formula or a command."""

_UNSAFE_ON_TERMINAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 controls but tab and newline; DEL; C1 controls (CSI...)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # bidi marks, embeddings, overrides, isolates
)
REPLACEMENT = "\ufffd"


def spreadsheet_cell(value: str) -> str:
    """``value`` with a leading ``'`` if a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def terminal_text(text: str) -> str:
    """``text`` with control and bidi-override characters replaced by U+FFFD."""
    return _UNSAFE_ON_TERMINAL.sub(REPLACEMENT, text)
