"""A row whose account id cell is blank is researched under ``row N``, as a file with no id
column is: under an empty reference its requests in the audit log and its evidence line named
no row at all."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.testing.directory import directory, directory_options
from skiptrace.testing.replay import ReplayServer


def _enriched(tmp_path: Path, rows: str) -> list[tuple[int, str]]:
    """Each evidence line's (row, ref) of an enrich of ``rows`` under the header
    ``account,first_name,last_name``, against a directory on loopback."""
    source = tmp_path / "debtors.csv"
    source.write_text("account,first_name,last_name\n" + rows)
    evidence = tmp_path / "evidence.jsonl"
    with ReplayServer(directory) as server:
        result = CliRunner().invoke(app, [
            *directory_options(tmp_path, server), "enrich", str(source),
            "-o", str(tmp_path / "out.csv"), "--source", "demo_directory", "--purpose",
            "collection of a debt owed", "--no-progress", "--evidence", str(evidence),
        ])  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in evidence.read_text().splitlines()]
    return [(line["row"], line["ref"]) for line in lines]


def test_a_blank_account_id_is_referred_to_by_its_line(tmp_path: Path) -> None:
    refs = _enriched(tmp_path, "D-1,Jane,Roe\n,Robert,Quinlan\n  ,Ann,Lee\n")
    assert refs == [(2, "D-1"), (3, "row 3"), (4, "row 4")]


def test_an_account_id_that_reads_as_a_row_is_not_taken_for_one(tmp_path: Path) -> None:
    """A review: an id cell reading ``row 3`` (or ``lookup``) was kept as skiptrace's own
    reference, as written, so the audit log's rows for line 2 read as those of line 3 (a
    blank id). It is written ``id: row 3``, and the log pseudonymises it as any account id."""
    assert _enriched(tmp_path, "row 3,Jane,Roe\n,Robert,Quinlan\n") == [
        (2, "id: row 3"), (3, "row 3"),
    ]  # fmt: skip
    with AuditLog.open_default() as log:
        refs = {row.debtor_ref for row in log.rows() if row.event == "request"}
    assert "row 3" in refs and any(ref.startswith("ref:") for ref in refs), refs
