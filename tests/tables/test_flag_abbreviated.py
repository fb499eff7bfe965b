"""Flag columns as collection exports abbreviate and order them: ``Deceased Ind`` (the usual
short form of ``Indicator``), ``Is Deceased`` (a yes/no field's name in most systems' exports)
and ``Date Deceased`` (the date before the word). Each was an ignored column, and the debtor
researched."""

from __future__ import annotations

import pytest

from skiptrace.tables.flags import flag_columns, raised_flags


@pytest.mark.parametrize(
    ("header", "flag"),
    [("Deceased Ind", "deceased"), ("Bankruptcy_Ind", "bankruptcy"),
     ("Debtor Dispute Ind", "dispute"), ("Is Deceased", "deceased"), ("IsBankrupt", "bankruptcy"),
     ("is_disputed", "dispute"), ("Date Deceased", "deceased"), ("Date Disputed", "dispute"),
     ("Date_Bankruptcy", "bankruptcy")],
)  # fmt: skip
def test_an_abbreviated_flag_column_raises_its_flag(header: str, flag: str) -> None:
    columns = flag_columns(["Debtor First", "Debtor Last", header])
    assert columns == {header: flag}
    assert raised_flags({header: "Y"}, columns) == [flag]


def test_the_words_alone_name_no_flag() -> None:
    headers = ["Ind", "Is Active", "Date Opened", "Date", "Indicator", "Dispute Notes"]
    assert flag_columns(headers) == {}
