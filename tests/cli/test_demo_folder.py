"""``demo`` keeps its files in a folder it names and its rows in its own SKIPTRACE_HOME, never
in yours (issue 11, item 6); it needs no writable home of yours."""

from __future__ import annotations

import csv
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.errors import AuditError

runner = CliRunner()


def test_demo_keeps_its_output_in_a_named_folder_and_its_own_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    (tmp_path / "a-file").write_text("not a folder")
    yours = tmp_path / "a-file" / "home"  # not even makeable: the demo never needs it
    monkeypatch.setenv("SKIPTRACE_HOME", str(yours))
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    [folder] = (tmp_path / "tmp").glob("skiptrace-demo-*")
    assert f"demo folder: {folder}" in result.stdout
    enriched = folder / "debtors.enriched.csv"
    assert f"{enriched}: what enrich wrote (open it)" in result.stdout
    with enriched.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["account"] for row in rows] == [f"EX-0{n}" for n in range(1, 9)]
    assert "known answers: 8 of 8 rows as expected" in result.stdout
    assert (folder / "home" / "audit.sqlite3").is_file()
    assert (folder / "home" / "index.sqlite3").is_file()
    assert f"SKIPTRACE_HOME={folder / 'home'} skiptrace audit verify" in result.stdout
    assert os.environ["SKIPTRACE_HOME"] == str(yours)  # set back after the demo
    monkeypatch.setenv("SKIPTRACE_HOME", str(folder / "home"))
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0 and verified.stdout.startswith("ok: 9 rows")


def test_demo_without_a_temporary_folder_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "a-file"))
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("skiptrace demo: cannot make its folder in ")
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("stage", "failure"),
    [("skiptrace.demo.offline.run_offline_demo",
      sqlite3.OperationalError("database or disk is full")),
     ("skiptrace.demo.guard_tour.run_demo",
      AuditError("the audit log has 4,096 bytes of room left"))],
    ids=["index", "audit"],
)  # fmt: skip
def test_a_demo_folder_on_a_full_disk_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str, failure: Exception
) -> None:
    """Its index or its audit log on a disk that fills as the demo writes (a small /tmp, as a
    tmpfs of a few hundred KB shows): a traceback where the demo's own folder was the cause."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def full(*_: object) -> None:
        raise failure

    monkeypatch.setattr(stage, full)
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 2, result.output
    [folder] = tmp_path.glob("skiptrace-demo-*")
    assert result.stderr == f"skiptrace demo: {failure} (in its folder {folder})\n"
