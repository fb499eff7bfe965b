"""Time for tests of waits: a clock that moves only when something sleeps, so a test of a
backoff, a Retry-After or a Crawl-delay checks the waits without waiting them."""

from __future__ import annotations

import asyncio

from skiptrace.net.stack import Pace


class VirtualTime:
    """Sleeps are recorded in ``sleeps`` and move ``now`` on; nothing is waited."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)

    def pace(self) -> Pace:
        """The session stack's time, this clock."""
        return Pace(clock=self.clock, sleep=self.sleep)
