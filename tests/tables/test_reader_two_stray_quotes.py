"""Two debtors each typed with a quote before a name (``"Smith``), a row or two apart: the
second quote, at the start of its field, closed the first into a record of the header's width,
so the rows between and the second debtor vanished into one field of the first, which was
researched as a clean row (3 rows in, 2 out, exit 0). A quote that opens a field on the line
that closes the record is that line's own, no CSV writer's closing quote: the first quote is
never closed, and the lines it held are read again, each alone."""

from __future__ import annotations

import csv
from pathlib import Path

from skiptrace.tables.reader import read_rows

NEVER_CLOSED = "a quote is never closed"


def _rows(tmp_path: Path, text: str) -> list[tuple[list[str], str]]:
    path = tmp_path / "debtors.csv"
    path.write_text(text, encoding="utf-8")
    return [(row.cells, row.problem) for row in read_rows(path)[1]]


def test_two_stray_quotes_on_adjacent_rows_lose_neither_row(tmp_path: Path) -> None:
    rows = _rows(tmp_path, 'id,first,last\n1,John,"Smith\n2,Ann,"Jones\n3,Kim,Lee\n')
    assert rows == [
        (["1", "John", "Smith"], NEVER_CLOSED),
        (["2", "Ann", "Jones"], NEVER_CLOSED),
        (["3", "Kim", "Lee"], ""),
    ]


def test_the_row_between_two_stray_quotes_is_read_as_itself(tmp_path: Path) -> None:
    rows = _rows(tmp_path, 'id,last,first\n1,"Smith,John\n2,Jones,Ann\n3,"Brown,Pat\n4,Lee,Kim\n')
    assert [cells[0] for cells, _ in rows] == ["1", "2", "3", "4"]
    assert [problem for _, problem in rows] == [NEVER_CLOSED, "", NEVER_CLOSED, ""]
    assert rows[1][0] == ["2", "Jones", "Ann"]


def test_a_written_field_that_ends_on_a_line_opening_a_quote_is_still_one_record(
    tmp_path: Path,
) -> None:
    """Its closing quote is followed by the line's end, as a CSV writer writes it."""
    path = tmp_path / "notes.csv"
    table = [["id", "last", "note"], ["1", "Roe", 'Called\nsaid,"'], ["2", "Lee", ""]]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)
    assert [(row.cells, row.problem) for row in read_rows(path)[1]] == [
        (table[1], ""),
        (table[2], ""),
    ]


def test_a_stray_quote_closed_by_the_next_rows_whole_quoted_field_loses_no_row(
    tmp_path: Path,
) -> None:
    """The next row quotes a field of its own, closed on its line ("Okonkwo"): its opening
    quote closed the stray one into a record of the header's width, the next debtor swallowed
    into the first's last name and researched as it (2 rows in, 1 out)."""
    rows = _rows(tmp_path, 'id,last,first\n1,"Roe,Jane\n2,"Okonkwo",Thaddeus\n3,Lee,Kim\n')
    assert rows == [
        (["1", "Roe", "Jane"], NEVER_CLOSED),
        (["2", "Okonkwo", "Thaddeus"], ""),
        (["3", "Lee", "Kim"], ""),
    ]
