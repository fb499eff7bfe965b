"""Where skiptrace keeps its state (audit log, HTTP cache, checkpoints), how its SQLite files are
opened, and where the built-in policies and connectors are."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import platformdirs

_PACKAGE_DIR = Path(__file__).resolve().parent


def home() -> Path:
    """The state directory (audit log, cache, checkpoints): ``SKIPTRACE_HOME`` or the user data dir.

    Created on first use, readable by its owner only: it holds research about people.
    """
    configured = os.environ.get("SKIPTRACE_HOME", "").strip()
    path = (
        Path(configured).expanduser()
        if configured
        else Path(platformdirs.user_data_dir("skiptrace"))
    )
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def builtin_dir(name: str) -> Path:
    """A built-in data folder (``policies`` or ``connectors``).

    An installed wheel carries it inside the package; a source checkout or an editable install
    reads the top-level folder of the repository, so there is one copy to edit.
    """
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent.parent / name


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
