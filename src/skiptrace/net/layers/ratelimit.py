"""Per-host politeness: requests spaced by the policy's rate, a cap on requests in flight, and
intervals that only ever grow within a run (a 429, a 5xx or a Crawl-delay slows a host down;
nothing speeds it up again). A host's pace is its registrable domain's, shared by all its names
(``www.acme.example``, ``api.acme.example``): one operator's servers, which a connector naming
them many ways would otherwise ask as many times as fast.

A request may wait long for its host's turn (behind another's retries), and its source may be
found rate-limited or blocked for the run meanwhile: the caller says, with ``still_asked``,
what would stop it, and it is checked again when its turn comes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import httpx

from skiptrace.net.categories import registrable_domain
from skiptrace.net.urls import canonical_host

MAX_INTERVAL = 120.0
"""Seconds: the slowest pace a host is ever set to."""

Stop = Callable[[str], Exception | None]
"""What would stop a request to a URL now (its source rate-limited for the run), or None."""
_STOP: ContextVar[Stop | None] = ContextVar("skiptrace_stop", default=None)


@contextmanager
def still_asked(stop: Stop) -> Iterator[None]:
    """Within this block, a request is sent when its host's turn comes only if ``stop`` of its
    URL is None; else ``stop``'s error is raised in its place, and nothing is sent."""
    token = _STOP.set(stop)
    try:
        yield
    finally:
        _STOP.reset(token)


@dataclass
class _Host:
    interval: float
    gate: asyncio.Semaphore
    next_at: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    names: set[str] = field(default_factory=set)
    """The host names seen keeping this pace."""


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
        """The pace ``host`` keeps: its registrable domain's (an IP address, a public suffix
        or a one-label name its own), at the slowest rate any name of it seen was given."""
        key = registrable_domain(host) or host
        state = self._hosts.get(key)
        if state is None:
            state = _Host(interval=0.0, gate=asyncio.Semaphore(self._concurrency))
            self._hosts[key] = state
        if host not in state.names:
            state.names.add(host)
            state.interval = max(state.interval, 1.0 / self._rate_for(host))
        return state

    @asynccontextmanager
    async def slot(
        self, host: str, stop: Callable[[], Exception | None] = lambda: None
    ) -> AsyncIterator[None]:
        """Wait for ``host``'s turn, and hold one of its in-flight places meanwhile. ``stop``'s
        error, if it has one when a place is free or when the turn comes, is raised instead
        (no turn is taken: one waited for goes back, unless a later one was taken after it, so
        another source's request to the host is not kept waiting for a request never sent)."""
        state = self._host(host)
        async with state.gate:
            _raise(stop())
            async with state.lock:
                now = self._clock()
                start = max(now, state.next_at)
                state.next_at = taken = start + state.interval
            if start > now:
                await self._sleep(start - now)
                error = stop()
                if error is not None:
                    if state.next_at == taken:
                        state.next_at = start
                    raise error
            yield

    def slow_down(self, host: str, interval: float) -> None:
        """Space ``host``'s requests at least ``interval`` seconds apart from now on."""
        state = self._host(host)
        state.interval = min(max(state.interval, interval), MAX_INTERVAL)

    def back_off(self, host: str) -> None:
        """After an error from ``host``: double its interval (never undone in this run)."""
        state = self._host(host)
        self.slow_down(host, state.interval * 2)


def _raise(error: Exception | None) -> None:
    if error is not None:
        raise error


class RateLimitTransport(httpx.AsyncBaseTransport):
    """Every request waits for its host's slot."""

    def __init__(self, inner: httpx.AsyncBaseTransport, limiter: HostLimiter) -> None:
        self._inner = inner
        self._limiter = limiter

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        stop = _STOP.get()
        url = str(request.url)
        stopped = (lambda: stop(url)) if stop is not None else (lambda: None)
        async with self._limiter.slot(canonical_host(request.url.host), stopped):  # per host
            return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
