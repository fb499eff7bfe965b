"""Ctrl-C while ``enrich`` waits for another run to let go of the partial output: asyncio's
handler only cancels the run's task, and the wait went on to its end and said "another run is
writing", exit 2, in 2 stops of 2; the stop is one line and exit 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from skiptrace.tables.paths import Partial
from skiptrace.testing.children import default_stops, stopped_when
from skiptrace.testing.directory import MANIFEST
from skiptrace.testing.replay import ReplayServer, loopback_policy_file

WAITING = """
import sys, time
from pathlib import Path
from skiptrace.cli import main
from skiptrace.tables import paths
paths.HELD_WAIT_SECONDS = 5  # a stop is said long before it ends
waiting = Path(sys.argv.pop(1))
def sleep(seconds):
    waiting.touch()  # the wait has begun
    time.sleep(seconds)
paths.time = type("Time", (), {"monotonic": staticmethod(time.monotonic), "sleep": sleep})
sys.argv[0] = "skiptrace"
main()
"""


def test_ctrl_c_while_waiting_for_the_partial_is_a_stop(tmp_path: Path) -> None:
    source = tmp_path / "debtors.csv"
    source.write_text("account,last_name\nA1,Roe\n", encoding="utf-8")
    target = tmp_path / "debtors.enriched.csv"
    waiting = tmp_path / "waiting"
    with ReplayServer(lambda method, url: None) as server, Partial(target):  # another run's
        folder = tmp_path / "connectors"
        folder.mkdir()
        (folder / "demo_directory.toml").write_text(MANIFEST.format(base=server.base_url))
        policy = loopback_policy_file(tmp_path / "fast.toml", server)
        child = subprocess.Popen(
            [sys.executable, "-c", WAITING, str(waiting), "--connectors-dir", str(folder),
             "--policy", str(policy), "enrich", str(source), "-o", str(target), "--source",
             "demo_directory", "--purpose", "demonstration", "--no-progress"],
            env=os.environ, preexec_fn=default_stops, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        stderr = stopped_when(child, waiting, signal.SIGINT, 20)
    assert child.returncode == 130, stderr
    assert stderr.startswith("stopped; the rows finished so far are kept"), stderr
    assert len(stderr.splitlines()) == 1, stderr
