"""The SQLite files skiptrace keeps (audit log, HTTP cache, checkpoints), opened one way."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


def open_store(path: Path, schema: str) -> sqlite3.Connection:
    """``path`` with ``schema`` applied: autocommit, WAL (readers never wait for the writer)
    and ``synchronous=NORMAL`` (a commit survives a killed process, not a power cut). The
    connection may be used from any thread; callers that share one hold their own lock."""
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(schema)
    return db


def purge(db: sqlite3.Connection, table: str, retention_days: float) -> None:
    """Delete the rows of ``table`` stored more than the policy's retention.days ago."""
    cutoff = time.time() - retention_days * 86400
    db.execute(f"DELETE FROM {table} WHERE stored_at < ?", (cutoff,))
