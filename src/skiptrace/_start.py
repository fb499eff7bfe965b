"""The ``skiptrace`` command as it starts. Importing the command line takes a quarter of a
second (typer, rich, the commands): a stop in that time (Ctrl-C, a scheduler's SIGTERM, a
closed terminal's SIGHUP) was a KeyboardInterrupt traceback, or a death by the signal with no
word, where a stop once the command runs is "skiptrace: stopped" and exit 130. Here only the
standard library is loaded before those signals are taken, so that the one window left is
the interpreter's own start."""

from __future__ import annotations

import contextlib
import os
import signal
from types import FrameType

STOPPED = 130
"""The exit code of a stopped run, as the commands give it."""


def main() -> None:
    """Console-script entry point: ``skiptrace.cli.main``, imported with stops taken. A signal
    ignored when skiptrace started (a shell's background job, ``nohup``) stays ignored. The
    handlers set here stay until ``cli.main`` sets its own, from within what it takes a stop
    in, so no stop comes between the two (putting the system's back first, one did: a
    traceback or a silent death)."""
    for number in _STOPS:
        if signal.getsignal(number) in (signal.SIG_DFL, signal.default_int_handler):
            signal.signal(number, _stopped)
    from skiptrace.cli import main as run

    run()


_STOPS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _stopped(number: int, frame: FrameType | None) -> None:
    """Nothing has been opened or written yet: the line, and out."""
    with contextlib.suppress(OSError):
        os.write(2, b"skiptrace: stopped\n")
    os._exit(STOPPED)
