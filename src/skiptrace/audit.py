"""The audit log: one row for every request made and every request refused, hash-chained.

SQLite in ``SKIPTRACE_HOME``. Triggers refuse UPDATE and DELETE, and each row's hash covers its
own fields and the previous row's hash, so an edit, a deletion or a reordering done behind the
triggers' back breaks the chain at that row and ``verify`` names it. A truncated tail is not
visible from inside the file: ``verify`` prints the head hash so an operator can record it
elsewhere and later check it with ``expect_head``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from skiptrace.errors import AuditError
from skiptrace.paths import home
from skiptrace.redact import Redactor, redact_text

GENESIS = "0" * 64
_MAX_INSERT_TRIES = 50
AUDIT_FILE = "audit.sqlite3"

_SCHEMA = """
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
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused'); END;
"""


@dataclass(frozen=True)
class AuditEvent:
    """What happened: ``event`` is request, refused, error or override."""

    event: str
    method: str
    url: str
    status: int | None = None
    rule: str = ""
    connector: str = ""
    purpose: str = ""
    debtor_ref: str = ""
    detail: str = ""


@dataclass(frozen=True)
class AuditRow(AuditEvent):
    """A stored event with its place in the chain."""

    seq: int = 0
    ts: str = ""
    prev_hash: str = ""
    hash: str = ""

    def as_event(self) -> AuditEvent:
        """The fields the row's hash covers, besides its place in the chain."""
        return AuditEvent(**{name: getattr(self, name) for name in _EVENT_FIELDS})


@dataclass(frozen=True)
class Verification:
    """The outcome of ``verify``: ``bad_seq`` is the first row that breaks the chain."""

    ok: bool
    rows: int
    head: str
    bad_seq: int | None = None
    reason: str = ""


_EVENT_FIELDS = [f.name for f in fields(AuditEvent)]
COLUMNS = ["seq", "ts", *_EVENT_FIELDS, "prev_hash", "hash"]


def row_hash(prev_hash: str, seq: int, ts: str, event: AuditEvent) -> str:
    """The chain hash of one row: its fields and the hash before it."""
    return _digest(prev_hash, seq, ts, [getattr(event, name) for name in _EVENT_FIELDS])


def _digest(prev_hash: str, seq: int, ts: str, values: Sequence[object]) -> str:
    payload = json.dumps([prev_hash, seq, ts, *values], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditLog:
    """An append-only, hash-chained log; safe to share between threads and processes.

    ``append`` commits before it returns: a request's row is in the file before its response
    reaches the caller. (A writer thread was measured too: the thread hand-off cost more per
    request than the commit it moved off the request path.)
    """

    def __init__(self, path: Path, redact_fields: Iterable[str] = ()) -> None:
        self.path = path
        self._redactor = Redactor(redact_fields)
        self._lock = threading.Lock()
        self._head: tuple[int, str] | None = None
        self._insert = (
            f"INSERT INTO audit ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        )
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA page_size=1024")  # rows are small: write less per commit
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise AuditError(f"cannot open the audit log {path}: {exc}") from None

    @classmethod
    def open_default(cls, redact_fields: Iterable[str] = ()) -> AuditLog:
        """The log in ``SKIPTRACE_HOME``."""
        return cls(home() / AUDIT_FILE, redact_fields)

    def append(self, event: AuditEvent) -> None:
        """Add ``event`` as the next row, identifiers masked; committed when this returns."""
        masked = {
            **vars(event),
            "url": self._redactor.url(event.url),
            "purpose": redact_text(event.purpose),
            "debtor_ref": redact_text(event.debtor_ref),
            "detail": redact_text(event.detail),
        }
        values = [masked[name] for name in _EVENT_FIELDS]
        ts = datetime.now(UTC).isoformat(timespec="microseconds")
        with self._lock:
            for _ in range(_MAX_INSERT_TRIES):
                base = self._head or self._read_head()
                seq = base[0] + 1
                digest = _digest(base[1], seq, ts, values)
                try:
                    self._db.execute(self._insert, [seq, ts, *values, base[1], digest])
                except sqlite3.IntegrityError as exc:
                    if self._read_head() == base:
                        raise AuditError(f"cannot write the audit log {self.path}: {exc}") from None
                    self._head = None  # another writer appended since: chain onto its row
                    continue
                except sqlite3.Error as exc:
                    raise AuditError(f"cannot write the audit log {self.path}: {exc}") from None
                self._head = (seq, digest)
                return
        raise AuditError(f"cannot append to {self.path}: other writers keep getting in first")

    def _read_head(self) -> tuple[int, str]:
        last = self._db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return (last[0], last[1]) if last else (0, GENESIS)

    def rows(self, last: int | None = None) -> list[AuditRow]:
        """All rows in order, or only the ``last`` ones."""
        query = f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY seq"
        if last is not None:
            query = f"SELECT * FROM ({query} DESC LIMIT {int(last)}) ORDER BY seq"
        return list(self._read(query))

    def _read(self, query: str) -> Iterator[AuditRow]:
        """Rows from a connection of their own: readers never wait for the writer."""
        with closing(sqlite3.connect(self.path)) as db:
            for values in db.execute(query):
                yield AuditRow(**dict(zip(COLUMNS, values, strict=True)))

    def verify(self, expect_head: str | None = None) -> Verification:
        """Walk the chain from the first row; stop at the first row that does not hold."""
        prev, count = GENESIS, 0
        for row in self._read(f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY seq"):
            expected_seq = count + 1
            problem = ""
            if row.seq != expected_seq:
                problem = f"row {expected_seq} is missing (next row found is {row.seq})"
            elif row.prev_hash != prev:
                problem = "its link to the row before does not match (rows removed or reordered)"
            elif row_hash(prev, row.seq, row.ts, row.as_event()) != row.hash:
                problem = "its contents do not match its hash (the row was edited)"
            if problem:
                return Verification(False, count, prev, row.seq, problem)
            prev, count = row.hash, count + 1
        if expect_head is not None and expect_head != prev:
            reason = (
                f"the head is {prev}, not the recorded {expect_head} (rows removed at the end?)"
            )
            return Verification(False, count, prev, None, reason)
        return Verification(True, count, prev)

    def close(self) -> None:
        with self._lock:
            self._db.close()
