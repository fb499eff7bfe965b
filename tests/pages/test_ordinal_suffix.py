"""A generational suffix written as an ordinal ("Dana Whitfield 3rd", "Dana Whitfield (2nd)")
is a suffix as "III" and "II" are: her son or grandson, another person, unless her file says
it. An ordinal that starts her title ("2nd Shift Supervisor", "3rd Generation Owner") is no
suffix."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, ["Dana Whitfield", "Whitfield, Dana"])]


@pytest.mark.parametrize("team", [
    "<ul><li>Dana Whitfield 3rd - Office Manager</li></ul>",
    "<ul><li>Dana Whitfield, 3rd, Office Manager</li></ul>",
    "<ul><li>Dana Whitfield (2nd) - Office Manager</li></ul>",
    "<ul><li>Dana Whitfield 4th</li></ul>",
    '<p class="team"><span>Dana Whitfield</span><span>2nd</span></p>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>3rd, Office Manager</p></div>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>2nd</p></div>',
])  # fmt: skip
def test_an_ordinal_suffix_is_another_person(team: str) -> None:
    """A review: the suffix was read as a word only when it starts with a letter, so "Dana
    Whitfield 3rd" (her son) was her staff entry, and so was a team card whose name is
    spread over spans ("<span>Dana Whitfield</span><span>2nd</span>", now read with a blank
    between)."""
    assert contexts(team) == []


@pytest.mark.parametrize("team", [
    "<ul><li>Dana Whitfield - 2nd Shift Supervisor</li></ul>",
    "<ul><li>Dana Whitfield 2nd Shift Supervisor</li></ul>",
    "<ul><li>Dana Whitfield 3rd Generation Owner</li></ul>",
    '<div class="team-member"><h3>Dana Whitfield</h3><p>2nd Shift Supervisor</p></div>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>3rd Generation Owner</p></div>',
    "<ul><li>Dana Whitfield - Office Manager since 2019</li></ul>",
    "<ul><li>Dana Whitfield 2019</li></ul>",
])  # fmt: skip
def test_an_ordinal_in_her_title_keeps_her_staff(team: str) -> None:
    """Held: an ordinal followed by a word is her title's ("2nd Shift Supervisor"), and a
    year is no suffix."""
    assert contexts(team) == ["staff"]
