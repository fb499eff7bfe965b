"""An input whose reads fail part way (a failing disk or network file system: EIO) stops
``enrich`` in one line naming that file, exit 2, with no output put in place; the rows done
before it are kept, and a run once the file reads again finishes the file. Told as an
OSError, it was blamed on the output being written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.testing.directory import directory, directory_options
from skiptrace.testing.disk import fail_reads_after
from skiptrace.testing.replay import ReplayServer

ROWS = "account,first_name,last_name\nD-1,Jane,Roe\nD-2,Robert,Quinlan\nD-3,Ann,Lee\n"


def test_an_input_that_fails_part_way_is_named_and_the_rerun_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "debtors.csv", tmp_path / "out.csv"
    source.write_text(ROWS)
    with ReplayServer(directory) as server:
        options = directory_options(tmp_path, server)
        command = [*options, "enrich", str(source), "-o", str(target), "--source",
                   "demo_directory", "--purpose", "collection of a debt owed",
                   "--no-progress"]  # fmt: skip
        with monkeypatch.context() as failing:
            fail_reads_after(failing, source, 2)  # the header and D-1
            result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        last = result.stderr.splitlines()[-1]
        assert last.endswith(f"cannot read {source}: Input/output error"), result.stderr
        assert not target.exists()
        result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    with target.open(newline="") as written:
        assert [row["account"] for row in csv.DictReader(written)] == ["D-1", "D-2", "D-3"]
