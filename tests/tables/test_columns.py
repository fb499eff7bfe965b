"""Finding the debtor fields in a header: synonyms, --map overrides, and the name rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from skiptrace.errors import ColumnError
from skiptrace.records import normalised_field
from skiptrace.tables.columns import (
    SYNONYMS,
    columns_line,
    describe_columns,
    find_columns,
    parse_map,
    require_name,
    split_suffix,
)


def test_synonyms_match_whatever_the_case_and_punctuation() -> None:
    headers = ["Acct #", "Given Name", "SURNAME", "mailing_address", "Town", "State/Province",
               "Zip Code", "Phone #", "E-Mail", "Date-Of-Birth", "Employer Name"]  # fmt: skip
    assert find_columns(headers) == {
        "id": "Acct #",
        "first_name": "Given Name",
        "last_name": "SURNAME",
        "address": "mailing_address",
        "city": "Town",
        "state": "State/Province",  # a synonym of state since issue 11 (it was left out)
        "zip": "Zip Code",
        "phone": "Phone #",
        "email": "E-Mail",
        "dob": "Date-Of-Birth",
        "employer": "Employer Name",
    }


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


def test_a_mapped_field_may_be_named_by_its_synonym() -> None:
    """The CLI contract lists ``name/full_name/debtor_name`` as one field: ``--map name=...``
    was "unknown field"."""
    assert parse_map(["name=Debtor", "Surname=Family", "Zip Code=PC", "first_name=F"]) == {
        "full_name": "Debtor", "last_name": "Family", "zip": "PC", "first_name": "F"
    }  # fmt: skip
    assert find_columns(["Debtor", "Family"], parse_map(["name=Debtor"]))["full_name"] == "Debtor"
    with pytest.raises(ColumnError, match="unknown field"):
        find_columns(["Debtor"], parse_map(["salary=Debtor"]))


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


# Issue 11, item 5: the headers the trial found ignored, and the usual exports of collection
# systems.
TRIAL_HEADERS = {
    "Addr1": "address",
    "Address Line 1": "address",
    "Town": "city",
    "ST": "state",
    "Zip5": "zip",
    "State/Province": "state",
    "Phone 1": "phone",
    "Cell": "phone",
    "E-mail Address": "email",
    "Debtor First": "first_name",
    "Debtor Last": "last_name",
}
COLLECTION_EXPORTS = {
    "Address Line 2": "address2",
    "Postal Code": "zip",
    "ZIP+4": "zip",
    "Zip Code": "zip",
    "Mobile Phone": "phone",
    "Home Phone": "phone",
    "Work Phone": "phone",
    "Date of Birth": "dob",
    "Employer Name": "employer",
    "Place of Employment": "employer",
    "Debtor_First_Name": "first_name",
    "Consumer Last Name": "last_name",
    "CUSTOMER_ADDRESS_1": "address",
    "Borrower City": "city",
    "Debtor State": "state",
    "Consumer Zip": "zip",
    "Customer Phone": "phone",
    "Borrower Email": "email",
    "Debtor DOB": "dob",
    "Debtor Employer": "employer",
    "Customer ID": "id",
    "Debtor Name": "full_name",
    "Consumer Middle Name": "middle_name",
    "Debtor Suffix": "suffix",
    "Account No": "id",
    "Apt": "address2",
}


@pytest.mark.parametrize("header", [*TRIAL_HEADERS, *COLLECTION_EXPORTS])
def test_each_common_header_is_found(header: str) -> None:
    field = {**TRIAL_HEADERS, **COLLECTION_EXPORTS}[header]
    assert find_columns([header]) == {field: header}
    assert find_columns(["Balance", header, "Notes"]) == {field: header}


def test_the_trial_file_is_read_whole() -> None:
    headers = ["Debtor Last", "Debtor First", "Addr1", "Town", "ST", "Zip5", "Balance", "Notes"]
    columns = find_columns(headers)
    assert columns == {"last_name": "Debtor Last", "first_name": "Debtor First",
                       "address": "Addr1", "city": "Town", "state": "ST",
                       "zip": "Zip5"}  # fmt: skip
    assert describe_columns(headers, columns) == (
        "columns: last_name=Debtor Last, first_name=Debtor First, address=Addr1, city=Town, "
        "state=ST, zip=Zip5; ignored: Balance, Notes"
    )


def test_the_first_of_several_phones_wins_and_the_others_are_listed_as_ignored() -> None:
    headers = ["Last Name", "Cell", "Home Phone", "Work Phone"]
    columns = find_columns(headers)
    assert columns == {"last_name": "Last Name", "phone": "Cell"}
    assert describe_columns(headers, columns).endswith("; ignored: Home Phone, Work Phone")


def test_a_map_still_overrides_the_wider_synonyms() -> None:
    headers = ["Debtor Last", "Surname", "Cell", "Home Phone"]
    found = find_columns(headers, {"last_name": "Surname", "phone": "Home Phone"})
    assert found == {"last_name": "Surname", "phone": "Home Phone"}
    assert describe_columns(headers, found) == (
        "columns: last_name=Surname, phone=Home Phone; ignored: Debtor Last, Cell"
    )


@pytest.mark.parametrize("header", ["SSN", "Social Security Number", "Debtor SSN", "Client Name",
                                    "Client", "Borrower", "Customer Company"])  # fmt: skip
def test_what_names_no_debtor_field_is_not_guessed(header: str) -> None:
    # an SSN is never sent to a source; "client" is the creditor in collections; a
    # customer's company may be the debtor itself
    assert find_columns([header]) == {}


def test_no_synonym_names_two_fields() -> None:
    seen: dict[str, str] = {}
    for field, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            key = normalised_field(synonym)
            assert seen.setdefault(key, field) == field, synonym


def test_describe_columns_lists_flags_and_says_none() -> None:
    headers = ["Name", "Bankruptcy", "Balance"]
    line = describe_columns(headers, find_columns(headers), {"Bankruptcy": "bankruptcy"})
    assert line == "columns: full_name=Name; flags: Bankruptcy; ignored: Balance"
    assert describe_columns(["Name"], {"full_name": "Name"}) == (
        "columns: full_name=Name; ignored: (none)"
    )


def test_columns_line_reads_the_file_as_enrich_does(tmp_path: Path) -> None:
    source = tmp_path / "debtors.csv"
    source.write_text("Acct #,Debtor Last,Town,Cease and Desist,Notes\nA1,Roe,Austin,,x\n")
    assert columns_line(source) == (
        "columns: id=Acct #, last_name=Debtor Last, city=Town; flags: Cease and Desist; "
        "ignored: Notes"
    )
    with pytest.raises(ColumnError):
        columns_line(source, {"last_name": "Surname"})
    source.write_text("Acct #,Notes\nA1,x\n")
    with pytest.raises(ColumnError):
        columns_line(source)


@pytest.mark.parametrize(
    ("last", "expected_last", "expected_suffix"),
    [
        ("Smith Jr", "Smith", "Jr"),
        ("SMITH, JR.", "SMITH", "JR."),
        ("Smith  III", "Smith", "III"),
        ("de la Cruz Sr.", "de la Cruz", "Sr."),
        ("Smith 2nd", "Smith", "2nd"),
        ("O'Brien, Esq", "O'Brien", "Esq"),
    ],
)
def test_a_suffix_in_the_last_name_is_split_off(
    last: str, expected_last: str, expected_suffix: str
) -> None:
    fields = split_suffix({"first_name": "Jane", "last_name": last})
    assert fields == {"first_name": "Jane", "last_name": expected_last, "suffix": expected_suffix}


@pytest.mark.parametrize("last", ["Smith", "Junior", "Jr", "Smithjr", "Van V", "Sri", "", "Ivy"])
def test_a_last_name_without_a_suffix_is_left_as_it_is(last: str) -> None:
    assert split_suffix({"last_name": last}) == {"last_name": last}


def test_a_suffix_column_keeps_its_own_value() -> None:
    fields = split_suffix({"last_name": "Smith Jr", "suffix": "Sr"})
    assert fields == {"last_name": "Smith", "suffix": "Sr"}
    assert split_suffix({"full_name": "Jane Smith Jr"}) == {"full_name": "Jane Smith Jr"}


def test_a_very_wide_header_is_described_in_a_short_line() -> None:
    """A file of 100,000 columns, or one name of a megabyte, printed a line that long."""
    headers = ["N" * 1_000, *(f"Flag {k} Bankruptcy" for k in range(100)),
               *(f"c{k}" for k in range(100_000))]  # fmt: skip
    flags = dict.fromkeys(headers[1:101], "bankruptcy")
    line = describe_columns(headers, {"full_name": headers[0]}, flags)
    assert line.startswith(f"columns: full_name={'N' * 80}...; flags: Flag 0 Bankruptcy, ")
    assert "Flag 49 Bankruptcy ... and 50 more; ignored: c0, c1," in line
    assert line.endswith(", c49 ... and 99,950 more") and len(line) < 2_000


def test_a_repeated_header_taken_once_lists_its_other_columns_as_ignored() -> None:
    """The first of a repeated name is read (a co-signer's "Name" after the debtor's is not):
    the line said "ignored: (none)"; a repeated flag is read in every column."""
    headers = ["Name", "Bankruptcy", "Name", "Bankruptcy", "Notes"]
    line = describe_columns(headers, find_columns(headers), {"Bankruptcy": "bankruptcy"})
    assert line == "columns: full_name=Name; flags: Bankruptcy; ignored: Name (column 3), Notes"


def test_a_very_wide_header_is_listed_short_when_the_file_is_refused() -> None:
    """With no name column, or a --map to a column it lacks, a file of 100,000 columns was
    refused in one line of 600 KB, each of its names in full: listed as the columns line
    lists them."""
    headers = ["N" * 1_000, *(f"c{k}" for k in range(100_000))]
    with pytest.raises(ColumnError) as caught:
        require_name(find_columns(headers), headers, Path("wide.csv"))
    message = str(caught.value)
    assert message.startswith(f"wide.csv: no name column among the headers ({'N' * 80}..., c0, ")
    assert ", c48 ... and 99,951 more); skiptrace needs last_name" in message
    assert len(message) < 2_000
    with pytest.raises(ColumnError) as caught:
        find_columns(headers, {"last_name": "Family"})
    message = str(caught.value)
    assert message.endswith(", c48 ... and 99,951 more") and len(message) < 2_000
