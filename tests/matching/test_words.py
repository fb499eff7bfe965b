"""A pair's comparison in words, through ``score_pair`` and the real matcher.

Rule under test for names: ``name: exact`` only when first and last agree exactly as written;
otherwise first and last name are said apart (so a nickname reads
``first name: nickname (Bob/Robert); last name: exact``).
"""

from __future__ import annotations

import re

from skiptrace.matching import link, score_pair

HOME = {"address": "12 Main Street", "city": "Springfield", "state": "IL", "zip": "62701"}


def words(left: dict[str, str], right: dict[str, str]) -> str:
    return score_pair(left, right).words


def test_a_nickname_is_named_with_both_spellings() -> None:
    bob = {"first_name": "Bob", "last_name": "Roe", "address": "12 Main St", "zip": "62701"}
    robert = {**bob, "first_name": "Robert", "address": "12 MAIN STREET"}
    assert words(bob, robert) == (
        "first name: nickname (Bob/Robert); last name: exact; street: exact; ZIP: exact; first "
        "name given short or not at all in the debtor's household: a relative?"
    )


def test_exact_agreement_collapses_the_name() -> None:
    jane = {"first_name": "Jane", "last_name": "Roe", **HOME}
    shouted = {"first_name": "JANE", "last_name": "ROE", **HOME, "state": "Illinois"}
    said = words(jane, shouted)
    assert said == "name: exact; street: exact; city: exact; ZIP: exact; state: exact"


def test_an_initial() -> None:
    assert words({"full_name": "J Roe"}, {"full_name": "Jane Roe"}) == (
        "first name: initial (J/Jane); last name: exact"
    )


def test_a_typo_is_close_and_a_variant_similar() -> None:
    typo = words({"full_name": "Ann Jonson"}, {"full_name": "Ann Johnson"})
    assert typo == "first name: exact; last name: close (Jonson/Johnson)"
    variant = words({"full_name": "Ann Smyth"}, {"full_name": "Ann Smith"})
    assert variant == "first name: exact; last name: similar (Smyth/Smith)"


def test_a_name_written_last_first() -> None:
    assert words({"full_name": "ROE JANE"}, {"full_name": "JANE ROE"}) == (
        "name: exact, written last-first; name only; about 20 people in the US share it"
    )


def test_a_differing_first_name_at_the_same_address_is_shown() -> None:
    dan = {"first_name": "Dan", "last_name": "Roe", **HOME}
    assert words(dan, {**dan, "first_name": "Elizabeth"}) == (
        "first name: differs (Dan/Elizabeth); last name: exact; street: exact; city: exact; "
        "ZIP: exact; state: exact; first name differs at the same address: relative?"
    )


def test_differing_suffixes_and_house_numbers() -> None:
    junior = {"full_name": "John Roe Jr", "address": "12 Main St"}
    senior = {"full_name": "John Roe Sr", "address": "14 Main St"}
    assert words(junior, senior) == (
        "name: exact; suffix: differs (Jr/Sr); street: same street name; "
        "house number: differs (12/14); suffix Jr vs Sr: parent and child?"
    )
    assert words(junior, {"full_name": "John Roe"}) == (
        "name: exact; suffix: debtor only (Jr); name only; about 280 people in the US share it"
    )


def test_a_zip_one_digit_off() -> None:
    assert words({"zip": "62701"}, {"zip": "62702-1234"}) == "ZIP: one digit differs (62701/62702)"


def test_a_field_missing_on_either_side_is_left_out() -> None:
    debtor = {"full_name": "Jane Roe", "phone": "512-555-0100", "employer": "Acme"}
    assert words(debtor, {"full_name": "Jane Roe", "city": "Austin"}) == (
        "name: exact; name only; about 20 people in the US share it"
    )


def test_identifying_values_are_not_repeated() -> None:
    debtor = {"full_name": "Jane Roe", "dob": "1980-01-02", "email": "jane@example.com",
              "phone": "512-555-0100"}  # fmt: skip
    record = {"full_name": "Jane Roe", "dob": "02/03/1981", "email": "roe@example.org",
              "phone": "503-555-0199"}  # fmt: skip
    said = words(debtor, record)
    assert said == (
        "name: exact; phone: differs; e-mail: differs; date of birth: differs; "
        "name only; about 20 people in the US share it"
    )
    assert not re.search(r"19(80|81)|555|example", said)


def test_hostile_input_stays_one_short_line() -> None:
    long = "Wolfeschlegelsteinhausenbergerdorff\nthe\r\nsecond;third/(fourth) " * 20
    debtor = {"first_name": long, "last_name": "Roe", "address": "1 " + long, "employer": long}
    record = {"first_name": "X" + long, "last_name": long, "address": "2 " + long,
              "employer": "Z" + long}  # fmt: skip
    said = words(debtor, record)
    assert "\n" not in said and "\r" not in said
    shown = re.findall(r"\(([^()]*)\)", said)
    assert shown, said
    values = [value for pair in shown for value in pair.split("/")]
    assert all(0 < len(value) <= 40 and value == value.strip() for value in values), said


def test_bulk_linking_leaves_the_words_empty() -> None:
    jane = {"full_name": "Jane Roe", **HOME}
    assert [found.words for found in link([jane], [jane]).links] == [""]


def test_street_lines_are_said_without_their_folded_values() -> None:
    debtor = {"full_name": "Pat Roe", "address": "9 Old Mill Road", "zip": "02110"}
    record = {"full_name": "Pat Roe", "address": "55 Harbor Way Apt 2", "zip": "02110"}
    said = score_pair(debtor, record).words
    assert "street: differs;" in said and "Ml Rd" not in said and "Hbr" not in said
    assert "house number: differs (9/55)" in said


def test_the_same_town_is_not_the_same_address() -> None:
    """The words call a relative "at the same address" only where the model does (the street
    line, or the house number and ZIP): the same town is not a household."""
    debtor = {"first_name": "Elizabeth", "last_name": "Hayes", "address": "12 Oak St",
              "city": "Springfield", "state": "IL"}  # fmt: skip
    town = {**debtor, "first_name": "Dan", "address": "77 Elm Ave"}
    home = {**debtor, "first_name": "Dan"}
    assert "first name differs: another person" in score_pair(debtor, town).words
    assert "at the same address: relative?" in score_pair(debtor, home).words
