"""A kept row's output columns are sealed with it: a store edited or damaged on disk gives the
row back to research, never a status, a finding or a spreadsheet formula nobody found, and
never a crash on every rerun."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from skiptrace.tables.checkpoints import Checkpoints

SEAL = b"the input's seal"
INPUTS = ["A-1", "Jane", "Roe"]


@pytest.mark.parametrize(
    ("column", "stored"),
    [("cells", '["hit", "=HYPERLINK(\\"http://x.example\\")"]'), ("cells", "not json at all"),
     ("cells", '"a string"'), ("cells", "[1, 2]"), ("cells", b"\xff bytes"), ("bound", 7),
     ("bound", b"\xff bytes")],
)  # fmt: skip
def test_a_kept_row_edited_on_disk_is_researched_again(
    tmp_path: Path, column: str, stored: object
) -> None:
    path = tmp_path / "checkpoints.sqlite3"
    store = Checkpoints(path, "run-a", retention_days=30, seal=SEAL)
    store.put(0, ["no_hit", ""], INPUTS)
    db = sqlite3.connect(path)
    with db:
        db.execute(f"UPDATE finished SET {column} = ?", (stored,))
    db.close()
    try:
        assert store.get(0, INPUTS) is None
    finally:
        store.close()


def test_a_kept_row_untouched_is_got_back(tmp_path: Path) -> None:
    store = Checkpoints(tmp_path / "checkpoints.sqlite3", "run-a", retention_days=30, seal=SEAL)
    try:
        store.put(0, ["no_hit", "Zoë"], INPUTS)
        assert store.get(0, INPUTS) == ["no_hit", "Zoë"]
        assert store.get(0, ["A-1", "Jane", "Doe"]) is None
    finally:
        store.close()
