"""Hostile bulk files: every row is stored or reported, never silently lost."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest

from skiptrace.connectors._offline import OfflineConnector
from skiptrace.errors import NotConfigured
from skiptrace.index import Store, import_file, reading
from tests.index.test_import import HEADER, board, names, problem_lines, row
from tests.index.test_offline import search


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


def test_a_delta_imported_after_a_killed_first_full_file_does_not_make_it_no_result(
    tmp_path: Path,
) -> None:
    """The first full file was killed half-way (its rows staged, unsearched), then a weekly
    delta was imported: the source had a finished file, so it was searched, and a debtor
    filed only in the full file was "no result". A delta alone is never the source."""
    source, path = board(tmp_path), tmp_path / "index.sqlite3"
    full = tmp_path / "board_20250101.csv"
    full.write_text(HEADER + row(1) + row(2, first="Zed", last="Quill") + row(3), "utf-8")
    weekly = tmp_path / "board_weekly_20250108.csv"
    weekly.write_text(HEADER + row(9), encoding="utf-8")

    def killed(rows: int) -> None:
        raise KeyboardInterrupt

    with Store(path) as store:
        with pytest.raises(KeyboardInterrupt):
            import_file(store, source, full, batch_size=1, progress=killed)
        import_file(store, source, weekly)
    with pytest.raises(NotConfigured, match=r"first import of board \(board_20250101.csv\)"):
        search(OfflineConnector(path), "Zed Quill2")
    with Store(path) as store:
        import_file(store, source, full)  # resumed to its end: searched
    assert [r.source_id for r in search(OfflineConnector(path), "Zed Quill2")] == ["2"]


def test_quotes_that_keep_every_line_open_cost_each_line_twice_not_the_rest_of_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``a","`` opens a quote read alone, and keeps one open read inside another's: each line
    after a bad record started a record of its own to the end of the file (or 1 MB) and
    failed again, so the lines were read some n²/2 times (8,000 lines of a 40 kB file: 10 s;
    a 1 MB file: hours). A line read again after a bad record is a record alone."""
    lines = 2_000
    data = (HEADER + 'a","\n' * lines).encode()
    delivered = 0
    deliver = reading._Records.__next__

    def counted(self: reading._Records) -> str:
        nonlocal delivered
        line = deliver(self)
        delivered += 1
        return line

    monkeypatch.setattr(reading._Records, "__next__", counted)
    problems = reading.Problems()
    spec = board(Path(tempfile.mkdtemp())).files[0]
    assert list(reading.rows(io.BytesIO(data), spec, "t.csv", problems).units) == []
    assert problems.count == lines
    assert delivered <= 1 + 2 * lines  # the header once, each line at most twice
