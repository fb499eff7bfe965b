"""The audit log's write-ahead journal: one file per open log, one line per row, and one more
per request sent, before it leaves (``begin``); the row of its answer ends it in its own line
(``answer``), so a request is under way, or has its row, never both.

A row reaches the journal with a single ``write()`` before the request's answer reaches the
caller, which makes it exactly as durable as a SQLite commit under ``synchronous=NORMAL`` (in the
kernel, safe from a crash or kill of the process) at a fraction of the cost; rows then move into
SQLite in batches. A request's begin line is written the same way before the request is sent,
so a request under way when its process is killed is known to the next log that opens the file.
Each line is ``HASH JSON``, the JSON naming the hash of the line before it, so a journal is a
hash chain of its own. Each open journal is held under an exclusive ``flock``: a
journal that nobody holds belongs to a process that died before storing its rows, and the next
log to open recovers it.

A chain shows an edited or removed line, but not lines cut from its end. So each journal has a
seal beside it (``NAME.seal``): how many lines were written and the last one's hash, with a MAC
over both (keyed BLAKE2b under a key derived from the audit key in a keyed log; in an unkeyed
log, a checksum anyone can recompute), kept in a shared memory map of the file. Updating it after
each line is a store to memory, not a system call, and the kernel keeps it like the line itself
if the process is killed: one ``write()`` per row still. The seal alternates between two slots,
so a kill in the middle of updating one leaves the other whole. Recovery finds a journal shorter
than its seal. What a seal cannot show: a cut made by someone who also rewrites the seal (anyone,
in an unkeyed log; in a keyed log only by putting back a copy of the seal taken earlier), or a
journal deleted together with its seal.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import mmap
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from skiptrace.audit.chain import GENESIS, Hasher, _payload, hasher
from skiptrace.state import private_dir

SUFFIX = ".jsonl"
STARTING = ".new"
"""A journal's name while it is created: recovery looks only at held ``SUFFIX`` files."""
SEAL = ".seal"
"""Beside each journal, ``NAME.seal``: how far it was written (see the module's docstring)."""
_SLOT = 151
"""A seal slot: 20-digit line count, the last line's hash, the MAC of both, a newline."""
_PLAIN = hasher(None)
BEGIN = "begin"
ANSWER = "answer"
END = "end"
"""The first value of the lines that are not plain rows: a request begun (journaled before it
is sent, ``["begin", prev, token, ts, *fields]``) and the row that answers it, which ends it
(``["answer", token, prev, seq, ts, *fields]``: the row's line, the request's token first). A
request begun and never answered was under way when its process stopped. Journals written
before the answer line ended a request with a line of its own after its row (``["end", prev,
token]``, in the row's ``write()``): still read, so that they recover as they were written."""
_END_PREFIX = f'["{END}", '.encode()
_BEGIN_PREFIX = f'["{BEGIN}", '.encode()


class Journal:
    """The journal this process writes; created empty, removed once its rows are stored."""

    def __init__(self, directory: Path, stem: str, part: int, key: bytes | None = None) -> None:
        """Journal ``part`` of the log named ``stem``: the parts of one log sort in order. Its
        lines are hashed, and its seal made, with ``key`` if the log is keyed."""
        private_dir(directory)
        self.name = f"{stem}-{part:06d}{SUFFIX}"
        self.path = directory / self.name
        self.lines = 0
        self._end = 0
        self._broken = ""
        self._writing: tuple[int, int, int, tuple[str, ...]] | None = None
        """The write under way: where it starts, its size, the lines before it and its lines."""
        starting = self.path.with_name(self.name + STARTING)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        self._fd = os.open(starting, flags, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)  # waits out a recovery that is looking at it
            self._seal = _Seal(seal_of(self.path), _seal_mac(self.name, key))
        except BaseException:
            os.close(self._fd)
            starting.unlink(missing_ok=True)
            raise
        os.rename(starting, self.path)  # under its real name only once held: never "orphaned"

    def write(self, *lines: str) -> None:
        """Append ``lines`` (no newline inside one) with one system call. A write that fails
        part-way is cut back off, so the next line starts on a line of its own."""
        if self._broken:
            raise OSError(self._broken)
        data = "\n".join(lines).encode("utf-8") + b"\n"
        self._writing = (self._end, len(data), self.lines, lines)
        try:
            written = os.write(self._fd, data)
        except OSError:
            self.settle()
            raise
        if written != len(data):
            self.settle()
            raise OSError(f"short write to {self.path} (is the disk full?)")
        self._wrote(*self._writing)

    def settle(self) -> None:
        """Finish the bookkeeping of the last write if an exception (a Ctrl-C, raised between
        any two bytecodes) cut it short: the file's size says whether its lines are there; a
        part of them is cut back off. Until then ``lines`` may not count them."""
        if self._writing is None:
            return
        start, size, _, _ = self._writing
        try:
            whole = os.fstat(self._fd).st_size == start + size
        except OSError:
            whole = False
        if whole:
            self._wrote(*self._writing)
            return
        try:
            os.ftruncate(self._fd, start)
        except OSError as exc:
            self._broken = f"{self.path} could not be repaired after a failed write: {exc}"
        self._writing = None

    def _wrote(self, start: int, size: int, before: int, lines: tuple[str, ...]) -> None:
        """The bookkeeping of ``lines`` written at ``start``: set, not added, so that doing it
        again after an interrupt (``settle``) is harmless."""
        self._end = start + size
        for number, line in enumerate(lines, before + 1):  # the other slot is one line behind
            self.lines = number
            self._seal.mark(number, line[:64].encode("ascii"))
        self._writing = None

    @property
    def size(self) -> int:
        """The bytes of the lines written so far."""
        return self._end

    def fileno(self) -> int:
        return self._fd

    def close(self, *, remove: bool) -> None:
        """Release the journal; ``remove`` it (and its seal) when every line is stored elsewhere."""
        if remove:
            self.path.unlink(missing_ok=True)
            seal_of(self.path).unlink(missing_ok=True)  # after the journal: never one without
        self._seal.close()
        os.close(self._fd)


class _Seal:
    """How far a journal was written, in two slots of a shared memory map (see the module)."""

    def __init__(self, path: Path, mac: Hasher) -> None:
        self._mac = mac
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags, 0o600)
        try:
            start = _slot(0, GENESIS.encode(), mac)
            if os.write(fd, start + start) != 2 * _SLOT:
                raise OSError(f"short write to {path} (is the disk full?)")
            self._map = mmap.mmap(fd, 2 * _SLOT)
        except BaseException:
            os.close(fd)
            path.unlink(missing_ok=True)
            raise
        os.close(fd)  # the map holds the file

    def mark(self, lines: int, head: bytes) -> None:
        """``lines`` lines are written, the last hashed ``head``: a store to memory, no call."""
        offset = (lines & 1) * _SLOT
        self._map[offset : offset + _SLOT] = _slot(lines, head, self._mac)

    def close(self) -> None:
        with suppress(BufferError, ValueError):
            self._map.close()


def _slot(lines: int, head: bytes, mac: Hasher) -> bytes:
    sealed = b"%020d %b" % (lines, head)
    return b"%b %b\n" % (sealed, mac(sealed).encode())


def _seal_mac(name: str, key: bytes | None) -> Hasher:
    """The MAC of one journal's seal: bound to its name, so a seal cannot be moved to another
    journal; keyed BLAKE2b (a MAC by design, and one call from a state made once: the seal is
    updated on the request path) under a key derived from the audit key in a keyed log."""
    seal_key = bytes.fromhex(hasher(key)(b"skiptrace journal seal")) if key is not None else b""
    label = f"skiptrace journal seal {name} ".encode()
    start = hashlib.blake2b(label, key=seal_key, digest_size=32)

    def mac(sealed: bytes) -> str:
        state = start.copy()
        state.update(sealed)
        return state.hexdigest()

    return mac


def seal_of(journal: Path) -> Path:
    """The seal beside ``journal`` (named for the journal's real name, ``.new`` or not)."""
    name = journal.name.removesuffix(STARTING)
    return journal.with_name(name + SEAL)


def seal_problem(seal: bytes | None, name: str, key: bytes | None, data: bytes) -> str:
    """What the seal of the journal ``name`` says is wrong with its contents ``data``, if
    anything: lines cut from its end (or added), a missing, unreadable or damaged seal."""
    if seal is None:
        return "its seal is missing (removed?), so lines cut from its end cannot be ruled out"
    mac = _seal_mac(name, key)
    slots = [_read_slot(seal[n * _SLOT : (n + 1) * _SLOT], mac) for n in (0, 1)]
    whole = [slot for slot in slots if slot is not None]
    if not whole:
        return "its seal does not hold (edited, or made with another key?)"
    sealed, head = max(whole)
    lines = data.split(b"\n")[:-1]
    if len(lines) < sealed:
        return (
            f"it has {len(lines)} whole lines, but {sealed} were written: "
            f"lines were removed from its end"
        )
    if sealed and lines[sealed - 1].partition(b" ")[0] != head.encode():
        return f"line {sealed} is not the line written there (replaced?)"
    # unsealed lines a kill can leave: the last write's, not yet marked when it came (one
    # line; in a journal written before answer lines, a row and the end line written with it)
    unsealed = len(lines) - sealed
    last_write = unsealed == 1 or (unsealed == 2 and _is_end(lines[-1]))
    if unsealed > 0 and not last_write:
        return f"it has {len(lines)} whole lines, but only {sealed} were written (lines added?)"
    if len(whole) < 2 and not last_write:
        # one slot is torn only if the process was killed while marking it, just after the
        # line(s) after line sealed were written: anything else is an edit (say, one to hide
        # a removed line)
        return "one slot of its seal does not hold (edited?)"
    return ""


def _is_end(line: bytes) -> bool:
    return line.partition(b" ")[2].startswith(_END_PREFIX)


def _read_slot(slot: bytes, mac: Hasher) -> tuple[int, str] | None:
    """A slot's line count and hash, if its MAC holds."""
    sealed, _, digest = slot.rstrip(b"\n").rpartition(b" ")
    count, _, head = sealed.partition(b" ")
    if len(slot) != _SLOT or not count.isdigit() or mac(sealed).encode() != digest:
        return None
    return int(count), head.decode("ascii", "replace")


class NotAFile(OSError):
    """A journal's or seal's name that is not a regular file: a FIFO (reading it would wait for
    a writer forever), a link (to ``/dev/zero``, say) or a folder. Never read: damage."""


_READ_FLAGS = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | os.O_NOFOLLOW


def open_regular(path: Path) -> int:
    """``path`` opened for reading without following a link or waiting on a FIFO; NotAFile
    unless it is a regular file, FileNotFoundError if it is gone."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotAFile(f"{path.name} is not a regular file (a link)") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotAFile(f"{path.name} is not a regular file (a FIFO, a device or a folder)")
    return fd


def read_regular(path: Path) -> bytes:
    """The contents of the regular file ``path`` (see ``open_regular``)."""
    with os.fdopen(open_regular(path), "rb") as stream:
        return stream.read()


def read_seal(journal: Path) -> bytes | None:
    """The seal of ``journal``, or None if it has none; NotAFile if it is not a file."""
    try:
        return read_regular(seal_of(journal))
    except FileNotFoundError:
        return None


def sweep_seals(directory: Path) -> None:
    """Remove seals whose journal is gone (its process died between removing the two)."""
    if not directory.is_dir():
        return
    for seal in directory.glob(f"*{SUFFIX}{SEAL}"):
        journal = seal.with_name(seal.name.removesuffix(SEAL))
        # .new first: a journal being created is renamed from .new to its real name
        if not journal.with_name(journal.name + STARTING).exists() and not journal.exists():
            with suppress(IsADirectoryError):  # a folder: not a seal of ours
                seal.unlink(missing_ok=True)


def new_stem() -> str:
    """A name for one open log's journals, unique across processes."""
    return f"{os.getpid()}-{secrets.token_hex(6)}"


def stem_of(name: str) -> str:
    """The stem of the journal named ``name`` (``STEM-PART.jsonl``): the log that wrote it."""
    return name.rpartition("-")[0]


def journals(directory: Path) -> list[Path]:
    """Every journal in ``directory``, open or orphaned, and any left half-created."""
    if not directory.is_dir():
        return []
    return sorted([*directory.glob(f"*{SUFFIX}"), *directory.glob(f"*{SUFFIX}{STARTING}")])


@contextmanager
def held(path: Path) -> Iterator[bytes | None]:
    """The contents of an orphaned journal, held so that no other process recovers it at the
    same time; ``None`` if its log is open, or it is gone or taken since it was listed.
    NotAFile if it is not a regular file."""
    try:
        fd = open_regular(path)
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


def held_open(path: Path) -> bool:
    """Whether the journal ``path`` is held: its log is open (or being recovered)."""
    try:
        fd = open_regular(path)
    except OSError:  # gone, or no file: no log's
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def begin_payload(prev: str, token: int, ts: str, values: list[object]) -> str:
    """The text of a begin line, hashed like a row's and following the line before it."""
    return f'["{BEGIN}", ' + _payload(prev, token, ts, values)[1:]


def answer_payload(prev: str, token: int, seq: int, ts: str, values: list[object]) -> str:
    """The text of a row that answers the request ``token``, hashed like a row's and following
    the line before it: the row and the request's end are one line, written whole or not."""
    return f'["{ANSWER}", {token}, ' + _payload(prev, seq, ts, values)[1:]


@dataclass
class Reading:
    """What a journal holds. ``rows`` are the rows after the lines already stored, each
    ``[seq, ts, *fields, prev_hash, hash]``; ``begun`` the requests begun in it (token to
    ``[ts, *fields]``) and ``ended`` the tokens of those answered in it, from its first line;
    ``problem`` what broke its chain, if something did (nothing after that is read), and
    ``lines`` how many lines were read intact."""

    rows: list[list[object]] = field(default_factory=list)
    begun: dict[int, list[object]] = field(default_factory=dict)
    ended: set[int] = field(default_factory=set)
    problem: str = ""
    lines: int = 0


def read_journal(
    data: bytes,
    done: int,
    fields_ok: Callable[[list[object]], list[object] | None],
    digest_of: Hasher = _PLAIN,
) -> Reading:
    """A journal's contents ``data``, as long as each line is intact (hashed with ``digest_of``,
    the log's) and follows the line before it; rows only after line ``done``. ``fields_ok``
    says whether a row's event fields can be stored (and gives them as they are stored). A
    partial last line is not read."""
    lines = data.split(b"\n")
    if done > len(lines) - 1:
        problem = f"it has {len(lines) - 1} whole lines, fewer than the {done} already stored"
        return Reading(problem=problem)
    reading = Reading()
    link: str | None = None
    for number, line in enumerate(lines[:-1], 1):
        digest, _, payload = line.partition(b" ")
        parsed = _line(payload, fields_ok)
        if parsed is None or digest_of(payload).encode() != digest:
            if parsed is not None and _PLAIN(payload).encode() == digest:
                reading.problem = (
                    f"line {number} is hashed without the log's key (by a process with no key "
                    "set, or forged)"
                )
            else:
                reading.problem = f"line {number} is not an intact journal row (edited?)"
            return reading
        kind, number_or_token, body, prev, ends = parsed
        if link is not None and prev != link:
            reading.problem = f"line {number} does not follow the line before it"
            return reading
        link, reading.lines = digest.decode(), number
        if ends is not None:
            reading.ended.add(ends)
        if kind == BEGIN:
            reading.begun[number_or_token] = body
        elif kind != END and number > done:
            # an answer's line hash is not its row's: "" has it hashed as it is stored
            reading.rows.append([number_or_token, *body, prev, link if kind == "row" else ""])
    # a partial last line is a write its process was killed in (a SIGKILL ends a write() at a
    # page boundary): it never returned, so its row was never written, as if the kill had come
    # before it (a request whose row it was is under way: its begin line is whole). A cut into
    # a line that was written shows as a whole line fewer than the seal counts (``seal_problem``)
    return reading


def _line(
    payload: bytes, fields_ok: Callable[[list[object]], list[object] | None]
) -> tuple[str, int, list[object], str, int | None] | None:
    """A line's kind (``row``, ``BEGIN``, ``ANSWER`` or ``END``), its row's place or request's
    token, its ``[ts, *fields]`` (none for an end), the hash it follows and the token of the
    request it ends (an answer's, an end's); None if it has no such shape."""
    try:
        values = json.loads(payload)
    except (ValueError, TypeError):
        return None
    if type(values) is not list or not values:
        return None
    kind = values[0] if values[0] in (BEGIN, ANSWER, END) else "row"
    if kind != "row":
        values = values[1:]
    ends = None
    if kind == ANSWER:
        if not values or type(values[0]) is not int:
            return None
        ends, *values = values
    if kind == END:
        if len(values) != 2 or type(values[0]) is not str or type(values[1]) is not int:
            return None
        return END, values[1], [], values[0], values[1]
    if len(values) < 3:
        return None
    prev, number, ts, *rest = values
    if type(number) is not int or type(prev) is not str or type(ts) is not str:
        return None
    fields = fields_ok(rest)
    return (kind, number, [ts, *fields], prev, ends) if fields is not None else None


def row_lines(data: bytes, after: int) -> int:
    """How many of a journal's whole lines after line ``after`` are rows (answers too)."""
    lines = data.split(b"\n")[after:-1]
    markers = (_BEGIN_PREFIX, _END_PREFIX)
    return sum(not line.partition(b" ")[2].startswith(markers) for line in lines)
