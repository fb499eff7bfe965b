"""Set-ups run in a test's child process before it starts (``preexec_fn``): what a test of a
child's behaviour needs whatever the suite itself was started under."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

MEMORY_CAP = 2 << 30


def limit_memory() -> None:
    """At most 2 GB of address space: a regression that reads a huge input whole fails there,
    instead of eating the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def default_stops() -> None:
    """Ctrl-C and a hang-up as at a terminal. A suite run as a shell's background job ignores
    SIGINT, one run under ``nohup`` SIGHUP, and so would its children (right for a real run so
    started: the CLI keeps an ignored SIGHUP ignored): a test of how a child stops needs them
    back. (SIGTERM needs nothing: the CLI and the tests' scripts set its handler.)"""
    for number in (signal.SIGINT, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


def stopped_when(child: subprocess.Popen[str], appears: Path, stop: int, timeout: float) -> str:
    """``child``'s stderr after it was sent ``stop`` once ``appears`` exists (a test stopping a
    run at a given step); killed if it is still running ``timeout`` seconds later."""
    try:
        deadline = time.monotonic() + 60
        while not appears.exists() and time.monotonic() < deadline:
            assert child.poll() is None, child.communicate()
            time.sleep(0.01)
        child.send_signal(stop)
        _, stderr = child.communicate(timeout=timeout)
    finally:
        if child.poll() is None:
            child.kill()
    return stderr


def quiet_fork(run: Callable[[], object]) -> int:
    """``run`` in a child process forked from this one, its pid: a process of its own for a
    test to kill or to race, without a fresh Python's start and imports (0.3-1 s of CPU each).
    Its standard streams are /dev/null (nothing of this process's output is the child's), and
    it ends with exit 1 once ``run`` returns or raises, unless killed before."""
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        try:
            quiet = os.open(os.devnull, os.O_RDWR)
            for stream in (0, 1, 2):
                os.dup2(quiet, stream)
            run()
        finally:
            os._exit(1)
    return child
