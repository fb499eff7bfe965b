"""The audit log: one row for every request made and every request refused, hash-chained.

SQLite in ``SKIPTRACE_HOME``. Triggers refuse UPDATE and DELETE, and each row's hash covers its
own fields and the previous row's hash (``chain``), so an edit, a deletion or a reordering done
behind the triggers' back breaks the chain at that row and ``verify`` names it. A truncated tail
is not visible from inside the file: ``verify`` prints the head hash so an operator can record it
elsewhere and later check it with ``expect_head``.

Rows are written ahead to a journal (``journal``) before ``append`` returns, then stored in
SQLite in batches, off the request path, by the background thread in ``storer``. A process
killed in between leaves its journal behind; the next log opened on the same file stores those
rows, checking their chain first. This module is the log itself: opening, appending, storing,
recovering, reading, verifying and closing.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import closing, suppress
from pathlib import Path

from skiptrace.audit.chain import (
    _EVENT_FIELDS,
    COLUMNS,
    GENESIS,
    AuditEvent,
    AuditRow,
    StoredRow,
    Verification,
    _chain,
    _digest,
    _encodable,
    _now,
    _payload,
    _storable,
    row_hash,
)
from skiptrace.audit.journal import STARTING, Journal, held, journals, new_stem, read_journal
from skiptrace.audit.redact import Redactor, redact_text
from skiptrace.audit.storer import register, unregister, wake
from skiptrace.errors import AuditError
from skiptrace.state import home, open_store

AUDIT_FILE = "audit.sqlite3"
FLUSH_SECONDS = 0.5
"""How long a journaled row waits, at most, before the background thread stores it."""
_STARTING_SECONDS = 60
"""A journal still being created after this long was left by a process that died creating it."""

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
CREATE TABLE IF NOT EXISTS journal_progress (name TEXT PRIMARY KEY, lines INTEGER NOT NULL);
"""
_INSERT = f"INSERT INTO audit ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


class AuditLog:
    """An append-only, hash-chained log; safe to share between threads and processes.

    ``append`` writes the row to this log's journal and returns; a background thread stores
    journaled rows in SQLite ``flush_seconds`` after the first of them (``append`` itself stores
    them once ``flush_rows`` are waiting). Reading, ``flush`` and ``close`` store them at once.
    A journal that reaches ``journal_lines`` is replaced by a fresh one, and removed once its
    rows are stored, so a long run's journal stays small.
    """

    def __init__(
        self,
        path: Path,
        redact_fields: Iterable[str] = (),
        *,
        flush_rows: int = 10_000,
        flush_seconds: float = FLUSH_SECONDS,
        journal_lines: int = 10_000,
    ) -> None:
        self.path = path
        self._redactor = Redactor(redact_fields)
        self._lock = threading.Lock()  # the journal and the rows waiting to be stored
        self._store_lock = threading.Lock()  # the database connection
        self._flush_rows, self._flush_seconds = flush_rows, flush_seconds
        self._journal_lines = journal_lines
        self._retired: list[Journal] = []  # full journals whose rows are not all stored yet
        self._pending: list[StoredRow] = []
        self._due: float | None = None
        self._failure = ""
        self._pid = os.getpid()
        self._journal: Journal | None = None
        try:
            self._db = open_store(path, _SCHEMA)
            self._recover()
            self._head = self._read_head()  # the journal's chain starts on the stored head
            self._stem, self._parts = new_stem(), itertools.count(1)
            self._journal = Journal(self._journal_dir, self._stem, next(self._parts))
        except (sqlite3.Error, OSError) as exc:
            raise AuditError(f"cannot open the audit log {path}: {exc}") from None
        register(self)

    @classmethod
    def open_default(cls, redact_fields: Iterable[str] = ()) -> AuditLog:
        """The log in ``SKIPTRACE_HOME``."""
        return cls(home() / AUDIT_FILE, redact_fields)

    @property
    def _journal_dir(self) -> Path:
        return self.path.with_name(self.path.name + ".journal")

    def append(self, event: AuditEvent) -> None:
        """Add ``event`` as the next row, identifiers masked; in the journal when this returns.

        Raises AuditError if the row cannot be journaled, or (once it is) if storing rows has
        been failing: the caller hears of a broken log at the next request, not never."""
        values: list[object] = [
            event.event,
            event.method,
            self._redactor.url(event.url),
            event.status,
            event.rule,
            event.connector,
            redact_text(event.purpose),
            redact_text(event.debtor_ref),
            redact_text(event.detail),
        ]
        ts = _now()
        if not self._ours():
            raise AuditError(f"the audit log {self.path} belongs to the process that opened it")
        with self._lock:
            if self._journal is None:
                raise AuditError(f"the audit log {self.path} is closed")
            seq, prev = self._head[0] + 1, self._head[1]
            payload = _payload(prev, seq, ts, values)
            try:
                digest = _digest(payload)
            except UnicodeEncodeError:  # a lone surrogate, say from a decoded error message
                values = [_encodable(value) for value in values]
                payload = _payload(prev, seq, ts, values)
                digest = _digest(payload)
            try:
                self._journal.write(f"{digest} {payload}")
            except OSError as exc:
                raise AuditError(f"cannot write the audit journal of {self.path}: {exc}") from None
            self._pending.append([seq, ts, *values, prev, digest])
            self._head = (seq, digest)
            waiting = len(self._pending)
            if waiting == 1:
                self._due = time.monotonic() + self._flush_seconds
                wake()
        if waiting >= self._flush_rows:
            self.flush()
        elif self._failure:
            raise AuditError(self._failure)

    def flush(self) -> None:
        """Store the journaled rows in SQLite now."""
        if not self._ours():
            return
        with self._store_lock:
            with self._lock:
                if self._journal is None or not self._pending:
                    return
                rows, self._pending, self._due = self._pending, [], None
                written = [*self._retired, self._journal]
                progress = [(journal.name, journal.lines) for journal in written]
                if self._journal.lines >= self._journal_lines:
                    self._rotate()
            try:
                self._store(rows, progress)
            except BaseException as exc:  # Ctrl-C too: the rows must not be dropped
                with self._lock:  # back in front of any rows added since, for the next try
                    self._pending[:0] = rows
                    self._due = time.monotonic() + self._flush_seconds
                wake()
                if isinstance(exc, Exception):
                    self._failure = str(exc) if isinstance(exc, AuditError) else repr(exc)
                raise
            self._failure = ""
            with self._lock:  # every line of a retired journal is stored now
                for journal in [*self._retired]:
                    if journal in written:
                        self._retired.remove(journal)
                        journal.close(remove=True)

    def _rotate(self) -> None:
        """Write the next rows to a fresh journal (holding ``_lock``)."""
        try:
            fresh = Journal(self._journal_dir, self._stem, next(self._parts))
        except OSError:
            return  # keep writing to the full one: rotating only keeps the journal small
        if self._journal is not None:
            self._retired.append(self._journal)
        self._journal = fresh

    def _store(self, rows: list[StoredRow], progress: list[tuple[str, int]]) -> None:
        """Commit ``rows``, chained onto the stored head, with how many lines of each journal
        are stored now."""
        try:
            self._db.execute("BEGIN IMMEDIATE")  # the write lock first: the head cannot move
            try:
                _chain(rows, self._read_head())
                self._db.executemany(_INSERT, rows)
                self._db.executemany(
                    "INSERT INTO journal_progress VALUES (?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET lines = excluded.lines",
                    progress,
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise AuditError(f"cannot write the audit log {self.path}: {exc}") from None

    def _recover(self) -> None:
        """Store the rows of journals left by processes that died before storing them."""
        for path in journals(self._journal_dir):
            with held(path) as data:
                if data is None:
                    continue
                if path.suffix == STARTING:  # half-created: its process died, or is starting
                    if time.time() - path.stat().st_mtime > _STARTING_SECONDS:
                        path.unlink()
                    continue
                found = self._db.execute(
                    "SELECT lines FROM journal_progress WHERE name = ?", (path.name,)
                ).fetchone()
                done = found[0] if found else 0
                rows, problem = read_journal(data, done, _storable)
                lines = done + len(rows)
                if problem:
                    rows.append(_damage_row(path, problem))
                self._store(rows, [(path.name, lines)])
                if problem:
                    path.rename(path.with_suffix(".damaged"))
                else:
                    path.unlink()

    def _read_head(self) -> tuple[int, str]:
        last = self._db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return (last[0], last[1]) if last else (0, GENESIS)

    def pending_elsewhere(self) -> int:
        """Rows other open logs have journaled but not stored yet (they will be within
        ``flush_seconds``, or when those logs close)."""
        self.flush()
        with closing(sqlite3.connect(self.path)) as db:
            progress = dict(db.execute("SELECT name, lines FROM journal_progress"))
        total = 0
        for path in journals(self._journal_dir):
            try:
                total += path.read_bytes().count(b"\n") - progress.get(path.name, 0)
            except FileNotFoundError:
                continue
        return total

    def rows(self, last: int | None = None) -> list[AuditRow]:
        """All rows in order, or only the ``last`` ones."""
        query = f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY seq"
        if last is not None:
            query = f"SELECT * FROM ({query} DESC LIMIT {int(last)}) ORDER BY seq"
        return list(self._read(query))

    def _read(self, query: str) -> Iterator[AuditRow]:
        """Rows from a connection of their own: readers never wait for the writer."""
        self.flush()
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
        """Store the journaled rows and remove the journal. If they cannot be stored, the
        journal stays for the next log opened on this file to recover, and the error is raised."""
        if not self._ours():
            return
        with self._store_lock:
            with self._lock:
                if self._journal is None:
                    return
                written, self._journal, self._retired = [*self._retired, self._journal], None, []
                rows, self._pending, self._due = self._pending, [], None
            unregister(self)
            try:
                if rows:
                    self._store(rows, [(journal.name, journal.lines) for journal in written])
            except BaseException:
                for journal in written:
                    journal.close(remove=False)
                raise
            else:
                for journal in written:
                    journal.close(remove=True)
            finally:
                self._db.close()

    def _ours(self) -> bool:
        """False in a child process forked after this log was opened: the log is its parent's."""
        return os.getpid() == self._pid

    def _due_at(self) -> float | None:
        """For the storer: when the oldest waiting row is to be stored, if this log is ours."""
        return self._due if self._ours() else None

    def _release_journals(self) -> None:
        """For the storer, in a forked child: close the parent's journal descriptors (so a
        killed parent's journal can be recovered), without the lock a parent thread may hold."""
        for journal in [*self._retired, *([self._journal] if self._journal else [])]:
            with suppress(OSError):
                os.close(journal.fileno())

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        with suppress(AuditError, AttributeError):  # the journal stays for the next log
            self.close()


def _damage_row(path: Path, problem: str) -> StoredRow:
    """An error row saying what was wrong with a recovered journal (chained when stored)."""
    detail = f"journal {path.name} kept as .damaged: {problem}"
    event = AuditEvent(event="error", method="-", url="-", rule="journal", detail=detail)
    ts = _now()
    return [0, ts, *(getattr(event, name) for name in _EVENT_FIELDS), "", ""]
