"""A file at the log's name that holds no audit log is no log: the audit commands say so.

A review: the log cut to no bytes (``: > audit.sqlite3``), or another database copied over
it, was opened as an empty log: ``audit verify`` wrote the log's tables into it and said
``ok: 0 rows, chain intact``, exit 0 (keyed, without even the unkeyed note), where the log
deleted outright fails (exit 1) and no ``audit`` command is to start an empty log that a
later ``verify`` would call intact.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.audit.key import KEY_ENV, KEY_FILE_ENV
from skiptrace.audit.log import AUDIT_FILE
from skiptrace.cli import app
from skiptrace.state import home

runner = CliRunner()
COMMANDS = [["verify"], ["show"], ["anchor"], ["export"]]


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)


def _log() -> Path:
    path = home() / AUDIT_FILE
    with AuditLog(path) as log:
        log.append(AuditEvent(event="request", method="GET", url="https://x.example/"))
    return path


def _tables(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    finally:
        db.close()


def _no_log_said(path: Path) -> None:
    for command in COMMANDS:
        result = runner.invoke(app, ["audit", *command])
        assert (result.exit_code, result.stdout) == (1, ""), (command, result.stdout)
        assert result.stderr.startswith(f"FAILED: no audit log at {path}"), result.stderr


def test_a_log_cut_to_no_bytes_is_no_log(monkeypatch: pytest.MonkeyPatch) -> None:
    path = _log()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"")
    _no_log_said(path)
    assert path.read_bytes() == b""  # nothing was started in it
    monkeypatch.setenv(KEY_ENV, "k" * 32)
    _no_log_said(path)


def test_another_database_at_the_logs_name_is_no_log() -> None:
    path = _log()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE pages (url TEXT)")
    db.commit()
    db.close()
    _no_log_said(path)
    assert _tables(path) == ["pages"]


@pytest.mark.parametrize("kind", ["fifo", "folder", "link to /dev/null"])
def test_what_is_no_file_at_the_logs_name_is_no_log(kind: str) -> None:
    # a review: each had 'audit log error: cannot open ...: disk I/O error', exit 2, the code
    # of a log that cannot be verified for want of its key, not of one that is gone
    path = _log()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(os.devnull)
    _no_log_said(path)


def test_a_log_of_no_rows_is_still_a_log() -> None:
    path = home() / AUDIT_FILE
    AuditLog(path).close()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and result.stdout.startswith("ok: 0 rows"), result.stdout
