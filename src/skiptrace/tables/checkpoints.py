"""Checkpoints: what a run has found so far, kept (SQLite in SKIPTRACE_HOME) so a run stopped
by a crash, Ctrl-C or ``kill -9`` continues where it stopped and writes exactly the output an
uninterrupted run would.

Only what resuming needs is kept: a row's output columns, keyed by the run (the input file's
content and the options that change results) and the row's position. The input's own cells
(SSNs, dates of birth...) are never stored: a resumed run reads them again from the input
file, which the run key proves is the same. Each kept row also carries a tag binding it to the
input cells it was researched from (an HMAC under a key derived from the input's whole
content, which is never stored), so a row whose cells read differently on resume is researched
again instead of being given another debtor's findings; without the input file, the tag
reveals nothing about the cells. The tag covers the kept columns too: a row edited or damaged
on disk is researched again, never written as found. Each run is stored with a tag of its
input (an HMAC keyed by its content), so that a run named otherwise (an upgrade, another
source) can say it does not reuse the rows an earlier run of the same input kept.

A run's checkpoints are deleted once its output is complete (``clear``); those of a run never
finished are purged when older than the policy's ``retention.days``. Deleted rows are
overwritten (``secure_delete``) and the write-ahead log is emptied after a run is cleared."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from skiptrace.errors import WriteError
from skiptrace.state import open_store, purge
from skiptrace.tables.reader import open_input

_SCHEMA = """
CREATE TABLE IF NOT EXISTS finished (
    run TEXT NOT NULL,
    row INTEGER NOT NULL,
    cells TEXT NOT NULL,
    bound TEXT NOT NULL,
    stored_at REAL NOT NULL,
    PRIMARY KEY (run, row)
);
CREATE TABLE IF NOT EXISTS runs (
    run TEXT PRIMARY KEY,
    input TEXT NOT NULL,
    stored_at REAL NOT NULL
);
"""
CLEAR_BATCH = 5_000
"""Rows ``clear`` deletes a transaction. One DELETE of a whole run held the store's write lock
for all its rows (1.6 million: 4.4 s), and another run sharing SKIPTRACE_HOME, whose next
write waits at most 5 s, stopped with "database is locked"; a run cut short between batches
keeps the rest, valid checkpoints of a complete output."""
_SEAL_LABEL = b"skiptrace checkpoints: a kept row's input cells"
_INPUT_LABEL = b"skiptrace checkpoints: the runs of one input"


@dataclass(frozen=True)
class RunIdentity:
    """``key`` names a run in the store; ``seal`` binds its kept rows to their input cells.
    Both come from the input's content; only ``key`` is ever stored."""

    key: str
    seal: bytes
    content: bytes
    """The input's SHA-256, to tell a file whose change time alone moved (``changed``)."""

    @property
    def input_tag(self) -> str:
        """What every run of this input shares (stored with its kept rows), so that a run
        named otherwise (an upgrade, another source) can say it does not reuse them."""
        return hmac.new(self.content, _INPUT_LABEL, "sha256").hexdigest()


def file_sha256(file: Path | BinaryIO) -> bytes:
    """The SHA-256 of a regular file's bytes, read in 1 MB blocks: ``file`` by its path
    (``open_input``), or a file open already (from its start), so that what is hashed is what
    its reader reads, whatever the path names meanwhile."""
    if isinstance(file, Path):
        with open_input(file) as handle:
            return file_sha256(handle)
    digest = hashlib.sha256()
    file.seek(0)
    for block in iter(lambda: file.read(1 << 20), b""):
        digest.update(block)
    return digest.digest()


def file_state(file: Path | BinaryIO) -> tuple[int, int, int, int, int]:
    """What changes when a file is written to, cut or replaced: its device, inode, size,
    modification and change times (ns; the change time also moves when the modification time
    is set back, where the file system keeps one: not FAT). Compared at the end of a run that
    read the file, it shows the file the run read is not the file the run's hash names. An
    open ``file``: the file it reads, whatever its path names now."""
    found = file.stat() if isinstance(file, Path) else os.fstat(file.fileno())
    return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


def changed(file: Path | BinaryIO, before: tuple[int, ...], content: bytes) -> bool:
    """Whether ``file`` (a path, or a file open) is no longer the file ``before``
    (``file_state``) and ``content`` (its SHA-256) describe: its device, inode, size or
    modification time moved; or its change time alone, and its bytes differ (rewritten in
    place, the time set back), not only its mode, links or extended attributes (a sync tool's
    chmod, a hard-link backup)."""
    now = file_state(file)
    if now[:4] != before[:4]:
        return True
    return now[4] != before[4] and file_sha256(file) != content


def run_identity(path: Path, options: Iterable[str]) -> RunIdentity:
    """A run's identity: the input's bytes and the options that change its results. The input
    must be a regular file (``open_input``): this reads it whole, once."""
    content = file_sha256(path)
    key = hashlib.sha256(content + json.dumps(sorted(options)).encode()).hexdigest()
    return RunIdentity(key, hmac.digest(content, _SEAL_LABEL, "sha256"), content)


class Checkpoints:
    """Kept rows of one run: what the caller asks to keep (the output columns), bound to the
    input cells given with them. ``seal`` comes from ``run_identity``."""

    def __init__(
        self, path: Path, run: str, retention_days: float, *, seal: bytes = b"", input_tag: str = ""
    ) -> None:
        self._run = run
        self._seal = seal
        self._input = input_tag
        self._listed = False
        self._path = path
        self._db = open_store(path, _SCHEMA)
        self._drop_whole_rows()
        purge(self._db, "finished", retention_days)
        purge(self._db, "runs", retention_days)

    def others(self) -> int:
        """How many rows other runs of this input (``RunIdentity.input_tag``) kept, where this run
        has kept none yet: named by another skiptrace version, source or option, it does not
        reuse them (said once, not on every rerun of this run)."""
        if not self._input:
            return 0
        with self._using():
            if self._db.execute("SELECT 1 FROM finished WHERE run = ?", (self._run,)).fetchone():
                return 0
            found = self._db.execute(
                "SELECT COUNT(*) FROM finished JOIN runs USING (run) WHERE input = ? AND run != ?",
                (self._input, self._run),
            ).fetchone()
        return int(found[0])

    def _drop_whole_rows(self) -> None:
        """A store written by an older skiptrace kept whole input rows: dropped (with
        ``secure_delete``, its pages are zeroed). Its runs are researched again if resumed."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(finished)")}
        if "bound" not in columns:
            self._db.execute("DROP TABLE finished")
            self._db.executescript(_SCHEMA)
            self._empty_wal()

    @contextlib.contextmanager
    def _using(self) -> Iterator[None]:
        """WriteError for the store failing (a full disk): the rows kept so far stay kept."""
        try:
            yield
        except sqlite3.Error as exc:
            raise WriteError(f"the checkpoints in {self._path} failed: {exc}") from None

    def get(self, row: int, inputs: Sequence[str] = ()) -> list[str] | None:
        """The cells kept for ``row``, if they were kept for these ``inputs``."""
        with self._using():
            found = self._db.execute(
                "SELECT cells, bound FROM finished WHERE run = ? AND row = ?", (self._run, row)
            ).fetchone()
        if found is None:
            return None
        kept, bound = map(str, found)  # as text, whatever was written into the store
        if not hmac.compare_digest(bound, self._bound(row, inputs, kept)):
            return None  # kept for other cells, or edited on disk since
        return list(json.loads(kept))

    def put(self, row: int, cells: list[str], inputs: Sequence[str] = ()) -> None:
        """Keep ``cells`` for ``row``, bound to its ``inputs`` (which are not stored);
        committed before this returns (a kill loses nothing kept)."""
        kept = json.dumps(cells, ensure_ascii=False)
        with self._using():
            if self._input and not self._listed:  # once a run: not a second write a row
                self._db.execute(
                    "INSERT OR REPLACE INTO runs (run, input, stored_at) VALUES (?, ?, ?)",
                    (self._run, self._input, time.time()),
                )
                self._listed = True
            self._db.execute(
                "INSERT OR REPLACE INTO finished (run, row, cells, bound, stored_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (self._run, row, kept, self._bound(row, inputs, kept), time.time()),
            )

    def clear(self) -> None:
        """Delete every row of this run (its output is complete), overwritten on disk, and
        empty the write-ahead log (unless another process is reading it: then SQLite reuses
        it later)."""
        with self._using():
            while self._db.execute(
                "DELETE FROM finished WHERE rowid IN "
                "(SELECT rowid FROM finished WHERE run = ? LIMIT ?)",
                (self._run, CLEAR_BATCH),
            ).rowcount:
                pass  # each batch its own transaction: another run's put waits for one
            self._db.execute("DELETE FROM runs WHERE run = ?", (self._run,))
            self._listed = False
        self._empty_wal()

    def _empty_wal(self) -> None:
        with contextlib.suppress(sqlite3.OperationalError):  # busy: another run holds it
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def _bound(self, row: int, inputs: Sequence[str], kept: str) -> str:
        """The tag of ``row``'s ``kept`` text (as stored) and the input cells it was found
        for: a row edited on disk (a status, a formula in a found_* cell) is not taken."""
        message = json.dumps([row, list(inputs), kept]).encode("ascii")
        return hmac.new(self._seal, message, "sha256").hexdigest()

    def close(self) -> None:
        self._db.close()
