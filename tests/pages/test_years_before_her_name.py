"""A span of years written with a dash before her name on a team page ("1990-2015 Dana
Whitfield", a past presidents' list) tells a tenure or a life that is over, as "from 1990 to
2015" does: a mention, not her staff entry."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize("line", [
    "1990\u20132015 Dana Whitfield",
    "1990 - 2015: Dana Whitfield, President",
    "<span>1990\u20132015</span><span>Dana Whitfield</span><span>President</span>",
    "1990 to 2015 Dana Whitfield",
])  # fmt: skip
def test_a_span_of_years_before_her_name_is_no_staff_entry(line: str) -> None:
    """A review: only "1990 to 2015" was read as a tenure over; with a dash it is a life
    span after her name (a memorial) and was nothing before it, so the list was her staff,
    and a card of spans ("<span>1990\u20132015</span><span>Dana Whitfield</span>", now read
    with a blank between) reached it too."""
    assert contexts(f'<ul class="team"><li>{line}</li><li>Sam Lee - Owner</li></ul>') == ["mention"]


@pytest.mark.parametrize("line", [
    "Since 1998 Dana Whitfield - Office Manager",
    "2015\u2013present Dana Whitfield - Office Manager",
    "Dana Whitfield - Office Manager since 1998",
])  # fmt: skip
def test_a_tenure_still_running_keeps_her_staff(line: str) -> None:
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == ["staff"]
