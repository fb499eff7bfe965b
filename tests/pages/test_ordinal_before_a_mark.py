"""An ordinal suffix is another person whatever mark parts it from her title ("Dana Whitfield
3rd \u2022 Owner"), as a suffix in letters is ("Dana Whitfield Jr \u2022 Owner"): only a word
right after it makes it her title's ("2nd Shift Supervisor")."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize("mark", ["\u2022", "\u00b7", "~", "*", "/ ", "\u2013"])
def test_an_ordinal_before_any_mark_is_another_person(mark: str) -> None:
    """A review: the ordinal was a suffix only before a blank-and-end or one of a few marks
    ("," "-" "|"), so "Dana Whitfield 3rd \u2022 Owner" (her son, as "III \u2022 Owner" is)
    was her staff entry."""
    assert contexts(f"<ul><li>Dana Whitfield 3rd {mark} Owner</li></ul>") == []


@pytest.mark.parametrize("team", [
    "<ul><li>Dana Whitfield 2nd Shift Supervisor</li></ul>",
    "<ul><li>Dana Whitfield 2nd-Shift Supervisor</li></ul>",
    "<ul><li>Dana Whitfield 3rd&nbsp;Generation Owner</li></ul>",
])  # fmt: skip
def test_an_ordinal_a_word_follows_is_her_titles(team: str) -> None:
    """A word after the ordinal, by a blank or a hyphen, makes it her title's: "2nd-Shift
    Supervisor" had been read as a suffix before a hyphen ("3rd - Owner")."""
    assert contexts(team) == ["staff"]
