"""A team page's heading over people who no longer work there, however it words it
("Retirees", "Past Presidents", "Previous Owners", "Ex-Employees"), makes a line under it a
mention, as "Alumni", "Former team members" and "Retired" do; and "Retiree" on her own line
is her retirement."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize("heading", [
    "Retirees", "Our Retirees", "Past Presidents", "Previous Owners", "Ex-Employees",
    "Past Team Members", "Past Staff",
])  # fmt: skip
def test_a_line_under_a_heading_over_past_staff_is_a_mention(heading: str) -> None:
    """A review: only "alumni", "former", "retired", "emeritus" and "past staff" were read in
    a heading, so the past presidents and retirees of a team page were its staff."""
    team = f'<div class="team"><h2>{heading}</h2><ul><li>Dana Whitfield - Office Manager</li>'
    assert contexts(f"{team}<li>Sam Lee - Owner</li></ul></div>") == ["mention"]


@pytest.mark.parametrize("heading", ["Retirees", "Past Presidents"])
def test_an_h_card_under_a_heading_over_past_staff_is_a_mention(heading: str) -> None:
    card = ('<div class="h-card"><span class="p-name">Dana Whitfield</span> '
            '<span class="p-job-title">President</span></div>')  # fmt: skip
    assert set(contexts(f'<div class="team"><h2>{heading}</h2>{card}</div>')) == {"mention"}


def test_retiree_on_her_line_is_a_mention() -> None:
    assert contexts('<ul class="team"><li>Dana Whitfield, Retiree</li></ul>') == ["mention"]


@pytest.mark.parametrize("heading", [
    "Our Team, Past and Present", "Meet the Team", "Presidents", "Past Projects Team",
])  # fmt: skip
def test_a_heading_over_staff_keeps_her_staff(heading: str) -> None:
    """Held: "past" before no role ("Past and Present"), and no past word at all."""
    team = f'<div class="team"><h2>{heading}</h2><ul><li>Dana Whitfield - Office Manager</li></ul>'
    assert contexts(f"{team}</div>") == ["staff"]


def test_a_job_serving_retirees_keeps_her_staff() -> None:
    """Held: a title word after "Retiree" is her job serving them."""
    line = "Dana Whitfield - Retiree Services Manager"
    assert contexts(f'<ul class="team"><li>{line}</li></ul>') == ["staff"]
