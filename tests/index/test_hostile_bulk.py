"""Hostile bulk files: every row is stored or reported, never silently lost."""

from __future__ import annotations

from pathlib import Path

from skiptrace.index import Store, import_file
from tests.index.test_import import HEADER, board, names, problem_lines, row


def _import(tmp_path: Path, lines: list[str]) -> tuple[list[int], list[str]]:
    path = tmp_path / "board_20250101.csv"
    path.write_text("".join(lines), encoding="utf-8")
    summary = import_file(Store(tmp_path / "index.sqlite3"), board(tmp_path), path)
    return problem_lines(summary.problems), sorted(names(Store(tmp_path / "index.sqlite3")))


def test_two_stray_quotes_in_one_column_do_not_merge_two_rows_into_one(tmp_path: Path) -> None:
    """The second stray quote closed the first one's field: the two rows read as one of the
    header's width, the second row's key and name lost inside the first one's surname."""
    bad, kept = _import(tmp_path, [
        HEADER,  # 1
        row(1),  # 2
        '2,Ann,"Lee2,2 Main St,Springfield,62701,2025-01-01\n',  # 3
        '3,Bob,"Lee3,3 Main St,Springfield,62701,2025-01-01\n',  # 4
        row(4),  # 5
    ])  # fmt: skip
    assert (bad, kept) == ([3, 4], ["1", "4"])


def test_a_quote_left_open_to_the_end_of_the_file_is_reported(tmp_path: Path) -> None:
    """A quote opened in the last column and never closed swallowed the rows after it into
    one record of the header's width, stored with them as its date."""
    bad, kept = _import(tmp_path, [
        HEADER,  # 1
        row(1),  # 2
        '2,Ann,Lee2,2 Main St,Springfield,62701,"2025-01-01\n',  # 3
        row(3),  # 4
        row(4),  # 5
    ])  # fmt: skip
    assert (bad, kept) == ([3], ["1", "3", "4"])
