"""The audit log: one row for every request made and every request refused, hash-chained.

SQLite in ``SKIPTRACE_HOME``. Triggers refuse UPDATE and DELETE, and each row's hash covers its
own fields and the previous row's hash (``chain``), so an edit, a deletion or a reordering done
behind the triggers' back breaks the chain at that row and ``verify`` names it. A truncated tail
is not visible from inside the file, nor is a log deleted and begun again: ``audit anchor``
prints the head (row and hash) for the operator to keep elsewhere, and ``verify(expect_head)``
checks that the log still extends it. Anyone with the file can rebuild a plain SHA-256 chain;
with a key configured outside ``SKIPTRACE_HOME`` (``configured_key``) row hashes are HMACs, which
nobody without the key can forge. The ``audit_meta`` table says which a log's rows are, fixed at
its first row: a log never switches mid-chain.

Rows are written ahead to a journal (``journal``) before ``append`` returns, then stored in
SQLite in batches, off the request path, by the background thread in ``storer``. A process
killed in between leaves its journal behind; the next log opened on the same file stores those
rows, checking their chain first. A request is journaled before it is sent (``begin``), so a
request still under way when its process was killed, or its log closed, gets an error row too.
This module is the log itself: opening, appending, storing, recovering, reading, verifying and
closing.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, closing, suppress
from functools import lru_cache
from pathlib import Path

from skiptrace.audit.chain import (
    _EVENT_FIELDS,
    COLUMNS,
    GENESIS,
    KEYED,
    UNKEYED,
    AuditEvent,
    AuditRow,
    StoredRow,
    Verification,
    _chain,
    _now,
    _payload,
    _storable,
    hasher,
    key_id,
    parse_anchor,
    printable,
)
from skiptrace.audit.copies import private_copy, readable_in_place, reading
from skiptrace.audit.journal import (
    STARTING,
    Journal,
    NotAFile,
    Reading,
    answer_payload,
    begin_payload,
    held,
    held_open,
    journals,
    new_stem,
    read_journal,
    read_regular,
    read_seal,
    row_lines,
    seal_of,
    seal_problem,
    stem_of,
    sweep_seals,
)
from skiptrace.audit.key import KEY_ENV, KEY_FILE_ENV, configured_key
from skiptrace.audit.redact import Redactor, redact_text
from skiptrace.audit.schema import INSERT, SCHEMA, add_reason_column
from skiptrace.audit.storer import inside_sqlite, register, unregister, wake
from skiptrace.errors import AuditError, AuditUnreadable, WriteError
from skiptrace.state import home, open_store

AUDIT_FILE = "audit.sqlite3"
ROOM = 8 << 20
"""Bytes the log's disk must have free before a request is sent: its row (at most some 10 KB)
is written after the answer comes back, and the rows are then stored in SQLite. (A request whose
row could not be written is still recorded, from its begin line, as interrupted.)"""
FLUSH_SECONDS = 0.5
"""How long a journaled row waits, at most, before the background thread stores it."""
BUSY_SECONDS = 5.0
"""How long a store waits for another process's write to the same log (sqlite3's default)."""
_STARTING_SECONDS = 60
"""A journal still being created after this long was left by a process that died creating it."""
NEEDS_KEY = f"keyed log: set the key to verify ({KEY_FILE_ENV} naming the key file, or {KEY_ENV})"

_URL_IN_TEXT = re.compile(r"[a-z][a-z0-9+.-]{0,31}://[^\s'\"<>]+", re.IGNORECASE)
"""A URL written in a message, up to the space or quote that ends it. Its scheme is bounded:
unbounded, each letter of a long word quoted in a message was tried as a scheme's start and
read on to the word's end, time quadratic in the word's length."""


def _shown_text(value: bytes) -> str:
    """Text as read for showing: bytes that are not UTF-8 (only ever put there by hand) as
    U+FFFD."""
    return value.decode("utf-8", "replace")


def _checked_text(value: bytes) -> str:
    """Text as read for verifying: bytes that are not UTF-8 kept as lone surrogates, which no
    stored row holds, so the row's hash cannot match (U+FFFD would: an edit of one U+FFFD to
    another bad byte read the same)."""
    return value.decode("utf-8", "surrogateescape")


class AuditLog:
    """An append-only, hash-chained log; safe to share between threads and processes.

    ``append`` writes the row to this log's journal and returns; a background thread stores
    journaled rows in SQLite ``flush_seconds`` after the first of them (``append`` itself stores
    them once ``flush_rows`` are waiting). Reading, ``flush`` and ``close`` store them at once.
    A journal that reaches ``journal_lines`` or ``journal_bytes`` is replaced by a fresh one,
    and removed once its rows are stored, so a long run's journal stays small (rows of long
    URLs too).

    ``key`` makes row hashes HMAC-SHA256 under it; by default, the configured key
    (``configured_key``), if any. A log keyed one way refuses rows from a log opened another
    way (keyed or not, or with another key): it can still be read, and verified with its key.
    ``reference_key`` pseudonymises debtor references (``Redactor``; by default the lasting
    one in SKIPTRACE_HOME).

    ``read_only`` opens it for reading and verifying only, writing nothing beside it: a copy
    on read-only media can be verified. One that cannot be read as it is (rows in its
    ``-wal``, or a log from before a table or column of today's) is read from a private copy
    (``private_copy``), removed at ``close``. AuditError if journals are left beside it, whose
    rows it would miss (a writable log stores them as it opens).
    """

    def __init__(
        self,
        path: Path,
        redact_fields: Iterable[str] = (),
        *,
        flush_rows: int = 10_000,
        flush_seconds: float = FLUSH_SECONDS,
        journal_lines: int = 10_000,
        journal_bytes: int = 16 << 20,
        key: bytes | None = None,
        reference_key: bytes | None = None,
        read_only: bool = False,
    ) -> None:
        self.path = path
        self._read_only = read_only
        self._source = path  # what rows are read from: a private copy, if read_only needs one
        self._copy: Path | None = None
        self._key = key if key is not None else configured_key(path)
        self._hash = hasher(self._key)
        self._mode = KEYED if self._key is not None else UNKEYED
        self._key_id = key_id(self._key) if self._key is not None else ""
        redactor = Redactor(redact_fields, reference_key)
        # a request's URL, purpose and reference are masked for its begin line and again for
        # its row, and repeat across a run's requests: remembered (masking is a pure function)
        self._masked_url = _remembering(redactor.url, 1024)
        self._masked_reference = _remembering(redactor.reference, 1024)
        self._masked_text = _remembering(redact_text, 64)
        self._lock = threading.Lock()  # the journal and the rows waiting to be stored
        self._store_lock = threading.Lock()  # the database connection
        self._flush_rows, self._flush_seconds = flush_rows, flush_seconds
        self._journal_lines, self._journal_bytes = journal_lines, journal_bytes
        self._retired: list[Journal] = []  # full journals whose rows are not all stored yet
        self._pending: list[StoredRow] = []
        self._due: float | None = None
        self._failure = ""
        self._pid = os.getpid()
        self._journal: Journal | None = None
        self._begun: dict[int, tuple[Journal, list[object]]] = {}
        """Requests under way: the journal each was begun in, and its ``[ts, *fields]``."""
        self._unsettled: tuple[Journal, int, Callable[[], None]] | None = None
        """The last write to a journal until the log has noted it (``_write``)."""
        self._tokens = itertools.count(1)
        self._refusal = ""
        self._unwritable = ""
        if read_only:
            self._open_read_only()
            return
        try:
            self._db = open_store(path, SCHEMA)
            self._db.text_factory = _shown_text  # a head or meta edited by hand still opens
            add_reason_column(self._db)
            self._refusal = self._mode_problem()  # rows hashed another way: reading only
            if not self._refusal:
                self._recover()
            self._head = self._read_head()  # the journal's chain starts on the stored head
            self._link = self._head[1]  # the hash of the last line journaled
            self._stem, self._parts = new_stem(), itertools.count(1)
            self._journal = Journal(self._journal_dir, self._stem, next(self._parts), self._key)
        except (sqlite3.Error, OSError, WriteError) as exc:  # WriteError: ``open_store``'s
            raise _cannot_open(path, exc) from None
        try:
            if not self._refusal:
                self._refusal = self._claim_mode()
        except BaseException as exc:
            self._journal.close(remove=True)  # it holds no line
            self._journal = None
            self._db.close()
            if isinstance(exc, sqlite3.Error | AuditError):
                raise AuditError(f"cannot open the audit log {path}: {exc}") from None
            raise
        register(self)

    def _open_read_only(self) -> None:
        """``__init__`` for ``read_only``: the database read as it is, nothing recovered."""
        left = journals(self._journal_dir)
        if left:
            raise AuditError(
                f"{len(left)} journal(s) of rows not stored yet are left beside the audit log "
                f"{self.path} (a process stopped before storing them), and it cannot be written "
                "to store them: run this on a writable copy of its folder"
            )
        self._refusal = f"the audit log {self.path} is open for reading only"
        try:
            if not readable_in_place(self.path):
                self._source = self._copy = private_copy(self.path)
            self._db = self._connect()
            self._head = self._read_head()
        except BaseException as exc:  # Ctrl-C too: a log half open cannot remove its copy
            self._drop_copy()
            if isinstance(exc, sqlite3.Error | OSError | WriteError):
                raise _cannot_open(self.path, exc) from None
            raise
        self._db.text_factory = _shown_text

    def _drop_copy(self) -> None:
        """Remove the private copy read_only made, if it made one."""
        if self._copy is not None:
            shutil.rmtree(self._copy.parent, ignore_errors=True)
            self._copy = None

    def _connect(self) -> sqlite3.Connection:
        """A connection of its own to the database."""
        return reading(self._source) if self._read_only else sqlite3.connect(self.path)

    @classmethod
    def open_default(
        cls, redact_fields: Iterable[str] = (), *, read_only: bool = False, writing: bool = False
    ) -> AuditLog:
        """The log in ``SKIPTRACE_HOME``. ``writing`` (a run about to research): AuditError
        now, the log closed, if it cannot take rows (``writable``: keyed another way, a disk
        without room), which else would fail every source of every debtor."""
        log = cls(home() / AUDIT_FILE, redact_fields, read_only=read_only)
        if writing:
            try:
                log.writable()
            except BaseException:
                log.close()
                raise
        return log

    @property
    def _journal_dir(self) -> Path:
        return self.path.with_name(self.path.name + ".journal")

    def begin(self, event: AuditEvent) -> int:
        """Journal ``event``, a request about to be sent, before it leaves; its outcome's row
        is ``append(outcome, ends=token)`` with the token returned. A request begun and never
        ended (its process killed, or this log closed while it was under way) gets an error row
        of its own: at ``close``, or from the journal when the next log opens the file.

        Raises AuditError if it cannot be journaled: then the request must not be sent."""
        values, ts = self._values(event), _now()
        with self._lock:
            journal = self._open_journal()
            token = next(self._tokens)
            prev = self._link
            payload = begin_payload(prev, token, ts, values)
            digest = self._hash(payload.encode("utf-8"))

            def written() -> None:
                self._link = digest
                self._begun[token] = (journal, [ts, *values])

            self._write(journal, [f"{digest} {payload}"], written)
        return token

    def append(self, event: AuditEvent, *, ends: int | None = None) -> None:
        """Add ``event`` as the next row, identifiers masked; in the journal when this returns.
        ``ends``: the token of the request (``begin``) whose outcome it is.

        Raises AuditError if the row cannot be journaled, or (once it is) if storing rows has
        been failing: the caller hears of a broken log at the next request, not never."""
        values, ts = self._values(event), _now()
        with self._lock:
            journal = self._open_journal()
            unknown = ends is not None and ends not in self._begun
            if unknown:  # a caller's slip: the row is written all the same, then it is said
                ends = None
            seq, prev = self._head[0] + 1, self._link
            if ends is None:
                payload = _payload(prev, seq, ts, values)
                digest = link = self._hash(payload.encode("utf-8"))
            else:  # the row and the end of its request: one line, there whole or not at all
                payload = answer_payload(prev, ends, seq, ts, values)
                link, digest = self._hash(payload.encode("utf-8")), ""  # hashed as stored
            row = [seq, ts, *values, prev, digest]

            def written() -> None:
                if ends is not None:
                    self._begun.pop(ends, None)
                if not self._pending or self._pending[-1] is not row:
                    self._pending.append(row)
                self._head, self._link = (seq, digest), link
                if self._due is None:  # the first row waiting
                    self._due = time.monotonic() + self._flush_seconds
                    wake()

            self._write(journal, [f"{link} {payload}"], written)
            waiting = len(self._pending)
        if unknown:
            raise ValueError("the request this row ends was not begun in this log, or has ended")
        if waiting >= self._flush_rows:
            self.flush()
        elif self._failure:
            raise AuditError(self._failure)

    def _values(self, event: AuditEvent) -> list[object]:
        """The fields of ``event`` as a row stores them: identifiers masked, ``printable``."""
        values = [
            event.event,
            event.method,
            self._masked_url(event.url),
            event.status,
            event.rule,
            event.connector,
            self._masked_text(event.purpose),
            self._masked_reference(event.debtor_ref),
            self._masked_detail(event.detail),
            event.reason,
        ]
        return [printable(value) if type(value) is str else value for value in values]

    def _masked_detail(self, detail: str) -> str:
        """``detail`` with SSNs masked, and each URL in it masked as a row's URL is: an error's
        message may name the request's URL (a body too large, a deadline passed)."""
        if "://" in detail:
            detail = _URL_IN_TEXT.sub(lambda found: self._masked_url(found[0]), detail)
        return redact_text(detail)

    def _open_journal(self) -> Journal:
        """The journal to write to (holding ``_lock``); AuditError if this log takes no rows."""
        if not self._ours():
            raise AuditError(f"the audit log {self.path} belongs to the process that opened it")
        if self._refusal:
            raise AuditError(self._refusal)
        if self._journal is None:
            raise AuditError(f"the audit log {self.path} is closed")
        self._settle()
        return self._journal

    def _write(self, journal: Journal, lines: list[str], written: Callable[[], None]) -> None:
        """Journal ``lines`` (holding ``_lock``); ``written`` is what the log notes of them once
        they are. An exception can come between any two bytecodes (a Ctrl-C), after the lines
        reached the journal and before ``written`` ran: then the next ``_settle`` runs it, so
        the log never leaves out (or chains past) a line its journal holds."""
        self._unsettled = (journal, journal.lines, written)
        try:
            journal.write(*lines)
        except OSError as exc:
            self._unwritable = f"cannot write the audit journal of {self.path}: {exc}"
            raise AuditError(self._unwritable) from None
        written()
        self._unsettled = None

    def _settle(self) -> None:
        """Note the last write if an exception cut ``_write`` short after its lines reached the
        journal (holding ``_lock``): ``written`` sets what it notes, so running it twice is
        harmless; the journal's own bookkeeping is settled from the file first."""
        if self._unsettled is None:
            return
        journal, before, written = self._unsettled
        journal.settle()
        if journal.lines > before:
            written()
        self._unsettled = None

    def writable(self) -> None:
        """Raise AuditError if a row could not be written now: the guard asks before every
        request, so no request goes out that the log could not record. A request's row is
        written once its answer is in, so its disk must have ``ROOM`` left before it is sent."""
        if self._refusal or self._unwritable:
            raise AuditError(self._refusal or self._unwritable)
        try:
            free = shutil.disk_usage(self._journal_dir).free
        except OSError:
            return  # the write itself will say what is wrong
        if free < ROOM:
            raise AuditError(
                f"the audit log {self.path} has {free:,} bytes of room left, under "
                f"{ROOM:,}: no request is sent whose row could not be written"
            )

    def flush(self) -> None:
        """Store the journaled rows in SQLite now."""
        if not self._ours():
            return
        with self._store_lock:
            rows: list[StoredRow] = []
            try:  # from taking the rows on: a Ctrl-C anywhere puts them back
                with self._lock:
                    if self._journal is None:
                        return
                    self._settle()
                    if not self._pending:
                        return
                    written = [*self._retired, self._journal]
                    progress = [(journal.name, journal.lines) for journal in written]
                    if (
                        self._journal.lines >= self._journal_lines
                        or self._journal.size >= self._journal_bytes
                    ):
                        self._rotate()
                    rows, self._pending, self._due = self._pending, [], None
                self._store(rows, progress)
            except BaseException as exc:  # Ctrl-C too: the rows must not be dropped
                if not rows:
                    raise
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
                    if journal in written and not self._holds_begun(journal):
                        self._retired.remove(journal)
                        journal.close(remove=True)

    def _holds_begun(self, journal: Journal) -> bool:
        """Whether a request begun in ``journal`` is under way (holding ``_lock``): then its
        begin line is the only record of it, and the journal stays."""
        return any(where is journal for where, _ in self._begun.values())

    def _rotate(self) -> None:
        """Write the next rows to a fresh journal (holding ``_lock``)."""
        try:
            fresh = Journal(self._journal_dir, self._stem, next(self._parts), self._key)
        except OSError:
            return  # keep writing to the full one: rotating only keeps the journal small
        if self._journal is not None:  # one statement: no Ctrl-C leaves it in both places
            self._retired, self._journal = [*self._retired, self._journal], fresh

    def _store(self, rows: list[StoredRow], progress: list[tuple[str, int]]) -> None:
        """Commit ``rows``, chained onto the stored head, with how many lines of each journal
        are stored now."""
        try:
            try:
                self._begin()
                with inside_sqlite():
                    self._commit(rows, progress)
            except BaseException:
                # SQLite may have rolled back already (a full disk): the first error is the one
                if self._db.in_transaction:
                    with inside_sqlite(), suppress(sqlite3.Error):
                        self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise AuditError(f"cannot write the audit log {self.path}: {exc}") from None

    def _begin(self) -> None:
        """BEGIN IMMEDIATE: the write lock first, so the head cannot move. While another process
        holds it, wait up to ``BUSY_SECONDS`` as SQLite would, but with the pauses outside
        SQLite, so that a fork never waits for them (``storer.inside_sqlite``)."""
        deadline = time.monotonic() + BUSY_SECONDS
        pause = 0.001
        while True:
            with inside_sqlite():
                self._db.execute("PRAGMA busy_timeout = 0")
                try:
                    self._db.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    busy = exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY  # BUSY_RECOVERY too
                    if not busy or time.monotonic() > deadline:
                        raise
                finally:
                    self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            time.sleep(pause)
            pause = min(2 * pause, 0.05)

    def _commit(self, rows: list[StoredRow], progress: list[tuple[str, int]]) -> None:
        """The rows and the journals' progress, committed, in the transaction ``_begin`` began.
        Rows in the log already (``_stored_lead``) are not stored again."""
        head = self._read_head()
        rows = rows[self._stored_lead(rows, head) :]
        if rows and head[0] == 0:  # recorded as the log opened (``_claim_mode``), or now
            self._db.executemany(
                "INSERT INTO audit_meta VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                [("mode", self._mode), ("key_id", self._key_id)],
            )
        if rows and (problem := self._meta_problem()):
            raise AuditError(problem)  # another log started the file the other way
        _chain(rows, head, self._hash)
        self._db.executemany(INSERT, rows)
        self._db.executemany(
            "INSERT INTO journal_progress VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET lines = excluded.lines",
            progress,
        )
        self._db.execute("COMMIT")

    def _stored_lead(self, rows: list[StoredRow], head: tuple[int, str]) -> int:
        """How many of ``rows``, from the first, are in the log already, at the place and with
        the hash ``_chain`` gave them: a store interrupted after its COMMIT (a Ctrl-C that came
        while COMMIT ran is raised as it returns) put its rows back in front of those waiting,
        to be stored again. Any other row's hash names a place no stored row has."""
        stored = 0
        for seq, *_, digest in rows:
            if not (type(seq) is int and 0 < seq <= head[0]):
                break
            found = self._db.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()
            if found is None or found[0] != digest:
                break
            stored += 1
        return stored

    def _recover(self) -> None:
        """Store the rows of journals left by processes that died before storing them, checking
        each journal's chain, then its seal (lines cut from its end), and a row for each request
        they had under way."""
        found = []
        for path in journals(self._journal_dir):
            if _utf8(path.name):
                found.append(path)
            else:  # no journal skiptrace writes: its name cannot even be stored
                self._set_aside(path, "its name is not UTF-8")
        for path in found:
            if path.suffix == STARTING:
                try:
                    self._drop_if_stale(path)
                except NotAFile as exc:
                    self._set_aside(path, str(exc))
        whole = [path for path in found if path.suffix != STARTING]
        for stem, paths in itertools.groupby(whole, key=lambda path: stem_of(path.name)):
            self._recover_stem(stem, list(paths))
        sweep_seals(self._journal_dir)

    def _set_aside(self, path: Path, problem: str) -> None:
        """A journal never read (not a regular file, a name that is not UTF-8): kept aside as
        damage, as an edited journal is."""
        self._store([_damage_row(path, problem)], [])
        self._put_aside(path)

    def _drop_if_stale(self, path: Path) -> None:
        """Remove a journal left half-created, unless its process may still be creating it."""
        with held(path) as data:
            if data is not None and time.time() - path.stat().st_mtime > _STARTING_SECONDS:
                path.unlink()
                seal_of(path).unlink(missing_ok=True)

    def _recover_stem(self, stem: str, paths: list[Path]) -> None:
        """Store the rows of the journals ``paths`` of one dead log (named ``stem``), in one
        transaction: a request begun in one journal may have ended in a later one. Damage
        (a broken chain or seal) is a row of its own; damaged journals are put aside, the others
        removed. Left alone if any of them is held: that log is open."""
        with ExitStack() as stack:
            contents: list[tuple[Path, bytes]] = []
            for path in paths:
                try:
                    data = stack.enter_context(held(path))
                except NotAFile as exc:
                    self._set_aside(path, str(exc))
                    continue
                if data is None:
                    return
                contents.append((path, data))
            rows: list[StoredRow] = []
            progress: list[tuple[str, int]] = []
            begun: dict[int, list[object]] = {}
            ended: set[int] = set()
            damaged: list[Path] = []
            for path, data in contents:
                found = self._db.execute(
                    "SELECT lines FROM journal_progress WHERE name = ?", (path.name,)
                ).fetchone()
                done = found[0] if found else 0
                reading = read_journal(data, done, _storable, self._hash)
                again = self._stored_already(reading.rows)
                if again:  # put back after its rows were stored: none of it is taken
                    reading = Reading(lines=reading.lines)
                problem = again or reading.problem
                if not problem:
                    try:
                        problem = seal_problem(read_seal(path), path.name, self._key, data)
                    except NotAFile as exc:  # its rows are intact: stored, with the damage
                        problem = f"its seal is not a file that can be read ({exc})"
                rows += reading.rows
                if problem:
                    rows.append(_damage_row(path, problem))
                    damaged.append(path)
                progress.append((path.name, max(done, reading.lines)))
                begun.update(reading.begun)
                ended |= reading.ended
            under_way = [_under_way_row(begun[n], KILLED) for n in sorted(begun) if n not in ended]
            recorded = _recorded(stem)
            if (
                under_way
                and not self._db.execute(
                    "SELECT 1 FROM journal_progress WHERE name = ?", (recorded,)
                ).fetchone()
            ):
                rows += under_way
                progress.append((recorded, len(under_way)))
            self._store(rows, progress)
            for path, _ in contents:
                if path in damaged:
                    self._put_aside(path)
                else:
                    path.unlink()
                    seal_of(path).unlink(missing_ok=True)

    def _stored_already(self, rows: list[StoredRow]) -> str:
        """Why a journal's ``rows`` are not to be stored, if its first and last are in the log
        already: the journal was put back after its rows were stored (with its progress
        forgotten), and storing them again would chain copies of them under the log's own
        hashes. A row is stored at its journal place or later, with its time and fields."""
        if not rows:
            return ""
        found = [self._stored_at(row) for row in (rows[0], rows[-1])]
        if found[0] is None or found[1] is None:
            return ""
        return (
            f"its rows are in the log already (rows {found[0]} to {found[1]}): a journal put "
            "back after its rows were stored"
        )

    def _stored_at(self, row: StoredRow) -> int | None:
        """The place of the stored row with ``row``'s time and fields, at its place or after."""
        seq, ts, *values = row[:-2]
        query = f"SELECT seq, {', '.join(_EVENT_FIELDS)} FROM audit WHERE seq >= ? AND ts = ?"
        for stored in self._db.execute(query, (seq, ts)):
            if list(stored[1:]) == values:
                return int(stored[0])
        return None

    @staticmethod
    def _put_aside(path: Path) -> None:
        """Rename a damaged journal (and its seal first: a journal is never without its seal)
        to ``NAME.damaged``, or ``NAME.N.damaged`` if that is taken (never over an earlier
        one), where no recovery reads it again."""
        for number in itertools.count(1):
            stem = path.stem if number == 1 else f"{path.stem}.{number}"
            target, seal_target = (
                path.with_name(f"{stem}.damaged"),
                path.with_name(f"{stem}.damaged.seal"),
            )
            if not (target.exists() or target.is_symlink() or seal_target.exists()):
                break
        with suppress(FileNotFoundError):
            seal_of(path).rename(seal_target)
        path.rename(target)

    def _claim_mode(self) -> str:
        """Record, on a log of no rows, how this log hashes them, as it opens (its journal held,
        so that others see it open): the first log opened on a file decides, and one opened the
        other way while it is open is refused before it sends anything. (Two runs started
        together on a fresh home, one with the key set, had both taken rows until the first row
        stored decided: the other's requests went on being sent until its store failed, their
        rows kept only in a journal then recovered as damage.) A log of no rows that no other
        log has open takes either way. Why this log cannot add rows, if it cannot."""
        if self._read_head()[0] != 0:  # rows are never taken away: no write lock needed
            return self._mode_problem()
        self._begin()
        try:
            with inside_sqlite():
                empty = self._read_head()[0] == 0
                if empty:
                    recorded = dict(self._db.execute("SELECT name, value FROM audit_meta"))
                    ours = {"mode": self._mode, "key_id": self._key_id}
                    mine = all(recorded.get(name) == value for name, value in ours.items())
                    if "mode" not in recorded or (not mine and not self._others_open()):
                        self._db.executemany(
                            "INSERT INTO audit_meta VALUES (?, ?) "
                            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                            list(ours.items()),
                        )
                problem = self._meta_problem()
                if problem and empty:
                    how = "keyed" if _mode_of(self._db)[0] == KEYED else "unkeyed"
                    problem = (
                        f"the audit log {self.path} is open in another process, {how} (or under "
                        f"another key), which decides how its rows are hashed: run this with "
                        f"{KEY_FILE_ENV} or {KEY_ENV} set as that process has them, or once it ends"
                    )
                self._db.execute("COMMIT")
        finally:
            if self._db.in_transaction:
                with inside_sqlite(), suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
        return problem

    def _others_open(self) -> bool:
        """Whether another log has this file open: a journal beside it, not this log's, is
        held (one being made too)."""
        mine = self._journal.name if self._journal is not None else ""
        return any(held_open(path) for path in journals(self._journal_dir) if path.name != mine)

    def _mode_problem(self) -> str:
        """Why this log cannot add rows to its file, if it cannot: the file's rows are hashed
        another way (keyed or not, or under another key). A file of no rows is ``_claim_mode``'s
        to decide."""
        if self._read_head()[0] == 0:
            return ""
        return self._meta_problem()

    def _meta_problem(self) -> str:
        """``_mode_problem``, of the way the file records, rows or none."""
        mode, their_id = _mode_of(self._db)
        if mode == self._mode and (mode == UNKEYED or their_id == self._key_id):
            return ""
        if mode == KEYED and self._mode == UNKEYED:
            return (
                f"the audit log {self.path} is keyed: set {KEY_FILE_ENV} (or {KEY_ENV}) to its "
                "key to add rows to it"
            )
        if mode == UNKEYED and self._mode == KEYED:
            return (
                f"the audit log {self.path} holds unkeyed rows, and a chain cannot become keyed "
                f"in the middle: move the file aside to start a keyed log, or unset {KEY_FILE_ENV}"
                f" and {KEY_ENV}"
            )
        if mode == KEYED:
            return f"the audit key set is not the key the audit log {self.path} was written with"
        return f"the audit log {self.path} names an unknown hashing mode {mode!r} (edited?)"

    def _read_head(self) -> tuple[int, str]:
        last = self._db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return (last[0], last[1]) if last else (0, GENESIS)

    def pending_elsewhere(self) -> int:
        """Rows other open logs have journaled but not stored yet (they will be within
        ``flush_seconds``, or when those logs close)."""
        self.flush()
        with closing(self._connect()) as db:
            progress = dict(db.execute("SELECT name, lines FROM journal_progress"))
        total = 0
        for path in journals(self._journal_dir):
            try:
                total += row_lines(read_regular(path), progress.get(path.name, 0))
            except (FileNotFoundError, NotAFile):
                continue
        return total

    def rows(self, last: int | None = None) -> list[AuditRow]:
        """All rows in order, or only the ``last`` ones."""
        query = f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY seq"
        if last is not None:
            query = f"SELECT * FROM ({query} DESC LIMIT {int(last)}) ORDER BY seq"
        return list(self._read(query))

    def _read(self, query: str, *, verifying: bool = False) -> Iterator[AuditRow]:
        """Rows from a connection of their own: readers never wait for the writer. skiptrace
        writes UTF-8 text only; what else is there (put there by hand) is read as
        ``_checked_text`` says for ``verifying``, else as ``_shown_text`` shows it, a BLOB too."""
        self.flush()
        with closing(self._connect()) as db:
            db.text_factory = _checked_text if verifying else _shown_text
            for values in db.execute(query):
                if not verifying:
                    values = [_shown_text(v) if type(v) is bytes else v for v in values]
                yield AuditRow(**dict(zip(COLUMNS, values, strict=True)))

    def verify(self, expect_head: str | None = None) -> Verification:
        """Walk the chain from the first row; stop at the first row that does not hold.

        ``expect_head`` is an anchor kept earlier (``HASH``, ``ROW:HASH`` or ``row ROW HASH``;
        ValueError if it is none of these): the log must extend it, i.e. hold a row with that
        hash (at that row, if given), the chain intact through it to the head. A row recording
        a damaged journal fails verification too, with the chain intact."""
        anchor = parse_anchor(expect_head) if expect_head is not None else None
        self.flush()
        with closing(self._connect()) as db:
            db.text_factory = _shown_text
            mode, their_id = _mode_of(db)
            empty = db.execute("SELECT 1 FROM audit LIMIT 1").fetchone() is None
        keyed = mode == KEYED
        refusal = ""
        if keyed and self._key is None:
            return Verification(False, 0, "", reason=NEEDS_KEY, keyed=True, needs_key=True)
        if empty:  # hashed neither way yet (an anchor is not in it: below)
            keyed = self._key is not None
        elif mode == UNKEYED and self._key is not None:
            refusal = (
                "the log is not keyed, but a key is set: its rows are plain SHA-256, which "
                "anyone with the file can rebuild (forged, or written before the key was set)"
            )
        elif keyed and their_id != self._key_id:
            refusal = "the key set is not the key this log was written with (or its meta edited)"
        elif mode not in (KEYED, UNKEYED):
            refusal = f"the log names an unknown hashing mode {mode!r} (edited?)"
        if refusal:
            return Verification(False, 0, GENESIS, reason=refusal, keyed=keyed)

        prev, count = GENESIS, 0
        damage: list[AuditRow] = []
        anchored_at: int | None = None
        at_anchor_row = ""
        query = f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY seq"
        for row in self._read(query, verifying=True):
            expected_seq = count + 1
            problem = ""
            if row.seq != expected_seq:
                problem = f"row {expected_seq} is missing (next row found is {row.seq})"
            elif row.prev_hash != prev:
                problem = "its link to the row before does not match (rows removed or reordered)"
            elif self._row_hash(prev, row) != row.hash:
                problem = "its contents do not match its hash (the row was edited)"
            if problem:
                return Verification(False, count, prev, row.seq, problem, keyed=keyed)
            prev, count = row.hash, count + 1
            if anchor is not None:
                if row.hash == anchor[1]:
                    anchored_at = row.seq
                if row.seq == anchor[0]:
                    at_anchor_row = row.hash
            if row.event == "error" and row.rule == "journal":
                damage.append(row)
        problems = []
        if anchor is not None:
            problems.append(_anchor_problem(anchor, count, anchored_at, at_anchor_row))
        if damage:
            listed = "; ".join(f"row {row.seq}: {row.detail}" for row in damage[:3])
            more = f"; and {len(damage) - 3} more" if len(damage) > 3 else ""
            problems.append(f"rows record a damaged journal ({listed}{more})")
        reason = "; ".join(problem for problem in problems if problem)
        return Verification(
            not reason,
            count,
            prev,
            damage[0].seq if damage else None,
            reason,
            intact=True,
            keyed=keyed,
            damage=tuple(row.seq for row in damage),
            anchored_at=anchored_at,
        )

    def _row_hash(self, prev: str, row: AuditRow) -> str:
        """What ``row``'s hash should be, following ``prev``."""
        values = [getattr(row, name) for name in _EVENT_FIELDS]
        if any(not isinstance(v, str | int | None) for v in values):  # a BLOB, a float: edited
            return ""
        try:
            return self._hash(_payload(prev, row.seq, row.ts, values).encode("utf-8"))
        except (TypeError, UnicodeEncodeError):  # a time that is no text; text UTF-8 cannot
            return ""  # carry: no row is stored with either

    def close(self) -> None:
        """Store the journaled rows and remove the journal. If they cannot be stored, the
        journal stays for the next log opened on this file to recover, and the error is raised."""
        if not self._ours():
            return
        with self._store_lock:
            written: list[Journal] = []
            try:  # from taking the journals on: a Ctrl-C anywhere leaves them to be recovered
                with self._lock:
                    if self._journal is None:  # closed already (or read-only)
                        self._drop_copy()
                        return
                    self._settle()
                    written, self._journal, self._retired = (
                        [*self._retired, self._journal],
                        None,
                        [],
                    )
                    rows, self._pending, self._due = self._pending, [], None
                    under_way = [_under_way_row(begun, CLOSED) for _, begun in self._begun.values()]
                    self._begun = {}
                unregister(self)
                progress = [(journal.name, journal.lines) for journal in written]
                if under_way:  # the journals' begin lines are answered for, if these are stored
                    progress.append((_recorded(self._stem), len(under_way)))
                if rows or under_way:
                    self._store([*rows, *under_way], progress)
            except BaseException:
                for journal in written:
                    journal.close(remove=False)
                raise
            else:
                for journal in written:
                    journal.close(remove=True)
            finally:
                if self._journal is None:  # closed, unless a Ctrl-C came before that
                    self._db.close()  # again, if closed: harmless

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


_REMEMBERED_CHARS = 4096
"""The longest text whose masking a log remembers: a URL or a reference is far shorter, but a
connector's URL may be 64K characters (some 800 KB percent-encoded), and a thousand of those
remembered held a gigabyte for the whole run."""


def _remembering(mask: Callable[[str], str], size: int) -> Callable[[str], str]:
    """``mask``, its answers for the ``size`` texts last masked remembered, if they are at most
    ``_REMEMBERED_CHARS`` long."""
    remembered = lru_cache(maxsize=size)(mask)

    def masked(text: str) -> str:
        return remembered(text) if len(text) <= _REMEMBERED_CHARS else mask(text)

    return masked


def _cannot_open(path: Path, exc: Exception) -> AuditError:
    """Why the log at ``path`` did not open: AuditUnreadable if SQLite read damaged pages or no
    database at all (a plain DatabaseError: the head's rows, the log's settings or its header
    overwritten, directly or as ``open_store``'s WriteError), which the audit commands report
    as a failed verification; AuditError for a lock, a full disk or the like."""
    opening = isinstance(exc, WriteError)  # its message names the file already
    message = str(exc) if opening else f"cannot open the audit log {path}: {exc}"
    damage = exc.__cause__ if opening else exc
    if type(damage) is sqlite3.DatabaseError:
        return AuditUnreadable(message, str(damage))
    return AuditError(message)


def _mode_of(db: sqlite3.Connection) -> tuple[str, str]:
    """How the rows of the log open on ``db`` are hashed, and the id of the key if keyed. A log
    from before the mode was recorded is unkeyed."""
    meta = dict(db.execute("SELECT name, value FROM audit_meta"))
    return str(meta.get("mode", UNKEYED)), str(meta.get("key_id", ""))


def _anchor_problem(
    anchor: tuple[int | None, str], rows: int, anchored_at: int | None, at_anchor_row: str
) -> str:
    """Why a log of ``rows`` intact rows does not extend ``anchor``, if it does not."""
    row, digest = anchor
    if anchored_at is not None and row in (None, anchored_at):
        return ""
    if rows == 0:
        return "the log is empty, so the recorded anchor is not in it (deleted, or rebuilt?)"
    if row is None:
        return (
            f"no row has the recorded hash {digest}: the row anchored and those after it were "
            "removed or rewritten (others may have been added since), or the log was rebuilt"
        )
    if rows < row:
        return (
            f"the log has {rows} rows, fewer than the recorded anchor's row {row}: rows were "
            "removed from its end, or the log was rebuilt"
        )
    if anchored_at is not None:
        return f"the recorded hash is row {anchored_at}'s, not row {row}'s"
    return (
        f"row {row}'s hash is {at_anchor_row}, not the recorded {digest}: the log was rewritten "
        "from there on, or rebuilt"
    )


KILLED = "no answer was recorded before its process stopped (killed?)"
CLOSED = "the audit log was closed while it was under way"


def _under_way_row(begun: list[object], why: str) -> StoredRow:
    """The row of a request begun (``[ts, *fields]`` as journaled) and never ended: an error,
    at the time it was begun, saying ``why`` (chained when stored)."""
    ts, *values = begun
    was = dict(zip(_EVENT_FIELDS, values, strict=True))
    event = AuditEvent(
        event="error",
        method=str(was["method"]),
        url=str(was["url"]),
        connector=str(was["connector"]),
        purpose=str(was["purpose"]),
        debtor_ref=str(was["debtor_ref"]),
        detail=f"interrupted: {why}; the request may have reached the server",
        reason="error",
    )
    return [0, ts, *(getattr(event, name) for name in _EVENT_FIELDS), "", ""]


def _utf8(name: str) -> bool:
    """Whether a file's ``name`` is UTF-8 (read from the system, bytes that are not arrive as
    lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _recorded(stem: str) -> str:
    """The name under which ``journal_progress`` notes that the requests under way in the
    journals of ``stem`` have their rows: never recorded twice, even by a recovery cut short."""
    return f"{stem} under way"


def _damage_row(path: Path, problem: str) -> StoredRow:
    """An error row saying what was wrong with a recovered journal (chained when stored)."""
    detail = printable(f"journal {path.name} kept as .damaged: {problem}")
    event = AuditEvent(event="error", method="-", url="-", rule="journal", detail=detail)
    ts = _now()
    return [0, ts, *(getattr(event, name) for name in _EVENT_FIELDS), "", ""]
