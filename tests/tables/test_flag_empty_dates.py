"""A flag column read with ``Date`` after it (``Deceased Date``, ``Bankruptcy Date``) holds
what legacy collection systems write for no date: ``00/00/0000``, ``0000-00-00``, or ``N/A``.
Each was read as a date, so a file exported that way had every debtor ``skipped_flag``
(deceased), none researched. A real date, or any other mark, still raises the flag."""

from __future__ import annotations

import pytest

from skiptrace.tables.flags import flag_columns, raised_flags

HEADER = ["Debtor First", "Debtor Last", "Deceased Date", "Bankruptcy Y/N"]


@pytest.mark.parametrize(
    "cell", ["00/00/0000", "0000-00-00", "0000-00-00 00:00:00", "00.00.0000", "N/A", "n/a", "NA"]
)
def test_an_empty_date_or_not_applicable_raises_no_flag(cell: str) -> None:
    columns = flag_columns(HEADER)
    assert raised_flags(zip(HEADER, ["Jane", "Roe", cell, cell], strict=True), columns) == []


@pytest.mark.parametrize("cell", ["2024-01-02", "01/02/2024", "Y", "X", "yes", "unknown", "2020"])
def test_a_date_or_a_mark_still_raises_it(cell: str) -> None:
    columns = flag_columns(HEADER)
    assert raised_flags(zip(HEADER, ["Jane", "Roe", cell, ""], strict=True), columns) == [
        "deceased"
    ]
