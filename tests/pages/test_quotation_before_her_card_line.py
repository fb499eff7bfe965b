"""A quotation or a review's stars in a paragraph of its own before her name in her card is
a testimonial's, as a ``<blockquote>`` there is: her name after it is its attribution, a
mention, as the README says ("after a quotation or a review's stars on her line or in her
card")."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, ["Dana Whitfield"])]


@pytest.mark.parametrize("quote", [
    "<p>\u201cThey fixed our boiler in an hour.\u201d</p>",
    '<p>"They fixed our boiler in an hour."</p>',
    "<p>\u2605\u2605\u2605\u2605\u2605</p>",
    '<div class="stars">\u2605\u2605\u2605\u2605\u2606</div>',
])  # fmt: skip
def test_her_name_after_a_quotation_in_her_card_is_a_mention(quote: str) -> None:
    """A review: only a ``<blockquote>`` or ``<q>`` in her card was read as a quotation, so
    a testimonial's quote or stars in a paragraph above her name made her staff."""
    card = f'<div class="card">{quote}<p>Dana Whitfield, Office Manager</p></div>'
    assert contexts(card) == ["mention"]


@pytest.mark.parametrize("card", [
    '<div class="card"><h3>Dana Whitfield</h3><p>Office Manager</p>'
    "<p>\u201cI love a tidy schedule.\u201d</p></div>",
    '<div class="card"><p>Our Office Manager keeps the 3/4" fittings in stock.</p>'
    "<p>Dana Whitfield, Office Manager</p></div>",
])  # fmt: skip
def test_her_own_quote_after_her_name_keeps_her_staff(card: str) -> None:
    """Held: her own quote after her name and title, and a quote mark inside a sentence."""
    assert contexts(card) == ["staff"]
