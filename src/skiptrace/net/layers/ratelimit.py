"""Per-host politeness: requests spaced by the policy's rate, a cap on requests in flight, and
intervals that only ever grow within a run (a 429, a 5xx or a Crawl-delay slows a host down;
nothing speeds it up again).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx

from skiptrace.net.urls import canonical_host

MAX_INTERVAL = 120.0
"""Seconds: the slowest pace a host is ever set to."""


@dataclass
class _Host:
    interval: float
    gate: asyncio.Semaphore
    next_at: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class HostLimiter:
    """Hands out request slots per host. ``rate_for(host)`` gives requests per second."""

    def __init__(
        self,
        rate_for: Callable[[str], float],
        concurrency: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._rate_for = rate_for
        self._concurrency = concurrency
        self._clock = clock
        self._sleep = sleep
        self._hosts: dict[str, _Host] = {}

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            interval = 1.0 / self._rate_for(host)
            state = _Host(interval=interval, gate=asyncio.Semaphore(self._concurrency))
            self._hosts[host] = state
        return state

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Wait for ``host``'s turn, and hold one of its in-flight places meanwhile."""
        state = self._host(host)
        async with state.gate:
            async with state.lock:
                now = self._clock()
                start = max(now, state.next_at)
                state.next_at = start + state.interval
            if start > now:
                await self._sleep(start - now)
            yield

    def slow_down(self, host: str, interval: float) -> None:
        """Space ``host``'s requests at least ``interval`` seconds apart from now on."""
        state = self._host(host)
        state.interval = min(max(state.interval, interval), MAX_INTERVAL)

    def back_off(self, host: str) -> None:
        """After an error from ``host``: double its interval (never undone in this run)."""
        state = self._host(host)
        self.slow_down(host, state.interval * 2)


class RateLimitTransport(httpx.AsyncBaseTransport):
    """Every request waits for its host's slot."""

    def __init__(self, inner: httpx.AsyncBaseTransport, limiter: HostLimiter) -> None:
        self._inner = inner
        self._limiter = limiter

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        async with self._limiter.slot(canonical_host(request.url.host)):  # one bucket per host
            return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
