"""Two runs of the same output started together: the one whose partial file is made but not
yet locked (a moment, longer on a loaded machine) had it removed by the other as a killed
run's leftover, and went on writing to the removed file beside the other's: two runs wrote the
output at once (6 to 27 of 312 runs, eight at once), and one failed at its end."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from skiptrace.errors import InputError
from skiptrace.tables import paths

RUN = """
import fcntl, sys, time
from pathlib import Path
from skiptrace.errors import InputError
from skiptrace.tables import paths
target, pause = Path(sys.argv[1]), float(sys.argv[2])

class Paused:  # this run stops for a moment before its first lock, as a loaded machine may
    def __getattr__(self, name):
        return getattr(fcntl, name)
    def flock(self, fd, how):
        global pause
        time.sleep(pause)
        pause = 0
        fcntl.flock(fd, how)

paths.fcntl = Paused()
with paths.Partial(target) as partial:
    partial.writerow([sys.argv[3]])
    time.sleep(0.3)  # its rows
    try:
        partial.complete()
    except InputError as exc:
        print(exc)
    else:
        print("written")
"""


def _run(target: Path, pause: float, row: str, said: Path) -> int:
    """``RUN`` in a process of its own, a fork of this one (a fresh Python and its imports had
    been most of the module's CPU), started: its pid; what it prints goes to ``said``."""
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        try:
            written = os.open(said, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(written, 1)
            os.dup2(written, 2)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            sys.argv = ["-c", str(target), str(pause), row]
            exec(compile(RUN, "<run>", "exec"), {"__name__": "__main__"})
            sys.stdout.flush()
            os._exit(0)
        finally:
            os._exit(1)
    return child


def test_a_run_whose_partial_is_taken_before_it_locks_it_makes_it_again(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    outputs = tmp_path / "first.txt", tmp_path / "second.txt"
    children = [_run(target, 0.6, "first", outputs[0])]
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / ".out.csv.partial").exists() and time.monotonic() < deadline:
            time.sleep(0.005)  # made, not yet locked
        children.append(_run(target, 0, "second", outputs[1]))
        codes = [os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) for child in children]
    finally:
        for child in children:  # whatever was raised, no child outlives the test
            with contextlib.suppress(ChildProcessError, ProcessLookupError):
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
    said = [path.read_text(encoding="utf-8") for path in outputs]
    assert codes == [0, 0] and said == ["written\n", "written\n"], said
    assert target.read_text(encoding="utf-8") == "first\n"  # the one that finished last
    assert not list(tmp_path.glob(".out.csv*"))


def test_a_folder_that_cannot_lock_is_said_so_and_leaves_no_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system without ``flock`` (some network mounts) was refused "another run is
    writing", a run that was not there, and left its partial file behind."""

    class NoLocks:
        def __getattr__(self, name: str) -> Any:
            return getattr(fcntl, name)

        def flock(self, fd: int, how: int) -> None:
            raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(paths, "fcntl", NoLocks())
    with pytest.raises(InputError, match=r"cannot lock .*No locks available"):
        paths.Partial(tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []
