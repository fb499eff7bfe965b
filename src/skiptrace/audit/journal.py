"""The audit log's write-ahead journal: one file per open log, one line per row.

A row reaches the journal with a single ``write()`` before the request's answer reaches the
caller, which makes it exactly as durable as a SQLite commit under ``synchronous=NORMAL`` (in the
kernel, safe from a crash or kill of the process) at a fraction of the cost; rows then move into
SQLite in batches. Each line is ``HASH JSON``, the JSON naming the hash of the line before it, so a
journal is a hash chain of its own. Each open journal is held under an exclusive ``flock``: a
journal that nobody holds belongs to a process that died before storing its rows, and the next
log to open recovers it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

SUFFIX = ".jsonl"
STARTING = ".new"
"""A journal's name while it is created: recovery looks only at held ``SUFFIX`` files."""


class Journal:
    """The journal this process writes; created empty, removed once its rows are stored."""

    def __init__(self, directory: Path, stem: str, part: int) -> None:
        """Journal ``part`` of the log named ``stem``: the parts of one log sort in order."""
        directory.mkdir(parents=True, exist_ok=True)
        self.name = f"{stem}-{part:06d}{SUFFIX}"
        self.path = directory / self.name
        self.lines = 0
        self._end = 0
        self._broken = ""
        starting = self.path.with_name(self.name + STARTING)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        self._fd = os.open(starting, flags, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)  # waits out a recovery that is looking at it
        os.rename(starting, self.path)  # under its real name only once held: never "orphaned"

    def write(self, line: str) -> None:
        """Append one line (no newline inside it) with one system call. A write that fails
        part-way is cut back off, so the next line starts on a line of its own."""
        if self._broken:
            raise OSError(self._broken)
        data = line.encode("utf-8") + b"\n"
        try:
            written = os.write(self._fd, data)
        except OSError:
            self._cut_back()
            raise
        if written != len(data):
            self._cut_back()
            raise OSError(f"short write to {self.path} (is the disk full?)")
        self._end += written
        self.lines += 1

    def _cut_back(self) -> None:
        try:
            os.ftruncate(self._fd, self._end)
        except OSError as exc:
            self._broken = f"{self.path} could not be repaired after a failed write: {exc}"

    def fileno(self) -> int:
        return self._fd

    def close(self, *, remove: bool) -> None:
        """Release the journal; ``remove`` it when every line is stored elsewhere."""
        if remove:
            self.path.unlink(missing_ok=True)
        os.close(self._fd)


def new_stem() -> str:
    """A name for one open log's journals, unique across processes."""
    return f"{os.getpid()}-{secrets.token_hex(6)}"


def journals(directory: Path) -> list[Path]:
    """Every journal in ``directory``, open or orphaned, and any left half-created."""
    if not directory.is_dir():
        return []
    return sorted([*directory.glob(f"*{SUFFIX}"), *directory.glob(f"*{SUFFIX}{STARTING}")])


@contextmanager
def held(path: Path) -> Iterator[bytes | None]:
    """The contents of an orphaned journal, held so that no other process recovers it at the
    same time; ``None`` if its log is open, or it is gone or taken since it was listed."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        yield None
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read()
        yield data if path.exists() else None
    finally:
        os.close(fd)


def read_journal(
    data: bytes, done: int, fields_ok: Callable[[list[object]], bool]
) -> tuple[list[list[object]], str]:
    """The rows of a journal's lines after line ``done``, as long as each is intact and follows
    the line before it, and what broke the chain if something did. A row is ``[seq, ts,
    *fields, prev_hash, hash]``; ``fields_ok`` says whether its event fields can be stored."""
    lines = data.split(b"\n")
    if done > len(lines) - 1:
        return [], f"it has {len(lines) - 1} whole lines, fewer than the {done} already stored"
    link = lines[done - 1].partition(b" ")[0].decode("ascii", "replace") if done else None
    rows: list[list[object]] = []
    for number, line in enumerate(lines[done:-1], done + 1):
        digest, _, payload = line.partition(b" ")
        row = _row(payload, fields_ok)
        if row is None or hashlib.sha256(payload).hexdigest().encode() != digest:
            return rows, f"line {number} is not an intact journal row (edited?)"
        if link is not None and row[-1] != link:
            return rows, f"line {number} does not follow the line before it"
        link = digest.decode()
        rows.append([*row, link])
    if lines[-1]:
        return rows, "it ends in a partial line: one row was lost"
    return rows, ""


def _row(payload: bytes, fields_ok: Callable[[list[object]], bool]) -> list[object] | None:
    """``[seq, ts, *fields, prev_hash]`` from a line's JSON, if it has a row's shape."""
    try:
        prev, seq, ts, *values = json.loads(payload)
    except (ValueError, TypeError):
        return None
    if type(seq) is not int or type(prev) is not str or type(ts) is not str:
        return None
    return [seq, ts, *values, prev] if fields_ok(values) else None
