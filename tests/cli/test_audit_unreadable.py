"""An audit log damaged past its first pages (bytes overwritten in its middle, by a failing disk
or by hand) fails ``audit verify``, ``anchor`` and ``export`` in one line, exit 1 as a log that
is not there does: it was a traceback (sqlite3.DatabaseError) from the rows' query."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.audit.chain import AuditEvent
from skiptrace.audit.log import AUDIT_FILE
from skiptrace.cli import app
from skiptrace.state import home

runner = CliRunner()


@pytest.fixture
def damaged() -> Path:
    with AuditLog.open_default() as audit:
        for n in range(400):
            audit.append(AuditEvent("request", "GET", f"https://example.com/{n}?{'x' * 200}",
                                    status=200))  # fmt: skip
    path = home() / AUDIT_FILE
    with open(path, "r+b") as log:
        log.seek(os.path.getsize(path) // 2)
        log.write(b"\xff" * 8192)
    return path


@pytest.mark.parametrize("command", ["verify", "anchor", "export"])
def test_a_damaged_audit_log_fails_in_one_line(damaged: Path, command: str) -> None:
    result = runner.invoke(app, ["audit", command])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.stderr == (
        f"FAILED: cannot read the audit log at {damaged}: database disk image is malformed\n"
    )
