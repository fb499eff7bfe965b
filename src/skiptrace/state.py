"""Where skiptrace keeps its state (audit log, HTTP cache, checkpoints), how its SQLite files are
opened, and where the built-in policies and connectors are.

What skiptrace writes there is research about people: every folder it makes is 0700 and every
file 0600 (SQLite files, their ``-wal`` and ``-shm`` included), whatever the process's umask.
A ``SKIPTRACE_HOME`` that other users may enter is left as it is (it may be shared on purpose)
but gets a one-line warning on stderr, once per process."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import sqlite3
import stat
import threading
import time
from pathlib import Path

import platformdirs

from skiptrace.errors import WriteError
from skiptrace.safe_text import message_line
from skiptrace.small_files import NotSmall, small_bytes

_PACKAGE_DIR = Path(__file__).resolve().parent
FILE_MODE = 0o600
DIR_MODE = 0o700
KEY_BYTES = 32
_WAL_WAIT_SECONDS = 5.0
"""As long as ``sqlite3.connect`` waits for another connection's lock by default."""
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_log = logging.getLogger("skiptrace.state")
_warned: set[str] = set()
_warned_lock = threading.Lock()


def in_home(path: Path) -> bool:
    """Whether ``path`` (its folder's links resolved) lies in the state directory (``home``,
    not made here): the audit log, the index and the checkpoints live there, and no output
    may be written over them."""
    where = home_path()
    return (path.parent.resolve() / path.name).is_relative_to(where.parent.resolve() / where.name)


def home_path() -> Path:
    """Where the state directory is (``home``), neither made nor checked: for a command that
    only compares a path with it, and keeps nothing there."""
    configured = os.environ.get("SKIPTRACE_HOME", "").strip()
    return (
        Path(configured).expanduser()
        if configured
        else Path(platformdirs.user_data_dir("skiptrace"))
    )


def home() -> Path:
    """The state directory (audit log, cache, checkpoints): ``SKIPTRACE_HOME`` or the user data dir.

    Created on first use, readable by its owner only (0700, and so is every folder created on
    the way to it): it holds research about people. An existing one that group or others may
    read, write or enter is not changed; it is named in a one-line warning (the ``skiptrace``
    logger, which prints to stderr when logging is not configured), once per process.
    """
    path = home_path()
    private_dir(path)
    _warn_if_shared(path)
    return path


def private_dir(path: Path) -> None:
    """``path`` made a folder if missing, it and its missing parents 0700 whatever the umask
    (``mkdir -p`` would give them the umask's mode). What already existed is left as it is."""
    missing: list[Path] = []
    folder = path
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        try:
            os.mkdir(made, DIR_MODE)
        except FileExistsError:  # made meanwhile by someone else: theirs, left as it is
            continue
        fd = os.open(made, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            os.fchmod(fd, DIR_MODE)  # the umask may have taken bits off (never via a link)
        finally:
            os.close(fd)
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)  # raises the reason (a file in the way...)


def _warn_if_shared(path: Path) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    if not mode & 0o077:
        return
    with _warned_lock:
        if str(path) in _warned:
            return
        _warned.add(str(path))
    _log.warning(
        "warning: SKIPTRACE_HOME %s is open to other users (mode %04o) and holds research "
        "about people: chmod 700 it unless it is shared on purpose",
        message_line(str(path)),  # one line, whatever the folder's name
        mode,
    )


def builtin_dir(name: str) -> Path:
    """A built-in data folder (``policies`` or ``connectors``).

    An installed wheel carries it inside the package; a source checkout or an editable install
    reads the top-level folder of the repository, so there is one copy to edit.
    """
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent.parent / name


def builtin_file(path: Path | None, name: str) -> bool:
    """``path`` is one of the built-in folder ``name``'s own files, links resolved: what
    skiptrace ships. A folder below it or beside it holds a third party's files, wherever it
    was put (``connectors/vendor/``, ``connectors-extra/``)."""
    return path is not None and path.resolve().parent == builtin_dir(name).resolve()


def open_store(path: Path, schema: str) -> sqlite3.Connection:
    """``path`` with ``schema`` applied: autocommit, WAL (readers never wait for the writer)
    and ``synchronous=NORMAL`` (a commit survives a killed process, not a power cut). The
    connection may be used from any thread; callers that share one hold their own lock.

    The file is created 0600 before SQLite opens it (and made 0600 if an older skiptrace left
    it wider); SQLite gives its ``-wal`` and ``-shm`` the database file's mode when it creates
    them, and leftovers are made 0600 too. No umask is changed, so other threads are not
    affected. ``secure_delete`` is on: a deleted row (a purged page, a finished run's
    checkpoints) is overwritten with zeros, not left in free pages.

    WriteError if SQLite cannot open it: what stands at its name (another program's file, one
    cut short, a FIFO) had ended every command that opens it in a traceback."""
    private_file(path)
    try:
        db = _connected(path, schema)
    except sqlite3.DatabaseError as exc:
        raise WriteError(f"cannot open {path}: {exc}") from exc  # the audit log reads the cause
    for suffix in ("-wal", "-shm"):
        _tighten(Path(f"{path}{suffix}"))
    return db


def _connected(path: Path, schema: str) -> sqlite3.Connection:
    """``open_store``'s connection, closed again if it cannot be set up."""
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    try:
        db.execute("PRAGMA secure_delete=ON")
        _write_ahead(db)
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(schema)
    except BaseException:
        db.close()
        raise
    return db


def _write_ahead(db: sqlite3.Connection) -> None:
    """Make ``db`` WAL, waiting as ``sqlite3.connect`` waits for a writer. SQLite answers
    "database is locked" at once, without its busy handler, while another connection is making
    the same new file WAL: two runs started together on a fresh home had one end there."""
    deadline = time.monotonic() + _WAL_WAIT_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode not in _BUSY or time.monotonic() > deadline:
                raise
        time.sleep(0.005)


def private_file(path: Path) -> None:
    """Make ``path`` an existing file of mode 0600: created so (``O_EXCL``, then ``fchmod``,
    whatever the umask), or made so if it is ours and wider. One that is not ours is left as
    it is (SQLite then reads it or refuses it as it would)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)
    except FileExistsError:
        _tighten(path)
        return
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def _tighten(path: Path) -> None:
    try:
        found = os.stat(path)
    except OSError:
        return
    if (
        stat.S_ISREG(found.st_mode)
        and found.st_uid == os.geteuid()
        and stat.S_IMODE(found.st_mode) != FILE_MODE
    ):
        with contextlib.suppress(OSError):  # not ours to change after all: left as it is
            os.chmod(path, FILE_MODE)


def secret(name: str) -> bytes:
    """A random key of ``KEY_BYTES`` kept in ``home() / name`` (0600), made on first use.

    Several processes may ask at once: the key is written whole under a temporary name and
    linked into place, so every one of them reads the same key. A key file of the wrong size is
    an error, not replaced: what was derived from the old key would no longer match. So is
    one that is no regular file (a FIFO held the command waiting for a writer, a link to
    /dev/zero was read until memory ran out): OSError, before more than a key's bytes are
    read."""
    path = home() / name
    if not os.path.lexists(path):
        draft = path.with_name(f".{name}.{secrets.token_hex(8)}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(draft, flags, FILE_MODE)
        try:
            try:
                os.fchmod(fd, FILE_MODE)
                os.write(fd, secrets.token_bytes(KEY_BYTES))
                os.fsync(fd)
            finally:
                os.close(fd)
            with contextlib.suppress(FileExistsError):  # made first elsewhere: that is the key
                os.link(draft, path)
        finally:
            os.unlink(draft)
    try:
        key = small_bytes(path, KEY_BYTES)
    except NotSmall as exc:  # a FIFO, a device, a longer file
        raise OSError(f"{exc}: restore it from a backup") from None
    if len(key) != KEY_BYTES:
        raise OSError(f"{path} is not a key of {KEY_BYTES} bytes: restore it from a backup")
    return key


def purge(db: sqlite3.Connection, table: str, retention_days: float) -> None:
    """Delete the rows of ``table`` stored more than the policy's retention.days ago."""
    cutoff = time.time() - retention_days * 86400
    db.execute(f"DELETE FROM {table} WHERE stored_at < ?", (cutoff,))
