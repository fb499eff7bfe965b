"""The one background thread that moves every open log's journaled rows into SQLite.

Apart from the log because it is process-wide, not per log: one thread, one registry of the
open logs, and the hooks that run at a fork and at interpreter exit. It knows a log only by the
small ``OpenLog`` protocol, so this module imports nothing of the log's and the log imports it.
"""

from __future__ import annotations

import atexit
import os
import queue
import signal
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Protocol

from skiptrace.errors import AuditError


class OpenLog(Protocol):
    """What the storer needs of an open log."""

    def _due_at(self) -> float | None:
        """When (``time.monotonic``) its oldest waiting row is to be stored; None if no row
        waits, or if the log belongs to the process that forked this one."""

    def flush(self) -> None:
        """Store the journaled rows now; a failure is kept on the log."""

    def close(self) -> None:
        """Store the journaled rows and let go of the log; AuditError if they cannot be."""

    def _release_journals(self) -> None:
        """In a forked child: close the inherited journal descriptors, touching nothing else."""


_OPEN: weakref.WeakSet[OpenLog] = weakref.WeakSet()
_rows_waiting: queue.SimpleQueue[None] = queue.SimpleQueue()
"""A wake-up for the storer per put. Not a ``threading.Event``: its ``set`` takes a lock in
Python code, where a Ctrl-C can land after the lock is taken and leave it taken for good (the
storer and the next ``append`` then wait forever); a put is one call into C."""
_storer: list[threading.Thread] = []
_storer_lock = threading.Lock()
_in_sqlite = threading.RLock()  # re-entered when a log collected mid-store closes itself
FORK_WAIT_SECONDS = 10.0
"""The longest a fork waits for a store to leave SQLite (a store takes milliseconds)."""
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def inside_sqlite() -> Iterator[None]:
    """Hold while a thread calls into SQLite to store a log's rows: a fork waits until no thread
    is inside. A child forked while another thread was inside SQLite would start with SQLite's
    process-wide mutexes held by a thread it does not have, and hang in its first
    ``sqlite3.connect``. (Waiting for another writer's lock is done outside, see the log.) This
    covers the storer, the one thread skiptrace starts; SQLite used by the caller's own threads
    while another of its threads forks is the caller's to order."""
    with _in_sqlite:
        yield


def register(log: OpenLog) -> None:
    """Have the storer look after ``log`` from now on, starting the storer if need be."""
    _OPEN.add(log)
    _start_storer()


def unregister(log: OpenLog) -> None:
    """Stop looking after ``log`` (it is closing)."""
    _OPEN.discard(log)


def wake() -> None:
    """Tell the storer a log has rows waiting (a new oldest row, so possibly a sooner due time)."""
    _rows_waiting.put(None)


def _start_storer() -> None:
    """Start the one thread that stores every open log's journaled rows, if not running."""
    with _storer_lock:
        if not (_storer and _storer[0].is_alive()):
            _storer[:] = [threading.Thread(target=_store_in_background, daemon=True,
                                           name="skiptrace-audit-storer")]  # fmt: skip
            _storer[0].start()


def _store_in_background() -> None:
    """Store each log's rows once its oldest waiting row is ``flush_seconds`` old. Off the
    request path: the SQLite work (and a checkpoint's fsync) happens while requests wait on the
    network. A failure is kept on the log and raised by its next ``append``."""
    while True:
        with suppress(queue.Empty):  # before looking: a row added from here on wakes it again
            while True:
                _rows_waiting.get_nowait()
        pause = _store_due_logs()
        if pause is None or pause > 0:
            with suppress(queue.Empty):
                _rows_waiting.get(timeout=pause)


def _store_due_logs() -> float | None:
    """Store the logs that are due; seconds until the next one is, or None if none waits.
    (A function of its own, so no reference to a log outlives the pass.)"""
    now = time.monotonic()
    soonest: float | None = None
    for log in list(_OPEN):
        due = log._due_at()
        if due is None:
            continue
        if due <= now:
            with suppress(Exception):  # kept on the log, raised by its next append
                log.flush()
        else:
            soonest = due if soonest is None else min(soonest, due)
    return None if soonest is None else soonest - now


_forking = threading.local()
"""``held``: whether this thread's fork holds ``_in_sqlite`` (it gives up after
``FORK_WAIT_SECONDS``)."""


def _before_fork() -> None:
    """Wait until no thread is inside SQLite storing rows, and keep it so until the fork is done.
    Ctrl-C and SIGTERM are held off while the lock is taken and noted, so the note is never
    wrong; one that came meanwhile is then raised here, where Python prints it (a fork hook
    cannot raise), and the fork goes on."""
    _forking.held = False
    before = signal.pthread_sigmask(signal.SIG_BLOCK, ())  # the mask as it is, unchanged
    try:  # from blocking on: an interrupt as a call returns still puts the mask back
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        _forking.held = _in_sqlite.acquire(timeout=FORK_WAIT_SECONDS)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _after_fork_in_parent() -> None:
    if _forking.held:
        _in_sqlite.release()


def _forget_parent_logs() -> None:
    """In a child forked from a process with open logs: those logs are the parent's. Let go of
    their journals (so a killed parent's journal can be recovered while the child lives) and of
    the storer's locks, which a parent thread may have held at the fork."""
    global _storer_lock, _rows_waiting, _in_sqlite
    for log in list(_OPEN):
        log._release_journals()
    _OPEN.clear()
    _storer.clear()
    _storer_lock, _in_sqlite = threading.Lock(), threading.RLock()
    _rows_waiting = queue.SimpleQueue()


os.register_at_fork(
    before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_forget_parent_logs
)


@atexit.register
def _close_open_logs() -> None:
    """Store every open log's journaled rows when the interpreter exits normally."""
    for log in list(_OPEN):
        try:
            log.close()
        except AuditError:
            continue  # its journal stays behind and the next log opened recovers it
