"""A volunteer, a sponsor or a customer is no staff with a word of praise or rank before
it ("Loyal Customer", "Gold Sponsor", "Event Volunteer") as without one: the outsider's
word ends the clause and no title word comes before it."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize("said", [
    "Loyal Customer", "Longtime Customer", "Gold Sponsor", "Proud Sponsor", "Event Volunteer",
    "Preferred Vendor",
])  # fmt: skip
def test_an_outsider_after_a_word_is_no_staff(said: str) -> None:
    """A review: only a clause starting with the outsider's word was read, so "Dana
    Whitfield - Loyal Customer" on a team page was her staff entry."""
    assert contexts(f'<ul class="team"><li>Dana Whitfield - {said}</li></ul>') == ["mention"]
    card = f'<div class="team-member"><h3>Dana Whitfield</h3><p>{said}</p></div>'
    assert contexts(card) == ["mention"]


@pytest.mark.parametrize("said", ["Director of Volunteers", "Head of Customer"])
def test_a_job_over_them_keeps_her_staff(said: str) -> None:
    """Held: a title word before the outsider's word is her job over them."""
    assert contexts(f'<ul class="team"><li>Dana Whitfield - {said}</li></ul>') == ["staff"]
