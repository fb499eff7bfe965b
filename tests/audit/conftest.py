"""What several audit tests use alike."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from skiptrace.audit.key import KEY_ENV, KEY_FILE_ENV

KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from skiptrace.audit import AuditEvent, AuditLog
log = AuditLog(Path(sys.argv[1]), flush_rows=10_000, flush_seconds=3600)
for number in range(int(sys.argv[2])):
    log.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{number}"))
    if number + 1 == int(sys.argv[3]):
        log.flush()
os.kill(os.getpid(), signal.SIGKILL)
"""

KilledWriter = Callable[..., Path]


def run_forked(script: str, *args: str) -> tuple[int, str]:
    """``python -c script *args`` as a fork of this process: its exit code (-9 when it was
    SIGKILLed) and what it wrote to stdout and stderr. A process of its own that dies as a
    fresh one would, without a fresh Python's start and imports (0.3-1 s of CPU each, most of
    these tests' time); the modules it imports are loaded already, their state as this process
    has it."""
    with tempfile.TemporaryFile() as said:
        child = os.fork()
        if child == 0:  # pragma: no cover - the child
            try:
                os.dup2(said.fileno(), 1)
                os.dup2(said.fileno(), 2)
                sys.argv = ["-c", *args]
                exec(compile(script, "<forked>", "exec"), {"__name__": "__main__"})
                os._exit(0)
            except SystemExit as exc:
                os._exit(exc.code if isinstance(exc.code, int) else 1)
            except BaseException:
                os.write(said.fileno(), traceback.format_exc().encode())
            finally:
                os._exit(1)
        code = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
        said.seek(0)
        return code, said.read().decode(errors="replace")


@pytest.fixture(scope="session")
def forked() -> Callable[..., tuple[int, str]]:
    """``run_forked``, for a test module to run its scripts with."""
    return run_forked


def _kill(path: Path, rows: int, flush_after: int) -> None:
    """Run a process that journals ``rows`` rows in the log at ``path`` (storing the first
    ``flush_after``) and is SIGKILLed."""
    code, said = run_forked(KILLED_WRITER, str(path), str(rows), str(flush_after))
    assert code == -signal.SIGKILL, said


def _journal(path: Path) -> Path:
    [journal] = path.with_name(path.name + ".journal").glob("*.jsonl")
    return journal


@pytest.fixture(scope="module")
def killed_writer(tmp_path_factory: pytest.TempPathFactory) -> KilledWriter:
    """``killed_writer(path, rows, flush_after=0)``: the log at ``path`` as a process left it
    that journalled ``rows`` rows (storing the first ``flush_after``) and was SIGKILLed; its
    journal. Where no log is yet, each kind of kill (rows, rows stored, key) is made once for
    the module and its files copied: a Python of its own per kill had been most of these
    tests' time. A log the test made first is carried on by a kill of its own."""
    made: dict[tuple[int, int, str | None, str | None], Path] = {}

    def killed(path: Path, rows: int, flush_after: int = 0) -> Path:
        if path.exists():
            _kill(path, rows, flush_after)
            return _journal(path)
        kind = (rows, flush_after, os.environ.get(KEY_ENV), os.environ.get(KEY_FILE_ENV))
        if kind not in made:
            made[kind] = tmp_path_factory.mktemp("killed") / "audit.sqlite3"
            _kill(made[kind], rows, flush_after)
        source = made[kind]
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{source}{suffix}").exists():
                shutil.copy2(f"{source}{suffix}", f"{path}{suffix}")
        shutil.copytree(
            source.with_name(source.name + ".journal"), path.with_name(path.name + ".journal")
        )
        return _journal(path)

    return killed


@pytest.fixture
def copied_while_open(tmp_path: Path) -> Path:
    """``copy_taken_while_open`` in the test's folder."""
    return copy_taken_while_open(tmp_path)


def copy_taken_while_open(parent: Path) -> Path:
    """A folder (``archive`` in ``parent``) holding a log of two rows as a copy taken while it
    was open holds it: its rows in the ``-wal``, not yet in the database file, and no ``-shm``
    (which SQLite needs to read a ``-wal``); read read-only, it is read from a private copy."""
    from skiptrace.audit import AuditEvent, AuditLog
    from skiptrace.audit.log import AUDIT_FILE

    folder = parent / "archive"
    folder.mkdir(mode=0o700)
    with AuditLog(parent / AUDIT_FILE) as log:
        for number in range(2):
            log.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{number}"))
        log.flush()
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{log.path}{suffix}", folder / f"{AUDIT_FILE}{suffix}")
    assert (folder / f"{AUDIT_FILE}-wal").stat().st_size > 0
    return folder
