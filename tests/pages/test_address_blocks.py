"""Addresses as small businesses write them in blocks: the business's name between a label and
its delivery lines, and a copyright notice, a founding year or opening hours on the address's
own line."""

from __future__ import annotations

import pytest

from skiptrace.pages import read_page
from skiptrace.pages.read_address import street_line

URL = "https://harborlane.example/contact"
SHOP = "418 Dockside Ave, Springfield, IL 62703"


def kinds(body: str) -> dict[str, str]:
    page = read_page(f"<html><body>{body}</body></html>", URL)
    return {a.one_line(): a.kind for a in page.addresses}


@pytest.mark.parametrize(
    "body",
    [
        "<p>Remit payments to:<br>Harbor Lane Plumbing<br>2291 Elm St<br>Springfield, IL 62705</p>",
        "<div><h4>Mailing Address</h4><address>Harbor Lane Plumbing<br>2291 Elm St<br>"
        "Springfield, IL 62705</address></div>",
        "<h4>Mailing Address</h4><p>Harbor Lane Plumbing, LLC<br>Attn: Accounts Payable<br>"
        "2291 Elm St<br>Springfield, IL 62705</p>",
        "<h4>Mailing address: Harbor Lane Plumbing</h4><p>2291 Elm St<br>Springfield, IL 62705</p>",
        "<p><b>Mailing address</b></p><p>Harbor Lane Plumbing, Inc.<br>2291 Elm St<br>"
        "Springfield, IL 62705</p>",
    ],
)
def test_a_label_over_the_business_name_is_the_address_s(body: str) -> None:
    """A review: "Mailing Address" over "Harbor Lane Plumbing" over the street was read as
    no label at all (the name's line stood between), so the shop in the page's JSON-LD won
    over the labelled mailing address."""
    assert kinds(body) == {"2291 Elm St, Springfield, IL 62705": "mailing"}


@pytest.mark.parametrize(
    "body",
    [
        "<h4>Join Our Mailing List</h4><p>Get seasonal tips in your inbox.</p>"
        f"<p>{SHOP}</p>",  # a sentence stands between: the heading is not the address's
        "<h4>Mailing Address</h4><p>PO Box 2291, Springfield, IL 62705</p>"
        f"<p>Harbor Lane Plumbing</p><p>{SHOP}</p>",  # the label is the box's, read already
        # a newsletter's heading and button over a footer column's address
        f"<h4>Join Our Mailing List</h4><p>Subscribe</p><p>{SHOP}</p>",
        f"<h4>Join our mailing list</h4><p>{SHOP}</p>",
    ],
)
def test_a_label_further_up_is_not_taken_past_a_sentence_or_another_address(body: str) -> None:
    assert kinds(body).get(SHOP) == "unknown"


@pytest.mark.parametrize(
    "footer",
    [
        f"&copy; 2024 Harbor Lane Plumbing &middot; {SHOP}",
        f"Copyright 2024 Harbor Lane Plumbing | {SHOP}",
        f"&copy; 2024 Harbor Lane Plumbing, {SHOP}",
        f"&copy; 2019-2024 Harbor Lane Plumbing {SHOP}",
        f"Since 1987 Harbor Lane Plumbing, {SHOP}",
        f"Est. 1987 &middot; Harbor Lane Plumbing &middot; {SHOP}",
    ],
)
def test_a_year_on_the_address_s_line_is_no_street_number(footer: str) -> None:
    """A review: "(c) 2024 Harbor Lane Plumbing, 418 Dockside Ave, ..." in a footer gave the
    delivery lines "2024 Harbor Lane Plumbing" and "418 Dockside Ave": the copyright year
    read as a house number (any number then a word is a street line)."""
    assert list(kinds(f"<footer><p>{footer}</p></footer>")) == [SHOP]


def test_a_po_box_after_a_copyright_notice_is_the_box_alone() -> None:
    footer = "&copy; 2024 Harbor Lane Plumbing, LLC. PO Box 2291, Springfield, IL 62705"
    assert kinds(f"<footer>{footer}</footer>") == {"PO Box 2291, Springfield, IL 62705": "po_box"}


def test_a_street_numbered_like_a_year_is_still_a_street() -> None:
    """Only a year told as one (after a copyright mark, "since", "est.") is skipped."""
    assert list(kinds("<p>Visit us: 1987 Harbor Lane, Springfield, IL 62703</p>")) == [
        "1987 Harbor Lane, Springfield, IL 62703"
    ]


@pytest.mark.parametrize(
    "said",
    [
        "Open 7 days a week",
        "Open 24 hours",
        "Mon-Fri 8 am - 5 pm",
        "Family owned for 35 years",
        "Harbor Lane Plumbing | 2 locations",
        "Phone 217 555 0143",
    ],
)
def test_a_number_said_before_the_street_is_no_delivery_line(said: str) -> None:
    """A review: a footer's "Open 7 days a week | 418 Dockside Ave, Springfield, IL 62703"
    gave the delivery lines "7 days a week" and "418 Dockside Ave": a part before the street
    line that only starts with a number ("24 hours", "35 years") is no line of the address."""
    assert list(kinds(f"<footer><p>{said} | {SHOP}</p></footer>")) == [SHOP]


@pytest.mark.parametrize(
    ("written", "lines"),
    [
        ("Building 5, 418 Dockside Ave", "Building 5, 418 Dockside Ave"),
        ("Suite 200, 418 Dockside Ave", "Suite 200, 418 Dockside Ave"),
        ("418 Dockside Ave, PO Box 2291", "418 Dockside Ave, PO Box 2291"),
        ("PO Box 2291, 418 Dockside Ave", "PO Box 2291, 418 Dockside Ave"),
        ("418 Dockside Ave NW, Suite 200", "418 Dockside Ave NW, Suite 200"),
        # no street word: the street is the last part a house number starts
        ("35 years, 3377 Broadway", "3377 Broadway"),
    ],
)
def test_the_lines_of_a_street_address_are_kept(written: str, lines: str) -> None:
    assert list(kinds(f"<p>{written}, Springfield, IL 62703</p>")) == [
        f"{lines}, Springfield, IL 62703"
    ]


@pytest.mark.parametrize("line", ["418 Dockside Ave NE", "418 Dockside Ave Northwest"])
def test_a_street_line_may_end_in_a_direction_written_either_way(line: str) -> None:
    """Publication 28's directions, spelt out or not: "Northwest" had not been one."""
    assert street_line(line)


def _postal(street: str) -> str:
    return (
        '<script type="application/ld+json">{"@type": "Organization", "name": "Harbor Lane '
        f'Plumbing", "address": {{"@type": "PostalAddress", "streetAddress": {street}, '
        '"addressLocality": "Springfield", "addressRegion": "IL", "postalCode": "62705"}}</script>'
    )


@pytest.mark.parametrize(
    "body",
    [
        _postal('"Attn: Marcus Oyelaran, PO Box 2291"'),
        _postal('"PO Box 2291 c/o Marcus Oyelaran"'),
        _postal('["Marcus Oyelaran", "PO Box 2291"]'),
        _postal('"Marcus Oyelaran\\nPO Box 2291"'),
        '<script type="application/ld+json">{"@type": "Organization", "name": "Harbor Lane '
        'Plumbing", "address": "Attn: Marcus Oyelaran, PO Box 2291, Springfield IL"}</script>',
        '<div itemscope itemtype="https://schema.org/PostalAddress"><span itemprop='
        '"streetAddress">FAO Marcus Oyelaran, PO Box 2291</span> <span itemprop='
        '"addressLocality">Springfield</span> <span itemprop="postalCode">62705</span></div>',
        '<div class="h-card"><span class="p-org p-name">Harbor Lane Plumbing</span><div '
        'class="p-adr h-adr"><span class="p-extended-address">c/o Marcus Oyelaran</span> '
        '<span class="p-street-address">PO Box 2291</span> <span class="p-locality">'
        'Springfield</span> <span class="p-postal-code">62705</span></div></div>',
        '<div class="vcard"><div class="adr"><span class="street-address">Attention Marcus '
        'Oyelaran, PO Box 2291</span> <span class="locality">Springfield</span> <span '
        'class="postal-code">62705</span></div></div>',
    ],
    ids=["attn", "c/o after", "name line", "name and newline", "string", "microdata FAO",
         "h-card extended", "hcard v1"],
)  # fmt: skip
def test_whom_a_marked_up_address_reaches_is_never_one_of_its_lines(body: str) -> None:
    """A review: a text address dropped "Attn: Marcus Oyelaran" and a name before its street,
    but schema.org's and an h-card's delivery lines were kept whole, and the business's
    mailing address (``employer_address``, enrich's output) named a colleague."""
    page = read_page(f"<html><body>{body}</body></html>", URL)
    lines = [a.lines for a in page.addresses] + [
        a.lines for o in page.organisations for a in o.addresses
    ]
    assert lines and all(one[0] == "PO Box 2291" for one in lines), lines
    assert "Oyelaran" not in repr(lines)  # nor in a line of a string that is no address


@pytest.mark.parametrize(
    "body",
    [
        "<footer><span>Marcus Oyelaran</span> <span>12 Harbor Lane</span> <span>Springfield, IL "
        "62701</span></footer>",
        "<p>Questions? Ask Marcus Oyelaran 12 Harbor Lane Springfield, IL 62701</p>",
    ],
    ids=["footer spans", "a sentence"],
)
def test_a_name_run_into_a_street_with_no_comma_before_the_town_is_no_line_of_it(
    body: str,
) -> None:
    """A review: with no comma between the street and the town, the street was read only once
    the town was cut, and the words before its number ("Marcus Oyelaran") stayed on its line."""
    page = read_page(f"<html><body>{body}</body></html>", URL)
    assert [a.lines for a in page.addresses] == [("12 Harbor Lane",)]


@pytest.mark.parametrize(
    "body",
    [
        "<p><span>PO Box 2291</span> <span>Attn: Marcus Oyelaran</span> <span>Springfield, IL "
        "62705</span></p>",
        "<p>PO Box 2291 ATTN: Marcus Oyelaran Springfield, IL 62705</p>",
        "<p>PO Box 2291 c/o Marcus Oyelaran Springfield, IL 62705</p>",
        "<p>PO Box 2291 Attention Marcus Oyelaran Springfield, IL 62705</p>",
        "<p>PO Box 2291 care of Marcus Oyelaran Springfield IL 62705</p>",
        _postal('"PO Box 2291"').replace('"Springfield"', '"Springfield c/o Marcus Oyelaran"'),
        '<div class="h-card"><span class="p-org p-name">Harbor Lane Plumbing</span><div '
        'class="p-adr h-adr"><span class="p-street-address">PO Box 2291</span> <span '
        'class="p-locality">Attn: Marcus Oyelaran Springfield</span> <span class="p-postal-code">'
        "62705</span></div></div>",
    ],
    ids=["spans", "ATTN:", "c/o", "Attention", "care of", "json-ld locality", "h-card locality"],
)
def test_whom_an_address_reaches_is_never_its_town(body: str) -> None:
    """A review: "PO Box 2291 Attn: Marcus Oyelaran Springfield, IL 62705" (spans, no line
    break) gave the town "Marcus Oyelaran Springfield": where the name ends and the town starts
    cannot be told, so the town is not read; the box and ZIP stand."""
    page = read_page(f"<html><body>{body}</body></html>", URL)
    found = [*page.addresses, *(a for o in page.organisations for a in o.addresses)]
    assert found and all(a.lines == ("PO Box 2291",) and a.postal_code == "62705" for a in found)
    assert "Oyelaran" not in repr([a.one_line() for a in found])


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Attn: Accounts Payable PO Box 2291 Springfield, IL 62705", "Springfield"),
        ("PO Box 2291, Attn: Marcus Oyelaran, Springfield, IL 62705", "Springfield"),
        ("12 Harbor Lane Attn Marcus Oyelaran Springfield, IL 62701", ""),
        ("Pine Street Plaza Attn Marcus Oyelaran Springfield, IL 62701", ""),
    ],
)
def test_a_town_is_read_only_where_something_sets_it_off_from_whom_mail_reaches(
    text: str, town: str
) -> None:
    """A part addressed to a person ends at a separator or a street's number: the town after
    one is read; one run on from the name is not (nor cut mid-word at the town's longest:
    "12 Har" / "bor Lane Attn Marcus Oyelaran Springfield")."""
    [found] = read_page(f"<html><body><p>{text}</p></body></html>", URL).addresses
    assert found.city == town
    assert "Oyelaran" not in repr(found.lines), found.lines


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("PO Box 2291, Marcus Oyelaran Suite 4, Springfield, IL 62705", ("PO Box 2291", "Suite 4")),
        ("12 Harbor Lane, Suite 4 (Marcus Oyelaran), Springfield, IL 62705",
         ("12 Harbor Lane", "Suite 4")),
        ("12 Harbor Lane, Unit Marcus Oyelaran, Springfield, IL 62705", ("12 Harbor Lane",)),
        ("12 Harbor Lane, Ste. A-1 Marcus, Springfield, IL 62705", ("12 Harbor Lane", "Ste. A-1")),
        # units as written stay
        ("12 Harbor Lane, Suite B, Springfield, IL 62705", ("12 Harbor Lane", "Suite B")),
        ("12 Harbor Lane, 2nd Floor, Springfield, IL 62705", ("12 Harbor Lane", "2nd Floor")),
        ("Suite 200, 12 Harbor Lane, Springfield, IL 62705", ("Suite 200", "12 Harbor Lane")),
        ("Route 66, Apt 4B, Springfield, IL 62705", ("Route 66", "Apt 4B")),
        ("PO Box 2291, Dept 4432, Springfield, IL 62705", ("PO Box 2291", "Dept 4432")),
    ],
)  # fmt: skip
def test_a_unit_line_is_its_unit_and_number_only(text: str, lines: tuple[str, ...]) -> None:
    """A review: a unit line after the street kept what else it said, a name before or after
    the unit ("Marcus Oyelaran Suite 4", "Suite 4 (Marcus Oyelaran)", "Unit Marcus Oyelaran"),
    and the records write a line holding a number or a unit word."""
    [found] = read_page(f"<html><body><p>{text}</p></body></html>", URL).addresses
    assert found.lines == lines


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("PO Box 2291 Marcus Oyelaran, Springfield, IL 62705", ("PO Box 2291",)),
        ("PO Box 2291 (Marcus Oyelaran), Springfield, IL 62705", ("PO Box 2291",)),
        ("P.O. Box 2291-B Attn Marcus, Springfield, IL 62705", ("P.O. Box 2291-B",)),
        ("PO Box 2291, Marcus Oyelaran 12 Harbor Lane, Springfield, IL 62705",
         ("PO Box 2291", "12 Harbor Lane")),
        ("12 Harbor Lane (Marcus Oyelaran), Springfield, IL 62705", ("12 Harbor Lane",)),
        ("12 Harbor Lane [Marcus Oyelaran] Suite 4, Springfield, IL 62705",
         ("12 Harbor Lane Suite 4",)),
        # as written
        ("Post Office Box 2291, Springfield, IL 62705", ("Post Office Box 2291",)),
        ("PMB 417, 12 Harbor Lane, Springfield, IL 62705", ("PMB 417", "12 Harbor Lane")),
        ("Lockbox 88, Springfield, IL 62705", ("Lockbox 88",)),
    ],
)  # fmt: skip
def test_a_box_line_is_its_box_and_number_and_no_line_keeps_a_bracketed_note(
    text: str, lines: tuple[str, ...]
) -> None:
    """A review: a box line kept the name after its number ("PO Box 2291 Marcus Oyelaran"),
    and a street line a bracketed note naming whom it reaches; the records write a line holding
    a number."""
    [found] = read_page(f"<html><body><p>{text}</p></body></html>", URL).addresses
    assert found.lines == lines


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("<p>12 Harbor Lane Marcus Oyelaran, Springfield, IL 62705</p>", ("12 Harbor Lane",)),
        ("<footer><span>12 Harbor Lane</span> <span>Marcus Oyelaran</span>, <span>Springfield, "
         "IL 62705</span></footer>", ("12 Harbor Lane",)),
        ("<p>12 Harbor Lane NW Marcus Oyelaran, Springfield, IL 62705</p>", ("12 Harbor Lane NW",)),
        ("<p>12 Harbor Lane Suite 4 Marcus, Springfield, IL 62705</p>",
         ("12 Harbor Lane Suite 4",)),
        # as written
        ("<p>12 Avenue of the Americas, New York, NY 10036</p>", ("12 Avenue of the Americas",)),
        ("<p>40 Avenue B, New York, NY 10009</p>", ("40 Avenue B",)),
        ("<p>1600 Pennsylvania Ave NW, Washington, DC 20500</p>", ("1600 Pennsylvania Ave NW",)),
        ("<p>3377 Broadway, Springfield, IL 62705</p>", ("3377 Broadway",)),
        # a street's name holding a street word: the street words after it are its own
        ("<p>7 Mill Run Road, Springfield, IL 62705</p>", ("7 Mill Run Road",)),
        ("<p>9 Shady Lane Drive Apt 2, Springfield, IL 62705</p>", ("9 Shady Lane Drive Apt 2",)),
        ("<p>9 Shady Lane Dr S Marcus Oyelaran, Springfield, IL 62705</p>",
         ("9 Shady Lane Dr S",)),
    ],
)  # fmt: skip
def test_a_street_line_ends_at_its_street_word_but_for_a_unit(
    body: str, lines: tuple[str, ...]
) -> None:
    """A review: a name after the street ("12 Harbor Lane Marcus Oyelaran", a footer's spans
    with a comma only before the town) stayed on its line, as one before it had. After the
    street word (and a direction) of a street named before it only a unit follows."""
    [found] = read_page(f"<html><body>{body}</body></html>", URL).addresses
    assert found.lines == lines


@pytest.mark.parametrize(
    ("body", "town"),
    [
        ("<footer><span>PO Box 2291</span> <span>Marcus Oyelaran</span> <span>Springfield, IL "
         "62705</span></footer>", "Springfield"),
        ("<footer><span>418 Dockside Ave</span> <b>Marcus Oyelaran</b> Springfield, IL 62705"
         "</footer>", "Springfield"),
        # a town in an element of its own, or with no element inside it, is read whole
        ("<footer>PO Box 2291 <span>East Peoria</span>, <span>IL</span> <span>61611</span>"
         "</footer>", "East Peoria"),
        ("<footer><span>PO Box 2291</span> <span>East Peoria, IL 61611</span></footer>",
         "East Peoria"),
        ("<footer><a href='/contact'>PO Box 2291 East Peoria</a>, IL 61611</footer>",
         "East Peoria"),
    ],
)  # fmt: skip
def test_a_town_is_not_read_across_the_elements_of_a_line(body: str, town: str) -> None:
    """A review: a footer's spans ("PO Box 2291" "Marcus Oyelaran" "Springfield, IL 62705",
    set as lines by the site's style) read as one line gave the town "Marcus Oyelaran
    Springfield". A town is written within one element of the page: where elements meet
    inside the words before the state, the town starts after the last of them."""
    [found] = read_page(f"<html><body>{body}</body></html>", URL).addresses
    assert found.city == town
