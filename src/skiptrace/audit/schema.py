"""The log's tables, and what an older log gains of them as it is opened writable."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from functools import lru_cache

from skiptrace.audit.chain import COLUMNS

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    event TEXT NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER,
    rule TEXT NOT NULL,
    connector TEXT NOT NULL,
    purpose TEXT NOT NULL,
    debtor_ref TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused'); END;
CREATE TABLE IF NOT EXISTS journal_progress (name TEXT PRIMARY KEY, lines INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
INSERT = f"INSERT INTO audit ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


def add_reason_column(db: sqlite3.Connection) -> None:
    """Give a log written before rows had a ``reason`` the column (empty in its old rows, which
    are hashed without it: their chain still verifies). It is the table's last column in every
    log, new or older: queries name their columns."""
    names = {row[1] for row in db.execute("PRAGMA table_info(audit)")}
    if "reason" in names:
        return
    try:
        db.execute("ALTER TABLE audit ADD COLUMN reason TEXT NOT NULL DEFAULT ''")
    except sqlite3.OperationalError:  # another process added it first
        if "reason" not in {row[1] for row in db.execute("PRAGMA table_info(audit)")}:
            raise


def tables_and_columns(db: sqlite3.Connection) -> frozenset[tuple[str, str]]:
    """Each (table, column) of the database open on ``db``."""
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return frozenset(
        (table, column)
        for table in tables
        for (column,) in db.execute("SELECT name FROM pragma_table_info(?)", (table,))
    )


@lru_cache(maxsize=1)
def made_now() -> frozenset[tuple[str, str]]:
    """The tables and columns of a log made now (``SCHEMA``): what an older one lacks of them
    it gains as it is opened writable."""
    with closing(sqlite3.connect(":memory:")) as db:
        db.executescript(SCHEMA)
        return tables_and_columns(db)
