"""The private copy a log read-only is read from holds its rows (request URLs, which can name
debtors) outside SKIPTRACE_HOME: it is made so that nobody else can read it, wherever the
temporary folder is, nothing is written through a file or link found at its name, and one left
by a process killed before closing its log is removed by the next copy made."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
from pathlib import Path
from typing import TextIO

import pytest

from skiptrace.audit import AuditLog, copies
from skiptrace.audit.key import KEY_ENV, KEY_FILE_ENV
from skiptrace.audit.log import AUDIT_FILE
from skiptrace.errors import AuditError


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)


def test_the_copy_and_its_wal_are_made_0600_whatever_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copied_while_open: Path
) -> None:
    """A review: the copy and its ``-wal`` were made with the umask's mode (0644 under the
    usual 022) and narrowed only after; in a temporary folder another user can rename (one
    writable by others, without the sticky bit), the folder swapped for theirs before the
    copy was made left a log readable by them."""
    log_file = copied_while_open / AUDIT_FILE
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    modes: dict[str, int] = {}
    real_open_store = copies.open_store

    def seen(path: Path, schema: str) -> object:
        for suffix in ("", "-wal"):
            modes[suffix] = stat.S_IMODE(os.stat(f"{path}{suffix}").st_mode)
        return real_open_store(path, schema)

    monkeypatch.setattr(copies, "open_store", seen)
    umask = os.umask(0o022)
    try:
        with AuditLog(log_file, read_only=True) as log:
            assert len(log.rows()) == 2
    finally:
        os.umask(umask)
    assert modes == {"": 0o600, "-wal": 0o600}


@pytest.mark.parametrize("planted", ["", "-wal"])
def test_nothing_is_written_through_a_link_at_the_copys_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planted: str, copied_while_open: Path
) -> None:
    """A review: the copy was written with ``shutil.copyfile``, which follows a link at its
    name: a folder swapped for another's, a link in it naming one of the user's files, and
    that file was overwritten with the log. The copy is now made as a new file only."""
    log_file = copied_while_open / AUDIT_FILE
    victim = tmp_path / "victim"
    victim.write_text("precious")
    swapped = tmp_path / "swapped"
    swapped.mkdir()
    (swapped / f"{AUDIT_FILE}{planted}").symlink_to(victim)
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **_: str(swapped))
    with pytest.raises(AuditError, match="can be read only from a copy"):
        AuditLog(log_file, read_only=True)
    assert victim.read_text() == "precious"


READER = """
import sys, time
from pathlib import Path
from typing import TextIO
from skiptrace.audit import AuditLog
log = AuditLog(Path(sys.argv[1]), read_only=True)
print(len(log.rows()), flush=True)
time.sleep(120)
"""
"""A process that reads the log at ``argv[1]`` read-only, says how many rows, and waits."""


def test_a_copy_left_by_a_killed_process_is_removed_by_the_next_one_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copied_while_open: Path
) -> None:
    """A review: SIGKILL, or a hang-up (SIGHUP: a terminal closed, an SSH session dropped)
    during ``audit verify`` of a log on read-only media, left its private copy, the log's rows,
    in the temporary folder for good. The next copy made removes those of processes that are
    gone, and keeps those of processes still reading theirs."""
    log_file = copied_while_open / AUDIT_FILE
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    readers = [_reader(log_file, temporary) for _ in range(2)]
    (killed, _), (alive, _) = readers
    try:
        for _, said in readers:
            assert said.readline() == "2\n"
        os.kill(killed, signal.SIGKILL)
        os.waitpid(killed, 0)
        assert len(list(temporary.iterdir())) == 2
        monkeypatch.setattr(tempfile, "tempdir", str(temporary))
        with AuditLog(log_file, read_only=True) as log:
            assert len(log.rows()) == 2
            assert {folder.name.split("-")[2] for folder in temporary.iterdir()} == {
                str(alive),
                str(os.getpid()),
            }
    finally:
        for reader, said in readers:
            with contextlib.suppress(ChildProcessError, ProcessLookupError):
                os.kill(reader, signal.SIGKILL)
                os.waitpid(reader, 0)
            said.close()


def _reader(log_file: Path, temporary: Path) -> tuple[int, TextIO]:
    """``READER`` in a process of its own, its temporary folder ``temporary``: its pid and
    what it says. A fork of this one (a fresh Python and its imports had been most of the
    test's CPU)."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child, killed while it waits
        try:
            os.close(read)
            os.dup2(write, 1)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            os.environ["TMPDIR"] = str(temporary)
            tempfile.tempdir = None  # read again from TMPDIR, as a new process reads it
            sys.argv = ["-c", str(log_file)]
            exec(compile(READER, "<reader>", "exec"), {"__name__": "__main__"})
        finally:
            os._exit(1)
    os.close(write)
    return child, open(read, encoding="utf-8")


def test_a_copy_is_removed_when_opening_is_interrupted_after_it_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copied_while_open: Path
) -> None:
    """A review: Ctrl-C or SIGTERM (raised as Ctrl-C) after the copy was made but before the
    log was connected to left the copy until the process ended, and then for
    good: only a database error removed it there, and the half-made log's close cannot."""
    log_file = copied_while_open / AUDIT_FILE
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))

    def interrupted(self: AuditLog) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(AuditLog, "_connect", interrupted)
    with pytest.raises(KeyboardInterrupt):
        AuditLog(log_file, read_only=True)
    assert list(temporary.iterdir()) == []
