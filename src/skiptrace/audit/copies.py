"""Reading a log where nothing may be written: read-only media, a copy still holding rows in
its ``-wal``, a log from before a column of today's. Such a log is read in place when it can be,
else from a private copy in the temporary folder (0600 in a 0700 folder), which its reader
removes and which the next copy made sweeps up if its process was killed first."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from contextlib import closing, suppress
from pathlib import Path

from skiptrace.audit.schema import SCHEMA, add_reason_column, made_now, tables_and_columns
from skiptrace.errors import AuditError
from skiptrace.state import open_store


def holds_no_log(path: Path) -> bool:
    """Whether ``path`` is plainly no audit log: nothing there, no regular file (a FIFO, a
    folder, a link to a device), or a file SQLite reads as a database without the log's table
    (a file of no bytes, another database). Opened as a log, the last would become an empty
    one, chain intact. Looked at without writing to it (nor opening what is no file); a file
    that is no database is left for opening the log to report."""
    if not path.is_file():  # a link is followed: to a log, it is one
        return True
    try:
        with closing(reading(path)) as db:
            found = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'"
            ).fetchone()
    except sqlite3.Error:
        return False
    return found is None


def reading(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database at ``path``. SQLite needs the ``-shm`` file of a
    database in WAL mode, which a copy on read-only media may lack: if no ``-wal`` holds rows,
    the file alone is the whole database, read as immutable."""
    flag = "mode=ro" if wal_holds_rows(path) else "immutable=1"
    return sqlite3.connect(f"{path.resolve().as_uri()}?{flag}", uri=True)


def wal_holds_rows(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def readable_in_place(path: Path) -> bool:
    """Whether the log at ``path`` can be read as it is, writing nothing: no ``-wal`` holds
    rows (SQLite reads one only with its ``-shm``, which a copy may lack and read-only media
    cannot be given), and it has every table and column of a log made now (an older one gains
    them as it is opened writable). A database without the log's table is read as it is, for
    reading to say so: it is no log to bring up to date."""
    if wal_holds_rows(path):
        return False
    with closing(reading(path)) as db:
        found = tables_and_columns(db)
    return not any(table == "audit" for table, _ in found) or made_now() <= found


def private_copy(path: Path) -> Path:
    """A copy of the log at ``path`` that can be read: its ``-wal`` applied and the tables and
    columns of a log made now added, as opening it writable does, in a folder of its own (0700,
    in the temporary folder) that the caller removes. Copied rather than read in place because
    neither can be done on read-only media; the copy is a snapshot, which is all a log there
    is. (Its ``-shm`` is not copied: SQLite makes one from the ``-wal``.)"""
    _sweep_copies()
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{_COPY_PREFIX}{os.getpid()}-"))
    except OSError as exc:
        raise _no_copy(path, exc) from None
    copy = folder / path.name
    try:
        _new_private_file(path, copy)
        if wal_holds_rows(path):
            _new_private_file(Path(f"{path}-wal"), Path(f"{copy}-wal"))
        with closing(open_store(copy, SCHEMA)) as db:  # closed: its -wal is checkpointed
            add_reason_column(db)
    except BaseException as exc:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _no_copy(path, exc) from None
        raise
    return copy


_COPY_PREFIX = "skiptrace-audit-"
"""The start of a private copy's folder's name, followed by the pid of the process it is for."""


def _sweep_copies() -> None:
    """Remove the private copies left in the temporary folder by processes that ended without
    closing their logs (SIGKILL, a hang-up, a power cut): each holds a log's rows, at rest
    outside SKIPTRACE_HOME. Only this user's folders, of processes that are gone."""
    with suppress(OSError), os.scandir(tempfile.gettempdir()) as entries:
        for entry in entries:
            pid = _copy_owner(entry)
            if pid is not None and not _running(pid):
                shutil.rmtree(entry.path, ignore_errors=True)


def _copy_owner(entry: os.DirEntry[str]) -> int | None:
    """The pid of the process whose private copy ``entry`` is, if it is one of this user's."""
    named = re.fullmatch(rf"{_COPY_PREFIX}([0-9]{{1,9}})-.+", entry.name)
    if named is None:  # the rest of the temporary folder is not even looked at
        return None
    try:
        ours = entry.is_dir(follow_symlinks=False) and (
            entry.stat(follow_symlinks=False).st_uid == os.getuid()
        )
    except OSError:
        return None
    return int(named[1]) if ours else None


def _running(pid: int) -> bool:
    """Whether a process ``pid`` is there (a pid reused since keeps a copy until it ends)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's: there
        return True
    return True


def _new_private_file(source: Path, target: Path) -> None:
    """``source`` copied to ``target``, made a new file of mode 0600 as it is created: the
    folder is 0700, but one swapped for another's (a temporary folder others can write, without
    the sticky bit) would otherwise get a readable copy, or a link at the name written through."""
    made = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    with source.open("rb") as read, open(made, "wb") as written:
        shutil.copyfileobj(read, written)


def _no_copy(path: Path, exc: OSError) -> AuditError:
    """Why a log that can only be read from a copy could not be copied, and what to do."""
    return AuditError(
        f"the audit log {path} can be read only from a copy (rows in its -wal, or an older log's "
        f"tables), which could not be made in the temporary folder: {exc}; give that folder room "
        "(or name another in TMPDIR), or copy the log's folder somewhere writable yourself"
    )
