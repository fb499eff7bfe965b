"""A surname's particle written apart or run on ("Mc Kay", "McKay"): markup parting the
name decides which a page shows ("Mc<b>Kay</b>" runs on), so the debtor's file may spell it
either way and still be her."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(line: str, name: str) -> list[str]:
    page = f'<html><body><ul class="team"><li>{line}</li></ul></body></html>'
    return [m.context for m in mentions(page, URL, [name])]


@pytest.mark.parametrize(("line", "name"), [
    ("Dana Mc<b>Kay</b> - Office Manager", "Dana Mc Kay"),
    ("Dana La<b>Fleur</b> - Office Manager", "Dana La Fleur"),
    ("Dana De Luca - Office Manager", "Dana DeLuca"),
    ("Dana Mac Donald - Office Manager", "Dana MacDonald"),
    ("Dana Mc<b>Kay</b> - Office Manager", "Dana McKay"),
])  # fmt: skip
def test_her_particle_apart_or_run_on_is_her(line: str, name: str) -> None:
    """A review: "Mc<b>Kay</b>" is read "McKay" since markup after a particle adds no blank,
    so a file spelling "Mc Kay" no longer found her staff line (and "DeLuca" never found
    "De Luca")."""
    assert contexts(line, name) == ["staff"]


@pytest.mark.parametrize(("line", "name"), [
    ("Dana Whitfield - Office Manager", "Dana McWhitfield"),
    ("Dana Le - Office Manager", "Dana LeBlanc"),
])  # fmt: skip
def test_a_particle_is_no_wildcard(line: str, name: str) -> None:
    """Held: the particle itself is never left out, nor the word after it."""
    assert contexts(line, name) == []
