"""A run's sandboxes fork their workers from one starter: it never runs connector code nor sees
a debtor, and one for each connector had cost a run some 0.3 s of CPU and 45 MB a connector
(twenty manifests reading pages: 22 s before the first row)."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import subprocess
import sys
import textwrap
import weakref
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors import _sandbox, _zygote
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import PageManifest, load_manifest
from skiptrace.connectors._zygote import Zygote
from skiptrace.policy import Policy, merge
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.directory import listing_manifest
from skiptrace.testing.replay import ReplayServer, Reply

pytestmark = pytest.mark.skipif(bool(unavailable()), reason=f"no sandbox here: {unavailable()}")

PAGE = b"<ul><li class=member><span class=firm>Acme Plumbing</span></li></ul>"


def test_the_runs_sandboxes_share_one_starter_ended_with_the_run(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Zygote] = []
    real = Zygote.start.__func__  # type: ignore[attr-defined]

    async def counted(cls: type[Zygote]) -> Zygote:
        started.append(await real(cls))
        return started[-1]

    monkeypatch.setattr(_sandbox, "Zygote", Zygote)  # the run's own, not the tests' lent ones
    monkeypatch.setattr(Zygote, "start", classmethod(counted))
    connectors = []
    for name in ("one", "two", "three"):
        (tmp_path / f"{name}.toml").write_text(listing_manifest(name), encoding="utf-8")
        connectors.append(load_manifest(tmp_path / f"{name}.toml"))
    assert all(isinstance(c, PageManifest) and c.confined for c in connectors)
    with ReplayServer({"/search": Reply(200, PAGE), "/robots.txt": Reply(404)}) as site:

        async def research() -> list[str]:
            rewrite = {"https://listed.example": site.base_url}
            async with Run(site.allow(fast_policy), audit, connectors, purpose="tests",
                           rewrite=rewrite) as run:  # fmt: skip
                found = await asyncio.gather(*(run.search(c, Query.of("A-1", last_name="Roe"))
                                               for c in connectors))  # fmt: skip
            return [str(result.status) for result in found]

        assert asyncio.run(research()) == ["hit"] * 3
    assert len(started) == 1
    assert started[0]._process.returncode is not None  # ended with the run


def _manifests(folder: Path, names: Sequence[str]) -> list[Connector]:
    """Manifests reading pages, each searching in a worker of its own."""
    for name in names:
        (folder / f"{name}.toml").write_text(listing_manifest(name), encoding="utf-8")
    return [load_manifest(folder / f"{name}.toml") for name in names]


def _starter() -> Zygote:
    """The running loop's shared starter."""
    zygote = _sandbox._SHARED[asyncio.get_running_loop()].zygote
    assert zygote is not None
    return zygote


async def _killed(zygote: Zygote) -> None:
    """``zygote`` killed as the kernel kills it (out of memory), and ended."""
    os.kill(zygote._process.pid, signal.SIGKILL)
    await zygote._process.wait()


def _researched(
    policy: Policy, audit: AuditLog, connectors: Sequence[Connector],
    script: Callable[[Run], Awaitable[list[str]]],
) -> list[str]:  # fmt: skip
    """What ``script`` says of its searches, in one run on a replayed directory."""
    with ReplayServer({"/search": Reply(200, PAGE), "/robots.txt": Reply(404)}) as site:

        async def research() -> list[str]:
            rewrite = {"https://listed.example": site.base_url}
            async with Run(site.allow(policy), audit, connectors, purpose="tests",
                           rewrite=rewrite) as run:  # fmt: skip
                return await script(run)

        return asyncio.run(asyncio.wait_for(research(), 60))


async def _statuses(run: Run, connectors: Sequence[Connector]) -> list[str]:
    found = await asyncio.gather(*(run.search(c, Query.of("A-1", last_name="Roe"))
                                   for c in connectors))  # fmt: skip
    return [str(result.status) for result in found]


def test_a_deadline_met_as_a_killed_starter_is_started_again_leaves_it_to_the_next_search(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search starting it was out of time (a busy machine, the kind whose starter the
    kernel kills): every later search of the run had failed, "the worker starter is gone",
    as no sandbox would start one again."""
    slow: list[int] = []
    held: list[int] = []  # starts kept waiting past the deadline
    real = Zygote.start.__func__  # type: ignore[attr-defined]

    async def start(cls: type[Zygote]) -> Zygote:
        if slow:
            held.append(1)
            await asyncio.sleep(30)
        return await real(cls)

    monkeypatch.setattr(_sandbox, "Zygote", Zygote)  # the run's own, not the tests' lent ones
    monkeypatch.setattr(Zygote, "start", classmethod(start))
    connectors = _manifests(tmp_path, ("one", "two"))

    async def script(run: Run) -> list[str]:
        # started before any search's deadline: a loaded machine's start alone had taken
        # past 1 s in a CI run (the first searches out of time, and no starter)
        await _sandbox._shared().running()
        said = await _statuses(run, connectors)
        await _killed(_starter())
        slow.append(1)
        run.policy = hurried  # its start is held: only the deadline's length is waited out
        said += await _statuses(run, connectors[:1])
        slow.clear()
        run.policy = patient
        return said + await _statuses(run, connectors)

    # 15 s: the last searches start a starter within it, on a machine under a load of 11 too
    # (2 s was not enough there); nothing waits it out
    patient = merge(fast_policy, {"limits": {"source_seconds": 15}}, "tests")
    # 0.3 s: the search out of time reaches the held start within it (it kills no worker,
    # it only finds the starter gone), on a loaded machine too; its deadline is met there
    hurried = merge(patient, {"limits": {"source_seconds": 0.3}}, "tests")
    said = _researched(patient, audit, connectors, script)
    assert said == ["hit", "hit", "timeout", "hit", "hit"], said
    assert held == [1]  # the deadline was met as the killed starter was started again


def test_a_sandbox_that_missed_a_restart_forks_from_the_new_starter_and_restarts_it_if_killed(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sandbox kept the starter it first forked from: after one killed and started again
    by another connector, its one retry went to reach the new starter, and a search of it
    failed when that one was killed in turn."""
    monkeypatch.setattr(_sandbox, "Zygote", Zygote)
    connectors = _manifests(tmp_path, ("one", "two"))

    async def script(run: Run) -> list[str]:
        said = await _statuses(run, connectors)
        await _killed(_starter())
        said += await _statuses(run, connectors[:1])
        await _killed(_starter())
        return said + await _statuses(run, connectors[1:])

    said = _researched(fast_policy, audit, connectors, script)
    assert said == ["hit"] * 4, said


def test_a_runs_loop_is_not_kept_once_the_run_has_closed(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table of shared starters held every loop two sandboxes had started in together (its
    lock, waited on, names the loop it is the key of): some 6 KB kept a call of
    ``skiptrace.lookup``, for the life of the process."""
    monkeypatch.setattr(_sandbox, "Zygote", Zygote)  # one start to wait for, as in a run
    connectors = _manifests(tmp_path, ("one", "two"))
    loops: list[weakref.ref[asyncio.AbstractEventLoop]] = []

    async def script(run: Run) -> list[str]:
        loops.append(weakref.ref(asyncio.get_running_loop()))
        return await _statuses(run, connectors)

    assert _researched(fast_policy, audit, connectors, script) == ["hit", "hit"]
    gc.collect()
    assert loops[0]() is None


def test_a_starter_killed_as_it_starts_is_started_again_by_the_next_search(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A starter the kernel killed while it started (out of memory, as a killed one was
    started again) was taken for one that cannot start: every later search of every Python
    connector of the run failed, "did not start: no word", and each row was incomplete."""
    boot, starts = _zygote._BOOT, []
    real = Zygote.start.__func__  # type: ignore[attr-defined]

    async def start(cls: type[Zygote]) -> Zygote:
        starts.append(1)
        killed = "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
        monkeypatch.setattr(_zygote, "_BOOT", killed if len(starts) == 1 else boot)
        return await real(cls)

    monkeypatch.setattr(_sandbox, "Zygote", Zygote)
    monkeypatch.setattr(Zygote, "start", classmethod(start))
    connectors = _manifests(tmp_path, ("one", "two"))

    async def script(run: Run) -> list[str]:
        return await _statuses(run, connectors[:1]) + await _statuses(run, connectors)

    said = _researched(fast_policy, audit, connectors, script)
    assert said == ["error", "hit", "hit"], said
    assert len(starts) == 2


def test_a_worker_reads_its_first_name_and_address_label_with_nothing_left_to_build() -> None:
    """What a worker inherits from its starter is what it need not do again: nameparser built
    its vocabulary as it read a process's first name (some 5 ms of each search), importing
    modules as it did, and the address labels' patterns were compiled as the first label was
    read (some 1.5 ms). A fresh interpreter, as a starter is, preloads; then a name and a
    label are read, and neither imports a module nor compiles a pattern."""
    script = textwrap.dedent("""
        import re, sys
        from skiptrace.connectors._zygote import _preload
        from skiptrace.normalize.names import parse_name
        from skiptrace.pages.address_labels import kind_of_label

        _preload()
        modules, patterns = set(sys.modules), set(re._cache)
        assert parse_name("Dana Q. Whitfield").last == "whitfield"
        assert kind_of_label("Our old mailing address") == "former"
        print(sorted(set(sys.modules) - modules), sorted(set(re._cache) - patterns))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=120)  # fmt: skip
    assert done.stdout.split() == ["[]", "[]"], done.stdout + done.stderr
