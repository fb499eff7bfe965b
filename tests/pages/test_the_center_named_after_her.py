"""On a team page "the Dana Whitfield Center Director" is the director of a center named
after her: "the" before her name makes what follows a thing's name, even when the words
after it would make her title ("Dana Whitfield Center Director" alone is hers)."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize("line", [
    "Tom Reed, the Dana Whitfield Center Director",
    "Tom Reed - The Dana Whitfield Program Manager",
    "The Dana Whitfield Centre Manager: Tom Reed",
])  # fmt: skip
def test_the_center_named_after_her_is_no_staff_entry(line: str) -> None:
    """A review: a title after the center's word ("Center Director") kept her name as her
    own, so the director of the center named after her made her the business's Center
    Director."""
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == []


def test_her_title_after_her_name_keeps_her_staff() -> None:
    """Held: without "the" her name is hers ("Dana Whitfield Center Director")."""
    assert contexts('<ul class="team"><li>Dana Whitfield Center Director</li></ul>') == ["staff"]
