"""Ctrl-C during ``enrich`` says how to resume (the same command) and exits 130 (issue 11,
item 6): a real SIGINT to a child process researching against a directory that hangs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

from skiptrace.testing.directory import MANIFEST
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_file


def test_ctrl_c_during_enrich_says_how_to_resume_and_exits_130(tmp_path: Path) -> None:
    asked, release = threading.Event(), threading.Event()

    def hanging(method: str, target: str) -> Reply | None:
        if urlsplit(target).path != "/people":
            return None
        asked.set()
        release.wait(20)  # the child is interrupted while it waits for this answer
        return Reply(200, json.dumps({"people": []}).encode(), {"Content-Type": "application/json"})

    source = tmp_path / "debtors.csv"
    source.write_text("account,last_name\nA1,Roe\n", encoding="utf-8")
    with ReplayServer(hanging) as server:
        folder = tmp_path / "connectors"
        folder.mkdir()
        (folder / "demo_directory.toml").write_text(MANIFEST.format(base=server.base_url))
        policy = loopback_policy_file(tmp_path / "fast.toml", server)
        args = [
            "--connectors-dir",
            str(folder),
            "--policy",
            str(policy),
            "enrich",
            str(source),
            "--source",
            "demo_directory",
            "--purpose",
            "demonstration",
            "--no-progress",
        ]
        child = subprocess.Popen(
            [sys.executable, "-m", "skiptrace", *args],
            env=os.environ,
            # a shell's background job (`bash .ci/run &`) ignores SIGINT, and so would this
            # child, which is right for a real background run: Ctrl-C is what is tested here
            preexec_fn=_default_sigint,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert asked.wait(20), "the child never asked the directory"
            child.send_signal(signal.SIGINT)
            _, stderr = child.communicate(timeout=20)
        finally:
            release.set()
            if child.poll() is None:
                child.kill()
    assert child.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == (
        "stopped; the rows finished so far are kept: to resume, run the same command again: "
        "skiptrace " + " ".join(args)
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
