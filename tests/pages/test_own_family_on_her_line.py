"""Her own children or pets said right after her name on a team page's line ("Dana Whitfield,
mother of three") are her family, not whose relative she is: she stays staff there, as she
does when her card's next line says it."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize(
    "line",
    [
        "Dana Whitfield, Mother of three",
        "Dana Whitfield - mother of 2, loves hiking",
        "Dana Whitfield, Grandma to 5",
        "Dana Whitfield (mom of twins)",
    ],
)
def test_her_own_family_after_her_name_stays_staff(line: str) -> None:
    """A review: the word after her name was read as a kinship alone, so "Dana Whitfield,
    Mother of three" was a mention (her employment lost), while "Mother of three" on her
    card's line below her name was, as documented, hers."""
    assert contexts(f"<ul><li>{line}</li><li>Sam Lee, Owner</li></ul>") == ["staff"]


@pytest.mark.parametrize(
    "line",
    [
        "Dana Whitfield, mother of our owner",
        "Dana Whitfield, daughter of Sam Lee",
        "Dana Whitfield, wife",
    ],
)
def test_whose_relative_she_is_stays_a_mention(line: str) -> None:
    """Held: a kinship word after her name that says whose relative she is."""
    assert contexts(f"<ul><li>{line}</li><li>Sam Lee, Owner</li></ul>") == ["mention"]
