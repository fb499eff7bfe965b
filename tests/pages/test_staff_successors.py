"""A team page's line naming the debtor as the one someone replaced, or as having left in a
given year, is no staff entry of hers: she is mentioned there, not employed."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"
NAMES = ["Dana Whitfield", "Whitfield, Dana", "D. Whitfield"]


def contexts(team: str) -> list[tuple[str, str]]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [(m.name, m.context) for m in mentions(page, URL, NAMES, any_initial=True)]


@pytest.mark.parametrize(
    "team",
    [
        "<ul><li>Sam Lee - Office Manager, replacing Dana Whitfield</li></ul>",
        "<ul><li>Sam Lee succeeds Dana Whitfield as Office Manager</li></ul>",
        "<ul><li>Sam Lee - Office Manager (succeeded Dana Whitfield in 2022)</li></ul>",
        "<ul><li>Sam Lee, who replaced Dana Whitfield, runs the office</li></ul>",
    ],
)
def test_the_one_someone_replaced_is_not_on_the_staff(team: str) -> None:
    """A review: "Sam Lee - Office Manager, replacing Dana Whitfield" on the team page was
    her employment (his line, her name in it as the one he replaced)."""
    assert contexts(team) == [("Dana Whitfield", "mention")]


@pytest.mark.parametrize(
    "team",
    [
        "<ul><li>Dana Whitfield - Office Manager (left 2021)</li></ul>",
        "<ul><li>Dana Whitfield - Office Manager, left in 2021</li></ul>",
    ],
)
def test_a_member_who_left_in_a_year_is_not_on_the_staff(team: str) -> None:
    assert contexts(team) == [("Dana Whitfield", "mention")]


@pytest.mark.parametrize(
    "team",
    [
        "<ul><li>Dana Whitfield (left) - Office Manager</li></ul>",  # a photo's caption
        "<ul><li>Dana Whitfield - Office Manager, left-handed since 1990</li></ul>",
    ],
)
def test_left_in_a_caption_is_still_her_entry(team: str) -> None:
    assert contexts(team) == [("Dana Whitfield", "staff")]
