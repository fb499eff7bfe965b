"""A "RIP" right after her name on a team page ("Dana Whitfield RIP") is a death mark, as the
README says, not a word of a longer name: the hit is her memorial, not dropped as another
person's."""

from __future__ import annotations

import pytest

from skiptrace.pages import mentions

URL = "https://harborlane.example/our-team"


def contexts(team: str, names: tuple[str, ...] = ("Dana Whitfield",)) -> list[str]:
    page = f"<html><head><title>Our team</title></head><body>{team}</body></html>"
    return [m.context for m in mentions(page, URL, list(names))]


@pytest.mark.parametrize(
    "line",
    ["Dana Whitfield RIP", "Dana Whitfield R.I.P.", "Dana Whitfield RIP 2019",
     "Dana Whitfield RIP, Office Manager"],
)  # fmt: skip
def test_rip_after_her_name_is_her_memorial(line: str) -> None:
    """A review: a capitalised word after her name made it a longer name, so "Dana Whitfield
    RIP" gave nothing at all, while "Dana Whitfield, RIP" was her memorial."""
    assert contexts(f"<ul><li>{line}</li><li>Sam Lee, Owner</li></ul>") == ["obituary"]


@pytest.mark.parametrize("line", ["Dana Whitfield Rip", "Dana Whitfield Lane, Office Manager"])
def test_a_name_word_after_hers_is_still_a_longer_name(line: str) -> None:
    """Held: "Rip" as a name's word (the mark is written in capitals), or "Lane"."""
    assert contexts(f"<ul><li>{line}</li></ul>") == []
