"""Do-not-research flags: which columns are flags, and which values raise them."""

from __future__ import annotations

import pytest

from skiptrace.tables.flags import FLAG_SYNONYMS, flag_columns, raised_flags


def test_flag_columns_finds_synonyms_whatever_the_spelling() -> None:
    headers = ["Account", "Bankrupt", "Date of Death", "Do-Not-Contact", "ATTORNEY REPRESENTED",
               "In Dispute", "Mental Capacity", "Chapter 13", "Notes", "Last Name"]  # fmt: skip
    assert flag_columns(headers) == {
        "Bankrupt": "bankruptcy",
        "Date of Death": "deceased",
        "Do-Not-Contact": "cease_desist",
        "ATTORNEY REPRESENTED": "attorney",
        "In Dispute": "dispute",
        "Mental Capacity": "vulnerable",
        "Chapter 13": "bankruptcy",
    }


def test_every_flag_synonym_is_a_flag_column() -> None:
    for flag, synonyms in FLAG_SYNONYMS.items():
        for synonym in synonyms:
            assert flag_columns([synonym.upper()]) == {synonym.upper(): flag}


def test_a_header_without_flags_has_no_flag_columns() -> None:
    assert flag_columns(["Account", "Last Name", "Balance"]) == {}


@pytest.mark.parametrize(
    "value", ["yes", "YES", "y", "Y", "true", "True", "1", "x", "X", " yes ", "2021-03-04",
              "03/04/2021"],
)  # fmt: skip
def test_truthy_values_raise_the_flag(value: str) -> None:
    columns = {"Bankrupt": "bankruptcy"}
    assert raised_flags({"Bankrupt": value, "Name": "Roe"}, columns) == ["bankruptcy"]


@pytest.mark.parametrize(
    "value", ["", "   ", "0", "n", "N", "no", "No", "false", "FALSE", "f", "none", "None",
              "null", "NULL", "nan", "NaN", "-"],
)  # fmt: skip
def test_falsy_values_do_not_raise_the_flag(value: str) -> None:
    assert raised_flags({"Bankrupt": value}, {"Bankrupt": "bankruptcy"}) == []


def test_a_flag_column_missing_from_the_row_raises_nothing() -> None:
    assert raised_flags({"Name": "Roe"}, {"Bankrupt": "bankruptcy"}) == []


def test_raised_flags_are_sorted_and_each_named_once() -> None:
    columns = flag_columns(["Vulnerable", "Deceased", "Bankrupt", "Chapter 7", "Dispute"])
    row = {"Vulnerable": "y", "Deceased": "2020-01-01", "Bankrupt": "x", "Chapter 7": "yes",
           "Dispute": "no"}  # fmt: skip
    assert raised_flags(row, columns) == ["bankruptcy", "deceased", "vulnerable"]
    reversed_columns = dict(reversed(list(columns.items())))
    assert raised_flags(row, reversed_columns) == ["bankruptcy", "deceased", "vulnerable"]
