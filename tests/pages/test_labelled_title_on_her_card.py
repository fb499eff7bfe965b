"""A title after a label ("Title: Office Manager", "Position: Owner") on her card's line or
after her name is hers, read as any title is: what follows the label must be title words,
and a name after them makes it another's."""

from __future__ import annotations

import pytest

from tests.pages.test_next_persons_label_on_her_line import titles


@pytest.mark.parametrize("team", [
    "<div class=card><p>Name: Dana Whitfield</p><p>Title: Office Manager</p></div>",
    "<div class=card><h3>Dana Whitfield</h3><p>Title: Office Manager</p></div>",
    "<div class=card><h3>Dana Whitfield</h3><p>Job Title: Office Manager</p></div>",
    "<div class=card><h3>Dana Whitfield</h3><p>Position: Office Manager</p></div>",
    "<div class=card><h3>Dana Whitfield</h3><p>Role: Office Manager</p></div>",
    "<p>Dana Whitfield | Title: Office Manager</p>",
    "<p>Dana Whitfield; Title: Office Manager</p>",
    "<table><tr><td>Name: Dana Whitfield</td><td>Title: Office Manager</td></tr></table>",
    "<div class=card><p>Name: Tom Reed</p><p>Title: Owner</p><p>Name: Dana Whitfield</p>"
    "<p>Title: Office Manager</p></div>",
])  # fmt: skip
def test_a_labelled_title_is_hers(team: str) -> None:
    """A review: the label's word was read as the title's first, which is no title word, so
    "Title: Office Manager" on her card gave her no title."""
    assert titles(team) == [("staff", "Office Manager")]


@pytest.mark.parametrize("team", [
    "<div class=card><p>Name: Dana Whitfield</p><p>Title: Peoria</p></div>",
    "<p>Dana Whitfield | Title: Peoria</p>",
    "<div class=card><p>Name: Dana Whitfield</p><p>Title: Owner Tom Reed</p></div>",
    "<div class=card><p>Name: Dana Whitfield</p><p>Title: Owner: Tom Reed</p></div>",
    "<div class=card><p>Name: Tom Reed</p><p>Title: Owner</p><p>Name: Dana Whitfield</p></div>",
    "<div class=card><p>Title: Owner</p><p>Name: Tom Reed</p><p>Title: Estimator</p>"
    "<p>Name: Dana Whitfield</p><p>Title: Bookkeeper</p><p>Name: Sam Lee</p></div>",
])  # fmt: skip
def test_a_labelled_line_that_is_no_title_of_hers_gives_none(team: str) -> None:
    """Held: a lone word after the label (a place, a name) is no title, a name after the title
    makes it his, and a labelled title is read below her name only: above it, in a list
    whose labels name the people below them, it may be the last person's."""
    assert titles(team) == [("staff", "")]
