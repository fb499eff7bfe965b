"""How a block's lines are read. A ``<pre>`` block's line breaks are lines, as a browser
shows them: its text had been read as one line, so that a British town was lost ("12 High
Street Leeds LS1 4AB" read with no town) and a phone number and a person's name above the
street were kept in the street's line ("020 7946 0000 Jane Doe 12 High Street"). A British
town alone above its postcode is no street."""

from __future__ import annotations

import pytest

from skiptrace.pages import read_page

URL = "https://harborlane.example/"


@pytest.mark.parametrize(
    ("text", "street", "town"),
    [
        ("12 High Street\nLeeds LS1 4AB", "12 High Street", "Leeds"),
        ("Tel: 020 7946 0000\nJane Doe\n12 High Street\nLeeds LS1 4AB", "12 High Street", "Leeds"),
        ("Phone: (555) 123-4567\nJane Doe\n418 Dockside Ave\nSpringfield, IL 62701",
         "418 Dockside Ave", "Springfield"),
        ("\n  <b>418 Dockside Ave</b>\n  Springfield, IL 62701\n",
         "418 Dockside Ave", "Springfield"),
    ],
)  # fmt: skip
def test_the_lines_of_a_pre_block_are_lines(text: str, street: str, town: str) -> None:
    page = read_page(f"<html><body><footer><pre>{text}</pre></footer></body></html>", URL)
    assert [(a.lines, a.city) for a in page.addresses] == [((street,), town)]


@pytest.mark.parametrize(
    "block",
    ["Leeds LS1 4AB", "12 High Street<br>Jane Doe<br>Leeds LS1 4AB",
     "Marcus Oyelaran<br>Mill Lane<br>Ashford TN24 8AB"],
)  # fmt: skip
def test_a_british_town_alone_is_no_street(block: str) -> None:
    """A town and its postcode with no delivery line read (none, or only what may be a
    person's name above it) is no address: the town had been given as its street, with no
    town (362 of the test suite's generated pages)."""
    page = read_page(f"<html><body><footer><p>{block}</p></footer></body></html>", URL)
    assert not any(a.lines in (("Leeds",), ("Ashford",)) for a in page.addresses)


@pytest.mark.parametrize("text", ["The Old Mill Leeds LS1 4AB", "Mill Lane Leeds LS1 4AB"])
def test_a_street_or_building_run_into_its_town_is_no_town_alone(text: str) -> None:
    """Read as before, with its postcode: only words that name no street nor building are a
    town alone (a review found these dropped)."""
    page = read_page(f"<html><body><p>{text}</p></body></html>", URL)
    assert [a.postal_code for a in page.addresses] == ["LS1 4AB"]


def test_the_lines_of_a_pre_block_count_against_the_pages_bound() -> None:
    """A <pre> of 2 MB of short lines is read as far as ``MAX_TEXT_NODES`` lines, as the same
    text in <br> lines is (a million lines had been kept, 171 MB at its peak)."""
    page = read_page("<pre>" + "x\n" * 900_000 + "12 Main St\nSpringfield, IL 62701</pre>", URL)
    assert page.addresses == ()
    assert any(p.startswith("truncated: text read from the first") for p in page.problems)
