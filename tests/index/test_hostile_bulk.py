"""Hostile bulk files: every row is stored or reported, never silently lost; and a delta's record
keeps the parts it names, whatever order the deltas are imported in."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from skiptrace.connectors._offline import OfflineConnector
from skiptrace.errors import NotConfigured
from skiptrace.index import Store, import_file, read_bulk_manifest, reading
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


def test_a_source_of_deltas_alone_is_owed_not_no_result(tmp_path: Path) -> None:
    """Only a weekly delta imported, no full file ever started: the source was searched, and a
    debtor it does not hold (a week's changes) was "no result", final."""
    source, path = board(tmp_path), tmp_path / "index.sqlite3"
    weekly = tmp_path / "board_weekly_20250108.csv"
    weekly.write_text(HEADER + row(9), encoding="utf-8")
    with Store(path) as store:
        import_file(store, source, weekly)
    with pytest.raises(
        NotConfigured, match=r"no full file of board, only deltas \(board_weekly_20250108.csv\)"
    ):
        search(OfflineConnector(path), "Zed Quill2")
    full = tmp_path / "board_20250101.csv"
    full.write_text(HEADER + row(1) + row(2, first="Zed", last="Quill") + row(3), "utf-8")
    with Store(path) as store:
        import_file(store, source, full)
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


FIRMS = r"""
id = "firms"
name = "Made-up firms and their officers"
licence = "test data"
file_date = ['_(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})']
delta = '(?i)weekly'

[[file]]
member = "firms_*.csv"
format = "csv"
key = "id"

[[file.record]]
part = "firm"
kind = "organisation"
name = "firm"

[[file.record]]
part = "officer"
kind = "person"
first = "first"
last = "last"
employer = "firm"

[[file.record.address]]
role = "mailing"
lines = ["street"]
city = "city"
postcode = "zip"
"""


def test_a_delta_that_no_longer_names_a_records_officer_removes_the_officer(
    tmp_path: Path,
) -> None:
    """A weekly file's row for firm 1 names no officer now: the firm took the delta's
    version, and Ann Lee stayed filed as its officer, at its old address, until the next full
    file. A delta's record has the parts it names (of an older file's, none other)."""
    manifest = tmp_path / "firms.toml"
    manifest.write_text(FIRMS, encoding="utf-8")
    source = read_bulk_manifest(manifest)
    header = "id,firm,first,last,street,city,zip\n"
    full = tmp_path / "firms_20250101.csv"
    full.write_text(header + "1,Acme Ltd,Ann,Lee,1 Main St,Springfield,62701\n"
                    "2,Bolt Ltd,Bo,Lee,2 Main St,Springfield,62701\n", "utf-8")  # fmt: skip
    weekly = tmp_path / "firms_weekly_20250108.csv"
    weekly.write_text(header + "1,Acme Ltd,,,1 Main St,Springfield,62701\n", "utf-8")
    with Store(tmp_path / "index.sqlite3") as store:
        import_file(store, source, full)
        summary = import_file(store, source, weekly)
        assert [(h.key, h.name) for h in store.search("Ann", "Lee")] == []
        assert [(h.key, h.name) for h in store.search("Bo", "Lee")] == [("2", "Bo Lee")]
        assert [h.key for h in store.search(organisation="Acme Ltd")] == ["1"]
        assert summary.removed == 1
        dangling = "SELECT count(*) FROM keys k WHERE k.part = 'officer' AND k.key = '1'"
        assert store._db.execute(dangling).fetchone() == (0,)


FIRMS_HEADER = "id,firm,first,last,street,city,zip\n"
ACME = "1,Acme Ltd,{},{},1 Main St,Springfield,62701\n"


@contextmanager
def _imported(tmp_path: Path, files: dict[str, str]) -> Iterator[Store]:
    """An index with each of ``files`` (name: its one row) imported, in the order given."""
    manifest = tmp_path / "firms.toml"
    manifest.write_text(FIRMS, encoding="utf-8")
    source = read_bulk_manifest(manifest)
    with Store(tmp_path / "index.sqlite3") as store:
        for name, line in files.items():
            (tmp_path / name).write_text(FIRMS_HEADER + line, encoding="utf-8")
            import_file(store, source, tmp_path / name)
        yield store


def test_an_older_delta_imported_late_does_not_bring_back_an_officer_a_newer_one_removed(
    tmp_path: Path,
) -> None:
    """The week-2 delta names no officer for firm 1 (Ann Lee removed); the week-1 delta,
    imported after it, still names her: she came back as the firm's officer, beside the
    newer firm record that no longer lists her (at the week-1 file's address)."""
    files = {
        "firms_20250101.csv": ACME.format("Ann", "Lee"),
        "firms_weekly_20250115.csv": ACME.format("", ""),
        "firms_weekly_20250108.csv": ACME.format("Ann", "Lee").replace("1 Main", "9 Main"),
    }
    with _imported(tmp_path, files) as store:
        assert [(h.key, h.part) for h in store.search("Ann", "Lee")] == []
        assert [(h.key, h.part) for h in store.search(organisation="Acme Ltd")] == [("1", "firm")]
        orphans = "SELECT count(*) FROM keys k WHERE k.part = 'officer'"
        assert store._db.execute(orphans).fetchone() == (0,)


def test_a_newer_delta_imported_first_keeps_an_officer_it_names(tmp_path: Path) -> None:
    """The other way round: the week-2 delta names Bo Kim, the week-1 delta read late names
    Ann Lee in the same part: Bo Kim stays the officer."""
    files = {
        "firms_20250101.csv": ACME.format("Ann", "Lee"),
        "firms_weekly_20250115.csv": ACME.format("Bo", "Kim"),
        "firms_weekly_20250108.csv": ACME.format("Cy", "Day"),
    }
    with _imported(tmp_path, files) as store:
        assert [h.key for h in store.search("Bo", "Kim")] == ["1"]
        assert [h.key for h in store.search("Ann", "Lee")] == []
        assert [h.key for h in store.search("Cy", "Day")] == []


def test_a_full_file_read_late_still_removes_what_it_no_longer_holds(tmp_path: Path) -> None:
    """A full file read after a newer delta that holds all its records: each record is the
    delta's, and the full file still removes the records of older files it left out (firm 2,
    struck off before it was written)."""
    files = {
        "firms_20250101.csv": ACME.format("Ann", "Lee") + "2,Bolt Ltd,Bo,Kim,2 Main St,X,1\n",
        "firms_weekly_20250115.csv": ACME.format("Cy", "Day"),
        "firms_20250110.csv": ACME.format("Ann", "Lee").replace("1 Main", "9 Main"),
    }
    with _imported(tmp_path, files) as store:
        assert [h.key for h in store.search(organisation="Bolt Ltd")] == []
        assert [h.key for h in store.search("Cy", "Day")] == ["1"]
        assert [h.key for h in store.search("Ann", "Lee")] == []
