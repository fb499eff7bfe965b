"""A log on read-only media (an archive, a folder mounted read-only) can be read and verified.

A review: every audit command refused a SKIPTRACE_HOME it could not write, so a read-only copy
of a log could not be verified, shown or exported at all. Now they read it as it is, writing
nothing; a journal left beside it, whose rows only a writable log can store, is said in one
line (exit 2, as for a log that cannot be verified) rather than verified without them. Tests
run as root, where mode bits stop nothing: the folder is a read-only bind mount, made in a
mount namespace of the command's own (skipped where none can be made).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.audit.key import KEY_ENV, KEY_FILE_ENV
from skiptrace.audit.log import AUDIT_FILE
from skiptrace.errors import AuditError

from .conftest import KilledWriter

_READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 99; shift; exec "$@"'
"""A shell script: mount the folder ``$1`` read-only (in this namespace only), run the rest."""


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)


def _read_only(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """``command`` run with ``folder`` mounted read-only, as SKIPTRACE_HOME."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare here")
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", _READ_ONLY, "sh", str(folder), *command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "SKIPTRACE_HOME": str(folder)},
    )
    if done.returncode == 99 or "unshare:" in done.stderr:
        pytest.skip("no read-only mount can be made here")
    return done


AUDITS = """
import json, sys
from typer.testing import CliRunner
from skiptrace.cli import app

ran = [CliRunner().invoke(app, ["audit", *args]) for args in json.loads(sys.argv[1])]
print(json.dumps([[r.exit_code, r.stdout, r.stderr] for r in ran]))
"""
"""``skiptrace audit`` with each list of arguments given, in one process: how each ended."""


def _audits(folder: Path, *commands: list[str]) -> list[tuple[int, str, str]]:
    """Each audit command (its arguments) run on ``folder`` mounted read-only: its exit code,
    stdout and stderr. One Python start for them all."""
    done = _read_only(folder, sys.executable, "-c", AUDITS, json.dumps(commands))
    assert done.returncode == 0, done.stderr
    return [(code, out, err) for code, out, err in json.loads(done.stdout)]


def _copied_log(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A log of two rows, as a copy of it holds it (the database file alone), and its folder's
    contents."""
    folder = tmp_path / "archive"
    folder.mkdir(mode=0o700)
    with AuditLog(folder / AUDIT_FILE) as log:
        for number in range(2):
            log.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{number}"))
    for left in folder.iterdir():
        if left.name != AUDIT_FILE:
            shutil.rmtree(left) if left.is_dir() else left.unlink()
    return folder, sorted(folder.iterdir())


def test_a_log_on_read_only_media_is_verified_shown_and_exported(tmp_path: Path) -> None:
    folder, contents = _copied_log(tmp_path)
    verified, anchor, shown, exported = _audits(
        folder, ["verify"], ["anchor"], ["show", "--json"], ["export"]
    )
    assert verified[0] == 0, verified
    assert verified[1].startswith("ok: 2 rows, chain intact, head row 2 ")
    assert anchor[0] == 0 and anchor[1].startswith("row 2 "), anchor
    assert shown[0] == 0 and len(shown[1].splitlines()) == 2, shown
    assert exported[0] == 0 and len(exported[1].splitlines()) == 3, exported
    [extends] = _audits(folder, ["verify", "--expect-head", anchor[1].strip()])
    assert extends[0] == 0, extends
    assert sorted(folder.iterdir()) == contents


def test_a_journal_left_on_read_only_media_is_said_not_skipped(
    tmp_path: Path, killed_writer: KilledWriter
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir(mode=0o700)
    journal = killed_writer(folder / AUDIT_FILE, 3, 1)  # one row stored, two in the journal
    commands = (["verify"], ["show"], ["export"], ["anchor"])
    for command, (code, out, err) in zip(commands, _audits(folder, *commands), strict=True):
        assert (code, out) == (2, ""), (command, out)
        assert err == (
            f"audit log error: 1 journal(s) of rows not stored yet are left beside the audit "
            f"log {folder / AUDIT_FILE} (a process stopped before storing them), and it cannot "
            "be written to store them: run this on a writable copy of its folder\n"
        ), command
    assert journal.exists()
    with pytest.raises(AuditError, match="journal"):
        AuditLog(folder / AUDIT_FILE, read_only=True)
    with AuditLog(folder / AUDIT_FILE) as log:  # writable, it stores them
        assert log.verify().rows == 3


def test_no_log_on_read_only_media_is_no_log(tmp_path: Path) -> None:
    """Not a folder that cannot be written: the log is not there, exit 1 as verify promises."""
    folder = tmp_path / "archive"
    folder.mkdir(mode=0o700)
    [(code, out, err)] = _audits(folder, ["verify"])
    assert (code, out) == (1, "")
    assert err.startswith(f"FAILED: no audit log at {folder / AUDIT_FILE} ")
    assert list(folder.iterdir()) == []


def test_a_log_opened_read_only_takes_no_rows(tmp_path: Path) -> None:
    folder, contents = _copied_log(tmp_path)
    with AuditLog(folder / AUDIT_FILE, read_only=True) as log:
        assert len(log.rows()) == 2 and log.verify().ok
        with pytest.raises(AuditError, match="open for reading only"):
            log.append(AuditEvent(event="request", method="GET", url="https://x.example/"))
        with pytest.raises(AuditError, match="open for reading only"):
            log.writable()
    assert sorted(folder.iterdir()) == contents


def test_a_log_from_before_reasons_on_read_only_media_is_read(tmp_path: Path) -> None:
    """A review: a log written before rows had a reason (or a mode, or journal progress) gains
    those as it is opened writable; on read-only media it cannot, and every audit command
    failed on the missing column. It is now read from a private copy brought up to date."""
    folder, contents = _copied_log(tmp_path)
    db = sqlite3.connect(folder / AUDIT_FILE)
    for statement in ("ALTER TABLE audit DROP COLUMN reason", "DROP TABLE audit_meta",
                      "DROP TABLE journal_progress"):  # fmt: skip
        db.execute(statement)  # as the oldest skiptrace made it
    db.commit()
    db.close()
    verified, shown, exported = _audits(folder, ["verify"], ["show", "--json"], ["export"])
    assert verified[0] == 0 and verified[1].startswith("ok: 2 rows, chain intact"), verified
    assert shown[0] == 0 and [json.loads(line)["reason"] for line in shown[1].splitlines()] == [
        "",
        "",
    ], shown
    assert exported[0] == 0 and len(exported[1].splitlines()) == 3, exported
    assert sorted(folder.iterdir()) == contents


def test_a_log_whose_rows_are_in_its_wal_is_read_on_read_only_media(
    copied_while_open: Path,
) -> None:
    """A review: a copy taken while the log was open has rows in its ``-wal`` and no ``-shm``;
    read-only, SQLite could not open it ("unable to open database file"). It is now read from
    a private copy, where SQLite applies the ``-wal``: no row is missed."""
    folder = copied_while_open
    contents = sorted(folder.iterdir())
    verified, shown, exported = _audits(folder, ["verify"], ["show", "--json"], ["export"])
    assert verified[0] == 0 and verified[1].startswith("ok: 2 rows, chain intact"), verified
    assert shown[0] == 0 and len(shown[1].splitlines()) == 2, shown
    assert exported[0] == 0 and len(exported[1].splitlines()) == 3, exported
    assert sorted(folder.iterdir()) == contents


def test_the_private_copy_of_a_log_read_only_is_removed_at_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copied_while_open: Path
) -> None:
    folder = copied_while_open
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    with AuditLog(folder / AUDIT_FILE, read_only=True) as log:
        assert [row.url for row in log.rows()] == ["https://x.example/0", "https://x.example/1"]
        assert log.verify().ok
        [copy] = temporary.iterdir()
        assert stat.S_IMODE(copy.stat().st_mode) == 0o700
    assert list(temporary.iterdir()) == []


def test_a_log_that_cannot_be_copied_to_be_read_is_one_line_saying_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copied_while_open: Path
) -> None:
    folder = copied_while_open
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with pytest.raises(AuditError) as raised:
        AuditLog(folder / AUDIT_FILE, read_only=True)
    said = str(raised.value)
    assert said.startswith(f"the audit log {folder / AUDIT_FILE} can be read only from a copy")
    assert "TMPDIR" in said and "\n" not in said
