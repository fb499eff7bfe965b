"""A disk that fills during a run: one line saying what could not be written, the rows finished
so far kept, and the same command finishes the run once there is room.

The disk is filled for real, in a child process: ``RLIMIT_FSIZE`` makes every write past that
many bytes of any file fail (``EFBIG``, as ``ENOSPC`` would), whichever file reaches it first:
the audit log, its journal, the checkpoints, the cache or the output.
"""

from __future__ import annotations

import csv
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.testing.directory import MANIFEST, directory
from skiptrace.testing.outputs import findings
from skiptrace.testing.replay import ReplayServer, loopback_policy_file

ROWS = 24
"""Past where either disk fills (3 rows finished with 45,000 bytes a file, 9 with 90,000),
with rows left for the same command to finish."""


def _arguments(folder: Path, server: ReplayServer) -> list[str]:
    """The enrich command's arguments for a run in ``folder`` (its connectors, policy, debtors
    and output there), the directory at ``server``."""
    connectors = folder / "connectors"
    connectors.mkdir(exist_ok=True)
    (connectors / "demo_directory.toml").write_text(MANIFEST.format(base=server.base_url))
    policy = loopback_policy_file(folder / "fast.toml", server)
    source = folder / "debtors.csv"
    if not source.exists():
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["account", "first_name", "last_name", "city"])
            for n in range(ROWS):
                writer.writerow([f"A{n}", "Jane", "Roe" if n % 2 else f"Nobody{n}", "Springfield"])
    return ["--connectors-dir", str(connectors), "--policy", str(policy), "enrich", str(source),
            "-o", str(folder / "out.csv"), "--source", "demo_directory",
            "--purpose", "collection of a debt owed", "--no-progress", "--jobs", "4"]  # fmt: skip


@pytest.fixture(scope="module")
def with_room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ReplayServer, Path]]:
    """The directory, and what the run on a disk with room wrote, to its end: run once, for
    every full disk to be compared with."""
    with ReplayServer(directory) as server, pytest.MonkeyPatch.context() as patch:
        whole = tmp_path_factory.mktemp("whole")
        _with_room(whole, server, patch)
        yield server, whole / "out.csv"


def _with_room(folder: Path, server: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run on a disk with room, to its end: in this process (only a disk that fills needs
    a child of its own)."""
    monkeypatch.setenv("SKIPTRACE_HOME", str(folder / "home"))
    done = CliRunner().invoke(app, _arguments(folder, server))
    assert done.exit_code == 0, done.output


def _on_a_full_disk(
    folder: Path, server: ReplayServer, limit: int
) -> subprocess.CompletedProcess[str]:
    """The run in a child process, each of its files limited to ``limit`` bytes."""

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-m", "skiptrace", *_arguments(folder, server)]
    env = {**os.environ, "SKIPTRACE_HOME": str(folder / "home")}
    return subprocess.run(command, env=env, preexec_fn=small_disk, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip


@pytest.mark.parametrize("limit", [45_000, 90_000])  # the audit log fills; the checkpoints do
def test_a_full_disk_stops_the_run_in_one_line_and_loses_no_row(
    tmp_path: Path, limit: int, monkeypatch: pytest.MonkeyPatch,
    with_room: tuple[ReplayServer, Path],
) -> None:  # fmt: skip
    server, whole = with_room
    full = tmp_path / "full"
    full.mkdir()
    stopped = _on_a_full_disk(full, server, limit)
    assert stopped.returncode == 2, stopped.stderr
    assert "Traceback" not in stopped.stderr and "never retrieved" not in stopped.stderr
    said = [line for line in stopped.stderr.splitlines() if "skiptrace enrich:" in line
            or "audit log error" in line]  # fmt: skip
    assert len(said) == 1, stopped.stderr
    assert any(why in said[0] for why in ("too large", "full", "I/O error")), said
    assert "no transaction" not in said[0]
    assert not (full / "out.csv").exists()
    _with_room(full, server, monkeypatch)  # room again: the same command finishes the run
    assert findings(full / "out.csv") == findings(whole)
