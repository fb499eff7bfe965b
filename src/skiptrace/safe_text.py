"""Text from sources made safe where people read it: in a spreadsheet and on a terminal.

A value a source returned (an employer, an address, a page's error message) is data written by
whoever runs that source. Opened in a spreadsheet, a cell starting with ``=`` is a formula that
can fetch a URL built from the other cells (OWASP's "CSV injection"); printed to a terminal, an
escape sequence can clear the screen, retitle the window, plant a link or reverse the text
around it. ``spreadsheet_cell`` and ``terminal_text`` leave ordinary text exactly as it was;
``message_line`` also keeps a message on one line whatever file name it quotes, and
``one_line`` makes a connector's own words (why its search fell short) one short line;
``whole_text`` makes text that any file can hold, and ``plain_text`` a source's value one line,
what it looks like.
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
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_INVISIBLE_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200d\u2060-\u2064"
    "\u206a-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
"""Unicode's format characters (category Cf) but the bidi controls, which ``terminal_text``
replaces: zero-width spaces and joiners, the soft hyphen, word joiner, byte order mark, tag
characters... invisible in a cell, or all but."""


_LEADING_BLANKS = (
    " \n\x0b\x0c\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
)
"""What a spreadsheet may skip before it sees a formula: spaces, line breaks, invisible marks."""
_FULL_WIDTH_STARTS = ("\uff1d", "\uff0b", "\uff0d", "\uff20")
"""The full-width equals, plus, minus and at signs, which some spreadsheets read as = + - @."""


def spreadsheet_cell(value: str) -> str:
    """``value`` with a leading ``'`` if a spreadsheet could read it as a formula: OWASP's
    characters, also behind blanks or invisible marks, and their full-width forms."""
    start = value.lstrip(_LEADING_BLANKS)
    risky = start.startswith(FORMULA_STARTS) or start.startswith(_FULL_WIDTH_STARTS)
    return "'" + value if risky or value.startswith(FORMULA_STARTS) else value


def whole_text(text: str) -> str:
    """``text`` with each lone surrogate (what a JSON ``"\\ud800"`` decodes to) as U+FFFD: no
    UTF-8 file, database or terminal can hold one, and writing one fails."""
    return _LONE_SURROGATE.sub(REPLACEMENT, text)


def plain_text(text: str) -> str:
    """``text`` as ``whole_text`` makes it, without the format characters of
    ``_INVISIBLE_FORMAT``, as one line (each run of blanks and line breaks one space):
    "\\u200bAcme" looks like Acme in a cell, and is not, to a filter, a lookup or a sort, and a
    value's line break is a new line to anyone reading the file as text. Bidi controls are
    kept, for ``terminal_text`` to show where they were."""
    return " ".join(_INVISIBLE_FORMAT.sub("", whole_text(text)).split())


def terminal_text(text: str) -> str:
    """``text`` with control and bidi-override characters replaced by U+FFFD."""
    return _UNSAFE_ON_TERMINAL.sub(REPLACEMENT, text)


def message_line(text: str) -> str:
    """``text`` as ``terminal_text`` leaves it, with each line feed written ``\\n``: a message
    quoting a file name or a value stays one line (a name holding a line feed split it in two,
    its second line free to pass for a message of its own)."""
    return terminal_text(text).replace("\n", "\\n")


def json_escaped(document: str) -> str:
    """JSON text with the characters ``terminal_text`` replaces written as ``\\u`` escapes
    instead: the same value to a JSON reader, nothing a terminal acts on when the file is
    read with ``cat`` (``json.dumps`` escapes C0 controls, never C1 or bidi overrides)."""
    return _UNSAFE_ON_TERMINAL.sub(lambda found: f"\\u{ord(found.group()):04x}", document)


def one_line(text: str, most: int) -> str:
    """``text`` as one line of at most ``most`` characters, ended with "…" when cut: each run
    of blanks and line breaks one space, control and bidi characters as ``terminal_text``
    leaves them. Only the first ``4 * most`` characters are read, however long ``text`` is."""
    window = most * 4
    line = terminal_text(" ".join(text[:window].split()))
    if len(line) <= most and len(text) <= window:
        return line
    return line[: most - 1] + "…"
