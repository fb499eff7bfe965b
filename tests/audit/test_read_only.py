"""A log on read-only media (an archive, a folder mounted read-only) can be read and verified.

A review: every audit command refused a SKIPTRACE_HOME it could not write, so a read-only copy
of a log could not be verified, shown or exported at all. Now they read it as it is, writing
nothing; a journal left beside it, whose rows only a writable log can store, is said in one
line (exit 2, as for a log that cannot be verified) rather than verified without them. Tests
run as root, where mode bits stop nothing: the folder is a read-only bind mount, made in a
mount namespace of the command's own (skipped where none can be made).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

import pytest

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.audit.key import KEY_ENV, KEY_FILE_ENV
from skiptrace.audit.log import AUDIT_FILE
from skiptrace.errors import AuditError

from .conftest import KilledWriter, copy_taken_while_open

_READ_ONLY = (
    'while [ "$1" != -- ]; do mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 99;'
    ' shift; done; shift; exec "$@"'
)
"""A shell script: mount each folder before ``--`` read-only (in this namespace only), run the
rest."""


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)


AUDITS = """
import json, sys
from typer.testing import CliRunner
from skiptrace.cli import app

said = {}
for folder, commands in json.loads(sys.argv[1]).items():
    ran, anchor = [], ""
    for args in commands:  # ANCHOR: what this folder's ``audit anchor`` printed before
        result = CliRunner().invoke(app, ["audit", *[anchor if a == "ANCHOR" else a for a in args]],
                                    env={"SKIPTRACE_HOME": folder})
        anchor = result.stdout.strip() if args == ["anchor"] else anchor
        ran.append([result.exit_code, result.stdout, result.stderr])
    said[folder] = ran
print(json.dumps(said))
"""
"""``skiptrace audit`` with each list of arguments given, each folder its SKIPTRACE_HOME, in
one process: how each ended, by folder."""

Ran = list[tuple[int, str, str]]


class Case(NamedTuple):
    folder: Path
    contents: list[Path]
    """The folder's files before its commands ran."""
    ran: Ran
    """Each command's exit code, stdout and stderr."""


def _audits(runs: dict[Path, list[list[str]]]) -> dict[Path, Ran]:
    """Each folder's audit commands (their arguments) run with every folder mounted read-only,
    as SKIPTRACE_HOME: each one's exit code, stdout and stderr. One Python start for them all
    (one for each folder had been most of the module's time)."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare here")
    folders = [str(folder) for folder in runs]
    commands = {str(folder): run for folder, run in runs.items()}
    script = [sys.executable, "-c", AUDITS, json.dumps(commands)]
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", _READ_ONLY, "sh", *folders, "--", *script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "SKIPTRACE_HOME": folders[0]},
    )
    if done.returncode == 99 or "unshare:" in done.stderr:
        pytest.skip("no read-only mount can be made here")
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    return {Path(folder): [(c, out, err) for c, out, err in said[folder]] for folder in folders}


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


def _from_before_reasons(tmp_path: Path) -> Path:
    """A log of two rows as the oldest skiptrace made it: no reason column, no meta table, no
    journal progress."""
    folder, _ = _copied_log(tmp_path)
    db = sqlite3.connect(folder / AUDIT_FILE)
    for statement in ("ALTER TABLE audit DROP COLUMN reason", "DROP TABLE audit_meta",
                      "DROP TABLE journal_progress"):  # fmt: skip
        db.execute(statement)
    db.commit()
    db.close()
    return folder


def _journal_left(tmp_path: Path, killed_writer: KilledWriter) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir(mode=0o700)
    killed_writer(folder / AUDIT_FILE, 3, 1)  # one row stored, two in the journal
    return folder


JOURNAL_COMMANDS = [["verify"], ["show"], ["export"], ["anchor"]]


@pytest.fixture(scope="module")
def read_only(
    tmp_path_factory: pytest.TempPathFactory, killed_writer: KilledWriter
) -> dict[str, Case]:
    """Each test's folder, by name, and what its audit commands said with it mounted
    read-only: all run in one child process, for the module."""
    made = functools.partial(tmp_path_factory.mktemp, numbered=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(KEY_ENV, raising=False)
        patch.delenv(KEY_FILE_ENV, raising=False)
        empty = made("empty") / "archive"
        empty.mkdir(mode=0o700)
        folders = {
            "copied": (_copied_log(made("copied"))[0],
                       [["verify"], ["anchor"], ["show", "--json"], ["export"],
                        ["verify", "--expect-head", "ANCHOR"]]),
            "journal": (_journal_left(made("journal"), killed_writer), JOURNAL_COMMANDS),
            "none": (empty, [["verify"]]),
            "before reasons": (_from_before_reasons(made("old")),
                               [["verify"], ["show", "--json"], ["export"]]),
            "in its wal": (copy_taken_while_open(made("wal")),
                           [["verify"], ["show", "--json"], ["export"]]),
        }  # fmt: skip
        contents = {name: sorted(folder.iterdir()) for name, (folder, _) in folders.items()}
        ran = _audits(dict(folders.values()))
    return {name: Case(folder, contents[name], ran[folder])
            for name, (folder, _) in folders.items()}  # fmt: skip


def test_a_log_on_read_only_media_is_verified_shown_and_exported(
    read_only: dict[str, Case],
) -> None:
    folder, contents, ran = read_only["copied"]
    verified, anchor, shown, exported, extends = ran
    assert verified[0] == 0, verified
    assert verified[1].startswith("ok: 2 rows, chain intact, head row 2 ")
    assert anchor[0] == 0 and anchor[1].startswith("row 2 "), anchor
    assert shown[0] == 0 and len(shown[1].splitlines()) == 2, shown
    assert exported[0] == 0 and len(exported[1].splitlines()) == 3, exported
    assert extends[0] == 0, extends  # verify --expect-head, given what anchor printed
    assert sorted(folder.iterdir()) == contents


def test_a_journal_left_on_read_only_media_is_said_not_skipped(read_only: dict[str, Case]) -> None:
    folder, _, ran = read_only["journal"]
    for command, (code, out, err) in zip(JOURNAL_COMMANDS, ran, strict=True):
        assert (code, out) == (2, ""), (command, out)
        assert err == (
            f"audit log error: 1 journal(s) of rows not stored yet are left beside the audit "
            f"log {folder / AUDIT_FILE} (a process stopped before storing them), and it cannot "
            "be written to store them: run this on a writable copy of its folder\n"
        ), command
    [journal] = (folder / f"{AUDIT_FILE}.journal").glob("*.jsonl")
    assert journal.exists()
    with pytest.raises(AuditError, match="journal"):
        AuditLog(folder / AUDIT_FILE, read_only=True)
    with AuditLog(folder / AUDIT_FILE) as log:  # writable, it stores them
        assert log.verify().rows == 3


def test_no_log_on_read_only_media_is_no_log(read_only: dict[str, Case]) -> None:
    """Not a folder that cannot be written: the log is not there, exit 1 as verify promises."""
    folder, _, [(code, out, err)] = read_only["none"]
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


def test_a_log_from_before_reasons_on_read_only_media_is_read(read_only: dict[str, Case]) -> None:
    """A review: a log written before rows had a reason (or a mode, or journal progress) gains
    those as it is opened writable; on read-only media it cannot, and every audit command
    failed on the missing column. It is now read from a private copy brought up to date."""
    folder, contents, (verified, shown, exported) = read_only["before reasons"]
    assert verified[0] == 0 and verified[1].startswith("ok: 2 rows, chain intact"), verified
    assert shown[0] == 0 and [json.loads(line)["reason"] for line in shown[1].splitlines()] == [
        "",
        "",
    ], shown
    assert exported[0] == 0 and len(exported[1].splitlines()) == 3, exported
    assert sorted(folder.iterdir()) == contents


def test_a_log_whose_rows_are_in_its_wal_is_read_on_read_only_media(
    read_only: dict[str, Case],
) -> None:
    """A review: a copy taken while the log was open has rows in its ``-wal`` and no ``-shm``;
    read-only, SQLite could not open it ("unable to open database file"). It is now read from
    a private copy, where SQLite applies the ``-wal``: no row is missed."""
    folder, contents, (verified, shown, exported) = read_only["in its wal"]
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
