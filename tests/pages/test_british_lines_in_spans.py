"""A British address on one line of the page is read apart where the page sets its parts in
elements of their own ("<span>The Old Mill</span> <span>Mill Lane</span>"), and only there: a
house number in a span of its own is its street's, a word set in bold inside a line is that
line's, and a phone, VAT or opening-hours line in a span before it is none of its lines."""

from __future__ import annotations

import pytest

from skiptrace.pages import read_page
from tests.pages.test_real_address_shapes import URL

TAIL = ("Ashford", "TN24 8AB")


def _read(body: str) -> list[tuple[tuple[str, ...], str, str]]:
    page = read_page(f"<html><body>{body}</body></html>", URL)
    return [(a.lines, a.city, a.postal_code) for a in page.addresses]


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("<p><span>16</span> <span>Mill Lane</span> <span>Ashford TN24 8AB</span></p>",
         ("16 Mill Lane",)),
        ("<p><span>16</span> Mill Lane, Ashford TN24 8AB</p>", ("16 Mill Lane",)),
        ("<footer><span>16A</span> <span>Mill Lane</span> <span>Ashford TN24 8AB</span></footer>",
         ("16A Mill Lane",)),
        ("<footer><span>Flat 3</span> <span>16</span> <span>Mill Lane</span> "
         "<span>Ashford TN24 8AB</span></footer>", ("Flat 3", "16 Mill Lane")),
        ("<footer><span>Unit</span> <span>4</span>, <span>Mill Lane</span> "
         "<span>Ashford TN24 8AB</span></footer>", ("Unit 4", "Mill Lane")),
        ("<footer><span>2nd</span> <span>Floor</span> <span>45</span> <span>King Street</span> "
         "<span>Ashford TN24 8AB</span></footer>", ("2nd Floor", "45 King Street")),
    ],
)  # fmt: skip
def test_a_number_in_its_own_span_stays_with_its_street(body: str, lines: tuple[str, ...]) -> None:
    """A number (or a unit's word) alone is no line: "16" set in a span of its own had been
    parted from "Mill Lane" and dropped."""
    assert _read(body) == [(lines, *TAIL)]


@pytest.mark.parametrize(
    ("spans", "lines"),
    [
        (["16", "Mill Lane"], ("16 Mill Lane",)),
        (["Flat 3", "16", "Mill Lane"], ("Flat 3", "16 Mill Lane")),
        (["2nd", "Floor", "45", "King Street"], ("2nd Floor", "45 King Street")),
    ],
)
def test_a_number_in_its_own_span_with_no_blank_is_still_a_word(
    spans: list[str], lines: tuple[str, ...]
) -> None:
    """Spans with no blank between them, as with one: the number kept with its street had been
    run into it ("16Mill Lane", "2ndFloor45King Street")."""
    body = "".join(f"<span>{x}</span>" for x in [*spans, "Ashford TN24 8AB"])
    assert _read(f"<footer>{body}</footer>") == [(lines, *TAIL)]


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("<p>Unit 4 <b>Riverside</b> Business Park, Mill Lane, Ashford TN24 8AB</p>",
         ("Unit 4", "Riverside Business Park", "Mill Lane")),
        ("<p>The <strong>Old Mill</strong>, Mill Lane, Ashford TN24 8AB</p>",
         ("The Old Mill", "Mill Lane")),
        ('<p>The Old Mill, <a href="/map">16 Mill Lane</a> Ashford TN24 8AB</p>',
         ("The Old Mill", "16 Mill Lane")),
    ],
)  # fmt: skip
def test_emphasis_inside_a_line_never_parts_it(body: str, lines: tuple[str, ...]) -> None:
    """A word set in bold, a link or emphasis among the line's own text is that text's:
    "Unit 4 <b>Riverside</b> Business Park" had been read as "Unit 4" and "Business Park"."""
    assert _read(body) == [(lines, *TAIL)]


LINES = ["{}", "The Old Mill", "Mill Lane", "Ashford TN24 8AB"]
SPANS = "<footer>" + " ".join(f"<span>{x}</span>" for x in LINES) + "</footer>"
DIVS = "<footer>" + "".join(f"<div>{x}</div>" for x in LINES) + "</footer>"


@pytest.mark.parametrize(
    "before",
    ["Tel 01234 567890", "T: 01234 567890", "01234 567890", "VAT 123 4567 89",
     "Company No. 0123 4567", "Company No. 01234567", "Call us: 01234 567890", "Open 7 days",
     "Open 7 Days a week"],
)  # fmt: skip
@pytest.mark.parametrize("form", [SPANS, DIVS, SPANS.replace("The Old Mill", "Unit 4")])
def test_a_phone_or_label_line_before_the_address_is_none_of_its_lines(
    before: str, form: str
) -> None:
    """A run of digits with no letter (a phone, VAT or company number) is no street, and a
    line saying when the business is open is none: "<span>Tel 01234 567890</span>" before the
    building had been its first line, "01234 567890"."""
    building = "Unit 4" if "Unit 4" in form else "The Old Mill"
    assert _read(form.format(before)) == [((building, "Mill Lane"), *TAIL)]


@pytest.mark.parametrize("before", ["Tel 01234 567890", "Call us: 01234 567890"])
def test_spans_are_read_apart_up_to_the_blocks_own_words(before: str) -> None:
    """Elements meeting each other are parts ("<span>Tel ...</span> <span>16</span>"), an
    element meeting the block's own words ("Ashford TN24 8AB" after "Mill Lane") is not;
    a label cut from the line's start takes none of its parts."""
    body = f"<p><span>{before}</span> <span>16</span> <span>Mill Lane</span>, Ashford TN24 8AB</p>"
    assert _read(body) == [(("16 Mill Lane",), *TAIL)]


def test_a_name_in_its_own_span_is_still_parted_from_the_street() -> None:
    assert _read(SPANS.format("Marcus Oyelaran").replace("<span>The Old Mill</span> ", "")) == [
        (("Mill Lane",), *TAIL)
    ]
