"""The machine's other cores for a long run: large pieces of work done in forked processes.

``aside`` starts one piece of work (reading and preparing the right file) in a worker while
this process does another (the left file). ``in_order`` maps a pure function over a stream of
work (chunks of candidate pairs), in order, sending each large piece to a worker process while
this one takes the next piece and works on it too. Workers are forked when the work starts
(the code is loaded: nothing is imported again, and the pages they share with this process
are not copied until written); a piece and its result cross a pipe. Where fork is not
available, or a worker dies, the piece is worked on here instead: the function is pure, so
the results are the same.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

_In = TypeVar("_In")
_Out = TypeVar("_Out")
_Shared = TypeVar("_Shared")


class _Job(Generic[_Shared, _In, _Out]):
    """One piece of work: sent to a worker (``pool``), else done at once, here."""

    def __init__(
        self,
        function: Callable[[_Shared, _In], _Out],
        shared: _Shared,
        item: _In,
        pool: ProcessPoolExecutor | None,
    ) -> None:
        self.function, self.shared = function, shared
        self.item: _In | None = item  # kept while a worker has it: done here if it dies
        self.future: Future[_Out] | None = None
        self.value: _Out | None = None
        if pool is not None:
            # a worker died earlier, or none could be forked (out of memory, out of
            # processes): done here
            with suppress(BrokenProcessPool, OSError):
                self.future = cast("Future[_Out]", pool.submit(_call, item))
        self.error: Exception | None = None
        if self.future is None:
            self.item = None
            try:
                self.value = function(shared, item)
            except Exception as error:  # raised in its turn, as a worker's error is
                self.error = error

    def running(self) -> bool:
        return self.future is not None and not self.future.done()

    def result(self) -> _Out:
        if self.error is not None:
            raise self.error
        if self.future is None:
            return cast(_Out, self.value)
        try:
            return self.future.result()
        except BrokenProcessPool:  # the worker died (killed, out of memory): done here
            return self.function(self.shared, cast(_In, self.item))


MOST_BY_DEFAULT = 3
"""Workers ``spare_cores`` gives at most: each holds a copy of the pages it writes (about
0.3 GB at a million records a side), and this process alone reads the left file, numbers
the values and finds the candidate pairs."""


def spare_cores(
    cgroups: Path = Path("/sys/fs/cgroup"), membership: Path = Path("/proc/self/cgroup")
) -> int:
    """Workers to use when not told: one per core this process may run on
    (``usable_cores``), less its own, at most ``MOST_BY_DEFAULT`` (0 on one core)."""
    return max(0, min(MOST_BY_DEFAULT, usable_cores(cgroups, membership) - 1))


def usable_cores(
    cgroups: Path = Path("/sys/fs/cgroup"), membership: Path = Path("/proc/self/cgroup")
) -> int:
    """The cores this process may run on: its CPU affinity, within the CPU quota of its
    cgroup or any above it (cgroup v2) where one is set."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return min([usable, *_quotas(cgroups, membership)])


def _quotas(root: Path, membership: Path) -> Iterator[int]:
    """The whole CPUs allowed by each cgroup v2 ``cpu.max`` from this process's cgroup (named
    in ``membership``) up to the root (at least 1 each); none where there is no limit."""
    with suppress(OSError):
        lines = membership.read_text().splitlines()
        own = next((line[3:].strip() for line in lines if line.startswith("0::")), "/")
        folder = root / own.lstrip("/")
        for group in (folder, *folder.parents):
            if group != root and root not in group.parents:
                break
            with suppress(OSError, ValueError):
                limit, period = (group / "cpu.max").read_text().split()[:2]
                if limit != "max":
                    yield max(1, int(limit) // int(period))


def in_order(
    function: Callable[[_Shared, _In], _Out],
    shared: _Shared,
    items: Iterable[_In],
    large: Callable[[_In], bool],
    workers: int,
) -> Iterator[_Out]:
    """``function(shared, item)`` of each item, in the items' order; an item for which
    ``large`` holds goes to a free one of ``workers`` worker processes (none: all here), the
    others are done here as they are read. ``shared`` (tables, a model) and ``function``
    reach the workers by the fork, never pickled; an item and its result are."""
    pool: ProcessPoolExecutor | None = None
    pending: deque[_Job[_Shared, _In, _Out]] = deque()
    # this process's objects frozen: a worker's collector then never writes to (copies) them;
    # unless the caller froze them already (a freeze is not counted: unfreezing undoes theirs)
    freeze = bool(workers) and gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        for item in items:
            use = None
            # a worker is kept fed (one piece queued behind the one it works on: a result
            # takes a while to come back); past that, the piece is done here meanwhile
            if workers and large(item) and sum(job.running() for job in pending) < 2 * workers:
                pool = pool or _pool(workers, function, shared)
                use = pool
            pending.append(_Job(function, shared, item, use))
            while pending and not pending[0].running():
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        if pool is not None:
            pool.shutdown(wait=not pending, cancel_futures=True)
        if freeze:
            gc.unfreeze()


@contextmanager
def aside(
    function: Callable[[_Shared, _In], _Out], shared: _Shared, item: _In
) -> Iterator[Callable[[], _Out]]:
    """``function(shared, item)`` started in a forked worker while this process goes on;
    what this gives returns its result, waiting for it, or works it out here (when asked
    for): where fork is not available, when the worker died, or when its result or error
    cannot cross the pipe (the function is pure: the same result, the same error, raised
    with its own type). The worker is stopped on leaving (an error here need not wait for
    it), and dies with this process."""
    here: Callable[[], _Out] = lambda: function(shared, item)  # noqa: E731
    started = _start(here)
    if started is None:
        yield here
        return
    worker, receive = started

    def result() -> _Out:
        try:
            done, value = pickle.loads(receive.recv_bytes())
        except Exception:  # died, or sent what cannot be read here: done here
            return here()
        if done:
            return cast(_Out, value)
        raise value

    try:
        yield result
    finally:
        receive.close()
        if worker.is_alive():
            worker.terminate()
        worker.join()


def _start(work: Callable[[], object]) -> tuple[Any, Any] | None:
    """A forked worker doing ``work`` and the end of the pipe its outcome comes by; None
    where fork is not available or no process could be made (out of memory)."""
    try:
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
    except (ValueError, OSError):  # no fork here; no file descriptors left
        return None
    worker = context.Process(target=_send, args=(send, receive, work, os.getpid()), daemon=True)
    _prctl()  # looked up here, before the fork: the child only calls it
    try:
        worker.start()
    except OSError:
        receive.close()
        return None
    finally:
        send.close()  # the worker's end: its exit then ends the pipe
    return worker, receive


def _send(send: Any, receive: Any, work: Callable[[], object], parent: int) -> None:
    """In an ``aside`` worker: the work's result, or its error, sent back pickled; nothing
    when it cannot be pickled (the work is then done there). Ctrl-C is the parent's to
    handle: it stops this worker on leaving ``aside``, with SIGTERM, which then ends it (not
    the CLI's handler it was forked with, which raises KeyboardInterrupt: a traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    receive.close()  # only this process's end of the pipe: a write then fails if it is gone
    _die_with(parent)
    try:
        outcome: tuple[bool, object] = (True, work())
    except Exception as error:  # raised there, as it would be here
        outcome = (False, error)
    try:
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return
    with suppress(OSError):
        send.send_bytes(payload)


def _die_with(parent: int) -> None:
    """On Linux, this worker is killed when ``parent``'s thread that forked it dies (for
    ``aside`` the caller's, for ``in_order``'s pool the one that first gave it work; the whole
    process when killed, out of memory): it is never left working, or waiting to send, for
    nobody. Elsewhere (macOS) nothing asks for that."""
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before that was asked for
        os._exit(0)


@cache
def _prctl() -> Any:
    """Linux's prctl, looked up once, by the process that forks (not in a forked child, and
    not at start-up); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PR_SET_PDEATHSIG = 1


def _pool(workers: int, function: Callable[..., Any], shared: object) -> ProcessPoolExecutor | None:
    """Forked workers that call ``function`` with ``shared``, or None where this platform
    cannot fork."""
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return None
    _prctl()  # looked up here, before the forks: the workers only call it
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_install,
                               initargs=(function, shared, os.getpid()))  # fmt: skip


_INSTALLED: list[tuple[Callable[..., Any], object]] = []
"""In a worker: the function it calls and what it is called with (``_install``)."""


def _install(function: Callable[..., Any], shared: object, parent: int) -> None:
    """A pool worker's start: it dies with ``parent`` (killed, it would otherwise finish its
    piece and wait for the next one forever), and Ctrl-C or SIGTERM (sent to the whole
    process group) ends it where it stands, without a word: the CLI's handlers it was
    forked with raised KeyboardInterrupt, a traceback. This process stops too, or has the
    worker's piece done here (``_Job.result``). Ctrl-C stays ignored where this process
    ignores it (a shell script's background job)."""
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)
    _INSTALLED.append((function, shared))


def _call(item: object) -> object:
    function, shared = _INSTALLED[-1]
    return function(shared, item)
