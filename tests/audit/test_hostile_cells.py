"""A log edited into shapes skiptrace never writes is still read, and verify names the row.

A review: a row's time stored as a BLOB (or NULL, in a table rebuilt without its NOT NULL)
ended ``audit verify`` in a traceback instead of naming the row, and any BLOB ended ``audit
show`` and ``audit export`` in one too, so none of the log could be read; and a damaged
journal whose name held a line feed split verify's one-line verdict, its second line free to
read ``ok: 9 rows, chain intact``.
"""

from __future__ import annotations

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


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)


def _filled(path: Path, rows: int = 3) -> None:
    with AuditLog(path) as log:
        for number in range(rows):
            log.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{number}"))


def _sql(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path)
    db.execute("DROP TRIGGER IF EXISTS audit_no_update")
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


@pytest.mark.parametrize("column", ["ts", "prev_hash", "hash", "url", "event"])
def test_a_cell_stored_as_a_blob_is_named_by_verify_and_shown(column: str) -> None:
    path = home() / AUDIT_FILE
    _filled(path)
    _sql(path, f"UPDATE audit SET {column} = CAST({column} AS BLOB) WHERE seq = 2")
    with AuditLog(path) as log:
        result = log.verify()
        assert (result.ok, result.rows, result.bad_seq) == (False, 1, 2), result
        assert all(type(getattr(row, column)) is str for row in log.rows())
    for command in (["verify"], ["show"], ["show", "--json"], ["export"]):
        result = runner.invoke(app, ["audit", *command])
        assert result.exception is None or isinstance(result.exception, SystemExit), command
        assert result.exit_code == (1 if command == ["verify"] else 0), command
    assert "https://x.example/1" in runner.invoke(app, ["audit", "export"]).stdout


def test_a_time_that_is_no_text_is_named_by_verify(tmp_path: Path) -> None:
    path = tmp_path / AUDIT_FILE
    _filled(path)
    db = sqlite3.connect(path)  # the table rebuilt as someone with the file could
    columns = ", ".join(row[1] for row in db.execute("PRAGMA table_info(audit)"))
    db.executescript(
        f"CREATE TABLE loose AS SELECT {columns} FROM audit; DROP TABLE audit; "
        f"ALTER TABLE loose RENAME TO audit; UPDATE audit SET ts = NULL WHERE seq = 2;"
    )
    db.close()
    with AuditLog(path) as log:
        result = log.verify()
    assert (result.ok, result.rows, result.bad_seq) == (False, 1, 2)
    assert "edited" in result.reason


def test_verify_says_its_verdict_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    path = home() / AUDIT_FILE
    _filled(path)
    journals = path.with_name(path.name + ".journal")
    spoof = "\nok: 3 rows, chain intact, head row 3 " + "0" * 64 + "\n"
    (journals / f"x{spoof}.jsonl").write_bytes(b"junk\n")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert result.stdout.startswith("FAILED: rows record a damaged journal")
    assert result.stdout.count("\n") == 1, result.stdout
