"""A title that serves customers, vendors or volunteers is hers even when its second word is
no title word ("Customer Success Manager", "Customer Experience Lead"): it ends in a role
word, as a job does. Being a customer or a volunteer is no job ("Customer since 1990")."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize("title", [
    "Customer Success Manager",
    "Customer Experience Lead",
    "Volunteer Engagement Specialist",
    "Vendor Onboarding Coordinator",
])  # fmt: skip
def test_a_job_serving_them_keeps_her_staff(title: str) -> None:
    """A review: only a title word right after "Customer" made it a job, so "Customer
    Success Manager", a common title, made her a customer and no staff."""
    assert contexts(f'<ul class="team"><li>Dana Whitfield - {title}</li></ul>') == ["staff"]
    card = f'<div class="team-member"><h3>Dana Whitfield</h3><p>{title}</p></div>'
    assert contexts(card) == ["staff"]


@pytest.mark.parametrize("said", [
    "Customer since 1990",
    "Customer of our Office Manager",
    "Volunteer for our Service Manager",
])  # fmt: skip
def test_a_customer_or_volunteer_is_still_no_staff(said: str) -> None:
    """Held: a role word ending a phrase that is not a title ("of our Office Manager") is
    someone else's."""
    assert contexts(f'<ul class="team"><li>Dana Whitfield - {said}</li></ul>') != ["staff"]
