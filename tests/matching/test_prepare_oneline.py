"""prepare() reads one-line addresses and one-column names into the columns separate fields give."""

from __future__ import annotations

import time

import pytest

from skiptrace.matching.prepare import COLUMNS, prepare

ADDRESS_COLUMNS = ("street", "street_name", "number", "address2", "city", "state", "zip")


@pytest.mark.parametrize(
    ("one_line", "separate"),
    [
        (
            "12 Oak St Apt 4B, Springfield, IL 62704-1234",
            {"address": "12 Oak St Apt 4B", "city": "Springfield", "state": "IL",
             "zip": "62704-1234"},
        ),
        (
            "12 oak street unit 4 springfield illinois 62704",
            {"address": "12 Oak Street Unit 4", "city": "Springfield", "state": "il",
             "zip": "62704"},
        ),
        (
            "24 luehmann street, tawonga rdside, rose bay WA 2350",
            {"address": "24 luehmann street", "address2": "tawonga rdside", "city": "rose bay",
             "state": "wa", "zip": "2350"},
        ),
        (
            "Flat 3, 10 Downing Street, London SW1A 2AA",
            {"address": "10 Downing Street Flat 3", "city": "London", "zip": "SW1A2AA"},
        ),
        (
            "100 Queen St W, Toronto ON M5H 2N2",
            {"address": "100 Queen St W", "city": "Toronto", "state": "ON", "zip": "M5H 2N2"},
        ),
    ],
)  # fmt: skip
def test_a_one_line_address_prepares_like_separate_fields(
    one_line: str, separate: dict[str, str]
) -> None:
    table = prepare([{"last_name": "Roe", "address": one_line}, {"last_name": "Roe", **separate}])
    for column in ADDRESS_COLUMNS:
        assert table[column][0] == table[column][1], column
    assert table["city"][0] and table["zip"][0]


def test_fields_given_separately_win_over_the_one_line_address() -> None:
    record = {
        "last_name": "Roe",
        "address": "12 Oak St, Springfield, IL 62704",
        "city": "Chatham",
        "zip": "62629",
    }
    table = prepare([record])
    assert (table["street"][0], table["city"][0], table["state"][0], table["zip"][0]) == (
        "12 oak st",
        "chatham",
        "il",
        "62629",
    )


def test_a_street_line_alone_is_left_as_it_was() -> None:
    table = prepare([{"last_name": "Roe", "address": "12 Oak St, Building B"}])
    assert table["street"][0] == "12 oak st bldg b"
    assert table["city"][0] == table["state"][0] == table["zip"][0] == ""


def test_a_name_in_one_column_gives_first_middle_last_and_suffix() -> None:
    table = prepare([{"full_name": "SMITH, JOHN A JR"}])
    assert table["first"][0] == table["first_raw"][0] == "john"
    assert (table["middle"][0], table["last"][0], table["suffix"][0]) == ("a", "smith", "jr")


@pytest.mark.parametrize(
    ("record", "first", "first_raw", "middle", "last"),
    [
        ({"full_name": "Dr. Bob Q. Roe"}, "robert", "bob", "q", "roe"),
        ({"first_name": "Mrs Jane Q", "last_name": "Roe"}, "jane", "jane", "q", "roe"),
        ({"first_name": "Jane", "middle_name": "Quinn", "last_name": "Roe"}, "jane", "jane",
         "quinn", "roe"),
        ({"first_name": "Jean-Luc", "last_name": "Picard"}, "jean", "jean", "", "picard"),
        ({"full_name": "J. Q. Roe"}, "j", "j", "q", "roe"),
        ({"full_name": ", elton"}, "elton", "elton", "", ""),  # the surname was not printed
        ({"full_name": "ROE, JANE"}, "jane", "jane", "", "roe"),
    ],
)  # fmt: skip
def test_the_middle_column(
    record: dict[str, str], first: str, first_raw: str, middle: str, last: str
) -> None:
    table = prepare([record])
    assert "middle" in COLUMNS
    got = (table["first"][0], table["first_raw"][0], table["middle"][0], table["last"][0])
    assert got == (first, first_raw, middle, last)


def test_hostile_100_kb_values_are_cut_and_cost_bounded_time() -> None:
    hostile = {
        "full_name": "Smith " * 20_000,
        "address": "12 Oak St, " * 10_000,
        "first_name": "",
    }
    other = {"full_name": "x" * 100_000, "address": "9" * 100_000}
    start = time.perf_counter()
    table = prepare([hostile, other])
    assert time.perf_counter() - start < 10  # not quadratic in 100 kB (room for a loaded machine)
    for column in COLUMNS:
        assert all(len(value) <= 1000 for value in table[column]), column


def test_each_distinct_value_is_parsed_once() -> None:
    from skiptrace.normalize import parse_one_line

    line = "77 Unique Rd, Tinyville, KS 67001"
    parse_one_line.cache_clear()
    prepare([{"last_name": "Roe", "address": line}] * 50)
    info = parse_one_line.cache_info()
    assert (info.misses, info.hits) == (1, 49)
