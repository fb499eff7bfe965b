"""A span of years before her name is a tenure or a life over whatever marks it ("(1990-2015)
Dana Whitfield", "1990-2015 \u2022 Dana Whitfield"), as with a dash or a colon: a mention, not
her staff entry."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize("line", [
    "(1990-2015) Dana Whitfield",
    "[1990\u20132015] Dana Whitfield, President",
    "1990\u20132015 \u00b7 Dana Whitfield",
    "1990 - 2015 \u2022 Dana Whitfield, President",
    "1990-2015 / Dana Whitfield",
])  # fmt: skip
def test_a_span_of_years_in_any_mark_before_her_name_is_no_staff_entry(line: str) -> None:
    """A review: the span was read only when blanks, a colon, a comma, a bar or a dash
    parted it from her name, so a past presidents' list in brackets or with bullets was her
    staff."""
    assert contexts(f'<ul class="team"><li>{line}</li><li>Sam Lee - Owner</li></ul>') == ["mention"]


def test_a_year_before_her_name_alone_keeps_her_staff() -> None:
    """Held: one year is no span ("(2015) Dana Whitfield": since when)."""
    assert contexts('<ul class="team"><li>(2015) Dana Whitfield - Office Manager</li></ul>') == [
        "staff"
    ]
