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

import pytest

from skiptrace.testing.children import default_stops, stopped_when
from skiptrace.testing.directory import MANIFEST
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_file


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP],
                         ids=["Ctrl-C", "SIGTERM", "SIGHUP"])  # fmt: skip
def test_ctrl_c_during_enrich_says_how_to_resume_and_exits_130(
    tmp_path: Path, stop: signal.Signals
) -> None:
    """SIGTERM, a scheduler's stop, is Ctrl-C too: it had killed the run where it stood."""
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
            # a shell's background job (`bash .ci/run &`) ignores SIGINT, a run under nohup
            # SIGHUP, and so would this child, which is right for a real run so started: how it
            # stops is what is tested here
            preexec_fn=default_stops,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert asked.wait(20), "the child never asked the directory"
            child.send_signal(stop)
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


@pytest.mark.parametrize(("before", "stops"), [(signal.SIG_DFL, True), (signal.SIG_IGN, False)])
def test_a_hang_up_stops_a_command_unless_it_was_started_to_outlive_its_terminal(
    before: signal.Handlers, stops: bool
) -> None:
    """A closed terminal (SIGHUP) killed a command where it stood; under ``nohup`` (SIGHUP
    ignored from the start) it must go on."""
    from skiptrace import cli

    saved = {number: signal.getsignal(number) for number in (signal.SIGHUP, signal.SIGTERM)}
    try:
        signal.signal(signal.SIGHUP, before)
        cli._stop_on_signals()
        assert (signal.getsignal(signal.SIGHUP) is cli._stopped) is stops
        assert signal.getsignal(signal.SIGTERM) is cli._stopped
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def test_sigterm_during_link_leaves_no_partial_file_and_the_output_as_it_was(
    tmp_path: Path,
) -> None:
    """link writes to a partial file beside the output, renamed over it at the end: a stopped
    run left that file, named at random, for good."""
    rows = "".join(f"L{n},Person{n} Surname{n % 97},{n} Oak St,Town{n % 50},{10000 + n}\n"
                   for n in range(60_000))  # fmt: skip
    (tmp_path / "left.csv").write_text("id,name,address,city,zip\n" + rows, encoding="utf-8")
    (tmp_path / "right.csv").write_text("id,name,address,city,zip\n" + rows, encoding="utf-8")
    output = tmp_path / "links.csv"
    output.write_text("earlier links\n", encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "skiptrace", "link", str(tmp_path / "left.csv"),
         str(tmp_path / "right.csv"), "-o", str(output), "--workers", "0"],
        env=os.environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    stderr = stopped_when(child, tmp_path / ".links.csv.partial", signal.SIGTERM, 30)
    assert child.returncode == 130 and "Traceback" not in stderr, stderr
    assert stderr.splitlines()[-1] == f"skiptrace link: stopped; {output} is as it was", stderr
    assert output.read_text(encoding="utf-8") == "earlier links\n"
    assert not list(tmp_path.glob(".links.csv*")), list(tmp_path.iterdir())


STOPPED_AS_IT_STARTS = """
import os, signal, sys
import typer.main
from skiptrace.cli import main
signal.signal(signal.SIGINT, signal.default_int_handler)  # as at a terminal
made = typer.main.get_command
def stopped(app):
    os.kill(os.getpid(), signal.SIGTERM)  # as the command line is being made
    return made(app)
typer.main.get_command = stopped
sys.argv = ["skiptrace", "policy", "show"]
main()
"""


def test_a_stop_as_a_command_starts_is_one_line_and_exit_130() -> None:
    """A run stopped as it started (a scheduler's kill, and the same command again at once)
    printed a KeyboardInterrupt traceback and died by SIGINT: 1 stop in 26 of runs being
    stopped and started again."""
    stopped = subprocess.run([sys.executable, "-c", STOPPED_AS_IT_STARTS],
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert (stopped.returncode, stopped.stderr) == (130, "skiptrace: stopped\n")


STOPPED_IN_A_COMMAND = """
import os, signal, sys
from skiptrace.cli import main, policy_cmd
signal.signal(signal.SIGINT, signal.default_int_handler)  # as at a terminal
made = policy_cmd.load
def stopped(*given, **named):
    os.kill(os.getpid(), signal.SIGTERM)  # as the command begins its work
    return made(*given, **named)
policy_cmd.load = stopped
sys.argv = ["skiptrace", "policy", "show"]
main()
"""


def test_a_stop_inside_a_command_without_its_own_handler_is_one_line_and_exit_130() -> None:
    """typer makes such a stop exit 130 and says nothing: it was an exit 130 without a word."""
    stopped = subprocess.run([sys.executable, "-c", STOPPED_IN_A_COMMAND],
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert (stopped.returncode, stopped.stderr) == (130, "skiptrace: stopped\n")
