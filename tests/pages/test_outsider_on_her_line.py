"""Her line or her card's line calling her someone the business does not employ, with no job
title of hers ("Dana Whitfield - Volunteer", "Volunteer: Dana Whitfield", "Dana Whitfield,
Board Member", "Sponsor"), says what a Volunteers, Sponsors or Board heading over her line
says: a mention. A job of hers serving them ("Volunteer Coordinator", "Customer Service") is
her title."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize("team", [
    "<ul><li>Dana Whitfield - Volunteer</li><li>Sam Lee - Owner</li></ul>",
    "<ul><li>Volunteer: Dana Whitfield</li><li>Sam Lee - Owner</li></ul>",
    "<ul><li>Dana Whitfield (volunteer since 2015)</li></ul>",
    '<p class="team"><span>Dana Whitfield</span><span>Volunteer</span></p>',
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Volunteer</p></div>',
    "<ul><li>Dana Whitfield, Board Member</li></ul>",
    "<ul><li>Dana Whitfield, Board Chair</li></ul>",
    "<ul><li>Dana Whitfield, Trustee</li></ul>",
    "<ul><li>Dana Whitfield - Sponsor</li></ul>",
    "<ul><li>Customer: Dana Whitfield</li></ul>",
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Board of Directors</p></div>',
])  # fmt: skip
def test_someone_the_business_does_not_employ_is_not_staff(team: str) -> None:
    """A review: "Volunteer" is a title word but no role, and "Board Member", "Trustee" or
    "Sponsor" no title at all, so the line had no title and, on a team page, was her
    employment, while the same words as a heading over her line made her a mention."""
    assert contexts(team) == ["mention"]


@pytest.mark.parametrize("team", [
    "<ul><li>Dana Whitfield - Volunteer Coordinator</li></ul>",
    "<ul><li>Dana Whitfield - Volunteer Services Manager</li></ul>",
    "<ul><li>Dana Whitfield - Office Manager, volunteer firefighter</li></ul>",
    '<div class="team-member"><h3>Dana Whitfield</h3><p>Volunteer Coordinator</p></div>',
    "<ul><li>Dana Whitfield - Customer Service</li></ul>",
    "<ul><li>Dana Whitfield - Vendor Relations</li></ul>",
    "<ul><li>Dana Whitfield, Board Certified Hygienist</li></ul>",
    "<ul><li>Dana Whitfield, Client</li></ul>",
])  # fmt: skip
def test_a_job_of_hers_serving_them_keeps_her_staff(team: str) -> None:
    """Held: a title word after the word is her job serving them; "Client" is no outsider
    (a law or advisory firm's staff are its clients' partners, as the headings are read)."""
    assert contexts(team) == ["staff"]


def test_board_certified_keeps_her_staff() -> None:
    assert contexts("<ul><li>Dana Whitfield, Board-Certified Hygienist</li></ul>") == ["staff"]
