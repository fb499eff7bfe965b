"""A nickname in quotation marks after her first name ('Dana "DJ" Whitfield'): part of her
name as the page writes it, so the name is found; it is not kept (the page chose it)."""

from __future__ import annotations

import json

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"
NAMES = ["Dana Whitfield", "Whitfield, Dana", "D. Whitfield"]


def found(body: str, any_initial: bool = False) -> list[tuple[str, str, str]]:
    page = f"<html><head><title>Our team</title></head><body>{body}</body></html>"
    return [(m.name, m.context, m.job_title)
            for m in mentions(page, URL, NAMES, any_initial=any_initial)]  # fmt: skip


@pytest.mark.parametrize("any_initial", [False, True])
@pytest.mark.parametrize("name", [
    'Dana "DJ" Whitfield', "Dana \u201cDJ\u201d Whitfield", "Dana \u2018Dee\u2019 Whitfield",
    "Dana 'D.J.' Whitfield",
])  # fmt: skip
def test_a_nickname_in_quotation_marks_is_part_of_her_name(name: str, any_initial: bool) -> None:
    """A review: her first name and surname had to stand side by side, so a team page writing
    her nickname between them ('Dana "DJ" Whitfield - Office Manager') was no hit."""
    line = f'<ul class="team"><li>{name} - Office Manager</li></ul>'
    assert found(line, any_initial) == [("Dana Whitfield", "staff", "Office Manager")]


def test_a_nickname_and_a_middle_initial() -> None:
    """A file with no middle name finds her with a nickname and one initial too."""
    line = '<ul class="team"><li>Dana "DJ" Q. Whitfield - Office Manager</li></ul>'
    assert found(line, True) == [("Dana Q. Whitfield", "staff", "Office Manager")]


def test_a_persons_name_with_a_nickname_is_hers() -> None:
    """A schema.org Person's whole name holding her nickname is hers too."""
    person = {"@type": "Person", "name": 'Dana "DJ" Whitfield', "jobTitle": "Office Manager"}
    script = f'<script type="application/ld+json">{json.dumps(person)}</script>'
    assert found(script)[0] == ("Dana Whitfield", "staff", "Office Manager")


@pytest.mark.parametrize("line", [
    'Mary Dana "DJ" Whitfield - Office Manager',
    'Dana "DJ" Whitfield-Oyelaran - Office Manager',
    'Dana "DJ" Whitfield Lane',
    'Whitfield, "DJ" Dana - Office Manager',
])  # fmt: skip
def test_a_nickname_leaves_a_longer_name_anothers(line: str) -> None:
    """Held: a word before her first name, a surname joined after hers and a street's word
    make a longer name; "Last, First" is looked for with no nickname."""
    assert found(f'<ul class="team"><li>{line}</li></ul>') == []


@pytest.mark.parametrize("any_initial", [False, True])
@pytest.mark.parametrize("body", [
    '<ul class="team"><li>Dana "Marcus Oyelaran" Whitfield - Office Manager</li></ul>',
    "<ul class=\"team\"><li>Dana \u201cPriya Venkat\u201d Whitfield - Office Manager</li></ul>",
    '<script type="application/ld+json">{"@type": "Person", "name": "Dana \\"Marcus Oyelaran\\" '
    'Whitfield", "jobTitle": "Office Manager"}</script>',
    '<div class="h-card"><span class="p-name">Dana "Marcus Oyelaran" Whitfield</span> '
    '<span class="p-job-title">Office Manager</span></div>',
])  # fmt: skip
def test_no_nickname_is_kept_in_her_name(body: str, any_initial: bool) -> None:
    """A review: the words in quotation marks between her names were kept as written, up to 19
    characters with blanks, so a page writing 'Dana "Marcus Oyelaran" Whitfield' put his whole
    name in her record and its snippet (so would "Marcus.Oyelaran", one word). She is still
    found; the name kept is her names' words and initials, no nickname."""
    page = f"<html><head><title>Our team</title></head><body>{body}</body></html>"
    hits = mentions(page, URL, NAMES, any_initial=any_initial)
    assert hits and all(m.context == "staff" for m in hits), hits
    kept = " ".join(f"{m.name} {m.snippet}" for m in hits)
    assert "Oyelaran" not in kept and "Priya" not in kept and "Venkat" not in kept, kept
