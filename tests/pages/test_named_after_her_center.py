"""A center or program named after her ("the Dana Whitfield Center") is a thing named after
her, as a scholarship or an award is, not her staff entry; "Center Director" after her name
is her title."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize("team", [
    "<ul><li>Visit us at the Dana Whitfield Center</li></ul>",
    "<ul><li>Our office is in the Dana Whitfield Centre</li></ul>",
    "<ul><li>Dana Whitfield Center for the Arts</li></ul>",
    "<ul><li>Dana Whitfield Program volunteers</li></ul>",
    '<p class="team"><span>The</span> <span>Dana Whitfield</span><span>Center</span></p>',
])  # fmt: skip
def test_a_center_named_after_her_is_no_entry(team: str) -> None:
    """A review: "Center" and "Program" are title words ("Center Director", "Program
    Manager"), so a capitalised one after her name made no longer name, and the building
    named after her was her staff entry."""
    assert contexts(team) == []


@pytest.mark.parametrize("team", [
    "<ul><li>Dana Whitfield - Center Director</li></ul>",
    "<ul><li>Dana Whitfield Center Director</li></ul>",
    '<p class="team"><span>Dana Whitfield</span><span>Program Manager</span></p>',
])  # fmt: skip
def test_a_title_starting_with_center_is_hers(team: str) -> None:
    assert contexts(team) == ["staff"]
