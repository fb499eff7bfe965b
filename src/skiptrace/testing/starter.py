"""Sandbox worker starters kept across tests' runs.

A run starts its sandboxes' starter (``connectors._zygote``) with the first search that needs
it and ends it as the run closes: Python's start and the starter's imports, most of the time a
test of one search takes. ``SharedStarters`` starts a few once and lends one to each run in
turn, in place of ``Zygote.start``. Every search still has a worker of its own, forked from a
starter that never runs connector code nor sees a debtor, and confined before it loads its
connector, as in any run: only the starter outlives the run, as it outlives each debtor of a
long one.

Tests of the starter's own life (killed, unable to start, ended with the run) start their own.
"""

from __future__ import annotations

import asyncio

from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._zygote import Worker, Zygote
from skiptrace.errors import ConnectorError


class SharedStarters:
    """``count`` starters, each lent to one run at a time (``start``); a run asking when
    none is free gets a starter of its own, as in a run. None where this machine has no
    sandbox: no connector runs in one there."""

    def __init__(self, count: int = 1) -> None:
        # their processes and stderr readers need a loop that outlives each test's own
        # (asyncio.run's, closed with it): this one, idle between tests
        self._runner = asyncio.Runner(loop_factory=asyncio.new_event_loop)
        self._all = [] if unavailable() else self._runner.run(_started(count))
        self._free = list(self._all)

    async def start(self) -> Zygote | LentStarter:
        """A free starter, lent until the run's sandboxes let it go. Spawns wait on the
        lent starter's lock, never on the starter's own, so that one is never bound to a
        test's loop (an asyncio lock binds to the loop of its first wait)."""
        if not self._free:
            return await Zygote.start()
        return LentStarter(self._free, self._free.pop())

    def close(self) -> None:
        """End every starter (and any worker one still runs)."""
        self._runner.run(_closed(self._all))
        self._runner.close()


class LentStarter:
    """A shared starter as the sandbox it is lent to sees it: closed, it ends the workers it
    forked for that sandbox, and any it was asked for but never answered (a spawn cancelled as
    it forked), and is given back, unless it failed (the sandbox then starts one of its own, as
    after a starter was killed)."""

    def __init__(self, free: list[Zygote], zygote: Zygote) -> None:
        self._free, self._zygote = free, zygote
        self._workers: list[Worker] = []
        self._failed = False
        self._one_at_a_time = asyncio.Lock()
        """The run's sandboxes may spawn at once: waited on here, in the test's loop, never
        on the starter's own lock, which would bind to that loop and fail in the next test's."""

    async def spawn(self, argv: list[str]) -> Worker:
        async with self._one_at_a_time:
            try:
                worker = await self._zygote.spawn(argv)
            except ConnectorError:
                self._failed = True
                raise
        self._workers.append(worker)
        return worker

    async def aclose(self) -> None:
        for worker in self._workers:
            await worker.end()
        if self._failed:
            return
        try:  # a worker asked for and never answered (its spawn cancelled): ended too
            await self._zygote._settle()
        except ConnectorError:
            return
        self._free.append(self._zygote)


async def _started(count: int) -> list[Zygote]:
    return list(await asyncio.gather(*(Zygote.start() for _ in range(count))))


async def _closed(zygotes: list[Zygote]) -> None:
    await asyncio.gather(*(zygote.aclose() for zygote in zygotes))
