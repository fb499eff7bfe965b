"""Finding the debtor fields in a header: synonyms, --map overrides, and the name rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from skiptrace.errors import ColumnError
from skiptrace.tables.columns import SYNONYMS, find_columns, parse_map, require_name


def test_synonyms_match_whatever_the_case_and_punctuation() -> None:
    headers = ["Acct #", "Given Name", "SURNAME", "mailing_address", "Town", "State/Province",
               "Zip Code", "Phone #", "E-Mail", "Date-Of-Birth", "Employer Name"]  # fmt: skip
    assert find_columns(headers) == {
        "id": "Acct #",
        "first_name": "Given Name",
        "last_name": "SURNAME",
        "address": "mailing_address",
        "city": "Town",
        "zip": "Zip Code",
        "phone": "Phone #",
        "email": "E-Mail",
        "dob": "Date-Of-Birth",
        "employer": "Employer Name",
    }  # "State/Province" is no synonym of state: left out, not guessed


def test_every_synonym_finds_its_own_field() -> None:
    for field, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            spelled = synonym.replace("_", " ").title()
            assert find_columns([spelled]) == {field: spelled}, synonym


def test_headers_that_name_no_field_are_left_out() -> None:
    assert find_columns(["Balance", "Notes", "Last Payment"]) == {}


def test_the_first_column_found_for_a_field_wins() -> None:
    found = find_columns(["Ref", "Account Number", "Surname", "Last Name", "Name"])
    assert found["id"] == "Ref"
    assert found["last_name"] == "Surname"
    assert found["full_name"] == "Name"


def test_a_map_overrides_the_synonyms() -> None:
    headers = ["Account", "Surname", "Family Name"]
    found = find_columns(headers, {"last_name": "Family Name", "employer": "Account"})
    assert found == {"id": "Account", "last_name": "Family Name", "employer": "Account"}


def test_a_map_to_an_unknown_field_is_a_column_error_listing_the_fields() -> None:
    with pytest.raises(ColumnError) as caught:
        find_columns(["Surname"], {"shoe_size": "Surname"})
    message = str(caught.value)
    assert message.startswith("--map shoe_size=...: unknown field")
    assert "last_name" in message and "employer_website" in message


def test_a_map_to_a_missing_column_is_a_column_error_listing_the_headers() -> None:
    with pytest.raises(ColumnError) as caught:
        find_columns(["Acct #", "Surname", "Zip Code"], {"last_name": "Family"})
    assert str(caught.value) == (
        "--map last_name=Family: no such column; the file has: Acct #, Surname, Zip Code"
    )


def test_parse_map_reads_field_equals_column() -> None:
    assert parse_map([]) == {}
    assert parse_map(["last_name=Surname", " zip = Post Code ", "id=a=b"]) == {
        "last_name": "Surname",
        "zip": "Post Code",
        "id": "a=b",  # only the first "=" separates: a column name may hold one
    }


@pytest.mark.parametrize("item", ["last_name", "=Surname", "last_name=", "  =  ", ""])
def test_parse_map_refuses_what_is_not_field_equals_column(item: str) -> None:
    with pytest.raises(ColumnError) as caught:
        parse_map(["zip=Zip", item])
    assert str(caught.value) == f"--map takes FIELD=COLUMN, not {item!r}"


def test_require_name_accepts_a_last_name_a_full_name_or_a_mapped_column() -> None:
    path = Path("debtors.csv")
    require_name(find_columns(["Surname", "Zip"]), ["Surname", "Zip"], path)
    require_name(find_columns(["Debtor Name", "Zip"]), ["Debtor Name", "Zip"], path)
    headers = ["Acct #", "Borrower", "Zip"]
    with pytest.raises(ColumnError):
        require_name(find_columns(headers), headers, path)
    mapped = find_columns(headers, parse_map(["last_name=Borrower"]))
    assert mapped["last_name"] == "Borrower"
    require_name(mapped, headers, path)  # the same file passes once --map names the column


def test_require_name_refuses_a_file_without_a_name_listing_its_headers() -> None:
    headers = ["Acct #", "First Name", "Zip Code"]
    columns = find_columns(headers)
    assert "first_name" in columns  # a first name alone is no one to research
    with pytest.raises(ColumnError) as caught:
        require_name(columns, headers, Path("in/debtors.csv"))
    message = str(caught.value)
    assert message.startswith("in/debtors.csv: no name column")
    assert "(Acct #, First Name, Zip Code)" in message
    assert "--map last_name=COLUMN" in message
