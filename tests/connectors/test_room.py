"""The room (``_sandbox._Room``) third parties' workers are alive in: one debtor's values at a
time, each search let in in its turn, and none kept out by a search cancelled as it waited or
as it was let in (a search's deadline)."""

from __future__ import annotations

import asyncio
import random

import pytest

from skiptrace.connectors._sandbox import _Room


@pytest.mark.parametrize("seed", range(20))
def test_searches_cancelled_anywhere_leave_the_room_to_the_others(seed: int) -> None:
    chosen = random.Random(seed)
    inside: list[str] = []
    done: list[str] = []

    async def search(room: _Room, values: str) -> None:
        async with room.holding(values):
            assert set(inside) <= {values}, (inside, values)
            inside.append(values)
            try:
                await asyncio.sleep(chosen.random() / 200)
            finally:
                inside.remove(values)
        done.append(values)

    async def run() -> None:
        room = _Room()
        tasks = []
        for _ in range(100):
            tasks.append(asyncio.ensure_future(search(room, chosen.choice("abc"))))
            if chosen.random() < 0.3:
                await asyncio.sleep(chosen.random() / 500)
            if chosen.random() < 0.2:
                chosen.choice(tasks).cancel()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 20)
        cancelled = sum(task.cancelled() for task in tasks)
        assert len(done) + cancelled == len(tasks)
        async with room.holding("d"):  # nothing left inside, nor waiting
            pass

    asyncio.run(run())
