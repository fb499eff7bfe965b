"""Hostile bulk files against memory: what an import holds before it commits is bounded by
the text it read, not only by its number of rows."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

from skiptrace.errors import InputError
from skiptrace.index import Store, import_file, importer, read_bulk_manifest
from skiptrace.index.importer import Summary
from tests.index.test_import import HEADER, JOINED, board


def imported_traced(tmp_path: Path, path: Path) -> tuple[Summary, tuple[int, int]]:
    """``path`` imported as the board's file into a new index in ``tmp_path``, and the memory
    allocated meanwhile: (still held at the end, at its peak), in bytes."""
    tracemalloc.start()
    try:
        with Store(tmp_path / "index.sqlite3") as store:
            summary = import_file(store, board(tmp_path), path)
        return summary, tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()


def test_long_rows_are_committed_before_they_fill_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows near the 1 MB record cap, all in a read column: a batch of 20,000 of them was
    held whole before its commit (a 21 MB ZIP, some 40 GB of memory; 96 rows peaked at 207 MB,
    twice their text). A batch is committed once the rows read reach ``MAX_HELD`` characters
    (32 MB; 2 MB here, for 16 rows of 1 MB: the test is smaller, not the bound)."""
    monkeypatch.setattr(importer, "MAX_HELD", 2 << 20)
    path = tmp_path / "board_20250101.zip"
    pad = "x" * ((1 << 20) - 100)
    rows = 16
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("board_20250101.csv", "w") as out,
    ):
        out.write(HEADER.encode())
        for i in range(rows):
            out.write(f"{i},Ann,Lee,{i} {pad},Springfield,62701,2025-01-01\n".encode())
    assert path.stat().st_size < 1 << 20
    summary, (_, peak) = imported_traced(tmp_path, path)
    assert (summary.parties, summary.bad) == (rows, 0)
    assert peak < rows << 20, f"peak {peak:,} bytes: more than the rows' text"


def test_a_joined_member_of_long_values_is_refused_not_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The joined member is held in memory, capped at 250,000 rows; each of its values read
    may be near the 1 MB record cap, so the cap alone let 250 GB be held (72 rows of 1 MB,
    from a ZIP of 73 kB, were all held). Its text is capped at ``MAX_JOINED_TEXT`` (64 MB;
    16 MB here, for 18 rows of 1 MB: the test is smaller, not the bound)."""
    monkeypatch.setattr(importer, "MAX_JOINED_TEXT", 16 << 20)
    manifest = tmp_path / "filings.toml"
    manifest.write_text(JOINED, encoding="utf-8")
    source = read_bulk_manifest(manifest)
    path = tmp_path / "filings_2025q1.zip"
    pad = "x" * ((1 << 20) - 100)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("SUBMISSION.tsv", "w") as out:
            out.write(b"ACC\tISSUER\tISSUERNAME\n")
            for i in range(18):
                out.write(f"a{i}\tI{i}\tIssuer {i} {pad}\n".encode())
        archive.writestr("OWNER.tsv", "ACC\tOWNER\na3\tAnn Lee\n")
    assert path.stat().st_size < 1 << 20
    with (
        Store(tmp_path / "index.sqlite3") as store,
        pytest.raises(InputError, match=r"^filings_2025q1.zip:SUBMISSION.tsv: over 16,777,216 "
                      "characters to join"),
    ):  # fmt: skip
        import_file(store, source, path)


def test_long_dates_are_not_kept_after_the_import(tmp_path: Path) -> None:
    """Record dates are parsed through a cache of 16,384 values: values near the 1 MB record
    cap stayed in it after the import (16 GB from a 16 MB ZIP; 20 MB from the 20 rows here).
    Only values as short as a date is are kept."""
    path = tmp_path / "board_20250101.zip"
    pad = "x" * ((1 << 20) - 100)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("board_20250101.csv", "w") as out,
    ):
        out.write(HEADER.encode())
        for i in range(20):
            out.write(f"{i},Ann,Lee,1 Main St,Springfield,62701,2025-01-01 {i} {pad}\n".encode())
    summary, (kept, _) = imported_traced(tmp_path, path)
    assert summary.parties == 20
    assert kept < 8 << 20, f"{kept:,} bytes kept"
