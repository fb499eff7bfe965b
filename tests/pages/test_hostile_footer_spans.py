"""Hostile pages against the reading of a footer's address by its elements (a street read to
the end of its element, a town in an element of its own): bounded work, and no part
addressed to a person kept on the street's line."""

from __future__ import annotations

import time

import pytest

from skiptrace.pages import read_page

URL = "https://harborlane.example/"


def test_a_long_run_of_streets_above_the_town_is_read_in_linear_time() -> None:
    """Each start of the last street line in the text after the page's last element edge had
    been read to the text's end: 16,000 of them took 17 s."""
    page = f"<html><body><p>{'12 Main St ' * 8_000}<br>Springfield, IL 62701</p></body></html>"
    started = time.process_time()
    read_page(page, URL)
    assert time.process_time() - started < 1.0


def _lines(footer: str) -> list[tuple[str, ...]]:
    page = read_page(f"<html><body><footer>{footer}</footer></body></html>", URL)
    return [a.lines for a in page.addresses]


@pytest.mark.parametrize("mark", ["c/o ", "Attn ", "Attn: ", "FAO ", "- c/o ", "/ Attn "])
@pytest.mark.parametrize("gap", [" ", ", ", ""])
def test_a_part_addressed_to_a_person_in_the_streets_element_is_no_part_of_it(
    mark: str, gap: str
) -> None:
    """The street was read to its element's end with what was addressed to a person in it
    ("3377 Broadway c/o Marcus Oyelaran"), which a line read as the page's text drops."""
    footer = (
        f"<span>3377 Broadway {mark}Marcus Oyelaran</span>{gap}<span>Springfield, IL 62701</span>"
    )
    assert _lines(footer) == [("3377 Broadway",)]


@pytest.mark.parametrize("dash", [" - ", " \u2013 ", " / ", " ~ "])
def test_a_dash_in_the_streets_element_sets_off_a_name_as_a_comma(dash: str) -> None:
    """As a dash does in the page's text: "3377 Broadway - Marcus Oyelaran" in its element had
    been one street line."""
    footer = f"<span>3377 Broadway{dash}Marcus Oyelaran</span><span>Springfield, IL 62701</span>"
    assert _lines(footer) == [("3377 Broadway",)]


@pytest.mark.parametrize(
    ("street", "after"),
    [
        (("3377 Broadway",), '<a href="tel:+12175550143">(217) 555-0143</a>'),
        (("12 Harbor Lane",), "<b>Mon-Fri</b>"),
        (("400 Main St", "Suite 4"), '<a href="/map">Map</a>'),
        (("PO Box 2291",), "<span>Marcus Oyelaran</span>"),
    ],
)
def test_a_street_on_the_line_above_the_town_ends_at_its_lines_end(
    street: tuple[str, ...], after: str
) -> None:
    """An element after the ZIP on the town's line had the street read on into the town:
    "3377 Broadway Springfield" and a line "IL 62701"."""
    footer = f"<p>{'<br>'.join(street)}<br>Springfield, IL 62701 {after}</p>"
    assert _lines(footer) == [street]


@pytest.mark.parametrize(
    "footer",
    [
        "<span>3377 Broadway</span>, <span>Springfield</span><span>c/o Marcus Oyelaran</span>"
        "<span>IL 62701</span>",
        "<span>3377 Broadway</span><span>c/o Marcus Oyelaran Springfield</span>"
        "<span>IL 62701</span>",
        "<span>400 Main St</span><span>c/o Marcus Oyelaran</span><span>Suite 4</span>"
        "<span>Springfield, IL 62701</span>",
        "<span>Flat 3</span><span>21 Baker St</span><span>c/o Marcus Oyelaran Leeds</span>"
        "<span>LS1 4AB</span>",
    ],
)
def test_c_o_run_into_the_element_before_it_still_marks_whom_it_reaches(footer: str) -> None:
    """Elements with no blank between them are one word where the next starts with a
    lower-case letter, so "c/o" ran into the word before it ("Springfieldc/o") and was no
    mark: the town was "Marcus Oyelaran", or the street line held his name."""
    page = read_page(f"<html><body><footer>{footer}</footer></body></html>", URL)
    assert page.addresses
    for found in page.addresses:
        assert not {"Marcus", "Oyelaran"} & set(" ".join((*found.lines, found.city)).split())


@pytest.mark.parametrize(
    ("written", "lines"),
    [
        ("400 Main St Suite 100 / 101", ("400 Main St Suite 100 / 101",)),
        ("1 Main St., Ste. 2 / 3", ("1 Main St.", "Ste. 2 / 3")),
        ("Flat 3 - 21 Baker St", ("Flat 3", "21 Baker St")),
        ("PO Box 12 / 34 Main St", ("PO Box 12", "34 Main St")),
    ],
)
def test_a_units_numbers_either_side_of_a_slash_stay_one_line(
    written: str, lines: tuple[str, ...]
) -> None:
    """A spaced slash or dash sets parts off as a comma does, but between a unit's numbers
    ("Suite 100 / 101") it had made "101" a line of the address."""
    assert _lines(f"<p>{written}, Springfield, IL 62701</p>") == [lines]


@pytest.mark.parametrize("mark", [", ", " | ", " - "])
@pytest.mark.parametrize(
    ("street", "tail"),
    [("3377 Broadway", "Leeds LS1 4AB"), ("12 Harbor Lane", "Leeds LS1 4AB"),
     ("12 Harbor Lane", "Springfield IL 62701")],
)  # fmt: skip
def test_a_street_read_to_its_elements_end_stops_at_the_town_in_it(
    mark: str, street: str, tail: str
) -> None:
    """The street and the town in one element, an element after them (a phone's link): the
    town and postcode had been read as a line of the address ("Leeds LS1 4AB")."""
    footer = f'<p>{street}{mark}{tail} <a href="tel:+12175550143">(217) 555-0143</a></p>'
    assert _lines(footer) == [(street,)]
