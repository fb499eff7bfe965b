"""A Ctrl-C landing anywhere in ``begin``, ``append`` or ``flush`` (a second one while asyncio
cancels, or any caller of the Python API) never leaves the journal and the log's memory of it
apart: a line that reached the journal is stored at close, or recovered after a kill, in an
intact chain, once; a request begun and never answered gets its error row. Before, a row written
just before the interrupt was missing from the stored log (its journal removed at close) while
``verify`` said ok, the next row chained past it, a later failed write cut it off, and a Ctrl-C
in a flush dropped the rows it had taken."""

from __future__ import annotations

import contextlib
import dis
import functools
import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

import pytest

from skiptrace.audit import AuditEvent, AuditLog, Verification, storer
from skiptrace.audit import journal as journal_module
from skiptrace.audit import log as log_module
from skiptrace.errors import AuditError

_WATCHED = {journal_module.__file__, log_module.__file__}
"""The files whose lines an interrupt is made to land before."""

Step = Callable[[AuditLog, dict[str, int]], None]


def _event(name: str, status: int | None = None) -> AuditEvent:
    return AuditEvent(event="request", method="GET", url=f"https://x.example/{name}", status=status)


def _short_write(log: AuditLog, tokens: dict[str, int]) -> None:
    """A row whose write is cut short (a full disk): refused, its part cut off the journal."""
    real = os.write

    def short(fd: int, data: bytes) -> int:
        return real(fd, data[:10])

    os.write = short
    try:
        with contextlib.suppress(AuditError):
            log.append(_event("cut-short"))
    finally:
        os.write = real


def _answer(name: str) -> Step:
    def answer(log: AuditLog, tokens: dict[str, int]) -> None:
        if name in tokens:  # its begin returned: the request was sent
            log.append(_event(name, 200), ends=tokens[name])

    return answer


STEPS: list[Step] = [
    lambda log, tokens: tokens.update(answered=log.begin(_event("answered"))),
    _answer("answered"),
    lambda log, tokens: log.append(_event("refused")),
    lambda log, tokens: log.flush(),  # and on to a fresh journal (``journal_lines``)
    _short_write,
    lambda log, tokens: tokens.update(slow=log.begin(_event("slow"))),  # never answered
    lambda log, tokens: log.append(_event("last")),
]
_CALLED = {getattr(AuditLog, name).__code__ for name in ("begin", "append", "flush", "close")}


def _log(path: Path) -> AuditLog:
    return AuditLog(path, flush_seconds=3600, journal_lines=2)


Line = tuple[CodeType, int]


class _Interrupter:
    """A tracer noting the lines run by the steps' calls on ``log`` and, in the audit package,
    while it holds its lock; it raises KeyboardInterrupt before the first run of line ``at``
    (as a signal's handler does between two bytecodes)."""

    def __init__(self, log: AuditLog, at: Line | None) -> None:
        self.log, self.at, self.lines = log, at, list[Line]()

    def __call__(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "call":
            return self if frame.f_code.co_filename in _WATCHED else None
        watched = (
            frame.f_code in _CALLED or self.log._store_lock.locked() or self.log._lock.locked()
        )
        if event == "line" and watched and _signal_may_land(frame):
            self.lines.append((frame.f_code, frame.f_lineno))
            if self.lines[-1] == self.at:
                self.at = None
                raise KeyboardInterrupt
        return self


@functools.cache
def _no_signal_at(code: CodeType) -> frozenset[int]:
    """Where in ``code`` a line is traced but no signal's handler runs (only after a call):
    a ``with`` about to call ``__exit__`` (three ``None`` loaded for it, or its exception
    handler) and a ``try:`` (a NOP). An exception raised there by a tracer escapes the handler
    of the ``with`` around it, leaving its lock taken, which no Ctrl-C can do."""
    found = list(dis.get_instructions(code))
    names = [instruction.opname for instruction in found]
    return frozenset(
        found[n].offset
        for n in range(len(found) - 2)
        if all(i.opname == "LOAD_CONST" and i.argval is None for i in found[n : n + 3])
        or names[n : n + 2] == ["PUSH_EXC_INFO", "WITH_EXCEPT_START"]
        or names[n] == "NOP"
    )


def _signal_may_land(frame: FrameType) -> bool:
    return frame.f_lasti not in _no_signal_at(frame.f_code)


def _run(log: AuditLog, at: Line | None, seen: dict[str, bytes]) -> list[Line]:
    """The steps, an interrupt before the first run of line ``at``; the lines they ran. A step
    interrupted is given up, as a caller catching Ctrl-C does, and the next one goes on.
    ``seen`` gets what each journal held after the last step it was there for."""
    tokens: dict[str, int] = {}
    tracer = _Interrupter(log, at)
    before = sys.gettrace()
    for step in STEPS:
        sys.settrace(tracer)
        try:
            step(log, tokens)
        except KeyboardInterrupt:
            pass
        finally:
            sys.settrace(before)
        _no_lock_left(log, at)
        for journal in log.path.parent.glob("*.journal/*.jsonl"):
            seen[journal.name] = journal.read_bytes()
    return tracer.lines


def _close(log: AuditLog, at: Line | None) -> list[Line]:
    """Close ``log``, an interrupt before the first run of line ``at``; the lines it ran."""
    tracer = _Interrupter(log, at)
    before = sys.gettrace()
    sys.settrace(tracer)
    try:
        log.close()
    except KeyboardInterrupt:
        pass
    finally:
        sys.settrace(before)
    _no_lock_left(log, at)
    return tracer.lines


def _no_lock_left(log: AuditLog, at: Line | None) -> None:
    """Fail, rather than hang at the next step, if the interrupt left a lock of ``log`` taken:
    it landed where no signal does (a Python whose bytecode ``_no_signal_at`` does not know)."""
    for lock in (log._lock, log._store_lock):
        assert not lock.locked(), f"a lock left taken by an interrupt before {at}"


@functools.cache
def _lines_run() -> tuple[list[Line], list[Line]]:
    """Each line the steps run, and then closing the log, once, in order (a first run, in a
    folder of its own)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        log = _log(Path(folder) / "audit.sqlite3")
        steps = _run(log, None, {})
        return list(dict.fromkeys(steps)), list(dict.fromkeys(_close(log, None)))


def _expected(seen: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """What a log must store of the journals ``seen``: each row line (an answer's too), then an
    error row for each request begun and not answered (``(ts, event, url)`` each)."""
    rows: list[tuple[str, str, str]] = []
    begun: dict[int, tuple[str, str, str]] = {}
    ended: set[int] = set()
    for name in sorted(seen):
        for line in seen[name].splitlines():
            values = json.loads(line.partition(b" ")[2])
            if values[0] == "begin":
                begun[values[2]] = (values[3], "error", values[6])
            elif values[0] == "answer":  # a row that ends a request: its token, then the row
                ended.add(values[1])
                rows.append((values[4], values[5], values[7]))
            else:
                rows.append((values[2], values[3], values[5]))
    return rows + [begun[token] for token in sorted(begun) if token not in ended]


def _stored(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT ts, event, url FROM audit ORDER BY seq"))


def _killed(log: AuditLog) -> None:
    """``log`` as a SIGKILL leaves it: its journals left as they are, never stored, and every
    descriptor of a file in its folder closed (one an interrupt left behind too)."""
    storer.unregister(log)
    log._journal, log._retired = None, []
    folder = str(log.path.parent)
    for fd in os.listdir(_FDS):
        with contextlib.suppress(OSError):
            if os.readlink(f"{_FDS}/{fd}").startswith(f"{folder}/audit.sqlite3.journal/"):
                os.close(int(fd))


_FDS = "/proc/self/fd"


def _functions(lines: list[Line]) -> set[str]:
    """The functions ``lines`` are in: the interrupts must reach the writes and the stores."""
    return {code.co_qualname for code, _ in lines}


def _copies(tmp_path: Path) -> Iterator[Path]:
    """Logs of no rows, each in a folder of its own: copies of one (a log made new is most of
    a run's time)."""
    empty = tmp_path / "empty.sqlite3"
    AuditLog(empty).close()
    for number in itertools.count():
        (tmp_path / str(number)).mkdir()
        path = tmp_path / str(number) / "audit.sqlite3"
        shutil.copyfile(empty, path)
        yield path


def _outcome(path: Path, at: Line, how: str) -> str:
    """What is wrong with the log at ``path`` after the steps, interrupted before line ``at``,
    and a close or a kill; empty if nothing."""
    log, seen = _log(path), dict[str, bytes]()
    _run(log, at, seen)
    try:
        expected = _expected(seen)
    except ValueError as exc:
        return f"a journal line is not whole: {exc}"
    if how == "closed":
        try:
            log.close()
        except Exception as exc:  # what went wrong is the answer
            return f"closing failed: {exc!r}"
        result = log.verify()
    else:
        _killed(log)
        with AuditLog(path) as again:  # recovers the journals
            result = again.verify()
    return _problem(path, result, expected)


def _problem(path: Path, result: Verification, expected: list[tuple[str, str, str]]) -> str:
    """What is wrong with the log at ``path``, verified as ``result``, which must store
    ``expected``; empty if nothing."""
    stored = _stored(path)
    if not result.ok:
        return result.reason
    if stored != expected:
        return f"stored {len(stored)} rows, not the {len(expected)} the journal holds: {stored}"
    return ""


@pytest.mark.parametrize(
    "how",
    [
        "closed",
        pytest.param(
            "killed", marks=pytest.mark.skipif(not Path(_FDS).is_dir(), reason="no /proc")
        ),
    ],
)
def test_an_interrupt_before_any_line_loses_no_journaled_row(tmp_path: Path, how: str) -> None:
    wrong = {}
    lines = _lines_run()[0]
    assert {"Journal.write", "AuditLog._write", "AuditLog.flush"} <= _functions(lines)
    for path, at in zip(_copies(tmp_path), lines, strict=False):
        problem = _outcome(path, at, how)
        if problem:
            wrong[f"{at[0].co_qualname}:{at[1]}"] = problem
    assert not wrong, f"{len(wrong)} of {len(lines)}: {wrong}"


def test_an_interrupted_close_leaves_its_journals_to_the_next_log(tmp_path: Path) -> None:
    """A Ctrl-C anywhere in ``close``: what it has not stored, closing it again stores, or the
    next log opened recovers (before, once its journals were taken from the log they stayed
    held by the process, unrecovered, until it ended)."""
    wrong = {}
    lines = _lines_run()[1]
    assert {"AuditLog.close", "AuditLog._store"} <= _functions(lines)
    for path, at in zip(_copies(tmp_path), lines, strict=False):
        log, seen = _log(path), dict[str, bytes]()
        _run(log, None, seen)
        _close(log, at)
        log.close()  # again, as at exit: a log left open is closed then
        with AuditLog(path) as again:
            problem = _problem(path, again.verify(), _expected(seen))
        if problem:
            wrong[f"{at[0].co_qualname}:{at[1]}"] = problem
    assert not wrong, f"{len(wrong)} of {len(lines)}: {wrong}"


WAKE = """
import sys, tempfile, threading
from pathlib import Path
from skiptrace.audit import AuditEvent, AuditLog, storer

def event(n):
    return AuditEvent(event="request", method="GET", url=f"https://x.example/{n}", status=200)

def interrupting(at):
    seen = []
    def tracer(frame, kind, arg):
        if kind == "call":
            return tracer
        if kind in ("line", "return"):
            seen.append(kind)
            if len(seen) == at:
                raise KeyboardInterrupt
        return tracer
    return tracer

log = AuditLog(Path(tempfile.mkdtemp()) / "audit.sqlite3", flush_seconds=0.01)
at = 1
while True:
    log.flush()  # none waiting: the next row wakes the storer
    reached = []
    sys.settrace(interrupting(at))
    try:
        storer.wake()
        reached.append(True)
    except KeyboardInterrupt:
        pass
    finally:
        sys.settrace(None)
    log.append(event(at))  # wakes the storer again: hung where a lock was left taken
    log.flush()
    if reached:
        break
    at += 1
log.close()
print(at)
"""


def test_an_interrupt_waking_the_storer_leaves_no_lock_taken() -> None:
    """A Ctrl-C landing in ``storer.wake`` (called by ``append`` for a log's first waiting
    row) just after a Python-level lock inside it was taken (``threading.Event.set``: its
    Condition's ``__enter__``) left it taken for good: the storer thread and the next
    ``append``, holding the log's lock, waited for it forever. Each point of wake in turn."""
    done = subprocess.run([sys.executable, "-c", WAKE], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) >= 1


FORK = """
import os, signal
from skiptrace.audit import storer

real = signal.pthread_sigmask
for n in range(1, 4):
    calls = []

    def sigmask(how, mask, n=n, calls=calls):
        old = real(how, mask)
        calls.append(how)
        if len(calls) == n:
            raise KeyboardInterrupt  # as the eval breaker raises it when the call returns
        return old

    storer.signal.pthread_sigmask = sigmask
    try:
        pid = os.fork()
    finally:
        storer.signal.pthread_sigmask = real
    if pid == 0:
        os._exit(signal.SIGINT in real(signal.SIG_BLOCK, ()))
    _, status = os.waitpid(pid, 0)
    print(n, sorted(s.name for s in real(signal.SIG_BLOCK, ())), os.waitstatus_to_exitcode(status))
"""


def test_an_interrupt_in_the_fork_hook_leaves_ctrl_c_unblocked() -> None:
    """A Ctrl-C landing as ``pthread_sigmask`` returned in the storer's fork hook (before the
    mask it gave was kept) left Ctrl-C and SIGTERM blocked in this process and the child: the
    run could no longer be stopped. An interrupt after each of its calls in turn."""
    done = subprocess.run([sys.executable, "-c", FORK], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["1 [] 0", "2 [] 0", "3 [] 0"], done.stdout
