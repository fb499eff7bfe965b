"""A name whose words or letters the page's markup parts ("<span>Dana</span><span>Whitfield
</span>", "Dana <b>J.</b> Whitfield", "<b>D</b>ana") is read on any page, not only on one
that happens to hold a character reference ("&amp;", "&nbsp;") somewhere."""

from __future__ import annotations

import pytest

from skiptrace.pages import _dom, mentions

URL = "https://harborlane.example/our-team"


def found(team: str, title: str, names: list[str]) -> list[tuple[str, str]]:
    page = f"<html><head><title>{title}</title></head><body>{team}</body></html>"
    return [(m.name, m.context) for m in mentions(page, URL, names, any_initial=True)]


@pytest.mark.parametrize("team", [
    '<p class="member"><span>Dana</span><span>Whitfield</span><span>Office Manager</span></p>',
    "<ul><li><b>D</b>ana Whitfield - Office Manager</li></ul>",
    "<ul><li><span>Dana</span> <span>Whitfield</span> - Office Manager</li></ul>",
])  # fmt: skip
@pytest.mark.parametrize("title", ["Our team", "Our team &amp; crew"])
def test_a_name_parted_by_markup_is_read_with_or_without_an_ampersand(
    team: str, title: str
) -> None:
    """A review: the page was read only when its HTML held the name whole or any "&", so
    the same card was staff on a page with "&amp;" in its title and nothing without."""
    assert found(team, title, ["Dana Whitfield"]) == [("Dana Whitfield", "staff")]


def test_a_second_initial_parted_by_markup_is_read() -> None:
    """The other Dana on another page of the site ("Dana <b>J.</b> Whitfield") is what
    keeps Dana R. from being taken for the debtor; it had been passed over whole."""
    team = "<ul><li>Dana <b>J.</b> Whitfield - Office Manager</li></ul>"
    assert found(team, "Our team", ["Dana Whitfield"]) == [("Dana J. Whitfield", "staff")]


def test_a_page_without_her_name_is_not_read() -> None:
    """Held: a page holding no word of hers is still passed over before it is parsed."""
    assert found("<ul><li><b>Sam</b> Lee - Owner</li></ul>", "Our team", ["Dana Whitfield"]) == []


@pytest.mark.parametrize("names", [["Dana Whitfield"], ["Dana Whitfield", " "]])
def test_a_page_holding_no_word_of_hers_is_not_parsed(
    names: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held: such a page is passed over before it is parsed, a blank variant among hers
    (which holds no word) too."""

    def parse(text: str) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(_dom, "parse", parse)
    assert found("<ul><li><b>Sam</b> Lee - Owner</li></ul>", "Our team", names) == []
