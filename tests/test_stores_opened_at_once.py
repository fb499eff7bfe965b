"""Two runs started at once on a fresh home (a shell's ``&``, two collectors on one machine)
each open its stores together: the first to make a file WAL holds it a moment, and SQLite
answers the other's ``PRAGMA journal_mode=WAL`` "database is locked" at once, without waiting
as it waits for a writer. One run in ten of four started together ended so, before it looked
anything up."""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.index.store import Store
from skiptrace.net.layers.cache import HttpCache
from skiptrace.tables.checkpoints import Checkpoints

PROCESSES = 6
ROUNDS = 6
"""Six processes, six fresh files: without the wait about one opening in ten of the 36
failed: in five runs, 18 of the 20 tests below."""


def _audit(path: Path) -> None:
    AuditLog(path).close()


STORES: dict[str, Callable[[Path], object]] = {
    "http cache": lambda path: HttpCache(path, 60, 30),
    "checkpoints": lambda path: Checkpoints(path, "run", 30),
    "audit log": _audit,
    "offline index": Store,
}


def _open(store: Callable[[Path], object], path: Path, together: Barrier) -> None:
    """A child's whole life: wait for the others, open ``path``, exit 0 if it opened."""
    try:
        together.wait(10)
        store(path)
    except BaseException:
        traceback.print_exc()
        os._exit(1)
    os._exit(0)


@pytest.mark.parametrize("name", STORES)
def test_processes_opening_a_new_store_together_all_open_it(tmp_path: Path, name: str) -> None:
    fork = multiprocessing.get_context("fork")
    failed = []
    for round_ in range(ROUNDS):
        path = tmp_path / str(round_) / "store.sqlite3"
        path.parent.mkdir()
        together = fork.Barrier(PROCESSES)
        children = [
            fork.Process(target=_open, args=(STORES[name], path, together))
            for _ in range(PROCESSES)
        ]
        for child in children:
            child.start()
        for child in children:
            child.join(30)
        failed += [child.exitcode for child in children if child.exitcode != 0]
    assert failed == [], f"{len(failed)} of {PROCESSES * ROUNDS} openings failed"
