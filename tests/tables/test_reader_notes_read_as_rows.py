"""A note of lines that each read as a row (a 4-column export whose notes carry 3 commas a
line), closed as any CSV writer closes a field, is one record, as csv.reader reads it: the
check for a stray quote closed by a later row's quoted field had made such a legitimate debtor
and every line of their note error rows (37 records in, 42 rows out, none researched)."""

from __future__ import annotations

import csv
from pathlib import Path

from skiptrace.tables.reader import read_rows

NOTE = [
    "Skip: new address found, 12 Oak Ln, Dallas, TX",
    "Per client, hold acct, see file, 3/4",
    "RPC, refused to pay, hung up, will retry",
]


def _write(path: Path, rows: list[list[str]], terminator: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator=terminator).writerows(rows)


def test_a_written_note_of_row_like_lines_is_one_record(tmp_path: Path) -> None:
    for terminator in ("\n", "\r\n"):
        note = terminator.join(NOTE)
        table = [
            ["Account Number", "Debtor First", "Debtor Last", "Dispute Notes"],
            ["A1", "Jane", "Roe", note],
            ["A2", "Bob", "Lee", "Sent letter"],
            ["A3", "Ann", "Wu", "Called, busy"],
        ]
        path = tmp_path / "notes.csv"
        _write(path, table, terminator)
        rows = list(read_rows(path)[1])
        assert [(r.cells, r.problem) for r in rows] == [(cells, "") for cells in table[1:]]


def test_a_note_in_the_last_column_of_a_two_column_file_is_one_record(tmp_path: Path) -> None:
    note = "\n".join(
        ["Spoke to wife, said he moved", "Mail returned, bad address", "Wrong number, no VM"]
    )
    path = tmp_path / "notes.csv"
    _write(path, [["Account", "Notes"], ["A1", note], ["A2", "Left VM, will retry"]], "\n")
    rows = list(read_rows(path)[1])
    assert [(r.cells, r.problem) for r in rows] == [
        (["A1", note], ""),
        (["A2", "Left VM, will retry"], ""),
    ]
