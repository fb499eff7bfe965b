"""Do-not-research flags named as exports name the debtor's own fields: behind a debtor prefix
(``Debtor Deceased``, read like ``Debtor First``) or followed by ``Y/N``, ``Flag``,
``Indicator`` or ``Date``; and as exports abbreviate and order them: ``Deceased Ind`` (the
usual short form of ``Indicator``), ``Is Deceased`` (a yes/no field's name in most systems'
exports) and ``Date Deceased`` (the date before the word). They were ignored columns, and the
debtor was researched."""

from __future__ import annotations

import pytest

from skiptrace.tables.columns import describe_columns, find_columns
from skiptrace.tables.flags import flag_columns, raised_flags


@pytest.mark.parametrize(
    ("header", "flag"),
    [("Debtor Deceased", "deceased"), ("Consumer_Bankruptcy", "bankruptcy"),
     ("Customer Cease and Desist", "cease_desist"), ("Borrower Attorney", "attorney"),
     ("Debtor Dispute", "dispute"), ("Consumer Vulnerable", "vulnerable"),
     ("Deceased (Y/N)", "deceased"), ("Bankruptcy Indicator", "bankruptcy"),
     ("Deceased Date", "deceased"), ("Debtor Bankrupt Flag", "bankruptcy"),
     ("Consumer Do Not Contact Y/N", "cease_desist"), ("Deceased Ind", "deceased"),
     ("Bankruptcy_Ind", "bankruptcy"), ("Debtor Dispute Ind", "dispute"),
     ("Is Deceased", "deceased"), ("IsBankrupt", "bankruptcy"), ("is_disputed", "dispute"),
     ("Date Deceased", "deceased"), ("Date Disputed", "dispute"),
     ("Date_Bankruptcy", "bankruptcy")],
)  # fmt: skip
def test_a_prefixed_or_suffixed_flag_column_raises_its_flag(header: str, flag: str) -> None:
    columns = flag_columns(["Debtor First", "Debtor Last", header])
    assert columns == {header: flag}
    assert raised_flags({header: "Y"}, columns) == [flag]


def test_the_columns_line_names_a_prefixed_flag_not_as_ignored() -> None:
    header = ["Debtor First", "Debtor Last", "Debtor Deceased", "Balance"]
    line = describe_columns(header, find_columns(header), flag_columns(header))
    assert "flags: Debtor Deceased" in line and "ignored: Balance" in line


def test_a_column_that_only_mentions_a_flag_word_is_no_flag() -> None:
    assert flag_columns(["Attorney Fees", "Dispute Notes", "Debtor Balance"]) == {}
    headers = ["Ind", "Is Active", "Date Opened", "Date", "Indicator", "Dispute Notes"]
    assert flag_columns(headers) == {}
