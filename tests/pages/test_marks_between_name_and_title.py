"""The mark between her name and her title on her line: a semicolon ("Dana Whitfield; Office
Manager") and a hyphen glued to her name ("Dana Whitfield- Office Manager") part them as a
dash or a comma does; neither makes the next person's title hers."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def titles(line: str) -> list[tuple[str, str, str]]:
    page = f'<html><head><title>Our team</title></head><body><ul class="team"><li>{line}</li></ul>'
    found = mentions(f"{page}</body></html>", URL, ["Dana Whitfield"])
    return [(m.context, m.job_title, m.employer) for m in found]


@pytest.mark.parametrize(("line", "title", "org"), [
    ("Dana Whitfield; Office Manager", "Office Manager", ""),
    ("Dana Whitfield ; Office Manager, covering for Priya", "Office Manager", ""),
    ("Dana Whitfield; Sales Representative at Acme Supply", "Sales Representative", "Acme Supply"),
])  # fmt: skip
def test_a_semicolon_before_her_title_keeps_it(line: str, title: str, org: str) -> None:
    """A review: only a comma, a dash, a bar, a colon or a bracket was passed over before her
    title, so after a semicolon her title was lost."""
    assert titles(line) == [("staff", title, org)]


@pytest.mark.parametrize("line", [
    "Dana Whitfield; Owner Tom Reed",
    "Dana Whitfield; Owner: Tom Reed",
    "Dana Whitfield; Office Manager; Tom Reed; Owner",
    "Staff: Dana Whitfield; Owner Tom Reed; Estimator Sam Lee",
])  # fmt: skip
def test_a_title_after_a_semicolon_labelling_the_next_person_is_not_hers(line: str) -> None:
    """Held: a semicolon parts a list's entries too, so a title after it with a name after it
    is that person's, as on a card's line."""
    assert titles(line) == [("staff", "", "")]


@pytest.mark.parametrize(("line", "title"), [
    ("Dana Whitfield- Office Manager", "Office Manager"),
    ("Dana Whitfield-  Licensed Master Plumber", "Licensed Master Plumber"),
    ("Dana Whitfield- Owner: Tom Reed", ""),
    ("Dana Whitfield- Title: Office Manager", "Office Manager"),  # a review: no hit
])  # fmt: skip
def test_a_hyphen_glued_to_her_name_before_her_title_is_a_dash(line: str, title: str) -> None:
    """A review: any hyphen after her name was read as joining a double surname, so "Dana
    Whitfield- Office Manager" (a dash typed without its blank before) was no hit at all; a
    hyphen a blank follows is a dash before her title, and one labelling the next person
    ("Owner: Tom Reed") is still his."""
    assert titles(line) == [("staff", title, "")]


@pytest.mark.parametrize("line", [
    "Dana Whitfield- Oyelaran", "Dana Whitfield-Oyelaran", "Dana Whitfield- the owner's mother",
    "Dana Whitfield- Title: Peoria",
])  # fmt: skip
def test_a_hyphen_glued_to_her_name_before_anything_else_joins_a_name(line: str) -> None:
    """Held: before anything but a title the hyphen may join a double surname a blank broke
    ("Dana Whitfield- Oyelaran"), another person's name: no hit."""
    assert titles(line) == []
