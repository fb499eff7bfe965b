"""Real business addresses read whole: a street, unit or box line is cut so that no person's
name is kept on it, and these shapes (US and UK, in text, a footer's spans, JSON-LD, an h-card
and microdata) must lose no part of their own to that cut."""

from __future__ import annotations

import html
import json
import time

import pytest

from skiptrace.pages import read_page
from skiptrace.records import MAX_ADDRESS_LINES

URL = "https://acme.example/contact"

US = [
    ("One Microsoft Way", "Redmond", "WA", "98052"),
    ("1 Infinite Loop", "Cupertino", "CA", "95014"),
    ("350 Fifth Avenue", "New York", "NY", "10118"),
    ("200 Park Ave South Suite 1500", "New York", "NY", "10003"),
    ("1 Avenue of the Americas Fl 12", "New York", "NY", "10020"),
    ("123 1/2 Main St", "Springfield", "IL", "62701"),
    ("12-14 High Street", "Springfield", "IL", "62701"),
    ("1234 County Road 56", "Springfield", "IL", "62701"),
    ("N1234 State Hwy 22", "Appleton", "WI", "54914"),
    ("W123 S4567 Main St", "Muskego", "WI", "53150"),
    ("Rural Route 2 Box 15", "Springfield", "IL", "62701"),
    ("HC 1 Box 20", "Springfield", "IL", "62701"),
    ("PO Box 123", "Springfield", "IL", "62701"),
    ("400 Main St Apt 4B", "Springfield", "IL", "62701"),
    ("400 Main St #210", "Springfield", "IL", "62701"),
    ("88 Fox Run Drive", "Springfield", "IL", "62701"),
    ("1600 Amphitheatre Pkwy", "Mountain View", "CA", "94043"),
    ("5 Court Square West", "Long Island City", "NY", "11101"),
    ("100 Main St N", "West Springfield", "MA", "01089"),
    ("1600 Amphitheatre Pkwy", "Mountain View", "CA", "94043-1351"),
    ("Calle Luna 12", "San Juan", "PR", "00901"),
]
UK = [
    ("10 Downing Street", "London", "SW1A 2AA"),
    ("10 Downing Street", "London", "SW1A2AA"),
]


def _read(body: str, head: str = "") -> list[tuple[tuple[str, ...], str, str]]:
    page = read_page(f"<html><head>{head}</head><body>{body}</body></html>", URL)
    return [(a.lines, a.city, a.postal_code) for a in page.addresses]


def _forms(lines: list[str], city: str, region: str, code: str) -> dict[str, tuple[str, str]]:
    """One address as a page may write it: (head, body) of each form."""
    e = html.escape
    tail = f"{city}, {region} {code}" if region else f"{city} {code}"
    street = ", ".join(lines)
    spans = "".join(f"<span>{e(line)}</span> " for line in lines)
    address = {"@type": "PostalAddress", "streetAddress": street, "addressLocality": city,
               "addressRegion": region, "postalCode": code}  # fmt: skip
    ld = {"@context": "https://schema.org", "@type": "Organization", "name": "Acme",
          "address": address}  # fmt: skip
    parts = (city, region, code)
    hcard = "".join(f"<span class='p-{p}'>{e(v)}</span> " for p, v in
                    zip(("locality", "region", "postal-code"), parts, strict=True))  # fmt: skip
    micro = "".join(f"<span itemprop='{p}'>{e(v)}</span> " for p, v in
                    zip(("addressLocality", "addressRegion", "postalCode"), parts,
                        strict=True))  # fmt: skip
    return {
        "p": ("", f"<p>{e(street)}, {e(tail)}</p>"),
        "br": ("", f"<address>{'<br>'.join(map(e, lines))}<br>{e(tail)}</address>"),
        "footer": ("", f"<footer>{spans}<span>{e(tail)}</span></footer>"),
        "jsonld": (f"<script type='application/ld+json'>{json.dumps(ld)}</script>", ""),
        "hcard": ("", f"<div class='h-card'><span class='p-org p-name'>Acme</span><div "
                  f"class='p-adr h-adr'><span class='p-street-address'>{e(street)}</span> "
                  f"{hcard}</div></div>"),
        "microdata": ("", "<div itemscope itemtype='https://schema.org/Organization'><span "
                      "itemprop='name'>Acme</span><div itemprop='address' itemscope "
                      "itemtype='https://schema.org/PostalAddress'><span itemprop="
                      f"'streetAddress'>{e(street)}</span> {micro}</div></div>"),
    }  # fmt: skip


FORMS = ("p", "br", "footer", "jsonld", "hcard", "microdata")
SHAPES = [([s], c, r, z) for s, c, r, z in US] + [([s], c, "", z) for s, c, z in UK]
SHAPES += [
    (["PMB 114", "2000 Main St"], "Springfield", "IL", "62701"),
    (["Suite 100 & 101", "400 Main St"], "Springfield", "IL", "62701"),
    (["400 Main St", "Bldg 2 Floor 3"], "Springfield", "IL", "62701"),
    (["400 Main St", "Ste. 300"], "Springfield", "IL", "62701"),
    (["100 N. Main St.", "Ste. 2"], "Springfield", "IL", "62701"),
    (["PO Box 123 Station A"], "Springfield", "IL", "62701"),
    (["PSC 123 Box 4567"], "APO", "AE", "09001"),
    (["CMR 450 Box 1234"], "APO", "AE", "09180"),
    (["Unit 2050 Box 4190"], "APO", "AP", "96278"),
    (["500 W. 5th St"], "Austin", "TX", "78701"),
    (["123 Main St", "Unit B"], "Springfield", "IL", "62701"),
    (["1 Main St", "Room 12"], "Springfield", "IL", "62701"),
    (["Dept 4432", "PO Box 2291"], "Springfield", "IL", "62705"),
    (["P.O. Box 1234", "Dept. 56"], "Springfield", "IL", "62705"),
    (["400 Main St Fl 12"], "Springfield", "IL", "62701"),
    (["400 Main St 12th Fl"], "Springfield", "IL", "62701"),
    (["400 Main St Lot 12"], "Springfield", "IL", "62701"),
    (["400 Main St Trlr 5"], "Springfield", "IL", "62701"),
    (["2 Park Avenue", "10th Floor"], "New York", "NY", "10016"),
    (["30 Rockefeller Plaza 62nd Floor"], "New York", "NY", "10112"),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("lines", "city", "region", "code"), SHAPES)
def test_a_real_address_is_read_whole(
    form: str, lines: list[str], city: str, region: str, code: str
) -> None:
    head, body = _forms(lines, city, region, code)[form]
    read = _read(body, head)
    if form == "footer" and (tuple(lines), city, code) not in read:
        lines = [" ".join(lines)]  # one line: no comma between its spans
    assert (tuple(lines), city, code) in read


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Marcus Oyelaran Calle Luna 12, San Juan, PR 00901", "Calle Luna 12"),
        ("Calle Luna 12 Marcus Oyelaran, San Juan, PR 00901", "Calle Luna 12"),
        ("Calle Luna 12 Apt 3 Marcus Oyelaran, San Juan, PR 00901", "Calle Luna 12 Apt 3"),
        ("1234 County Road 56 Marcus Oyelaran, Springfield, IL 62701", "1234 County Road 56"),
        ("Building 5 Marcus Oyelaran, Springfield, IL 62701", "Building 5"),
        ("Bldg 2 Floor 3 Marcus Oyelaran, Springfield, IL 62701", "Bldg 2 Floor 3"),
        ("Suite 100 & 101 Marcus Oyelaran, Springfield, IL 62701", "Suite 100 & 101"),
        ("Rural Route 2 Box 15 Marcus Oyelaran, Springfield, IL 62701", "Rural Route 2 Box 15"),
        ("HC 1 Box 20 Marcus Oyelaran, Springfield, IL 62701", "HC 1 Box 20"),
        ("PSC 123 Box 4567 Marcus Oyelaran, APO, AE 09001", "PSC 123 Box 4567"),
        ("Marcus Oyelaran PSC 123 Box 4567, APO, AE 09001", "PSC 123 Box 4567"),
        ("PO Box 123 Station Marcus Oyelaran, Springfield, IL 62701", "PO Box 123"),
        ("PO Box 123 Stn M Oyelaran, Springfield, IL 62701", "PO Box 123"),
        (
            "12 Harbor Lane</span> <span>Marcus West</span> <span>Springfield, IL 62701",
            "12 Harbor Lane",
        ),
        # a street with no street word ends where its element does (the town is read in
        # its own element, and a name in its own is neither's)
        (
            "3377 Broadway</span> <span>Marcus Oyelaran</span> <span>Springfield, IL 62701",
            "3377 Broadway",
        ),
        (
            "12 Harbor Lane</span> <span>Suite B Marcus</span> <span>Springfield, IL 62701",
            "12 Harbor Lane",
        ),
        (
            "Dept 4432 Marcus Oyelaran, PO Box 2291, Springfield, IL 62705",
            "Dept 4432 | PO Box 2291",
        ),
    ],
)
def test_a_name_beside_a_street_is_no_part_of_it(text: str, line: str) -> None:
    """A Spanish street starts with its street word and ends with its number: a name before
    it or after it ("Marcus Oyelaran Calle Luna 12" in a footer's spans) had been kept on its
    line. A road's number after its street word is the street's, and nothing after it. A
    building, a rural route or a military post office's box is its words and numbers, as a
    unit or a PO box is: "Building 5 Marcus Oyelaran" and "Rural Route 2 Box 15 Marcus
    Oyelaran" had been kept whole."""
    read = _read(f"<footer><span>{text}</span></footer>")
    assert [lines for lines, _, _ in read] == [tuple(line.split(" | "))]


@pytest.mark.parametrize(
    ("body", "town"),
    [
        ("<p>Flat 3, 21 Baker St London NW1 6XE</p>", ""),
        ("<footer><span>Flat 3</span> <span>21 Baker St</span> <span>London NW1 6XE</span>"
         "</footer>", "London"),
        ("<footer><span>Flat 3</span> <span>21 Baker St</span> <span>London</span> "
         "<span>NW1 6XE</span></footer>", "London"),
        ("<footer><span>21 Baker St Marcus Oyelaran</span> <span>NW1 6XE</span></footer>", ""),
    ],
)  # fmt: skip
def test_a_british_street_run_into_its_town_is_no_town(body: str, town: str) -> None:
    """With no comma before the town the street line ends at its street word, and the town is
    not read in the same piece of text (a name may stand there); the street had been read as
    the town and lost from the lines. A town in an element of its own, with its postcode or
    before it, is read: a footer's spans each set as a line."""
    read = _read(body)
    assert [(lines[-1], city, code) for lines, city, code in read] == [
        ("21 Baker St", town, "NW1 6XE")
    ]


@pytest.mark.parametrize(
    ("body", "read"),
    [
        ("<address>Unit 4<br>Mill Lane Industrial Estate<br>Leeds LS1 4AB</address>",
         (("Unit 4", "Mill Lane Industrial Estate"), "Leeds", "LS1 4AB")),
        ("<address>Unit 4<br>Mill Lane<br>Leeds LS1 4AB</address>",
         (("Unit 4", "Mill Lane"), "Leeds", "LS1 4AB")),
        ("<p>Unit 4, Mill Lane Industrial Estate, Leeds LS1 4AB</p>",
         (("Unit 4", "Mill Lane Industrial Estate"), "Leeds", "LS1 4AB")),
    ],
)  # fmt: skip
def test_a_british_estate_above_its_town_and_postcode_is_read(
    body: str, read: tuple[tuple[str, ...], str, str]
) -> None:
    """A British address whose town and postcode share a line, below a unit and a street
    named without a number, was read as a street "Leeds" and no town: only numbered lines
    were looked for above a town and postcode (as they are above a postcode alone, a street
    named without a number is now taken below a numbered line; a name is not)."""
    assert _read(body) == [read]
    named = _read("<address>Unit 4<br>Marcus Oyelaran<br>Leeds LS1 4AB</address>")
    assert "Marcus" not in repr(named)


@pytest.mark.parametrize(
    ("box", "line"), [("2291", "PO Box 2291"), ("PO Box 2291", "PO Box 2291"), ("Marcus", None)]
)
def test_an_h_card_s_box_number_is_a_box_line(box: str, line: str | None) -> None:
    """An h-card's post-office-box holding its number alone was a line "2291", as schema.org's
    postOfficeBoxNumber is "PO Box 2291"."""
    body = ("<div class='h-card'><span class='p-org p-name'>Acme</span><div class='p-adr h-adr'>"
            f"<span class='p-post-office-box'>{box}</span> <span class='p-locality'>Springfield"
            "</span> <span class='p-postal-code'>62705</span></div></div>")  # fmt: skip
    assert _read(body) == [((line,) if line else (), "Springfield", "62705")]


def test_a_phone_above_the_street_is_no_unit() -> None:
    assert _read("<p>Ph 555-1234<br>12 Main St<br>Springfield, IL 62701</p>") == [
        (("12 Main St",), "Springfield", "62701")
    ]


@pytest.mark.parametrize(
    ("boxes", "kept"), [(100, ("PO Box 1",) * MAX_ADDRESS_LINES), (56_000, ())]
)
def test_a_long_street_of_boxes_is_read_in_bounded_time(boxes: int, kept: tuple[str, ...]) -> None:
    """A box and then a street on one line are two lines ("PMB 114 2000 Main St"): a
    streetAddress of boxes one after another is cut into each, and ``MAX_ADDRESS_LINES`` of
    them kept. Over ``read_address.MAX_ADDRESS_CHARS`` it is no street at all (56,000 boxes had
    taken 0.3-0.8 s to cut, and given 8 of them); the postcode stays."""
    node = {"@type": "Organization", "name": "Acme",
            "address": {"streetAddress": "PO Box 1 " * boxes, "postalCode": "62705"}}  # fmt: skip
    started = time.process_time()
    page = read_page(f"<script type='application/ld+json'>{json.dumps(node)}</script>", URL)
    assert time.process_time() - started < 1.0
    [address] = page.addresses
    assert (address.lines, address.postal_code) == (kept, "62705")


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("3377 Broadway New York, NY 10031", (("3377 Broadway",), "New York", "10031")),
        ("88 Bowery New York, NY 10013", (("88 Bowery",), "New York", "10013")),
        ("1600 Broadway Denver, CO 80202", (("1600 Broadway",), "Denver", "80202")),
        ("12 Main St Broadway, VA 22815", (("12 Main St",), "Broadway", "22815")),  # a town
    ],
)  # fmt: skip
def test_a_street_named_by_one_word_before_its_town_is_the_street(
    text: str, read: tuple[tuple[str, ...], str, str]
) -> None:
    """A street named by one word and no street word after its number, its town run on with no
    comma: the town had taken the street's name ("Broadway New York"), leaving "3377"."""
    assert _read(f"<p>{text}</p>") == [read]


@pytest.mark.parametrize(
    "text",
    [
        "PO Box 2291 Marcus Broadway Springfield, IL 62705",  # a surname
        "Tel 212 555 1212 Bowery Ballroom New York, NY 10002",  # a phone's digits
        "Route 9 Broadway New York, NY 10031",  # a road's number
        "Open 24 Broadway Diner New York, NY 10031",
        "Suite 5 Broadway Mall New York, NY 10031",  # a unit's number
    ],
)
def test_a_street_named_by_one_word_needs_a_house_number_alone_before_it(text: str) -> None:
    """Only after a number alone in its part: "PO Box 2291 Broadway", "1212 Bowery", "9
    Broadway" and "24 Broadway" are none of these (a review's shapes, each one before)."""
    for lines, _, _ in _read(f"<p>{text}</p>"):
        assert not any(line.endswith(("Broadway", "Bowery")) for line in lines), lines


@pytest.mark.parametrize(
    ("text", "town", "county"),
    [("3 Bridge Street, Hebden Bridge, West Yorkshire, HX7 8EX", "Hebden Bridge", "West Yorkshire"),
     ("14 Castle Street, Shrewsbury, Shropshire, SY1 2BQ", "Shrewsbury", "Shropshire"),
     ("2 Front Street, Chester-le-Street, Co. Durham, DH3 3AB", "Chester-le-Street",
      "Co. Durham"),
     ("9 Main Street, Ballymena, County Antrim, BT43 5AA", "Ballymena", "County Antrim"),
     ("21 Baker St, London, NW1 6XE", "London", ""),
     ("5 Kent Road, Sandwich, CT13 9AA", "Sandwich", "")],
)  # fmt: skip
def test_a_british_county_after_the_town_is_no_town(text: str, town: str, county: str) -> None:
    """A county between the town and the postcode had been read as the town, and the town as
    a delivery line ("14 Castle Street" / "Shrewsbury" in the town "Shropshire")."""
    page = read_page(f"<html><body><p>{text}</p></body></html>", URL)
    assert [(a.city, a.region) for a in page.addresses] == [(town, county)]
    assert "," not in page.addresses[0].lines[-1] and town not in page.addresses[0].lines


@pytest.mark.parametrize(
    "lines",
    [["Unit 9, Westfield Industrial Estate", "Radstock", "Somerset", "BA3 4BH"],
     ["Unit 9, Westfield Industrial Estate", "Radstock", "Somerset BA3 4BH"],
     ["Unit 9", "Westfield Industrial Estate", "Radstock", "Somerset", "BA3 4BH"]],
)  # fmt: skip
def test_a_british_county_on_a_line_of_its_own_is_read(lines: list[str]) -> None:
    """A county line between the town and the postcode (or before the postcode on its line)
    had found no address at all."""
    for body in (f"<p>{'<br>'.join(lines)}</p>", "".join(f"<p>{line}</p>" for line in lines)):
        page = read_page(f"<html><body>{body}</body></html>", URL)
        assert [(a.lines, a.city, a.region) for a in page.addresses] == [
            (("Unit 9", "Westfield Industrial Estate"), "Radstock", "Somerset")
        ]


@pytest.mark.parametrize(
    "lines",
    [["Unit 9, Westfield Industrial Estate", "Radstock, Somerset", "BA3 4BH"],
     ["Unit 9", "Westfield Industrial Estate", "Radstock, Somerset", "BA3 4BH"]],
)  # fmt: skip
def test_a_british_county_on_the_towns_line_above_the_postcode_is_read(lines: list[str]) -> None:
    """A review: a county after the town on its line ("Radstock, Somerset") above a postcode
    on a line of its own had found no address at all, as a town line was letters only."""
    for body in (f"<p>{'<br>'.join(lines)}</p>", "".join(f"<p>{line}</p>" for line in lines)):
        page = read_page(f"<html><body>{body}</body></html>", URL)
        assert [(a.lines, a.city, a.region) for a in page.addresses] == [
            (("Unit 9", "Westfield Industrial Estate"), "Radstock", "Somerset")
        ]


def test_a_county_after_a_name_with_a_street_word_is_not_read_as_the_town() -> None:
    """A review: once a town line could end in its county after a comma, "Harbor Lane
    Plumbing, Shropshire" above a postcode alone was read as a delivery line ("Lane") and the
    county as the address's town."""
    lines = ["12 Mill St", "Harbor Lane Plumbing, Shropshire", "SY8 1AP"]
    for body in (f"<p>{'<br>'.join(lines)}</p>", "".join(f"<p>{line}</p>" for line in lines)):
        page = read_page(f"<html><body>{body}</body></html>", URL)
        assert [a.city for a in page.addresses if a.city == "Shropshire"] == []


def test_a_british_county_on_its_own_line_below_the_street_and_town_is_read() -> None:
    """A review: "12 Mill St, Ludlow" / "Shropshire" / "SY8 1AP" had found no address, as the
    town above a county line had to be letters only (without the county it was read)."""
    lines = ["12 Mill St, Ludlow", "Shropshire", "SY8 1AP"]
    for body in (f"<p>{'<br>'.join(lines)}</p>", "".join(f"<p>{line}</p>" for line in lines)):
        page = read_page(f"<html><body>{body}</body></html>", URL)
        assert [(a.lines, a.city, a.region) for a in page.addresses] == [
            (("12 Mill St",), "Ludlow", "Shropshire")
        ]


@pytest.mark.parametrize(
    "story",
    ["Founded in 1987 by Ray and Linda Okafor, we moved to",
     "Established in 1987 by Ray Okafor, the shop moved to",
     "Family owned since 1987 by Ray Okafor. Visit us at"],
)  # fmt: skip
def test_a_founding_year_starts_no_street(story: str) -> None:
    """ "Founded in 1987 by Ray and Linda Okafor" had been a street line of the address after
    it: the founders' names were kept in the business's address."""
    page = read_page(f"<html><body><p>{story} 212 Fulton St, Dayton, OH 45402.</p></body></html>",
                     URL)  # fmt: skip
    assert [a.lines for a in page.addresses] == [("212 Fulton St",)]


@pytest.mark.parametrize(
    ("text", "lines", "town"),
    [("We are located at 418 Dockside Ave in Springfield, IL 62703", ("418 Dockside Ave",),
      "Springfield"),
     ("Visit us at 418 Dockside Ave in downtown Springfield, IL 62703", ("418 Dockside Ave",),
      "Springfield"),
     ("Our office is at 12 Main St. in St. Louis, MO 63101", ("12 Main St.",), "St. Louis"),
     ("Find us at 3377 Broadway in New York, NY 10031", ("3377 Broadway",), "New York"),
     ("Write to PO Box 11 in Springfield, IL 62705", ("PO Box 11",), "Springfield"),
     ("Located in Springfield at 418 Dockside Ave, Springfield, IL 62703",
      ("418 Dockside Ave",), "Springfield"),
     ("12 Duke Street, Barrow in Furness, LA14 1AA", ("12 Duke Street",), "Barrow in Furness"),
     ("12 Duke Street Barrow in Furness LA14 1AA", ("12 Duke Street",), "")],
)  # fmt: skip
def test_in_between_the_street_and_the_town_is_no_part_of_either(
    text: str, lines: tuple[str, ...], town: str
) -> None:
    """Prose writes the town after "in": it had been read as "in Springfield", "12 Main St.
    in St. Louis" as the town "Louis", and "Find us at 3377 Broadway in New York" as the line
    "Find us at 3377" in the town "Broadway in New York"."""
    page = read_page(f"<html><body><p>{text}.</p></body></html>", URL)
    assert [(a.lines, a.city) for a in page.addresses] == [(lines, town)]
