"""A stop while the command line is still being imported (~0.25 s of typer, rich and the
commands) is "skiptrace: stopped" and exit 130, as once a command runs: it was a
KeyboardInterrupt traceback (Ctrl-C) or a death by the signal with no word (SIGTERM, SIGHUP).
Real processes, started as the installed command starts them, are stopped once Python says
(``-X importtime``) that the import of typer, under the command line's, is done."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable

import pytest

from skiptrace._start import STOPPED
from skiptrace.testing.children import default_stops

STARTER = "import sys; from skiptrace._start import main; sys.argv[0] = 'skiptrace'; main()"
"""What the ``skiptrace`` console script runs."""


def _stopped_while_importing(
    stops: list[signal.Signals], started: Callable[[], None]
) -> tuple[int, str, str]:
    """The exit code, stdout and stderr (without the import times) of ``skiptrace --version``
    sent ``stops`` once typer is imported, before the command line's import is done."""
    child = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-c", STARTER, "--version"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=started,
    )
    assert child.stderr is not None
    for line in child.stderr:
        name = line.rpartition("|")[2].strip()
        assert name != "skiptrace.cli", "the command line was imported before typer"
        if name == "typer":
            break
    for stop in stops:
        child.send_signal(stop)
    out, said = child.communicate(timeout=30)
    return (
        child.returncode,
        out,
        "".join(
            line for line in said.splitlines(keepends=True) if not line.startswith("import time:")
        ),
    )


@pytest.mark.parametrize(
    "stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["Ctrl-C", "SIGTERM", "SIGHUP"]
)
def test_a_stop_while_the_command_line_is_imported_is_one_line(stop: signal.Signals) -> None:
    assert _stopped_while_importing([stop], default_stops) == (STOPPED, "", "skiptrace: stopped\n")


def _ignoring() -> None:
    for number in (signal.SIGINT, signal.SIGHUP):
        signal.signal(number, signal.SIG_IGN)


def test_a_stop_ignored_as_it_starts_stays_ignored() -> None:
    """A shell's background job ignores Ctrl-C, and ``nohup`` a hang-up: the command, started
    so, is not stopped by them while it starts either."""
    code, out, said = _stopped_while_importing([signal.SIGINT, signal.SIGHUP], _ignoring)
    assert (code, out.split()[0], said) == (0, "skiptrace", "")


AT_MAIN = """
import os, signal, sys
def stop_at_main(frame, event, arg):
    if event == "call" and frame.f_code.co_qualname == "main" and "cli" in frame.f_code.co_filename:
        sys.setprofile(None)
        os.kill(os.getpid(), signal.{stop})
sys.setprofile(stop_at_main)
from skiptrace._start import main
sys.argv[0] = "skiptrace"
main()
"""
"""``STARTER`` sent ``stop`` as ``skiptrace.cli.main`` is called: after the command line's
import, before ``cli.main`` sets its own handlers."""


@pytest.mark.parametrize(
    "stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["Ctrl-C", "SIGTERM", "SIGHUP"]
)
def test_a_stop_as_the_command_line_takes_over_is_one_line(stop: signal.Signals) -> None:
    """Between the start's handlers and the command line's: _start had put the system's back
    first, and a stop there was a traceback (Ctrl-C) or a silent exit 143 or 129."""
    child = subprocess.run(
        [sys.executable, "-c", AT_MAIN.format(stop=stop.name), "--version"],
        capture_output=True,
        text=True,
        preexec_fn=default_stops,
        timeout=60,
    )
    assert (child.returncode, child.stdout, child.stderr) == (
        STOPPED,
        "",
        "skiptrace: stopped\n",
    )
