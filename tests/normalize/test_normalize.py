"""Normalisers: idempotent and total on any text (hypothesis), right on the hard cases (tables)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from skiptrace.normalize import (
    PersonName,
    PostalAddress,
    canonical_first,
    normalize_address,
    normalize_company,
    normalize_email,
    normalize_name,
    normalize_phone,
    normalize_state,
    normalize_uk_postcode,
    normalize_zip,
    parse_address,
    parse_name,
    trading_name,
)
from skiptrace.normalize.names import _NICKNAMES

NORMALISERS: dict[str, Callable[[str], str]] = {
    "name": normalize_name,
    "first": canonical_first,
    "address": normalize_address,
    "zip": normalize_zip,
    "state": normalize_state,
    "uk_postcode": normalize_uk_postcode,
    "phone": normalize_phone,
    "email": normalize_email,
    "company": normalize_company,
}

# Realistic tokens from names, addresses, companies, phones and e-mails, so that hypothesis
# spends its budget near the parsers' decision points instead of on random code points.
TOKENS = [
    "Dr.", "Mr", "Mrs.", "Prof", "Jr.", "Sr", "III", "IV", "II", "Esq", "PhD", "V", "Q.", "J.",
    "de", "la", "van", "der", "von", "O'Brien", "Smith-Jones", "ROE", "Jane", "José", "Núñez",
    "Bob", "Robert", "Madonna", "st", "saint", "St.", "mc", "and", "&", "100", "403", "1", "12",
    "2b", "#", "Main", "Street", "St", "ST.", "Ave", "Avenue", "Blvd", "Road", "Way", "Circle",
    "circuit", "N.", "North", "SE", "Suite", "STE", "Apt", "apartment", "Unit", "Fl", "floor", "Rm",
    "P.O.", "PO", "Box", "Post", "Office", "c/o", "C/O", "care", "of", "attn", "Austin", "TX",
    "Texas", "tex", "CA", "Canada", "New", "Mexico", "York", "NY", "78701", "78701-1234",
    "787011234", "301803226", "London", "SW1A", "2AA", "sw1a1aa", "M5X", "1A9", "GB", "UK", "USA",
    "US", "United", "States", "Acme", "Inc", "Inc.", "LLC", "L.L.C.", "Co.", "Company", "The",
    "d/b/a", "DBA", "t/a", "fka", "Holdings", "Ltd", "Corp", "PLC", "gmbh", "(415)", "555-0123",
    "+1", "+44", "ext", "9", "x12", "john.smith+x@gmail.com", "@", "GMail.com", "googlemail.com",
    "mailto:", "<a@b.co>", "😀", "ß", "Æ",
]  # fmt: skip
CASES: list[Callable[[str], str]] = [str, str.upper, str.lower, str.title]
SEPARATORS = [" ", "  ", ", ", ",", "\n", "\t", ". ", "-", "/", "'", '"', "(", ")", ";", ""]

realistic = st.lists(
    st.tuples(
        st.sampled_from(TOKENS) | st.text(min_size=1, max_size=4),
        st.sampled_from(SEPARATORS),
        st.sampled_from(CASES),
    ),
    max_size=12,
).map(lambda parts: "".join(case(tok) + sep for tok, sep, case in parts))

any_text = st.text() | realistic


@settings(max_examples=150, deadline=None)
@given(text=any_text)
def test_normaliser_is_idempotent_and_total(text: str) -> None:
    """Every normaliser on each text drawn: 150 texts for each, as when each drew its own, at
    a ninth of the drawing (drawing the texts, not normalising them, was most of the time)."""
    for name, normalise in NORMALISERS.items():
        once = normalise(text)
        assert isinstance(once, str), name
        assert normalise(once) == once, name


@settings(max_examples=150, deadline=None)
@given(text=any_text)
@example(text="0:ST:JR:0")  # a particle left before the surname once the generation moved out
@example(text="ANN ST JR CLAIR")
@example(text="Ma, III Nee, I")  # a birth-name marker among the names after a generation
def test_parsed_name_round_trips_through_full(text: str) -> None:
    parsed = parse_name(text)
    assert parse_name(parsed.full()) == parsed
    assert parsed.full() == normalize_name(text)


@settings(max_examples=150, deadline=None)
@given(text=any_text)
def test_parsed_address_round_trips_through_full(text: str) -> None:
    parsed = parse_address(text)
    assert parse_address(parsed.full()) == parsed
    assert parsed.full() == normalize_address(text)


@settings(max_examples=150, deadline=None)
@given(text=any_text)
def test_trading_name_is_a_normalised_company(text: str) -> None:
    trading = trading_name(text)
    assert normalize_company(trading) == trading


@settings(max_examples=150, deadline=None)
@given(text=any_text, region=st.sampled_from(["US", "GB", "us", "", "ZZ", "CA"]))
def test_phone_is_e164_or_empty(text: str, region: str) -> None:
    phone = normalize_phone(text, region)
    assert phone == "" or (phone.startswith("+") and phone[1:].isdigit())
    assert normalize_phone(phone, region) == phone


NASTY = [
    "",
    " ",
    "\n\t ",
    "😀",
    "😀 😀, 😀",
    "\x00\x01\x7f",
    "\ud800",
    ",,,,",
    "c/o",
    "po box",
    "# # #",
    "-",
    "x" * 10_000,
    "John Smith, 100 Main St " * 400,
    "1" * 10_000,
    "\uff2a\uff4f\uff48\uff4e\u3000\uff33\uff4d\uff49\uff54\uff48",  # full-width
    "李小龍",
]


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
@pytest.mark.parametrize("name", sorted(NORMALISERS))
def test_nasty_input_never_raises(name: str, text: str) -> None:
    once = NORMALISERS[name](text)
    assert NORMALISERS[name](once) == once
    assert isinstance(trading_name(text), str)


# --------------------------------------------------------------------------- names


def test_last_comma_first_equals_first_last() -> None:
    assert parse_name("ROE, JANE Q") == parse_name("Jane Q. Roe")
    assert parse_name("Jane Q. Roe") == PersonName(first="jane", middle="q", last="roe")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Robert Smith Jr.", PersonName(first="robert", last="smith", suffix="jr")),
        ("Mr John Smith III", PersonName(first="john", last="smith", suffix="iii")),
        ("Smith, John, Jr.", PersonName(first="john", last="smith", suffix="jr")),
        ("JOHN SMITH 3RD", PersonName(first="john", last="smith", suffix="iii")),
        ("John Smith, Esq.", PersonName(first="john", last="smith", suffix="esq")),
        ("Prof. Henry Higgins IV", PersonName(first="henry", last="higgins", suffix="iv")),
        ("Jane Doe PhD", PersonName(first="jane", last="doe")),
        ("José Núñez", PersonName(first="jose", last="nunez")),
        ("Mary Smith-Jones", PersonName(first="mary", last="smith-jones")),
        ("Ludwig van Beethoven", PersonName(first="ludwig", last="van beethoven")),
        ("VAN DER BERG, JAN", PersonName(first="jan", last="van der berg")),
        ("Juan de la Cruz", PersonName(first="juan", last="de la cruz")),
        ("Patrick O'Brien", PersonName(first="patrick", last="obrien")),
        ("O\u2019BRIEN, PATRICK J", PersonName(first="patrick", middle="j", last="obrien")),
        ("Madonna", PersonName(last="madonna")),
        ("SMITH, JOHN V", PersonName(first="john", middle="v", last="smith")),
        # the given name after a generation after the comma (nameparser files it as a suffix)
        ("SMITH, JR JOHN", PersonName(first="john", last="smith", suffix="jr")),
        # a generation nameparser reads as a title (Senor, 2nd Lt) after "LAST,": the father
        ("SMITH, SR JOHN", PersonName(first="john", last="smith", suffix="sr")),
        ("SMITH, SR. JOHN A", PersonName(first="john", middle="a", last="smith", suffix="sr")),
        ("SMITH, SENIOR JOHN", PersonName(first="john", last="smith", suffix="sr")),
        ("SMITH, 2ND JOHN", PersonName(first="john", last="smith", suffix="ii")),
        ("SMITH, DR JOHN", PersonName(first="john", last="smith")),
        ("SMITH, JR, JOHN", PersonName(first="john", last="smith", suffix="jr")),
        ("SMITH, III JOHN A", PersonName(first="john", middle="a", last="smith", suffix="iii")),
        ("SMITH, JR J PATRICK", PersonName(first="j", middle="patrick", last="smith", suffix="jr")),
        ("SMITH, II, J. PAUL", PersonName(first="j", middle="paul", last="smith", suffix="ii")),
        # words after a comma beside a given name are no name: a role, a note, a degree
        ("SMITH, JOHN, DECEASED", PersonName(first="john", last="smith")),
        ("SMITH, JOHN A., TRUSTEE", PersonName(first="john", middle="a", last="smith")),
        ("SMITH, JOHN, ET AL", PersonName(first="john", last="smith")),
        ("SMITH, JR., JOHN, ET AL", PersonName(first="john", last="smith", suffix="jr")),
        ("JANE SMITH, RN, BSN", PersonName(first="jane", last="smith")),
        ("SMITH, III, MARY NEE JONES", PersonName(first="mary", last="smith", suffix="iii")),
        # a dotted credential is a credential, not the initials its letters are
        ("John Smith, M.D.", PersonName(first="john", last="smith")),
        ("John Smith Jr., Ph.D.", PersonName(first="john", last="smith", suffix="jr")),
        ("John Smith, M.D., F.A.C.S.", PersonName(first="john", last="smith")),
        ("SMITH, JOHN A, M.D.", PersonName(first="john", middle="a", last="smith")),
        # with no other name, its letters are the person's initials: no surname-only row
        ("SMITH, J.D.", PersonName(first="j", middle="d", last="smith")),
        ("SMITH, A.M.", PersonName(first="a", middle="m", last="smith")),
        ("SMITH III, J.P.", PersonName(first="j", middle="p", last="smith", suffix="iii")),
        ('Robert "Bob" Smith', PersonName(first="robert", last="smith")),
        ("Robert (Bob) Smith", PersonName(first="robert", last="smith")),
        ("J. R. R. Tolkien", PersonName(first="j", middle="r r", last="tolkien")),
        ("ROE SMITH, JANE", PersonName(first="jane", middle="roe", last="smith")),
        ("  jane   q   roe ", PersonName(first="jane", middle="q", last="roe")),
        ("mr john smith jr", PersonName(first="john", last="smith", suffix="jr")),
        ("", PersonName()),
        ("😀", PersonName()),
    ],
)
def test_parse_name(text: str, expected: PersonName) -> None:
    assert parse_name(text) == expected
    assert normalize_name(text) == expected.full()


def test_person_name_full_drops_empties() -> None:
    assert PersonName(first="jane", last="roe", suffix="jr").full() == "jane roe jr"
    assert PersonName().full() == ""


@pytest.mark.parametrize(
    ("nickname", "formal"),
    [
        ("bob", "robert"),
        ("bobby", "robert"),
        ("rob", "robert"),
        ("robbie", "robert"),
        ("robert", "robert"),
        ("peggy", "margaret"),
        ("maggie", "margaret"),
        ("meg", "margaret"),
        ("margaret", "margaret"),
        ("bill", "william"),
        ("will", "william"),
        ("billy", "william"),
        ("william", "william"),
        ("jack", "john"),
        ("kathy", "katherine"),
        ("steve", "steven"),
        ("pat", "pat"),
        ("zebedee", "zebedee"),
        ("", ""),
    ],
)
def test_canonical_first(nickname: str, formal: str) -> None:
    assert canonical_first(nickname) == formal


def test_nickname_table_targets_are_fixed_points() -> None:
    assert not set(_NICKNAMES.values()) & set(_NICKNAMES)
    assert 60 <= len(_NICKNAMES) <= 200


def test_nicknames_compare_equal_after_canonical_first() -> None:
    bob, robert = parse_name("Bob Smith"), parse_name("SMITH, ROBERT")
    assert bob.last == robert.last
    assert canonical_first(bob.first) == canonical_first(robert.first) == "robert"


# --------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("100 Main Street, Suite 4", "100 MAIN ST STE 4"),
        ("P.O. Box 12", "PO BOX 12"),
        ("Post Office Box 12", "po box 12"),
        ("Austin, Texas", "AUSTIN, TX"),
        ("100 N. Main St. Apt #2B", "100 North Main Street Apartment 2B"),
        ("1 Apple Park Way\nCupertino, CA 95014", "1 Apple Park Way, Cupertino CA 95014-2083"),
    ],
)
def test_same_address_same_form(left: str, right: str) -> None:
    a, b = parse_address(left), parse_address(right)
    assert a.line() == b.line()
    assert (a.city, a.state, a.zip5) == (b.city, b.state, b.zip5)


def test_suite_parts() -> None:
    assert parse_address("100 Main Street, Suite 4") == PostalAddress(
        number="100", street="main st", unit="ste 4"
    )


def test_po_box() -> None:
    assert parse_address("P.O. Box 12") == PostalAddress(po_box="12")
    assert parse_address("PO Box 12345") == PostalAddress(po_box="12345")  # not a ZIP
    assert PostalAddress(po_box="12").line() == "po box 12"


def test_zip_plus_four() -> None:
    short = parse_address("Austin, TX 78701")
    long = parse_address("Austin, TX 78701-1234")
    assert short.zip5 == long.zip5 == "78701"
    assert long.zip4 == "1234"
    assert normalize_address("Austin, TX 78701-1234") == "austin, tx, 78701-1234, us"


def test_nppes_line_and_bare_zip9() -> None:
    parsed = parse_address("403 PERMIAN WAY STE D 301803226")
    assert parsed == PostalAddress(
        number="403", street="permian way", unit="ste d", zip5="30180", zip4="3226"
    )
    assert parse_address("403 PERMIAN WAY STE D").line() == parsed.line()
    assert normalize_zip("301803226") == "30180"


def test_care_of_is_dropped() -> None:
    parsed = parse_address("c/o Acme Inc, 1 Apple Park Way")
    assert parsed == PostalAddress(number="1", street="apple park way")
    assert parse_address("C/O Acme Inc 1 Apple Park Way, Cupertino, CA 95014").line() == (
        "1 apple park way"
    )


def test_state_name_and_code() -> None:
    assert parse_address("Austin, Texas").state == parse_address("Austin, TX").state == "tx"
    assert parse_address("Santa Fe, New Mexico 87501").state == "nm"
    assert parse_address("100 Main Ct").state == ""  # "Ct" is Court here, not Connecticut


def test_uk_address() -> None:
    parsed = parse_address("10 Downing Street, London SW1A 2AA")
    assert parsed == PostalAddress(
        number="10", street="downing st", city="london", postcode="SW1A 2AA", country="gb"
    )
    assert parse_address("10 Downing St, London, sw1a2aa, United Kingdom") == parsed


def test_full_address() -> None:
    assert normalize_address("100 N. Main St. Apt #2B, Austin, Texas 78701 USA") == (
        "100 n main st apt 2b, austin, tx, 78701, us"
    )
    assert normalize_address("1600 Pennsylvania Avenue NW, Washington, DC 20500") == (
        "1600 pennsylvania ave nw, washington, dc, 20500, us"
    )


def test_repeated_labels_do_not_lose_the_address() -> None:
    # usaddress.tag raises RepeatedLabelError here (two occupancy designators).
    assert parse_address("100 Main St Fl 2 Rm 5") == PostalAddress(
        number="100", street="main st", unit="fl 2 rm 5"
    )


def test_untaggable_text_falls_back_to_free_text() -> None:
    assert normalize_address("Hello, World!") != ""
    assert parse_address("") == PostalAddress()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("78701", "78701"),
        ("78701-1234", "78701"),
        ("787011234", "78701"),
        (" 78701 ", "78701"),
        ("7870", ""),
        ("787012", ""),
        ("abcde", ""),
        ("", ""),
    ],
)
def test_normalize_zip(text: str, expected: str) -> None:
    assert normalize_zip(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Texas", "tx"),
        ("TX", "tx"),
        ("tex", "tx"),
        ("Tex.", "tx"),
        ("new  york", "ny"),
        ("District of Columbia", "dc"),
        ("Ontario", "ontario"),
        ("", ""),
    ],
)
def test_normalize_state(text: str, expected: str) -> None:
    assert normalize_state(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("  ec1a 1bb ", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
        ("78701", ""),
        ("M5X 1A9", ""),
        ("", ""),
    ],
)
def test_normalize_uk_postcode(text: str, expected: str) -> None:
    assert normalize_uk_postcode(text) == expected


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "text",
    ["(415) 555-0123", "+1 415 555 0123", "415-555-0123 ext 9", "415.555.0123", "1-415-555-0123"],
)
def test_us_phone_forms(text: str) -> None:
    assert normalize_phone(text) == "+14155550123"


def test_phone_regions_and_garbage() -> None:
    assert normalize_phone("020 7946 0018", region="GB") == "+442079460018"
    assert normalize_phone("+44 20 7946 0018") == "+442079460018"
    assert normalize_phone("555") == ""
    assert normalize_phone("not a phone") == ""
    assert normalize_phone("4155550123", region="") == ""  # no region, no "+": unknowable


# --------------------------------------------------------------------------- e-mails


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("John.Smith+x@GMail.com", "johnsmith@gmail.com"),
        ("j.o.h.n@googlemail.com", "john@gmail.com"),
        ("  Jane.Doe+news@Example.COM ", "jane.doe+news@example.com"),
        ("mailto:a@b.co", "a@b.co"),
        ("<a@b.co>", "a@b.co"),
        ("+tag@gmail.com", ""),
        ("not an email", ""),
        ("a@b", ""),
        ("@example.com", ""),
        ("a@@b.com", ""),
        ("", ""),
    ],
)
def test_normalize_email(text: str, expected: str) -> None:
    assert normalize_email(text) == expected


# --------------------------------------------------------------------------- companies


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Acme Plumbing, LLC", "ACME PLUMBING"),
        ("The Acme Co.", "Acme"),
        ("Smith & Sons Ltd", "smith and sons"),
        ("Acme L.L.C.", "acme"),
        ("Acme Plumbing Limited Liability Company", "Acme Plumbing"),
        ("Smith & Co.", "Smith"),
        ("McDonald's Corp", "mcdonalds"),
        ("Acme Holdings Inc d/b/a Acme Rooter", "acme holdings"),
        ("Acme Holdings, Inc. DBA Acme Rooter", "acme holdings"),
        ("Acme Holdings Inc doing business as Acme Rooter", "acme holdings"),
        ("Acme Holdings LLC f/k/a Beta LLC", "acme holdings"),
    ],
)
def test_company_forms(left: str, right: str) -> None:
    assert normalize_company(left) == normalize_company(right)


def test_company_exact_outputs() -> None:
    assert normalize_company("Acme Plumbing, LLC") == "acme plumbing"
    assert normalize_company("The Acme Co.") == "acme"
    assert normalize_company("Smith & Sons Ltd") == "smith and sons"
    assert normalize_company("Acme Holdings Inc d/b/a Acme Rooter") == "acme holdings"
    assert normalize_company("Inc.") == "inc"  # never empties a non-empty name
    assert normalize_company("The") == "the"


def test_trading_name() -> None:
    assert trading_name("Acme Holdings Inc d/b/a Acme Rooter") == "acme rooter"
    assert trading_name("Acme Holdings Inc t/a Acme Rooter LLC") == "acme rooter"
    assert trading_name("Acme Holdings Inc") == ""
    assert trading_name("Acme Holdings LLC f/k/a Beta LLC") == ""
    assert normalize_company("DBA Acme Rooter") == trading_name("DBA Acme Rooter")
