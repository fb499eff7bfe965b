"""A person's name between a unit and a street that no street word ends ("Suite 4, Marcus
Oyelaran, 3377 Broadway", "1 Avenue of the Americas") is no line of the address: such a street
is known by the house number starting it, the last part so started, and words alone between
a unit or box and the street are no line of it, whether a street word ends the street ("418
Dockside Ave") or not, in a US address as in a British one ("12 Station Approach")."""

from __future__ import annotations

import pytest

from tests.pages.test_british_house_names import (
    CODE,
    NAMES,
    TOWN,
    _forms,
    _read,
    assert_no_name_kept,
)

US = ("New York", "NY", "10001")
UK = (TOWN, "", CODE)
PLACES = [
    (US, ["Suite 4", "{name}", "3377 Broadway"]),
    (US, ["Building 5", "{name}", "3377 Broadway"]),
    (US, ["2nd Floor", "{name}", "1 Avenue of the Americas"]),
    (US, ["PO Box 2291", "{name}", "88 Bowery"]),
    (US, ["Suite 4", "{name}", "418 Dockside Ave"]),
    (UK, ["Unit 4", "{name}", "12 Station Approach"]),
]
"""Where a name stands between a unit or box and the street: most with no street word."""


@pytest.mark.parametrize("name", NAMES)
def test_a_name_before_a_street_with_no_street_word_is_never_a_line(name: str) -> None:
    """After a mark or none, in text, spans or markup: no word of the name is in the address.
    "Suite 4, Marcus Oyelaran, 3377 Broadway" had kept his name as a line (a street was known
    by its street word only, and with none no part was dropped)."""
    assert_no_name_kept(name, PLACES)


@pytest.mark.parametrize(
    "lines",
    [
        ["Suite 200", "3377 Broadway"],
        ["Building 5", "3377 Broadway"],
        ["2nd Floor", "One Liberty Plaza", "165 Broadway"],
        ["PO Box 2291", "3377 Broadway"],
        ["3377 Broadway", "Suite 200"],
        ["Suite 4", "1 Avenue of the Americas"],
    ],
)
@pytest.mark.parametrize("form", ["p", "br", "pipes", "jsonld", "hcard"])
def test_the_lines_of_a_street_with_no_street_word_are_kept(lines: list[str], form: str) -> None:
    """A unit, a box and a building named with a number ("One Liberty Plaza") before the
    street stay lines of it."""
    assert _read(_forms(lines, *US)[form]) == [(tuple(lines), "New York", "10001")]


ROAD_NAMES = [*NAMES, "Holly Lane", "Tom Street", "Dana Way"]
"""Persons' names, with more ending in a street word ("Holly Lane", "Dana Court")."""
BEFORE_A_UNIT = [
    (US, ["{name}", "Suite 4", "3377 Broadway"]),
    (US, ["{name}", "Suite 4", "418 Dockside Ave"]),
    (US, ["{name}", "2nd Floor", "1 Avenue of the Americas"]),
    (UK, ["{name}", "Unit 4", "12 High Street"]),
    (UK, ["{name}", "Unit 4", "Mill Lane"]),
]
"""Where a name stands before a unit with a street after it: a numbered one, or in a British
address one named alone."""


@pytest.mark.parametrize("name", ROAD_NAMES)
def test_a_name_before_a_unit_and_a_numbered_street_is_never_a_line(name: str) -> None:
    """A road named without a number before a unit ("Route 66, Suite 4") is one only when no
    street follows: "Dana Court, Suite 4, 3377 Broadway" had kept his name as a road."""
    assert_no_name_kept(name, BEFORE_A_UNIT)


@pytest.mark.parametrize(
    ("tail", "lines"),
    [
        (("Springfield", "IL", "62701"), ["Route 66", "Suite 4"]),
        (US, ["Suite 4", "3377 Broadway"]),
        (US, ["418 Dockside Ave", "Suite 4"]),
        (UK, ["The Old Mill", "Unit 4", "12 High Street"]),
        (UK, ["Mill Lane", "Unit 4"]),
    ],
)
@pytest.mark.parametrize("form", ["p", "pipes", "jsonld", "hcard"])
def test_a_road_or_building_before_a_unit_is_kept(
    tail: tuple[str, str, str], lines: list[str], form: str
) -> None:
    """A road named without a number before a unit with no numbered street after it, and a
    British building named before one, stay lines of the address."""
    assert _read(_forms(lines, *tail)[form]) == [(tuple(lines), tail[0], tail[2])]


@pytest.mark.parametrize(
    "lines",
    [
        ["Suite 200", "3377 Broadway"],
        ["Building 5", "3377 Broadway"],
        ["PO Box 2291", "3377 Broadway"],
        ["Suite 4", "1 Avenue of the Americas"],
    ],
)
def test_a_street_with_no_street_word_in_a_span_after_a_unit_is_kept(lines: list[str]) -> None:
    """A footer's spans ("<span>Suite 200</span> <span>3377 Broadway</span> <span>New York,
    NY ..."): the street's number had been cut from the unit's line as no street, and the
    rest of it taken with the town's words, so that the address had no street."""
    assert _read(_forms(lines, *US)["spans"]) == [(tuple(lines), "New York", "10001")]


@pytest.mark.parametrize("name", ["Marcus Oyelaran", "Attn: Jenny Hall", "Dana Court"])
@pytest.mark.parametrize("street", ["3377 Broadway", "88 Bowery"])
def test_a_name_set_off_before_a_street_run_into_the_town_is_never_a_line(
    name: str, street: str
) -> None:
    """ "Marcus Oyelaran, 3377 Broadway New York, NY": the street's name runs into the town
    (no comma), and a house number alone started no street: the name set off before it had
    been kept as a line. Then the street's name was taken with the town's ("Broadway New
    York"), its number left alone; a street named by one such word is the street now
    (``read_address._NAMED_ALONE``)."""
    assert _read(f"<p>{name}, {street} New York, NY 10001</p>") == [
        ((street,), "New York", "10001")
    ]


AFTER_THE_STREET = [
    (US, ["3377 Broadway", "{name}"]),
    (US, ["Suite 200", "3377 Broadway", "{name}"]),
    (US, ["418 Dockside Ave", "{name}"]),
    (US, ["3377 Broadway", "{name}", "Suite 200"]),
    (US, ["PO Box 2291", "{name}"]),
    (US, ["One Liberty Plaza", "{name}"]),
    (US, ["Suite 4", "Two Harbor Way", "{name}"]),
]
"""Where a name stands between a US street, unit or box and the town (a street whose number
is a word too: "One Liberty Plaza, Dana Court" had kept hers as the street)."""


@pytest.mark.parametrize("name", ROAD_NAMES)
def test_a_name_after_a_us_street_is_never_a_line(name: str) -> None:
    """Words alone between the street and the town are no line of a US address, as between a
    unit and the street: "3377 Broadway, Marcus Oyelaran, New York, NY" had kept his name as
    a line, "3377 Broadway, Dana Court" had kept hers as the street (and lost Broadway), and
    "<span>3377 Broadway</span> <span>Dana Court</span>" hers in the street's line."""
    assert_no_name_kept(name, AFTER_THE_STREET)


@pytest.mark.parametrize(
    "lines",
    [
        ["3377 Broadway", "Building C"],
        ["3377 Broadway", "Floor 3"],
        ["418 Dockside Ave", "Dept 4432"],
        ["418 Dockside Ave", "Accounts Payable Dept"],
        ["3377 Broadway", "Riverside Business Park"],
        ["Suite 200", "3377 Broadway", "One Liberty Plaza"],
    ],
)
@pytest.mark.parametrize("form", ["p", "pipes", "jsonld", "hcard"])
def test_a_line_known_by_what_it_is_after_a_us_street_is_kept(lines: list[str], form: str) -> None:
    """A unit, floor, building or department after the street stays a line of it (a plaza
    named alone there, "Dockside Plaza", is dropped as a name ending in a street word is)."""
    assert _read(_forms(lines, *US)[form]) == [(tuple(lines), "New York", "10001")]


@pytest.mark.parametrize(
    "alone", ["Marcus Oyelaran", "Attn: Jenny Hall", "Dana Court", "Dockside Plaza"]
)
@pytest.mark.parametrize(
    ("lines", "kept"),
    [
        (["3377 Broadway", "{}"], ["3377 Broadway"]),
        (["Harbor Lane Plumbing", "418 Dockside Ave", "{}"], ["418 Dockside Ave"]),
        (["Suite 200", "3377 Broadway", "{}"], ["Suite 200", "3377 Broadway"]),
        (["3377 Broadway", "{}", "Suite 200"], ["3377 Broadway", "Suite 200"]),
        (["Suite 4", "{}", "3377 Broadway"], ["Suite 4", "3377 Broadway"]),
        (["PO Box 2291", "{}"], ["PO Box 2291"]),
        (["One Liberty Plaza", "{}"], ["One Liberty Plaza"]),
    ],
)
@pytest.mark.parametrize("form", ["br", "div"])
def test_words_alone_on_a_line_of_their_own_after_a_us_street_leave_it_read(
    alone: str, lines: list[str], kept: list[str], form: str
) -> None:
    """A line of words alone between a US street (or unit, box) and the town's line is read
    with them and dropped: "418 Dockside Ave<br>Marcus Oyelaran<br>Springfield, IL ..." and
    "<div>3377 Broadway</div><div>Dockside Plaza</div>" had found no address, and "Suite 4"
    above a name above the street had been lost."""
    written = [line.format(alone) for line in lines]
    assert _read(_forms(written, *US)[form]) == [(tuple(kept), "New York", "10001")]
