"""Hostile bulk files: every malformed line is reported with its line number and the rest is
imported; memory stays flat whatever a file or ZIP member inflates to; a kill mid-import
resumes to the same index a clean import gives; importing is idempotent and a newer file
wins."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from skiptrace.cli import app
from skiptrace.errors import IndexBusy, InputError
from skiptrace.index import Store, import_file, read_bulk_manifest, reading
from skiptrace.index.manifest import BulkSource, bulk_sources
from skiptrace.state import open_store

NPPES = Path(__file__).parent / "fixtures" / "nppes"  # real rows, provenance in PROVENANCE.md
HEADER = "id,first,last,street,city,zip,updated\n"

MANIFEST = r"""
id = "board"
name = "A made-up licensing board"
licence = "test data"
record_url = "https://example.org/licensee/{key}"
homepage = "https://example.org/"  # its record pages are at its origin
file_date = ['_(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})']
delta = '(?i)weekly'

[[file]]
member = "board_*.csv"
format = "csv"
FALLBACK
key = "id"
updated = "updated"

[[file.record]]
part = "person"
kind = "person"
first = "first"
last = "last"

[[file.record.address]]
role = "mailing"
lines = ["street"]
city = "city"
postcode = "zip"

[[file]]
member = "board_*.jsonl"
format = "jsonl"
key = "id"

[[file.record]]
part = "person"
kind = "person"
first = "name.first"
last = "name.last"

[[file]]
member = "board_*.json"
format = "json"
key = "id"

[[file.record]]
part = "person"
kind = "person"
first = "name.first"
last = "name.last"
"""


def board(tmp_path: Path, fallback: str = "cp1252") -> BulkSource:
    path = tmp_path / "board.toml"
    line = f'fallback = "{fallback}"' if fallback else ""
    path.write_text(MANIFEST.replace("FALLBACK", line), encoding="utf-8")
    return read_bulk_manifest(path)


def row(i: int, first: str = "Ann", last: str = "Lee", updated: str = "2025-01-01") -> str:
    return f"{i},{first},{last}{i},{i} Main St,Springfield,62701,{updated}\n"


def names(store: Store) -> dict[str, str]:
    return {k: n for k, n in store._db.execute("SELECT key, name FROM parties")}


def problem_lines(problems: list[str]) -> list[int]:
    return [int(p.split(" line ", 1)[1].split(":", 1)[0]) for p in problems]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "index.sqlite3")


# --- malformed lines ---------------------------------------------------------------------


def test_malformed_csv_lines_are_reported_by_line_number_and_the_rest_imported(
    tmp_path: Path, store: Store
) -> None:
    lines = [
        HEADER,  # 1
        row(1),  # 2
        "2,Ann,Lee2,too,few\n",  # 3: wrong field count
        row(3),  # 4
        "4,A\x00n,Lee4,4 Main St,Springfield,62701,2025-01-01\n",  # 5: a NUL byte
        row(5),  # 6
        "6,Ann," + "x" * (2 << 20) + ",6 Main St,Springfield,62701,2025-01-01\n",  # 7: 2 MB
        row(7),  # 8
        '8,"Ann,Lee8,8 Main St,Springfield,62701,2025-01-01\n',  # 9: unterminated quote
        row(9),  # 10
        row(10),  # 11
        row(11),  # 12
    ]
    path = tmp_path / "board_20250101.csv"
    path.write_text("".join(lines), encoding="utf-8")
    summary = import_file(store, board(tmp_path), path)
    assert problem_lines(summary.problems) == [3, 5, 7, 9]
    assert summary.bad == 4
    assert sorted(names(store), key=int) == ["1", "3", "5", "7", "9", "10", "11"]


def test_a_quoted_field_over_several_lines_is_still_one_row(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "board_20250101.csv"
    path.write_text(HEADER + '1,Ann,Lee,"1 Main St\nSuite 2",Springfield,62701,2025-01-01\n'
                    + row(2), encoding="utf-8")  # fmt: skip
    summary = import_file(store, board(tmp_path), path)
    assert summary.problems == [] and sorted(names(store)) == ["1", "2"]


def test_broken_json_lines_are_reported_and_the_rest_imported(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_LINE", 1000)
    good = '{"id": "%d", "name": {"first": "Ann", "last": "Lee"}}\n'
    lines = [
        good % 1,  # 1
        '{"id": "2", "name": \n',  # 2: broken
        "[1, 2]\n",  # 3: not an object
        '{"id": "4", "pad": "' + "x" * 5000 + '"}\n',  # 4: over the cap
        "[" * 100_000 + "\n",  # 5: nested beyond any parser's stack
        good % 6,  # 6
    ]
    path = tmp_path / "board_20250101.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    summary = import_file(store, board(tmp_path), path)
    assert problem_lines(summary.problems) == [2, 3, 4, 5]
    assert sorted(names(store)) == ["1", "6"]


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, '{"id": "1", "pad": "' + "x" * 5000 + '"}', "not json", "[1, 2]"],
    ids=["nested", "over-the-cap", "broken", "not-objects"],
)
def test_a_json_document_that_cannot_be_read_is_reported(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setattr(reading, "MAX_LINE", 1000)
    path = tmp_path / "board_20250101.json"
    path.write_text(text, encoding="utf-8")
    summary = import_file(store, board(tmp_path), path)
    assert summary.bad >= 1 and summary.problems and summary.parties == 0


# --- ZIPs ----------------------------------------------------------------------------------


def _bomb(path: Path, member: str, head: bytes, tail: bytes, size: int = 200 << 20) -> None:
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open(member, "w") as out,
    ):
        out.write(head)
        chunk = b"a" * (1 << 20)
        for _ in range(size // len(chunk)):
            out.write(chunk)
        out.write(tail)


_MEASURED = """
import json, resource, sys
from pathlib import Path
from skiptrace.index import Store, import_file, read_bulk_manifest
source = read_bulk_manifest(Path(sys.argv[1]))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with Store(Path(sys.argv[3])) as store:
    summary = import_file(store, source, Path(sys.argv[2]))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps([(after - before) * 1024, summary.problems, summary.parties]))
"""


def test_a_csv_zip_bomb_is_read_with_flat_memory(tmp_path: Path) -> None:
    """A line of 72 MB: the growth allowed (64 MB) and one line's cap (``MAX_LINE``, 8 MB)
    more, so a reader holding the line whole would grow past what is allowed."""
    board(tmp_path)
    path = tmp_path / "board_20250101.zip"
    allowed = 64 << 20
    head, tail = (HEADER + row(1) + "2,").encode(), ("\n" + row(3)).encode()
    _bomb(path, "board_20250101.csv", head, tail, size=allowed + reading.MAX_LINE)
    assert path.stat().st_size < 1 << 20
    args = [tmp_path / "board.toml", path, tmp_path / "index.sqlite3"]
    done = subprocess.run([sys.executable, "-c", _MEASURED, *map(str, args)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    grown, problems, parties = json.loads(done.stdout)
    assert grown < allowed, f"grew {grown:,} bytes"
    assert problems == ["board_20250101.zip:board_20250101.csv line 3: longer than 8388608 "
                        "characters"]  # fmt: skip
    assert parties == 2


def test_a_json_zip_bomb_holds_the_cap(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_LINE", 1 << 20)
    path = tmp_path / "board_20250101.zip"
    _bomb(path, "board_1.json", b'{"id": "1", "pad": "', b'"}', size=64 << 20)
    tracemalloc.start()
    try:
        summary = import_file(store, board(tmp_path), path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, f"peak {peak:,} bytes"
    assert summary.bad == 1 and "over" in summary.problems[0]


def test_a_damaged_zip_is_an_input_error_and_replaces_nothing(tmp_path: Path, store: Store) -> None:
    source = board(tmp_path)
    old = tmp_path / "board_20240101.csv"
    old.write_text(HEADER + row(1) + row(2), encoding="utf-8")
    import_file(store, source, old)
    path = tmp_path / "board_20250101.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("board_20250101.csv", HEADER + "".join(row(i) for i in range(3, 3000)))
    data = bytearray(path.read_bytes())
    data[200:260] = b"\xff" * 60  # inside the deflated member
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"board_20250101.*nothing was kept or replaced"):
        import_file(store, source, path)
    assert {"1", "2"} <= set(names(store))
    # what it staged is gone: it could only fail again (each such file cost 70 times its size)
    for table in ("staged_parties", "staged_keys", "staged_extras", "progress"):
        assert store._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert store._db.execute("SELECT count(*) FROM files WHERE finished IS NULL").fetchone()[0] == 0
    truncated = tmp_path / "board_20250102.zip"
    truncated.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(InputError, match=r"board_20250102\.zip: a damaged ZIP: its end is missing"):
        import_file(store, source, truncated)
    marked = tmp_path / "board_20250103.zip"  # the marker some tools write before the header
    marked.write_bytes(b"PK\x07\x08" + bytes(data[: len(data) // 2]))
    with pytest.raises(InputError, match=r"board_20250103\.zip: a damaged ZIP: its end is missing"):
        import_file(store, source, marked)


@pytest.mark.parametrize(("second", "named"), [
    ("board_20250101.csv", "'board_20250101.csv'"),
    ("BOARD_20250101.CSV", "'BOARD_20250101.CSV' and 'board_20250101.csv'"),
    ("./board_20250101.csv", "'./board_20250101.csv' and 'board_20250101.csv'"),
    ("old/board_20250101.csv", "'board_20250101.csv' and 'old/board_20250101.csv'"),
    ("/board_20250101.csv", "'/board_20250101.csv' and 'board_20250101.csv'"),
    ("old\\board_20250101.csv", "'board_20250101.csv' and 'old\\\\board_20250101.csv'"),
    ("board_20250101.csv ", "'board_20250101.csv' and 'board_20250101.csv '"),
    ("board_20250101.csv.", "'board_20250101.csv' and 'board_20250101.csv.'"),
])  # fmt: skip
def test_a_zip_with_two_members_of_one_name_is_refused(
    tmp_path: Path, store: Store, second: str, named: str
) -> None:
    """Both were read (by one name, as the same member; or by its spelling in another case or
    folder): every record counted twice. Which of the two is the data cannot be told, so the
    file is refused and imports nothing."""
    source = board(tmp_path)
    path = tmp_path / "board_20250101.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name, as it should
        archive.writestr("board_20250101.csv", HEADER + row(1))
        archive.writestr(second, HEADER + row(2))
    with pytest.raises(
        InputError, match=f"a damaged ZIP: it holds two members named {re.escape(named)}$"
    ):
        import_file(store, source, path)
    assert not names(store)


@pytest.mark.parametrize("flag", ["deflate64", "encrypted"])
def test_a_member_zipfile_cannot_read_is_an_input_error(
    tmp_path: Path, store: Store, flag: str
) -> None:
    path = tmp_path / "board_20250101.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("board_20250101.csv", HEADER + row(1))
    data = bytearray(path.read_bytes())
    for header, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.index(header)
        if flag == "deflate64":  # method 9, which zipfile does not inflate
            data[start + at + 2 : start + at + 4] = (9).to_bytes(2, "little")
        else:
            data[start + at] |= 1
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="cannot be read to its end"):
        import_file(store, board(tmp_path), path)


def test_a_file_no_member_pattern_takes_is_an_input_error(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "other_20250101.csv"
    path.write_text(HEADER + row(1), encoding="utf-8")
    with pytest.raises(InputError, match="holds no file board reads"):
        import_file(store, board(tmp_path), path)
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(InputError, match="holds no file board reads"):
        import_file(store, board(tmp_path), archive)


def test_a_fifo_or_a_folder_given_as_file_is_an_input_error(tmp_path: Path, store: Store) -> None:
    fifo = tmp_path / "board_20250101.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "board_20250102.csv"
    folder.mkdir()
    for path in (fifo, folder):
        with pytest.raises(InputError, match="not a file"):
            import_file(store, board(tmp_path), path)


def test_the_cli_reports_an_unreadable_file_in_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "npidata_pfile_20250101-20250107.csv"
    os.mkfifo(fifo)
    result = CliRunner().invoke(app, ["index", "import", "nppes", str(fifo), "--no-progress"])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("not a file")


@pytest.mark.parametrize("text", ["", HEADER, "\n\n"], ids=["empty", "header-only", "blank"])
def test_an_empty_full_file_imports_nothing_and_removes_nothing(
    tmp_path: Path, store: Store, text: str
) -> None:
    source = board(tmp_path)
    old = tmp_path / "board_20240101.csv"
    old.write_text(HEADER + row(1), encoding="utf-8")
    import_file(store, source, old)
    path = tmp_path / "board_20250101.csv"
    path.write_text(text, encoding="utf-8")
    summary = import_file(store, source, path)
    assert summary.parties == 0 and summary.removed == 0
    assert set(names(store)) == {"1"}


def test_a_file_without_its_key_column_is_refused(tmp_path: Path, store: Store) -> None:
    source = board(tmp_path)
    old = tmp_path / "board_20240101.csv"
    old.write_text(HEADER + row(1), encoding="utf-8")
    import_file(store, source, old)
    path = tmp_path / "board_20250101.csv"
    path.write_text(HEADER.replace("id,", "ident,") + row(2), encoding="utf-8")
    with pytest.raises(InputError, match="id"):
        import_file(store, source, path)
    assert set(names(store)) == {"1"}


# --- encodings and line endings ---------------------------------------------------------


def test_a_bom_before_a_quoted_header_and_crlf_line_endings(tmp_path: Path, store: Store) -> None:
    header = ",".join(f'"{c}"' for c in HEADER.strip().split(","))
    body = '"1","Ann","Lee","1 Main St","Springfield","62701","2025-01-01"'
    path = tmp_path / "board_20250101.csv"
    path.write_bytes(("\ufeff" + header + "\r\n" + body + "\r\n").encode("utf-8"))
    summary = import_file(store, board(tmp_path), path)
    assert summary.problems == [] and summary.missing_columns == []
    hit = store.search("Ann", "Lee")[0]
    assert hit.key == "1" and hit.places[0].postcode == "62701"


def test_cp1252_values_are_decoded_with_the_nppes_fallback_and_counted(
    tmp_path: Path, store: Store
) -> None:
    source = bulk_sources()[0]["nppes"]
    raw = (NPPES / "npidata_legacy329_head111.csv").read_bytes()
    raw = raw.replace(b'"WIEBE","DAVID"', b'"WIEB\xc9","JOS\xc9"', 1)
    path = tmp_path / "npidata_pfile_20050523-20251109.csv"
    path.write_bytes(raw)
    summary = import_file(store, source, path)
    assert summary.fixed == 1
    assert summary.file_date == "2025-11-09"
    hit = store.search("José", "Wiebé")[0]
    assert hit.name == "JOSÉ A WIEBÉ"


def test_invalid_utf8_without_a_fallback_is_replaced(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "board_20250101.csv"
    path.write_bytes((HEADER + "1,Jos\xe9,Lee,1 Main St,Springfield,62701,2025-01-01\n")
                     .encode("latin-1"))  # fmt: skip
    summary = import_file(store, board(tmp_path, fallback=""), path)
    assert summary.fixed == 0
    assert names(store) == {"1": "Jos\ufffd Lee"}


# --- idempotence, replacement, deltas -----------------------------------------------------


def test_an_index_locked_by_another_import_is_one_line_to_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skiptrace.index import store as store_module

    def impatient(path: Path, schema: str) -> sqlite3.Connection:
        db = open_store(path, schema)
        db.execute("PRAGMA busy_timeout = 50")
        return db

    monkeypatch.setattr(store_module, "open_store", impatient)
    path = tmp_path / "npidata_pfile_20050523-20251109.csv"
    path.write_bytes((NPPES / "npidata_1063947125.csv").read_bytes())
    Store().close()
    other = sqlite3.connect(store_module.index_path(), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = CliRunner().invoke(app, ["index", "import", "nppes", str(path), "--no-progress"])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"skiptrace index import: {path.name}: the index is busy (database is locked); run the "
        "same command again to resume")  # fmt: skip
    again = CliRunner().invoke(app, ["index", "import", "nppes", str(path), "--no-progress"])
    assert again.exit_code == 0 and "2 records" in again.stdout


def test_a_second_writer_is_refused_while_an_import_runs(tmp_path: Path) -> None:
    """Two imports at once each counted the other's staged rows as their own (a file of
    138,592 records reported as 165,698): an import or a drop holds the index for itself, and a
    second one is told so in one line and changes nothing."""
    from skiptrace.index import store as store_module

    path = tmp_path / "npidata_pfile_20050523-20251109.csv"
    path.write_bytes((NPPES / "npidata_1063947125.csv").read_bytes())
    with Store() as holder, holder.writing():
        busy = CliRunner().invoke(app, ["index", "import", "nppes", str(path), "--no-progress"])
        dropped = CliRunner().invoke(app, ["index", "drop", "nppes"])
    for result in (busy, dropped):
        assert result.exit_code == 2, result.output
        assert result.stderr.strip().endswith(
            f"another import or drop is writing to the index {store_module.index_path()}; run "
            "the same command again once it has ended"
        )
    assert busy.stderr.startswith(f"skiptrace index import: {path.name}: ")
    assert dropped.stderr.startswith("skiptrace index drop: ")
    assert busy.stderr.count("\n") == dropped.stderr.count("\n") == 1
    with Store() as store:
        assert not store.has_records()
    again = CliRunner().invoke(app, ["index", "import", "nppes", str(path), "--no-progress"])
    assert again.exit_code == 0 and "2 records" in again.stdout


def test_a_write_without_holding_the_index_is_refused(tmp_path: Path) -> None:
    """The lock holds by construction: a writer that forgot ``Store.writing`` changes
    nothing; holding it, the same call goes through."""
    path = tmp_path / "npidata_pfile_20050523-20251109.csv"
    path.write_bytes((NPPES / "npidata_1063947125.csv").read_bytes())
    assert CliRunner().invoke(app, ["index", "import", "nppes", str(path)]).exit_code == 0
    with Store() as store:
        with pytest.raises(RuntimeError, match=r"written only while held \(Store\.writing\)"):
            store.drop("nppes")
        with pytest.raises(RuntimeError):
            store.start_file("nppes", "x.csv", "0" * 64, "2025-01-01", False, "now")
        with store.writing():
            with pytest.raises(IndexBusy), store.writing():  # refused: the first still holds
                pass
            other = ThreadPoolExecutor(1).submit(store.drop, "nppes")
            with pytest.raises(RuntimeError):  # another thread does not hold it
                other.result()
            assert store.has_records() and len(store.files()) == 1
            assert store.drop("nppes") == 2
        assert not store.has_records()


def _imported_dated(path: Path, day: str) -> Result:
    """``skiptrace index import nppes PATH --file-date DAY``."""
    return CliRunner().invoke(app, ["index", "import", "nppes", str(path), "--file-date", day,
                                    "--no-progress"])  # fmt: skip


@pytest.mark.parametrize("day", ["yesterday", "2025-13-01", "20250101", "2025-1-1"])
def test_a_file_date_that_is_not_a_day_is_refused(tmp_path: Path, day: str) -> None:
    path = tmp_path / "npidata_pfile_20050523-20251109.csv"
    path.write_bytes((NPPES / "npidata_1063947125.csv").read_bytes())
    result = _imported_dated(path, day)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"skiptrace index import: file date {day!r}: a day written YYYY-MM-DD"
    )


def test_a_file_date_the_files_name_overrides_is_said_not_used(tmp_path: Path) -> None:
    """The file's name dates it before ``--file-date`` does (one date given for several files
    must not misdate those that say theirs): a date given and not used is said, not dropped
    unseen."""
    path = tmp_path / "npidata_pfile_20050523-20251109.csv"
    path.write_bytes((NPPES / "npidata_1063947125.csv").read_bytes())
    result = _imported_dated(path, "2020-06-30")
    assert result.exit_code == 0, result.stderr
    assert "(2025-11-09, full)" in result.stdout
    assert result.stderr.strip() == (
        f"note: {path.name}: --file-date 2020-06-30 not used: its name dates it 2025-11-09"
    )


def test_a_file_date_a_resumed_import_does_not_use_is_said_so(tmp_path: Path) -> None:
    """An import resumed keeps the date it was started with: a new ``--file-date`` for a
    file whose name says no date is not used, and the note says why (it had said "its name
    dates it", of a name that dates nothing)."""
    from skiptrace.index.store import index_path

    path = tmp_path / "npidata_pfile_latest.csv"
    path.write_bytes((NPPES / "npidata_1063947125.csv").read_bytes())

    def stop(rows: int) -> None:
        raise KeyboardInterrupt

    with Store(index_path()) as store, pytest.raises(KeyboardInterrupt):
        import_file(store, bulk_sources()[0]["nppes"], path, file_date="2020-06-30",
                    progress=stop, batch_size=1)  # fmt: skip
    result = _imported_dated(path, "2021-01-01")
    assert result.exit_code == 0, result.stderr
    assert "(2020-06-30, full, resumed)" in result.stdout
    assert result.stderr.strip() == (
        f"note: {path.name}: --file-date 2021-01-01 not used: the import it resumes is dated "
        "2020-06-30"
    )


def test_importing_the_same_file_twice_is_a_no_op(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "board_20250101.csv"
    path.write_text(HEADER + row(1) + row(2), encoding="utf-8")
    first = import_file(store, board(tmp_path), path)
    again = import_file(store, board(tmp_path), path)
    assert not first.already and again.already and again.parties == first.parties == 2


def _import(store: Store, source: BulkSource, path: Path, text: str) -> None:
    path.write_text(HEADER + text, encoding="utf-8")
    import_file(store, source, path)


def test_a_newer_full_file_replaces_the_sources_older_rows_only(
    tmp_path: Path, store: Store
) -> None:
    source = board(tmp_path)
    other = read_bulk_manifest(_other(tmp_path))
    _import(store, other, tmp_path / "board_20240101.csv", row(1))
    _import(store, source, tmp_path / "board_20240101.csv", row(1) + row(2))
    newer = tmp_path / "board_20250101.csv"
    newer.write_text(HEADER + row(2, first="Anna") + row(3), encoding="utf-8")
    assert import_file(store, source, newer).removed == 1  # the record, not its keys too
    rows = set(store._db.execute("SELECT source, key, first FROM parties"))
    assert rows == {("other", "1", "Ann"), ("board", "2", "Anna"), ("board", "3", "Ann")}
    assert {(h.source, h.key) for h in store.search("Ann", "Lee")} == {
        ("other", "1"), ("board", "2"), ("board", "3")}  # fmt: skip


def _other(tmp_path: Path) -> Path:
    path = tmp_path / "other.toml"
    path.write_text(MANIFEST.replace('"board"', '"other"').replace("FALLBACK", ""), "utf-8")
    return path


def test_a_weekly_delta_upserts_and_deletes_nothing(tmp_path: Path, store: Store) -> None:
    source = board(tmp_path)
    _import(store, source, tmp_path / "board_20250101.csv", row(1) + row(2))
    _import(store, source, tmp_path / "board_20250108_weekly.csv", row(2, first="Anna") + row(3))
    assert {k: n.split()[0] for k, n in names(store).items()} == {"1": "Ann", "2": "Anna",
                                                                  "3": "Ann"}  # fmt: skip


def test_a_delta_renamed_by_its_downloader_is_still_a_delta(tmp_path: Path, store: Store) -> None:
    """A weekly file inside a ZIP saved as download.zip was a full file by the ZIP's name, and
    removed every record the weekly did not hold."""
    source = board(tmp_path)
    _import(store, source, tmp_path / "board_20250101.csv", row(1) + row(2))
    weekly = tmp_path / "board_20250108_weekly.csv"
    weekly.write_text(HEADER + row(2, first="Anna"), encoding="utf-8")
    renamed = tmp_path / "download.zip"
    with zipfile.ZipFile(renamed, "w") as archive:
        archive.write(weekly, weekly.name)
    summary = import_file(store, source, renamed)
    assert summary.delta
    assert {k: n.split()[0] for k, n in names(store).items()} == {"1": "Ann", "2": "Anna"}


def test_an_older_file_imported_later_does_not_overwrite_or_resurrect(
    tmp_path: Path, store: Store
) -> None:
    source = board(tmp_path)
    _import(store, source, tmp_path / "board_20250101.csv", row(1) + row(2))
    _import(store, source, tmp_path / "board_20250301.csv", row(1, first="Anna"))
    _import(store, source, tmp_path / "board_20250201_weekly.csv",
            row(1, first="Old") + row(2, first="Gone"))  # fmt: skip
    assert names(store) == {"1": "Anna Lee1"}
    _import(store, source, tmp_path / "board_20250215.csv", row(1, first="Old") + row(2))
    assert names(store) == {"1": "Anna Lee1"}
    assert [h.key for h in store.search("Anna", "Lee1")] == ["1"]


@pytest.mark.parametrize(("given", "kept"), [("2025-02-03", "2025-02-03"),
                                             ("2025-02-03T10:00:00Z", "2025-02-03"),
                                             ("2025-13-45", ""), ("soon", "")])  # fmt: skip
def test_a_record_date_that_is_not_a_day_is_unknown(
    tmp_path: Path, store: Store, given: str, kept: str
) -> None:
    path = tmp_path / "board_20250301.csv"
    path.write_text(HEADER + row(1, updated=given), encoding="utf-8")
    import_file(store, board(tmp_path), path)
    assert store.search("Ann", "Lee")[0].updated == kept


def test_the_records_counted_are_those_stored(tmp_path: Path, store: Store) -> None:
    source = board(tmp_path)
    newer = tmp_path / "board_20250301_weekly.csv"
    newer.write_text(HEADER + row(1) + row(2), encoding="utf-8")
    assert import_file(store, source, newer).parties == 2
    older = tmp_path / "board_20250201_weekly.csv"
    older.write_text(HEADER + row(1, first="Old") + row(3), encoding="utf-8")
    assert import_file(store, source, older).parties == 1  # row 3; row 1 is older than stored


def test_two_parts_of_the_same_date_keep_each_others_rows(tmp_path: Path, store: Store) -> None:
    source = board(tmp_path)
    _import(store, source, tmp_path / "board_20240101.csv", row(1) + row(2) + row(9))
    _import(store, source, tmp_path / "board_20250101_part1.csv", row(1))
    _import(store, source, tmp_path / "board_20250101_part2.csv", row(2))
    assert sorted(names(store)) == ["1", "2"]


def test_an_older_delta_then_a_same_date_part_keeps_the_record_findable(
    tmp_path: Path, store: Store
) -> None:
    source = board(tmp_path)
    _import(store, source, tmp_path / "board_20250301_weekly.csv", row(1))
    _import(store, source, tmp_path / "board_20250201_weekly.csv", row(1))
    _import(store, source, tmp_path / "board_20250301_part2.csv", row(2))
    assert "1" in [h.key for h in store.search("Ann", "Lee1")]


# --- a kill mid-import ----------------------------------------------------------------------

_KILLABLE = """
import sys, time
from pathlib import Path
from skiptrace.index import Store, import_file
from skiptrace.index.manifest import bulk_sources
source = bulk_sources()[0]["nppes"]
with Store(Path(sys.argv[1])) as store:
    # once past row HOLD (a batch of the member to be killed in committed), held till killed
    hold = int(sys.argv[3])
    import_file(store, source, Path(sys.argv[2]), batch_size=5,
                progress=lambda read: time.sleep(3600 if read >= hold else 0))
"""


def _content(path: Path) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        parties = db.execute("SELECT source, key, part, name, places, aliases, updated, member, "
                             "line FROM parties ORDER BY 1, 2, 3").fetchall()  # fmt: skip
        keys = db.execute("SELECT block, key, part FROM keys ORDER BY 1, 2, 3").fetchall()
        extras = db.execute("SELECT key, what, value FROM extras ORDER BY 1, 2, 3").fetchall()
        files = db.execute("SELECT rows, bad, fixed, parties, finished IS NOT NULL "
                           "FROM files").fetchall()  # fmt: skip
        return [*parties, *keys, *extras, *files]
    finally:
        db.close()


def _nppes_bundle(tmp_path: Path) -> Path:
    path = tmp_path / "NPPES_Data_Dissemination_November_2025_V2.zip"
    side = NPPES / "othername_pfile_20251103-20251109.head300.csv"
    others = side.read_text().splitlines()[:300]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(NPPES / "npidata_legacy329_head111.csv",
                      "npidata_pfile_20050523-20251109.csv")  # fmt: skip
        archive.writestr("othername_pfile_20050523-20251109.csv", "\n".join(others) + "\n")
        archive.write(NPPES / "pl_pfile_20251103-20251109.head600.csv",
                      "pl_pfile_20050523-20251109.csv")  # fmt: skip
    return path


@pytest.mark.parametrize(
    ("kind", "member"), [("csv", "%npidata%"), ("zip", "%othername%")], ids=["csv", "zip"]
)
def test_a_killed_import_resumes_to_what_a_clean_import_gives(
    tmp_path: Path, kind: str, member: str
) -> None:
    if kind == "csv":
        data = tmp_path / "npidata_pfile_20050523-20251109.csv"
        data.write_bytes((NPPES / "npidata_legacy329_head111.csv").read_bytes())
        hold = 10
    else:  # killed in its second member: the first is not read again
        data = _nppes_bundle(tmp_path)
        hold = 111 + 20  # the first member's rows, then some of the second's
    killed = tmp_path / "home" / "index.sqlite3"
    killed.parent.mkdir(parents=True, exist_ok=True)
    # the import killed in a process of its own, a fork of this one (a fresh Python and its
    # imports had been most of the test's CPU)
    child = os.fork()
    if child == 0:  # pragma: no cover - the child, killed while it runs
        try:
            os.environ["SKIPTRACE_HOME"] = str(killed.parent)
            sys.argv = ["-c", str(killed), str(data), str(hold)]
            exec(compile(_KILLABLE, "<killable>", "exec"), {"__name__": "__main__"})
        finally:
            os._exit(1)
    running = os.WEXITED | os.WNOHANG | os.WNOWAIT  # left to be reaped after the kill
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and os.waitid(os.P_PID, child, running) is None:
            if killed.is_file():
                try:
                    with sqlite3.connect(killed) as db:
                        if db.execute("SELECT count(*) FROM progress WHERE member LIKE ?",
                                      (member,)).fetchone()[0]:  # fmt: skip
                            break
                except sqlite3.OperationalError:
                    pass
            time.sleep(0.005)
        else:
            pytest.fail("no progress was committed")
    finally:  # whatever the loop raised, the child never outlives it
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    runner = CliRunner()
    stats = runner.invoke(app, ["index", "stats"])
    assert "interrupted" in stats.stdout
    resumed = runner.invoke(app, ["index", "import", "nppes", str(data), "--no-progress"])
    assert resumed.exit_code == 0, resumed.output
    assert "resumed" in resumed.stdout
    clean = tmp_path / "clean.sqlite"
    with Store(clean) as store:
        import_file(store, bulk_sources()[0]["nppes"], data)
    assert _content(killed) == _content(clean)
    assert "done" in runner.invoke(app, ["index", "stats"]).stdout


# --- rows that cannot be stored, values that are not text, joins --------------------------


def test_two_file_specs_that_read_one_member_both_read_it(tmp_path: Path, store: Store) -> None:
    text = (
        MANIFEST.replace("FALLBACK", "")
        + """
[[file]]
member = "board_*.csv"
format = "csv"
key = "id"
aliases = ["street"]
"""
    )
    manifest = tmp_path / "twice.toml"
    manifest.write_text(text, encoding="utf-8")
    path = tmp_path / "board_20250101.csv"
    path.write_text(HEADER + row(1) + row(2), encoding="utf-8")
    summary = import_file(store, read_bulk_manifest(manifest), path, batch_size=1)
    assert summary.rows == 4
    assert set(store._db.execute("SELECT key, value FROM extras")) == {
        ("1", "1 Main St"), ("2", "2 Main St")}  # fmt: skip


def test_a_row_without_a_key_is_reported_not_dropped(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "board_20250101.csv"
    path.write_text(HEADER + row(1) + ",Ann,Lee,2 Main St,Springfield,62701,2025-01-01\n",
                    encoding="utf-8")  # fmt: skip
    summary = import_file(store, board(tmp_path), path)
    assert summary.problems == ["board_20250101.csv line 3: no key (id is empty)"]
    assert (summary.rows, summary.bad, summary.parties) == (2, 1, 1)


def test_only_the_invalid_bytes_of_a_value_are_decoded_with_the_fallback(
    tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "board_20250101.csv"
    street = "Calle Muñoz 5 ".encode() + b"\xe9tage 2"  # UTF-8 beside a cp1252 byte
    path.write_bytes(HEADER.encode() + b"1,Ann,Lee," + street + b",Springfield,62701,2025-01-01\n")
    summary = import_file(store, board(tmp_path), path)
    assert summary.fixed == 1
    assert store.search("Ann", "Lee")[0].places[0].lines == ("Calle Muñoz 5 étage 2",)


def test_a_lone_surrogate_in_json_is_replaced_not_a_crash(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "board_20250101.jsonl"
    path.write_text('{"id": "1", "name": {"first": "A\\ud800n", "last": "Lee"}}\n', "utf-8")
    summary = import_file(store, board(tmp_path), path)
    assert summary.parties == 1 and names(store) == {"1": "A\ufffdn Lee"}


JOINED = r"""
id = "filings"
name = "Made-up filings"
licence = "test data"

[[file]]
member = "OWNER.tsv"
format = "tsv"
key = ["OWNER", "sub.ISSUER"]

[file.join]
member = "SUBMISSION.tsv"
on = "ACC"
as = "sub"

[[file.record]]
part = "owner"
kind = "person"
name = "OWNER"
employer = "sub.ISSUERNAME"
"""


def _joined_manifest(tmp_path: Path) -> Path:
    manifest = tmp_path / "filings.toml"
    manifest.write_text(JOINED, encoding="utf-8")
    return manifest


def test_a_joined_member_holds_only_the_columns_read_and_is_capped(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skiptrace.index import importer
    from skiptrace.index.reading import Download

    source = read_bulk_manifest(_joined_manifest(tmp_path))
    path = tmp_path / "filings_2025q1.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("SUBMISSION.tsv", "ACC\tISSUER\tISSUERNAME\tPAD\n" + "".join(
            f"a{i}\tI{i}\tIssuer {i} Inc\t{'x' * 500}\n" for i in range(20)))  # fmt: skip
        archive.writestr("OWNER.tsv", "ACC\tOWNER\na3\tAnn Lee\n")
    with Download(path) as download:
        table = importer._joined(download, source.files[0], path.name)
    assert table["a3"] == {"ISSUER": "I3", "ISSUERNAME": "Issuer 3 Inc"}
    import_file(store, source, path)
    [hit] = store.search("Ann", "Lee")
    assert (hit.key, hit.employer) == ("Ann Lee I3", "Issuer 3 Inc")
    monkeypatch.setattr(importer, "MAX_JOINED", 10)
    with pytest.raises(InputError, match="over 10 rows to join"):
        import_file(Store(tmp_path / "other.sqlite3"), source, path)


@pytest.mark.parametrize("second", ["SUBMISSION.tsv", "old/SUBMISSION.tsv", "submission.TSV"])
def test_a_joined_member_held_twice_is_refused(tmp_path: Path, store: Store, second: str) -> None:
    """The file joined to each row, twice: whichever came first gave every owner its
    employer (a later copy naming another issuer was read as the truth, or never read)."""
    source = read_bulk_manifest(_joined_manifest(tmp_path))
    path = tmp_path / "filings_2025q1.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name, as it should
        archive.writestr("OWNER.tsv", "ACC\tOWNER\na3\tAnn Lee\n")
        archive.writestr("SUBMISSION.tsv", "ACC\tISSUER\tISSUERNAME\na3\tI3\tAcme Tool Co\n")
        archive.writestr(second, "ACC\tISSUER\tISSUERNAME\na3\tI9\tWrong Employer Inc\n")
    with pytest.raises(InputError, match="a damaged ZIP: it holds two members named "):
        import_file(store, source, path)
    assert not names(store)


def test_a_copy_of_a_member_is_read_once_and_mac_metadata_not_at_all(
    tmp_path: Path, store: Store
) -> None:
    """A member packed twice under two names ("x (1).csv", a name only a zero-width space
    tells apart) holds the same bytes: read once, every record counted once. A Mac's
    ``__MACOSX/._name`` resource files match the data's pattern but are not data."""
    source = board(tmp_path)
    path = tmp_path / "board_20250101.zip"
    data = HEADER + row(1) + row(2)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("board_20250101.csv", data)
        archive.writestr("board_20250101 (1).csv", data)
        archive.writestr("board_\u200b20250101.csv", data)
        archive.writestr("__MACOSX/._board_20250101.csv", b"\x00\x05\x16\x07 not a CSV")
        archive.writestr("._board_20250102.csv", b"\x00\x05\x16\x07 not a CSV")
    with reading.Download(path) as download:
        assert [m.name for m in reading.plan(download, source)] == ["board_20250101 (1).csv"]
    summary = import_file(store, source, path)
    assert summary.rows == 2 and not summary.problems, summary
    assert sorted(names(store)) == ["1", "2"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(alphabet='ab ,"\n\t', max_size=6), min_size=3, max_size=3),
                max_size=6),
       st.sampled_from(["\n", "\r\n"]))  # fmt: skip
def test_well_formed_csv_reads_as_the_csv_module_writes_it(
    table: list[list[str]], ending: str
) -> None:
    """Reading again after a bad record changes nothing for good ones (quoted commas, quotes
    and line breaks included). A lone CR is left out: csv.writer does not quote it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending).writerows([["x", "y", "z"], *table])
    spec = board(Path(tempfile.mkdtemp())).files[0]
    problems = reading.Problems()
    read = reading.rows(io.BytesIO(buffer.getvalue().encode()), spec, "t.csv", problems)
    assert [u.row for u in read.units] == table
    assert problems.count == 0


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=300).map(lambda b: b"x,y,z\n" + b.replace(b"\x01", b'"')))
def test_any_bytes_read_without_an_exception_and_every_line_is_counted(data: bytes) -> None:
    spec = board(Path(tempfile.mkdtemp())).files[0]
    problems = reading.Problems()
    units = list(reading.rows(io.BytesIO(data), spec, "t.csv", problems).units)
    lines = data.count(b"\n") + data.count(b"\r") + 1
    assert len(units) + problems.count <= lines
    assert all(len(u.row) == 3 for u in units)


TSV = r"""
id = "remarks"
name = "Made-up remarks"
licence = "test data"

[[file]]
member = "REMARKS.tsv"
format = "tsv"
key = "ID"

[[file.record]]
part = "filer"
kind = "person"
name = "NAME"
title = "REMARK"
"""


def test_tsv_is_plain_tab_separated_and_a_quote_is_text(tmp_path: Path, store: Store) -> None:
    manifest = tmp_path / "remarks.toml"
    manifest.write_text(TSV, encoding="utf-8")
    source = read_bulk_manifest(manifest)
    path = tmp_path / "REMARKS.tsv"
    path.write_text('ID\tNAME\tREMARK\n1\tAnn Lee\t"Quoted, open\n2\tBob Roe\tplain\n'
                    '3\tCy Poe\tends"\n', encoding="utf-8")  # fmt: skip
    summary = import_file(store, source, path)
    assert (summary.rows, summary.bad) == (3, 0)
    titles = dict(store._db.execute("SELECT key, title FROM parties"))
    assert titles == {"1": '"Quoted, open', "2": "plain", "3": 'ends"'}


def test_a_bad_row_of_a_joined_member_is_reported_with_its_line(
    tmp_path: Path, store: Store
) -> None:
    source = read_bulk_manifest(_joined_manifest(tmp_path))
    path = tmp_path / "filings_2025q1.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("SUBMISSION.tsv", "ACC\tISSUER\tISSUERNAME\n"
                         "a1\tI1\tIssuer 1 Inc\na2\tI2\n")  # fmt: skip
        archive.writestr("OWNER.tsv", "ACC\tOWNER\na1\tAnn Lee\n")
    summary = import_file(store, source, path)
    assert summary.bad == 1
    assert [p.split(": ", 1)[0] for p in summary.problems] == [f"{path.name}:SUBMISSION.tsv line 3"]


def test_a_files_name_dates_it_before_file_date_does(tmp_path: Path, store: Store) -> None:
    """``--file-date`` dates the files whose names do not say their date; one given for several
    files must not misdate the others (the newest file's record wins)."""
    source = board(tmp_path)
    named = tmp_path / "board_20250101.csv"
    named.write_text(HEADER + row(1), encoding="utf-8")
    unnamed = tmp_path / "board_latest.csv"
    unnamed.write_text(HEADER + row(2), encoding="utf-8")
    os.utime(unnamed, (0, 0))  # 1970-01-01, if neither the name nor the flag said
    assert import_file(store, source, named, file_date="2020-06-30").file_date == "2025-01-01"
    assert import_file(store, source, unnamed, file_date="2020-06-30").file_date == "2020-06-30"


@pytest.mark.parametrize("change", ["appended", "cut"])
def test_a_file_that_changes_during_its_import_is_not_recorded_as_imported(
    tmp_path: Path, store: Store, change: str
) -> None:
    """A download still being written (or cut) while it is imported: its hash was taken at the
    start, so recording the import under it would make the complete file's import a no-op
    ("already imported") with rows missing. The import stops, saying so; nothing is replaced,
    and importing the complete file afterwards reads it whole."""
    path = tmp_path / "board_20250101.csv"
    path.write_text(HEADER + "".join(row(i) for i in range(1, 41)), encoding="utf-8")
    original = path.read_bytes()
    changed: list[int] = []

    def download_goes_on(read: int) -> None:
        if not changed:
            changed.append(read)
            if change == "appended":
                with path.open("a", encoding="utf-8") as handle:
                    handle.write(row(41))
            else:
                path.write_bytes(original[: len(original) // 2])

    with pytest.raises(InputError, match="changed while it was imported"):
        import_file(store, board(tmp_path), path, progress=download_goes_on, batch_size=5)
    assert changed
    path.write_text(HEADER + "".join(row(i) for i in range(1, 42)), encoding="utf-8")
    summary = import_file(store, board(tmp_path), path)
    assert not summary.already and len(names(store)) == 41


def test_a_file_dated_in_the_future_is_refused(tmp_path: Path, store: Store) -> None:
    """A newer file's record always wins, so a file dated 2099 (a typo in its name, a wrong
    --file-date) would win over every real file imported after it, for good. Refused, saying
    why; a date within a quarter from today passes (quarterly files are dated by the quarter's
    last day)."""
    later = tmp_path / "board_20990101.csv"
    later.write_text(HEADER + row(1), encoding="utf-8")
    with pytest.raises(InputError, match=r"2099-01-01 .*future"):
        import_file(store, board(tmp_path), later)
    undated = tmp_path / "board_latest.csv"
    undated.write_text(HEADER + row(2), encoding="utf-8")
    with pytest.raises(InputError, match="future"):
        import_file(store, board(tmp_path), undated, file_date="2099-01-01")
    assert names(store) == {}
    soon = (date.today() + timedelta(days=60)).isoformat()
    assert import_file(store, board(tmp_path), undated, file_date=soon).file_date == soon


def test_a_full_file_that_would_remove_most_of_its_source_needs_allow_shrink(
    tmp_path: Path, store: Store
) -> None:
    """A download cut at a line boundary reads as a valid, smaller full file, and a full file
    replaces its source: 1,200 licensees would become 100. It stops, saying how many it would
    remove, and removes nothing; ``allow_shrink`` says the source really shrank."""
    whole = tmp_path / "board_20250101.csv"
    whole.write_text(HEADER + "".join(row(i) for i in range(1, 1201)), encoding="utf-8")
    import_file(store, board(tmp_path), whole)
    cut = tmp_path / "board_20250201.csv"
    cut.write_text(HEADER + "".join(row(i, updated="2025-02-01") for i in range(1, 101)),
                   encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError, match=r"remove 1,100 of its 1,200 records.*allow-shrink"):
        import_file(store, board(tmp_path), cut)
    assert len(names(store)) == 1200
    shrunk = import_file(store, board(tmp_path), cut, allow_shrink=True)
    assert shrunk.removed == 1100 and len(names(store)) == 100


def test_a_full_file_cutting_most_of_a_side_file_needs_allow_shrink(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only records were counted: a December bundle whose pl_pfile was cut to 5 rows removed
    the other 49,995 practice locations without a word (here 600 and a floor of 100)."""
    monkeypatch.setattr("skiptrace.index.store.SHRINK_MIN", 100)
    source = bulk_sources()[0]["nppes"]
    november = _nppes_bundle(tmp_path)
    import_file(store, source, november)
    locations = store._db.execute("SELECT count(*) FROM extras").fetchone()[0]
    december = tmp_path / "NPPES_Data_Dissemination_December_2025_V2.zip"
    rows = (NPPES / "pl_pfile_20251103-20251109.head600.csv").read_text().splitlines()
    with zipfile.ZipFile(december, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(NPPES / "npidata_legacy329_head111.csv",
                      "npidata_pfile_20050523-20251207.csv")  # fmt: skip
        archive.writestr("pl_pfile_20050523-20251207.csv", "\n".join(rows[:6]) + "\n")
    with pytest.raises(InputError, match=r"side-file rows.*allow-shrink"):
        import_file(store, source, december)
    assert store._db.execute("SELECT count(*) FROM extras").fetchone()[0] == locations
    import_file(store, source, december, allow_shrink=True)
    assert store._db.execute("SELECT count(*) FROM extras").fetchone()[0] < locations


def test_a_record_a_delta_renamed_is_not_found_by_its_old_name(
    tmp_path: Path, store: Store
) -> None:
    """The old name's blocking keys stayed: a search for Jane Roe returned the record now
    named Mary Doe. Nor does an older delta read late file its names under a newer record."""
    source = board(tmp_path)
    _import(store, source, tmp_path / "board_20250101.csv", row(1) + row(2))
    _import(store, source, tmp_path / "board_20250301_weekly.csv",
            row(1, first="Mary", last="Doe", updated="2025-03-01"))  # fmt: skip
    assert "1" not in [h.key for h in store.search("Ann", "Lee1")]
    assert [h.key for h in store.search("Mary", "Doe1")] == ["1"]
    _import(store, source, tmp_path / "board_20250201_weekly.csv",
            row(1, first="Old", last="Name", updated="2025-02-01"))  # fmt: skip
    assert "1" not in [h.key for h in store.search("Old", "Name1")]
    assert "2" in [h.key for h in store.search("Ann", "Lee2")]
    assert names(store)["1"] == "Mary Doe1"


def test_a_deltas_side_rows_replace_the_records_older_ones_and_an_older_ones_add_none(
    tmp_path: Path, store: Store
) -> None:
    """Practice locations piled up across weekly files, and an older weekly read late still
    added its own (NPPES: 10 FIRST LOC, 20 SECOND LOC, 30 THIRD LOC for one provider)."""
    source = bulk_sources()[0]["nppes"]
    import_file(store, source, _nppes_bundle(tmp_path))
    header, first, *_ = (NPPES / "pl_pfile_20251103-20251109.head600.csv").read_text().splitlines()
    npi = first.split(",")[0].strip('"')
    stored = store._db.execute("SELECT count(*) FROM extras WHERE key = ?", (npi,)).fetchone()[0]
    assert stored >= 1

    def weekly(name: str, street: str) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as archive:
            cells = first.split(",")
            cells[1] = f'"{street}"'
            archive.writestr(
                name.replace("Weekly_V2.zip", "pl.csv").replace(
                    "NPPES_Data_Dissemination_", "pl_pfile_"
                ),
                f"{header}\n{','.join(cells)}\n",
            )
        return path

    import_file(store, source, weekly("NPPES_Data_Dissemination_20251117-20251123_Weekly_V2.zip",
                                      "30 THIRD LOC"))  # fmt: skip
    import_file(store, source, weekly("NPPES_Data_Dissemination_20251110-20251116_Weekly_V2.zip",
                                      "20 SECOND LOC"))  # fmt: skip
    values = " ".join(v for (v,) in store._db.execute("SELECT value FROM extras WHERE key = ?",
                                                       (npi,)))  # fmt: skip
    original = first.split(",")[1].strip('"')
    assert "30 THIRD LOC" in values and "20 SECOND LOC" not in values, values
    assert original not in values, values


def test_the_progress_bar_shows_a_file_name_as_text_whatever_it_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal the import's progress line named the file as rich markup, raw: a name
    holding "[b]" (bold to rich) or an escape sequence was read as markup or written to
    the terminal as it was. It is shown as text, each control character as U+FFFD, one line."""
    from skiptrace.cli import index_cmd
    from skiptrace.cli.common import MessageConsole

    screen = io.StringIO()
    terminal = MessageConsole(file=screen, force_terminal=True, width=200, markup=False,
                              highlight=False, emoji=False, soft_wrap=True)  # fmt: skip
    monkeypatch.setattr(index_cmd, "err", terminal)
    path = tmp_path / "npidata_pfile_20050523-20251109 \x1b]0;owned\x07 [b]\n.csv"
    path.write_bytes((NPPES / "npidata_1063947125.csv").read_bytes())
    result = CliRunner().invoke(app, ["index", "import", "nppes", str(path)])
    assert result.exit_code == 0, result.output
    shown = screen.getvalue()
    assert "\ufffd]0;owned\ufffd [b]\\n.csv: " in shown, shown
    assert "\x1b]0;owned" not in shown
