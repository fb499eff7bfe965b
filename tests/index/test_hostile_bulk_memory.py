"""Hostile bulk files against memory: what an import holds before it commits is bounded by
the text it read, not only by its number of rows."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

from skiptrace.index import Store, import_file
from tests.index.test_import import HEADER, board


def test_long_rows_are_committed_before_they_fill_memory(tmp_path: Path) -> None:
    """Rows near the 1 MB record cap, all in a read column: a batch of 20,000 of them was
    held whole before its commit (a 21 MB ZIP, some 40 GB of memory; the 96 rows here peaked
    at 207 MB, twice their text; 76 MB now). A batch is committed once the rows read reach
    ``MAX_HELD`` characters."""
    path = tmp_path / "board_20250101.zip"
    pad = "x" * ((1 << 20) - 100)
    rows = 96
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("board_20250101.csv", "w") as out,
    ):
        out.write(HEADER.encode())
        for i in range(rows):
            out.write(f"{i},Ann,Lee,{i} {pad},Springfield,62701,2025-01-01\n".encode())
    assert path.stat().st_size < 1 << 20
    tracemalloc.start()
    try:
        with Store(tmp_path / "index.sqlite3") as store:
            summary = import_file(store, board(tmp_path), path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (summary.parties, summary.bad) == (rows, 0)
    assert peak < rows << 20, f"peak {peak:,} bytes: more than the rows' text"
