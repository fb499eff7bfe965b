"""A stop (Ctrl-C, SIGTERM) that comes once ``enrich``'s output is in place: the run's last
steps (the output renamed into place, its checkpoints deleted) do not wait, so asyncio
cancels the run's task only as it returns, and the finished run was said as stopped, exit
130, "the rows finished so far are kept: to resume, run the same command", with its output
complete and its checkpoints gone: the rerun it asked for researched every row again."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.tables.checkpoints import Checkpoints
from skiptrace.testing.directory import directory, directory_options
from skiptrace.testing.outputs import rows
from skiptrace.testing.replay import ReplayServer


def test_a_stop_after_the_output_is_in_place_is_no_stop_of_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "debtors.csv"
    source.write_text("account,last_name\nA1,Roe\nA2,Lopez\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    clear = Checkpoints.clear

    def stopped_as_it_clears(self: Checkpoints) -> None:
        clear(self)
        signal.raise_signal(signal.SIGINT)  # Ctrl-C as the finished run deletes its rows

    monkeypatch.setattr(Checkpoints, "clear", stopped_as_it_clears)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)  # as at a terminal
    try:
        with ReplayServer(directory) as server:
            result = CliRunner().invoke(app, [*directory_options(tmp_path, server), "enrich",
                                              str(source), "-o", str(target), "--source",
                                              "demo_directory", "--purpose", "debt",
                                              "--no-progress"])  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, before)
    assert "stopped" not in result.output
    assert f"wrote {target}: 2 rows" in result.output
    assert result.exit_code == 0, result.output
    assert [(row["account"], row["status"]) for row in rows(target)] == [
        ("A1", "no_hit"), ("A2", "no_hit")
    ]  # fmt: skip
