"""``workers.in_order``: results in the items' order whichever process made them, a worker
that dies costs nothing but time, an error in the work is raised as it would be here, and a
platform without fork does the work here."""

from __future__ import annotations

import csv
import gc
import importlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.errors import InputError
from skiptrace.matching import workers
from skiptrace.matching.workers import in_order
from skiptrace.testing.children import default_stops

link_module = importlib.import_module("skiptrace.matching.link")  # the package exports link()
prepare_module = importlib.import_module("skiptrace.matching.prepare")
link_cmd = importlib.import_module("skiptrace.cli.link_cmd")


def _square_and_pid(offset: int, item: int) -> tuple[int, int]:
    return item * item + offset, os.getpid()


def test_results_come_in_order_from_this_process_and_a_worker() -> None:
    found = list(in_order(_square_and_pid, 5, range(40), lambda item: item % 3 != 0, 1))
    assert [value for value, _ in found] == [k * k + 5 for k in range(40)]
    made_by = {pid for _, pid in found}
    assert os.getpid() in made_by and len(made_by) == 2  # this process and one worker
    assert all(pid == os.getpid() for k, (_, pid) in enumerate(found) if k % 3 == 0)


def _dies_in_a_worker(parent: int, item: int) -> int:
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would
    return item + 1


def test_a_worker_killed_loses_no_item() -> None:
    found = list(in_order(_dies_in_a_worker, os.getpid(), range(12), lambda _: True, 1))
    assert found == list(range(1, 13))


def _fails_on_seven(_: None, item: int) -> int:
    if item == 7:
        raise ValueError(f"item {item} is bad")
    return item


@pytest.mark.parametrize("count", [0, 1])
def test_an_error_in_the_work_is_raised_here(count: int) -> None:
    found = []
    with pytest.raises(ValueError, match="item 7 is bad"):
        for value in in_order(_fails_on_seven, None, range(20), lambda _: True, count):
            found.append(value)
    assert found == list(range(7))  # every item before it, in order


def test_without_fork_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork(method: str) -> None:
        raise ValueError(f"cannot find context for {method!r}")

    monkeypatch.setattr(workers.multiprocessing, "get_context", no_fork)
    found = list(in_order(_square_and_pid, 0, range(6), lambda _: True, 2))
    assert found == [(k * k, os.getpid()) for k in range(6)]


def test_a_fork_that_fails_leaves_the_work_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_memory() -> int:
        raise OSError(12, "Cannot allocate memory")  # strict overcommit, a large process

    monkeypatch.setattr(os, "fork", no_memory)
    found = list(in_order(_square_and_pid, 0, range(6), lambda _: True, 1))
    assert found == [(k * k, os.getpid()) for k in range(6)]


def test_aside_works_while_this_process_goes_on() -> None:
    with workers.aside(_square_and_pid, 5, 3) as result:
        here = _square_and_pid(0, 2)
        value, pid = result()
    assert value == 14 and here == (4, os.getpid()) and pid != os.getpid()


def test_aside_a_worker_killed_is_done_here() -> None:
    with workers.aside(_dies_in_a_worker, os.getpid(), 41) as result:
        assert result() == 42


def test_aside_an_error_is_raised_here() -> None:
    with workers.aside(_fails_on_seven, None, 7) as result, pytest.raises(ValueError):
        result()


def test_aside_without_fork_or_memory_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_memory() -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_memory)
    with workers.aside(_square_and_pid, 0, 3) as result:
        assert result() == (9, os.getpid())

    def no_descriptors(*_: object, **__: object) -> None:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(workers.multiprocessing.get_context("fork"), "Pipe", no_descriptors)
    with workers.aside(_square_and_pid, 0, 4) as result:
        assert result() == (16, os.getpid())


class _TwoPartError(Exception):
    def __init__(self, rule: str, url: str) -> None:  # cannot be unpickled as it is
        super().__init__(f"{rule}: {url}")


def _fails_oddly(_: None, item: int) -> int:
    raise _TwoPartError("rule", f"item {item}")


def _unpicklable(_: None, item: int) -> Callable[[], int]:
    return lambda: item


def test_aside_what_cannot_cross_the_pipe_is_done_here() -> None:
    with workers.aside(_fails_oddly, None, 3) as result, pytest.raises(_TwoPartError):
        result()
    with workers.aside(_unpicklable, None, 3) as made:
        assert made()() == 3


def _sleeps(_: None, seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_aside_leaving_early_stops_the_worker() -> None:
    """An error here (a bad left file) need not wait for the worker reading the right one."""
    start = time.monotonic()
    with pytest.raises(KeyError), workers.aside(_sleeps, None, 30.0):
        raise KeyError("the left file")
    assert time.monotonic() - start < 10
    assert not multiprocessing.active_children()


def test_a_callers_frozen_objects_stay_frozen() -> None:
    gc.freeze()
    try:
        assert list(in_order(_square_and_pid, 0, range(4), lambda _: True, 1))[-1][0] == 9
        assert gc.get_freeze_count() > 0  # not unfrozen (a frozen object may have died)
    finally:
        gc.unfreeze()
    list(in_order(_square_and_pid, 0, range(4), lambda _: True, 1))
    assert gc.get_freeze_count() == 0  # its own freeze undone


def test_link_with_workers_writes_what_one_process_writes(
    benchmark_script: Callable[[str], ModuleType],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = benchmark_script("us_households").generate(seed=3, debtors=300)
    register = [{"full_name": r["name"], "address": r["address"], "phone": r["phone"],
                 "dob": r["dob"]} for r in made.right]  # fmt: skip
    for name, rows in (("left.csv", made.left), ("right.csv", register)):
        with (tmp_path / name).open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    # small enough for workers: the right file, and chunks of pairs
    monkeypatch.setattr(link_cmd, "ASIDE_FROM_BYTES", 100)
    monkeypatch.setattr(link_module, "PAIRS_PER_CHUNK", 200)
    sent: list[int] = []

    def counted(*args: Any) -> Iterator[Any]:
        function, shared, items, large, count = args
        items = list(items)
        sent.append(count * sum(map(large, items)))
        return in_order(function, shared, items, large, count)

    def counted_aside(*args: Any) -> Any:
        sent.append(1)  # the right file read in a worker
        return workers.aside(*args)

    monkeypatch.setattr(prepare_module, "aside", counted_aside)
    monkeypatch.setattr(link_module, "in_order", counted)
    monkeypatch.setattr(workers, "spare_cores", lambda: 2)  # the default: 2 workers
    outputs = []
    for k, extra in enumerate((["--workers", "0"], ["--workers", "1"], [])):
        out = tmp_path / f"out{k}.csv"
        files = [str(tmp_path / "left.csv"), str(tmp_path / "right.csv")]
        result = CliRunner().invoke(app, ["link", *files, "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2] and outputs[0].count(b"\n") > 150
    # one process, then one worker, then two: the right file read aside, the chunks for EM,
    # the chunks scored
    assert sent[:2] == [0, 0] and sent[2] == 1 and sent[3] == sent[4] > 5
    assert sent[5:] == [1, 2 * sent[3], 2 * sent[3]]


@pytest.mark.parametrize(
    ("cores", "quotas", "spare"),
    [(1, {}, 0), (2, {}, 1), (4, {}, 3), (64, {}, 3), (64, {".": "max 100000"}, 3),
     (64, {".": "150000 100000"}, 0), (64, {".": "250000 100000"}, 1),
     (2, {".": "800000 100000"}, 1), (64, {"pod": "250000 100000", "pod/app": "max 100000"}, 1),
     (64, {"pod/app": "350000 100000", "other": "100000 100000"}, 2)],
)  # fmt: skip
def test_spare_cores_by_default(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    cores: int,
    quotas: dict[str, str],
    spare: int,
) -> None:
    """A core for this process, the others for workers (at most 3), within the CPUs this
    process may run on and the CPU quota of its cgroup and those above it (not others')."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: set(range(cores)))
    root = tmp_path / "cgroup"
    for group, quota in quotas.items():
        (root / group).mkdir(parents=True, exist_ok=True)
        (root / group / "cpu.max").write_text(quota + "\n")
    membership = tmp_path / "membership"
    membership.write_text("1:name=systemd:/pod/app\n0::/pod/app\n")
    assert workers.spare_cores(root, membership) == spare


def test_workers_are_for_the_local_engine(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("first_name,last_name\nJane,Roe\n")
    result = CliRunner().invoke(app, ["link", str(path), str(path), "--engine", "spark",
                                      "--workers", "1"])  # fmt: skip
    assert result.exit_code == 2
    assert "--workers is for --engine local" in result.output


def test_workers_are_at_most_one_per_core(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--workers 50`` on two cores started 51 processes: more cannot score faster, and each
    holds its own memory."""
    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    path = tmp_path / "one.csv"
    path.write_text("first_name,last_name\nJane,Roe\n")
    result = CliRunner().invoke(app, ["link", str(path), str(path), "--workers", "3"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "skiptrace link: --workers 3: at most 2, one per core this process may run on\n"
    )
    assert CliRunner().invoke(app, ["link", str(path), str(path), "--workers", "2"]).exit_code == 0


def test_the_right_file_read_aside_says_what_it_said_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read by a worker, the right file's bad rows are named after the left file's, as when
    this process reads both; an identity number among its ids stops the run alike."""
    monkeypatch.setattr(link_cmd, "ASIDE_FROM_BYTES", 0)
    left, right, wrong = tmp_path / "left.csv", tmp_path / "right.csv", tmp_path / "wrong.csv"
    left.write_text('id,name,address\nL1,"Jane Roe,1 Elm St\nL2,Zebulon Whitcombe,2 Elm St\n'
                    "L3,Ann Lee\n")  # fmt: skip
    right.write_text('id,name,address\nR1,"Jane Roe,1 Elm St\nR2,Zebulon Whitcombe,2 Elm St\n'
                     "R3,Ann Lee,3 Elm St,x\n")  # fmt: skip
    wrong.write_text("id,name,address\nR1,Jane Roe,1 Elm St\n501-23-4567,John Smith,2 Elm St\n")
    said = []
    for count in ("0", "1"):
        result = CliRunner().invoke(app, ["link", str(left), str(right), "--workers", count])
        assert result.exit_code == 0, result.output
        said.append(result.output)
        bad = [line for line in result.output.splitlines() if "not linked" in line]
        assert [line.split(" record ")[0] for line in bad] == [
            f"skiptrace link: {left}", f"skiptrace link: {left}",
            f"skiptrace link: {right}", f"skiptrace link: {right}",
        ]  # fmt: skip
        stopped = CliRunner().invoke(app, ["link", str(left), str(wrong), "--workers", count])
        assert stopped.exit_code == 2 and "holds identity numbers" in stopped.output
    assert said[0] == said[1] and "\nL2,R2," in said[0]  # a rare name on one line: linked


SLOW = (
    "import os, time\n"
    "from skiptrace.matching import workers\n"
    "def slow(_, s):\n"
    "    os.write(1, b'%d\\n' % os.getpid())  # at work, having asked to die with its parent\n"
    "    time.sleep(s)\n"
    "    return s\n"
)
"""The start of a script whose workers say their process id once at work (``_die_with`` has
run by then; one write, so two workers' lines never interleave, as print's could), then sleep
a minute; the rest starts them."""


def _workers_of_a_killed_process(script: str, workers: int) -> list[int]:
    """Runs ``SLOW + script``, reads the ids of its ``workers`` workers as each is at work,
    kills it (SIGKILL: the out-of-memory killer's way) and gives those ids."""
    with subprocess.Popen([sys.executable, "-c", SLOW + script], stdout=subprocess.PIPE,
                          text=True) as parent:  # fmt: skip
        assert parent.stdout is not None
        pids = [int(parent.stdout.readline()) for _ in range(workers)]
        assert parent.pid not in pids  # the work is done in workers, not here
        parent.kill()
    return pids


def _gone(pids: list[int]) -> bool:
    """Whether every one of ``pids`` has ended within 5 s."""
    for _ in range(100):
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_aside_a_worker_dies_with_this_process() -> None:
    """This process killed while its worker works: the worker is killed too, not left
    working, or waiting to send, for nobody."""
    worker = _workers_of_a_killed_process(
        "with workers.aside(slow, None, 60.0) as result:\n    time.sleep(60)\n", 1
    )
    assert len(set(worker)) == 1 and _gone(worker)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_in_order_workers_die_with_this_process() -> None:
    """This process killed while its pool's workers work: they are killed too (they would
    finish their piece, then wait for the next one forever)."""
    pool = _workers_of_a_killed_process(
        "results = workers.in_order(slow, None, [60.0] * 4, lambda s: True, 2)\nnext(results)\n",
        2,
    )
    assert len(set(pool)) == 2 and _gone(pool)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False


def test_the_right_file_changed_while_read_is_an_error(tmp_path: Path) -> None:
    right = tmp_path / "right.csv"
    right.write_text("acct,name,zip\nR1,Jane Roe,1\n")
    side = link_cmd._Side(right, {"id": "acct"})
    side.again()  # the same file: read again
    right.write_text("number,name,zip\nR1,Jane Roe,1\n")  # --map id=acct no longer holds
    with pytest.raises(InputError, match="changed while it was being read"):
        side.again()


def test_a_file_rewritten_in_place_with_its_size_and_time_kept_is_changed(
    tmp_path: Path,
) -> None:
    """``cp -p`` over the file: the same inode, size and mtime, other rows. Only the inode's
    change time, which no tool can set back, tells."""
    right = tmp_path / "right.csv"
    right.write_text("acct,name,zip\nR1,Jane Roe,1\n")
    side = link_cmd._Side(right, {"id": "acct"})
    was = right.stat()
    time.sleep(0.05)  # the change time moves on by the clock's tick (1-10 ms)
    with right.open("r+") as rewritten:
        rewritten.write("acct,name,zip\nR2,John Doe,2\n")
    os.utime(right, ns=(was.st_atime_ns, was.st_mtime_ns))
    now = right.stat()
    assert (now.st_ino, now.st_size, now.st_mtime_ns) == (was.st_ino, was.st_size, was.st_mtime_ns)
    with pytest.raises(InputError, match="changed while it was being read"):
        side.again()


def test_the_right_files_bad_rows_are_named_before_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(link_cmd, "ASIDE_FROM_BYTES", 0)
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text("id,name,zip\nL1,Jane Roe,1\n")
    right.write_text('id,name,zip\nR1,"Jane Roe,1\nR2,Ann Lee,3,x\n501-23-4567,John Smith,2\n')
    for count in ("0", "1"):
        result = CliRunner().invoke(app, ["link", str(left), str(right), "--workers", count])
        assert result.exit_code == 2
        said = result.output
        assert said.index(f"{right} record 1 not linked") < said.index(f"{right} record 2 not")
        assert said.index(f"{right} record 2 not linked") < said.index("holds identity numbers")


def test_without_a_worker_the_right_file_is_read_once(tmp_path: Path) -> None:
    """No worker: the right file is read on from where its header was checked, so a file
    renamed over it meanwhile (a nightly export) changes nothing."""
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text("id,name,zip\nL1,Jane Roe,1\n")
    right.write_text("id,name,zip\nR1,Jane Roe,1\nR2,Ann Lee,2\n")
    sides = link_cmd._Side(left, {}), link_cmd._Side(right, {})
    newer = tmp_path / "newer.csv"
    newer.write_text("id,name,zip\nR9,John Smith,3\n")
    newer.replace(right)
    tables = prepare_module.prepare_both(sides[0].batches(), sides[1].read_on, sides[1].heard)
    assert tables[1]["last"].tolist() == ["roe", "lee"]
    assert [sides[1].ids[k] for k in range(len(sides[1].ids))] == ["R1", "R2"]


def test_a_worker_only_when_both_files_are_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []

    def spied(*args: Any) -> Any:
        asked.append(args)
        return workers.aside(*args)

    monkeypatch.setattr(prepare_module, "aside", spied)
    monkeypatch.setattr(link_cmd, "ASIDE_FROM_BYTES", 200)
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    small.write_text("name,zip\nJane Roe,1\n")
    large.write_text("name,zip\n" + "".join(f"Person {k},{k}\n" for k in range(40)))
    for files in ((small, large), (large, small)):
        result = CliRunner().invoke(app, ["link", *map(str, files), "--workers", "1"])
        assert result.exit_code == 0, result.output
    assert asked == []
    CliRunner().invoke(app, ["link", str(large), str(large), "--workers", "1"])
    assert len(asked) == 1  # both large: a worker reads the right one


def _sleeps(_: None, seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_aside_a_worker_stopped_on_leaving_prints_no_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C while a worker read the right file: the worker, stopped with SIGTERM, ran the
    CLI's SIGTERM handler it was forked with, which raises KeyboardInterrupt where SIGINT is
    ignored, and printed a traceback of 40 lines under the run's one-line message."""
    from skiptrace.cli import _stopped

    previous = signal.signal(signal.SIGTERM, _stopped)
    try:
        with workers.aside(_sleeps, None, 30.0):
            time.sleep(0.5)  # the worker is at its work
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert "Traceback" not in capfd.readouterr().err


IDLE = (
    "import os, signal, sys, time\n"
    "from skiptrace.cli import _stopped\n"
    "from skiptrace.matching import workers\n"
    "signal.signal(signal.SIGTERM, _stopped)  # as the CLI's main does\n"
    "def work(_, item):\n"
    "    os.write(1, b'%d\\n' % item)\n"
    "    if item:  # here, while the worker waits for its next piece\n"
    "        time.sleep(60)\n"
    "    return item\n"
    "try:\n"
    "    list(workers.in_order(work, None, [0, 1], lambda item: item == 0, 1))\n"
    "except KeyboardInterrupt:\n"
    "    sys.exit(130)\n"
)
"""A run whose pool worker has done its piece (0) and waits for the next one, while this
process works on its own (1) for a minute."""


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_the_pool_workers_of_a_stopped_run_print_no_traceback(stop: signal.Signals) -> None:
    """Ctrl-C, or a service manager's SIGTERM to the whole process group, while ``link
    --workers`` scored: a worker waiting for its next chunk raised KeyboardInterrupt (the
    CLI's handlers it was forked with) and printed a traceback of 25 lines under the run's
    one-line message."""
    # Ctrl-C as at a terminal: a suite run as a background job ignores SIGINT, and so would
    # this child and its worker (which is right for them, and tested below)
    child = subprocess.Popen([sys.executable, "-c", IDLE], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True,
                             preexec_fn=default_stops)  # fmt: skip
    try:
        assert child.stdout is not None
        assert sorted(child.stdout.readline() for _ in range(2)) == ["0\n", "1\n"]
        time.sleep(0.5)  # the worker back to waiting for a piece
        os.killpg(child.pid, stop)
        _, stderr = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert child.returncode == 130 and "Traceback" not in stderr, stderr


def test_pool_workers_ignore_ctrl_c_where_this_process_does() -> None:
    """A shell script's background job ignores Ctrl-C: its workers do too, and go on with
    their pieces (killed by it, each piece was done again here)."""
    script = (
        "import os, signal, time\n"
        "from skiptrace.matching import workers\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "def work(_, item):\n"
        "    os.write(1, b'at work\\n')\n"
        "    time.sleep(1)\n"
        "    return os.getpid()\n"
        "[made_by] = workers.in_order(work, None, [0], lambda _: True, 1)\n"
        "print(made_by != os.getpid())\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                             start_new_session=True)  # fmt: skip
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "at work\n"
        os.killpg(child.pid, signal.SIGINT)
        out, _ = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert (child.returncode, out) == (0, "True\n")
