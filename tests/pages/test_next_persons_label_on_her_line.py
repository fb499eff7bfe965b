"""A title after her name that labels the next person on her line ("Office Manager: Dana
Whitfield | Owner: Tom Reed") is his, not hers: her title is the one before her name, and
"Owner" is never kept as hers."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def titles(team: str) -> list[tuple[str, str]]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [(m.context, m.job_title) for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize("team", [
    "<p>Office Manager: Dana Whitfield | Owner: Tom Reed</p>",
    "<p>Office Manager: Dana Whitfield Owner: Tom Reed</p>",
    "<p><span>Office Manager:</span><span>Dana Whitfield</span><span>Owner:</span>"
    "<span>Tom Reed</span></p>",
])  # fmt: skip
def test_a_title_labelling_the_next_person_is_not_hers(team: str) -> None:
    """A review: the title after her name was kept whatever followed it, so she was the
    Owner; a line of spans ("<span>Owner:</span><span>Tom Reed</span>", now read with a
    blank between) reached it too."""
    assert titles(team) == [("staff", "Office Manager")]


@pytest.mark.parametrize(("team", "title"), [
    ("<p>Dana Whitfield - Office Manager: handles billing</p>", "Office Manager"),
    ("<p>Dana Whitfield - Owner, Sam Lee - Estimator</p>", "Owner"),
    ("<p>Dana Whitfield - Office Manager at Harbor Lane</p>", "Office Manager"),
])  # fmt: skip
def test_her_own_title_after_her_name_is_kept(team: str, title: str) -> None:
    """Held: a colon before what she does, and the next entry after a comma."""
    assert titles(team) == [("staff", title)]
