"""A British address's building named with no number ("The Old Mill, Mill Lane") is a line of
its delivery address, and a person's name in that place never is: a building is known by what
it is, never by being a line of letters before the street ("Jenny Hall" is a person's name,
"Ivy House" may be one)."""

from __future__ import annotations

import html

import pytest

from skiptrace.pages import read_address, read_page
from tests.pages.test_real_address_shapes import URL
from tests.pages.test_real_address_shapes import _forms as _marked_up

TOWN, CODE = "Ashford", "TN24 8AB"
MARKUP = ("jsonld", "hcard", "microdata")


def _forms(
    lines: list[str], town: str = TOWN, region: str = "", code: str = CODE
) -> dict[str, str]:
    """One address as a page may write it (its lines and "Ashford TN24 8AB", a British one
    unless a ``region`` is given: "New York, NY 10001"): in text, and in markup (the page's
    head and body, joined)."""
    e = html.escape
    place = f"{town}, {region}" if region else town
    tail = f"{place} {code}"
    marked = _marked_up(lines, town, region, code)
    return {
        **{form: "".join(marked[form]) for form in MARKUP},
        "p": f"<p>{e(', '.join([*lines, place]))} {code}</p>",
        "br": f"<address>{'<br>'.join(map(e, [*lines, tail]))}</address>",
        "br apart": f"<address>{'<br>'.join(map(e, [*lines, place, code]))}</address>",
        "div": "<footer>" + "".join(f"<div>{e(x)}</div>" for x in [*lines, tail]) + "</footer>",
        "spans": "<footer>"
        + " ".join(f"<span>{e(x)}</span>" for x in [*lines, tail])
        + "</footer>",
        "pipes": f"<footer><p>{e(' | '.join([*lines, tail]))}</p></footer>",
    }


def _read(body: str) -> list[tuple[tuple[str, ...], str, str]]:
    page = read_page(f"<html><body>{body}</body></html>", URL)
    return [(a.lines, a.city, a.postal_code) for a in page.addresses]


NAMES = ["Marcus Oyelaran", "Jenny Hall", "Tom Mill", "Anna Lodge", "Sam Barnes", "Priya House",
         "Glen Park", "Chidi Chambers", "Holly Manor", "Ivy Grange", "Mrs Rose Cottage",
         "The Revd Tom Hall", "Dr Anna Villa", "Dana Court", "Dr Anna Place"]  # fmt: skip
"""Persons' names, most ending in a word for a building or a street that is a surname too."""
MARKS = ["", "Attn: ", "c/o ", "FAO "]
PLACES = [
    ["{name}", "Mill Lane"],
    ["{name}", "3 Church Street"],
    ["Unit 4", "{name}", "Mill Lane"],
    ["Ground Floor", "{name}", "12 High Street"],
    ["The Old Mill", "{name}", "Mill Lane"],
    ["{name}", "The Old Mill", "Mill Lane"],
    ["{name}", "Rose Cottage", "3 Church Street"],
]
"""Where a name stands as the line before the street, or before or after a building's."""


@pytest.mark.parametrize("name", NAMES)
def test_a_name_before_the_street_is_never_a_line(name: str) -> None:
    """Placed as the line before the street in each of these ways, after a mark or none, in
    text, a span of its own or markup: no word of the name is in the address. "Unit 4, Jenny
    Hall, Mill Lane" had kept her name as a line between the unit and the street, "Dana
    Court, Mill Lane" his as a street, and "<span>Marcus Oyelaran</span> <span>Mill
    Lane</span>" his in the street's line."""
    assert_no_name_kept(name, [((TOWN, "", CODE), place) for place in PLACES])


Tail = tuple[str, str, str]
"""An address's town, region ("" for a British one) and postcode."""


def assert_no_name_kept(name: str, places: list[tuple[Tail, list[str]]]) -> None:
    """``name`` put at "{name}" in each of ``places`` (an address's tail and its lines), after
    each of ``MARKS``, in every form ``_forms`` writes: no word of it that the address does
    not hold itself is in any address read."""
    for mark in MARKS:
        for tail, place in places:
            lines = [line.replace("{name}", mark + name) for line in place]
            own = set(" ".join([*place, *tail]).split())
            for form, body in _forms(lines, *tail).items():
                for found, city, _ in _read(body):
                    kept = set(" ".join((*found, city)).split())
                    assert not (set(name.split()) - own) & kept, (form, lines, found)


HOUSES = ["The Old Mill", "The Coach House", "Rose Cottage", "Manor Farm", "The Granary",
          "Orchard Barn", "Old School House", "Riverside Business Park"]  # fmt: skip


@pytest.mark.parametrize("house", HOUSES)
@pytest.mark.parametrize("street", ["Mill Lane", "3 Church Street"])
@pytest.mark.parametrize("form", ["p", "br", "br apart", "div", "spans", "pipes", *MARKUP])
def test_a_building_named_with_no_number_is_kept(house: str, street: str, form: str) -> None:
    """The building's line had been dropped as a name might be: "The Old Mill, Mill Lane,
    Ashford" was read as "Mill Lane", an address no letter reaches."""
    assert _read(_forms([house, street])[form]) == [((house, street), TOWN, CODE)]


@pytest.mark.parametrize(
    ("lines", "kept"),
    [
        (["Unit 4", "Riverside Business Park", "Mill Lane"],
         ("Unit 4", "Riverside Business Park", "Mill Lane")),
        (["Ground Floor", "The Old Mill", "12 High Street"],
         ("Ground Floor", "The Old Mill", "12 High Street")),
        # a given name may stand before "House": no more than the floor and the street are kept
        (["Ground Floor", "Ivy House", "12 High Street"], ("Ground Floor", "12 High Street")),
    ],
)  # fmt: skip
@pytest.mark.parametrize("form", ["p", "spans", "pipes", "jsonld"])
def test_a_unit_or_floor_above_a_building_is_kept(
    lines: list[str], kept: tuple[str, ...], form: str
) -> None:
    """A floor named by its word is a unit line, as "2nd Floor" is: "Ground Floor" had been
    read as "Floor" and dropped."""
    assert _read(_forms(lines)[form]) == [(kept, TOWN, CODE)]


@pytest.mark.parametrize(
    ("part", "building"),
    [
        ("The Old Mill", True), ("The Lodge", True), ("Rose Cottage", True),
        ("Mill Lane Industrial Estate", True), ("Coach House", True),
        ("Jenny Hall", False), ("Ivy House", False), ("Tom Mill", False), ("Anna Lodge", False),
        ("Mrs Rose Cottage", False), ("The Revd Tom Hall", False), ("Marcus Oyelaran", False),
        ("Cottage", False), ("the old mill", False), ("Flat 3 Rose Cottage", False),
    ],
)  # fmt: skip
def test_a_building_is_known_by_what_it_is(part: str, building: bool) -> None:
    assert read_address.building(part) is building


def test_a_us_address_keeps_no_building_line() -> None:
    """The building before the street is read for British mail only: a US address reads as
    it did."""
    assert _read("<p>The Old Mill, 12 Mill Rd, Springfield, IL 62701</p>") == [
        (("12 Mill Rd",), "Springfield", "62701")
    ]


POST_TOWN: Tail = ("Sutton Coldfield", "", "B74 3AA")
LOCALITIES = ["Little Aston", "Four Oaks", "Great Barr", "West Bromwich", "Headingley",
              "Walton on Thames", "Stoke-by-Nayland"]  # fmt: skip


@pytest.mark.parametrize("locality", LOCALITIES)
@pytest.mark.parametrize(
    "lines",
    [["12 Mill St", "{locality}"], ["Unit 4", "12 Mill St", "{locality}"],
     ["The Old Mill", "Mill Lane", "{locality}"]],
)  # fmt: skip
@pytest.mark.parametrize("form", ["p", "br", "br apart", "div", "spans", "pipes", *MARKUP])
def test_a_locality_between_the_street_and_the_post_town_is_kept(
    locality: str, lines: list[str], form: str
) -> None:
    """A British address often writes its district or village on a line of its own between
    the street and the post town: "12 Mill St" / "Little Aston" / "Sutton Coldfield B74 3AA"
    on lines of their own had found no address at all (the line above the town was read as a
    name might be, and the street stopped there)."""
    place = [line.replace("{locality}", locality) for line in lines]
    town, _, code = POST_TOWN
    assert _read(_forms(place, town=town, code=code)[form]) == [(tuple(place), town, code)]


@pytest.mark.parametrize(
    "body",
    ["<address>12 Mill St<br>Little Aston<br>Sutton Coldfield, B74 3AA</address>",
     "<p>12 Mill St<br>\nLittle Aston<br>\nSutton Coldfield, B74 3AA</p>",
     "<footer><p>12 Mill St | Little Aston | Sutton Coldfield, B74 3AA</p></footer>",
     "<p>12 Mill St, Little Aston, Sutton Coldfield, B74 3AA</p>",
     "<footer><div>12 Mill St</div><div>Little Aston</div><div>Sutton Coldfield, B74 3AA</div>"
     "</footer>"],
)  # fmt: skip
def test_three_lines_with_a_comma_before_the_postcode(body: str) -> None:
    assert _read(body) == [(("12 Mill St", "Little Aston"), "Sutton Coldfield", "B74 3AA")]


@pytest.mark.parametrize("name", [n for n in NAMES if n.split()[-1] not in ("Court", "Place")])
def test_a_name_where_a_locality_stands_is_never_a_line(name: str) -> None:
    """Placed between the street and the post town, after a mark or none, in every form: no
    word of the name is in the address. "12 Mill St, Marcus Oyelaran, Sutton Coldfield" had
    kept his name as a line in text, spans and markup alike (on lines of their own nothing had
    been read). A name ending in a street's word ("Dana Court") there still reads as a street
    named without a number, as a line of its own above the town did before: no shape tells
    them apart."""
    places = [["12 Mill St", "{name}"], ["Unit 4", "12 Mill St", "{name}"],
              ["The Old Mill", "Mill Lane", "{name}"]]  # fmt: skip
    assert_no_name_kept(name, [(POST_TOWN, place) for place in places])


@pytest.mark.parametrize(
    ("part", "place"),
    [
        ("Little Aston", True), ("Four Oaks", True), ("Headingley", True),
        ("Walton on Thames", True), ("Stoke-by-Nayland", True), ("West Bromwich", True),
        ("Marcus Oyelaran", False), ("Jenny Hall", False), ("Mrs Rose Cottage", False),
        ("Dr Anna Villa", False), ("Little Mill", False), ("Mill Lane", False), ("Suite", False),
        ("12 Mill St", False), ("little aston", False), ("Attn: Jenny", False),
        ("The Revd Tom Hall", False), ("Mary-Ann", False), ("Jean-Paul", False),
        ("Smith-Jones", False), ("Bourton-on-the-Water", True), ("Ross-on-Wye", True),
    ],
)  # fmt: skip
def test_a_locality_is_known_by_what_it_is(part: str, place: bool) -> None:
    assert read_address.locality(part) is place


@pytest.mark.parametrize("name", ["Mary-Ann", "Jean-Paul", "Smith-Jones"])
def test_a_hyphenated_name_alone_where_a_locality_stands_is_never_a_line(name: str) -> None:
    """One hyphenated word is a place's only joined by a word of its own ("Stoke-by-Nayland"):
    "12 Mill St" / "Mary-Ann" / "Sutton Coldfield B74 3AA" had kept her given name as a
    locality, on lines of their own too, where nothing had been read before."""
    places = [["12 Mill St", "{name}"], ["Unit 4", "12 Mill St", "{name}"]]
    assert_no_name_kept(name, [(POST_TOWN, place) for place in places])
