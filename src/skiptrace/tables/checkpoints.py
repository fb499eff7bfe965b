"""Checkpoints: every finished output row is kept (SQLite in SKIPTRACE_HOME), keyed by the run
(the input file's content and the options that change results) and the row's position, so a
run stopped by a crash, Ctrl-C or ``kill -9`` continues where it stopped and writes exactly
the output an uninterrupted run would. Rows older than the policy's ``retention.days`` are
purged when the store opens: they hold research about people."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from pathlib import Path

from skiptrace.state import open_store, purge
from skiptrace.tables.reader import open_input

_SCHEMA = """
CREATE TABLE IF NOT EXISTS finished (
    run TEXT NOT NULL,
    row INTEGER NOT NULL,
    cells TEXT NOT NULL,
    stored_at REAL NOT NULL,
    PRIMARY KEY (run, row)
);
"""


def run_key(path: Path, options: Iterable[str]) -> str:
    """A run's identity: the input's bytes and the options that change its results. The input
    must be a regular file (``open_input``): this reads it whole, once."""
    digest = hashlib.sha256()
    with open_input(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    digest.update(json.dumps(sorted(options)).encode())
    return digest.hexdigest()


class Checkpoints:
    """Finished rows of one run."""

    def __init__(self, path: Path, run: str, retention_days: float) -> None:
        self._run = run
        self._db = open_store(path, _SCHEMA)
        purge(self._db, "finished", retention_days)

    def get(self, row: int) -> list[str] | None:
        found = self._db.execute(
            "SELECT cells FROM finished WHERE run = ? AND row = ?", (self._run, row)
        ).fetchone()
        return list(json.loads(found[0])) if found else None

    def put(self, row: int, cells: list[str]) -> None:
        """Keep a finished row; committed before this returns (a kill loses nothing kept)."""
        self._db.execute(
            "INSERT OR REPLACE INTO finished VALUES (?, ?, ?, ?)",
            (self._run, row, json.dumps(cells, ensure_ascii=False), time.time()),
        )

    def close(self) -> None:
        self._db.close()
