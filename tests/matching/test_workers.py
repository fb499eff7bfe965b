"""``workers.in_order``: results in the items' order whichever process made them, a worker
that dies costs nothing but time, an error in the work is raised as it would be here, and a
platform without fork does the work here."""

from __future__ import annotations

import csv
import gc
import importlib
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.matching import workers
from skiptrace.matching.workers import in_order

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
    made = benchmark_script("us_households").generate(seed=3, debtors=600)
    register = [{"full_name": r["name"], "address": r["address"], "phone": r["phone"],
                 "dob": r["dob"]} for r in made.right]  # fmt: skip
    for name, rows in (("left.csv", made.left), ("right.csv", register)):
        with (tmp_path / name).open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    # small enough pieces for workers: each side's batch, and chunks of pairs
    monkeypatch.setattr(prepare_module, "IN_WORKER_FROM", 100)
    monkeypatch.setattr(link_module, "PAIRS_PER_CHUNK", 500)
    sent: list[int] = []

    def counted(*args: Any) -> Iterator[Any]:
        function, shared, items, large, count = args
        items = list(items)
        sent.append(count * sum(map(large, items)))
        return in_order(function, shared, items, large, count)

    monkeypatch.setattr(prepare_module, "in_order", counted)
    monkeypatch.setattr(link_module, "in_order", counted)
    monkeypatch.setattr(link_cmd, "spare_cores", lambda: 2)  # the default: 2 workers
    outputs = []
    for k, extra in enumerate((["--workers", "0"], ["--workers", "1"], [])):
        out = tmp_path / f"out{k}.csv"
        files = [str(tmp_path / "left.csv"), str(tmp_path / "right.csv")]
        result = CliRunner().invoke(app, ["link", *files, "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2] and outputs[0].count(b"\n") > 300
    # one process, then one worker, then two: both sides' batches, the chunks for EM, the
    # chunks scored
    assert sent[:3] == [0, 0, 0] and sent[3] == 2 and sent[4] == sent[5] > 5
    assert sent[6:] == [4, 2 * sent[4], 2 * sent[4]]


@pytest.mark.parametrize(("cores", "spare"), [(1, 0), (2, 1), (4, 3), (64, 3)])
def test_spare_cores_by_default(monkeypatch: pytest.MonkeyPatch, cores: int, spare: int) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: set(range(cores)))
    assert workers.spare_cores() == spare


def test_workers_are_for_the_local_engine(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("first_name,last_name\nJane,Roe\n")
    result = CliRunner().invoke(app, ["link", str(path), str(path), "--engine", "spark",
                                      "--workers", "1"])  # fmt: skip
    assert result.exit_code == 2
    assert "--workers is for --engine local" in result.output
