"""An audit log whose pages read at opening are damaged (the rows' table root or its newest
rows, where the head is read; the log's own settings; its header, or another program's file
at its name) fails every ``audit`` command in one line, exit 1, as one damaged in its middle
does: it was ``audit log error: cannot open ...``, exit 2, which a scheduler reads as a usage
error, not a verification that failed."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.audit.chain import AuditEvent
from skiptrace.audit.log import AUDIT_FILE
from skiptrace.cli import app
from skiptrace.state import home

runner = CliRunner()


def _damaged(where: str) -> Path:
    """A log of a few rows with the root page of the table ``where`` overwritten, or its
    header (``header``)."""
    with AuditLog.open_default() as audit:
        for n in range(9):
            audit.append(AuditEvent("request", "GET", f"https://example.com/{n}", status=200))
    path = home() / AUDIT_FILE
    with closing(sqlite3.connect(path)) as db:
        size = db.execute("PRAGMA page_size").fetchone()[0]
        found = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (where,))
        page = 1 if where == "header" else found.fetchone()[0]
    with open(path, "r+b") as log:
        log.seek((page - 1) * size)
        log.write(b"\xff" * (100 if where == "header" else size))
    return path


@pytest.mark.parametrize(
    ("where", "said"),
    [("audit", "database disk image is malformed"),
     ("audit_meta", "database disk image is malformed"),
     ("header", "file is not a database")],
)  # fmt: skip
@pytest.mark.parametrize("command", ["verify", "anchor", "export", "show"])
def test_a_log_damaged_where_opening_reads_fails_verification(
    where: str, said: str, command: str
) -> None:
    damaged = _damaged(where)
    result = runner.invoke(app, ["audit", command])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == f"FAILED: cannot read the audit log at {damaged}: {said}\n"


def test_a_command_that_writes_rows_still_says_it_cannot_open_the_log() -> None:
    """Research must not start on a log it cannot write: exit 2, as before."""
    damaged = _damaged("audit")
    lookup = ["lookup", "--name", "Jane Roe", "--employer", "Acme", "--source", "gleif"]
    result = runner.invoke(app, [*lookup, "--purpose", "test"])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"audit log error: cannot open the audit log {damaged}: database disk image is malformed\n"
    )
