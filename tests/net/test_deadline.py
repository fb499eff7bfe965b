"""limits.request_seconds bounds the whole of a request: every retry and the waits between
them included, not each attempt on its own."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from skiptrace.audit import AuditLog
from skiptrace.errors import HostSlowed, SourceError, SourceTimeout
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.layers.deadline import DeadlineTransport, watching
from skiptrace.net.layers.ratelimit import HostLimiter, RateLimitTransport
from skiptrace.net.layers.retry import RetryTransport
from skiptrace.net.reasons import reason_of
from skiptrace.net.session import ConnectorSession, SourceHealth
from skiptrace.net.stack import open_client
from skiptrace.policy import Policy, merge
from skiptrace.records import Query
from skiptrace.testing.replay import ReplayServer, Reply

REQUEST_SECONDS = 0.5
"""Shorter than the first wait between retries (1-2 s), longer than a first attempt on
loopback however loaded the machine."""


def test_retries_stop_at_the_request_deadline(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    routes = {"/robots.txt": Reply(404, b""), "/busy": Reply(503, b"try later", {})}
    with ReplayServer(routes) as site:
        policy = merge(
            site.allow(fast_policy), {"limits": {"request_seconds": REQUEST_SECONDS}}, "test"
        )

        async def fetch() -> float:
            cache = HttpCache(tmp_path / "cache.sqlite3", 0, 1)
            started = time.monotonic()
            async with open_client(policy, audit, purpose="tests", cache=cache) as client:
                session = ConnectorSession(client, "busy", Query.of("A-1"), SourceHealth())
                # the wait the 503 asks for would outlast the deadline: not waited for, the
                # server's own answer stands (it had been waited into, and called a timeout)
                with pytest.raises(SourceError, match=r"answered HTTP 503") as said:
                    await session.get(site.url("/busy"))
                assert not isinstance(said.value, SourceTimeout)
            return time.monotonic() - started

        took = asyncio.run(fetch())
    # retry waits 1-2 s then 2-4 s between three attempts: past the deadline, so the first
    # answer ends it (a time bound would also count a loaded machine's start-up)
    print(f"retries ended after {took:.2f} s (deadline {REQUEST_SECONDS:g} s)")
    busy = [r for r in site.received if r.path == "/busy"]
    assert 1 <= len(busy) < 3


def test_a_retry_whose_turn_would_outlast_the_deadline_is_not_waited_for() -> None:
    """A retry waits for its host's turn, which may be later than the wait the server asked
    for (the interval its earlier retry slowed the host to): past the deadline, the 429 is
    the answer (the source rate-limited), not a timeout that leaves it asked all run."""
    sent: list[float] = []

    def busy(request: httpx.Request) -> httpx.Response:
        sent.append(time.monotonic())
        return httpx.Response(429, headers={"retry-after": "1"})

    limiter = HostLimiter(lambda host: 100.0, 2)
    retrying = RetryTransport(httpx.MockTransport(busy), limiter, base_wait=0.001)
    transport = DeadlineTransport(retrying, 2.5)

    async def fetch() -> httpx.Response:
        return await transport.handle_async_request(httpx.Request("GET", "https://a.example/"))

    # 1 s after the first 429 the second; its retry's turn is 2 s on (the host slowed to
    # 1 s, doubled), past the deadline's 1.5 s left: not taken
    assert asyncio.run(fetch()).status_code == 429
    assert len(sent) == 2


@pytest.mark.parametrize(("source_seconds", "sent"), [(0.3, False), (2.0, True)])
def test_a_first_try_whose_turn_would_outlast_the_deadline_is_rate_limited_at_once(
    source_seconds: float, sent: bool
) -> None:
    """A review: a first try waited for its host's turn with no deadline of its own, into its
    source's, which ended it as a timeout (a host held off for two minutes by another
    process's Retry-After). A turn that leaves its source too little time to ask
    (``ratelimit.TURN_MARGIN``) is not waited for: the request fails at once, unsent and
    rate-limited, and its turn is not taken; one its source has time for is waited for."""
    asked: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(time.monotonic())
        return httpx.Response(200)

    limiter = HostLimiter(lambda host: 100.0, 2)
    transport = RateLimitTransport(httpx.MockTransport(answer), limiter, 1.0)

    async def fetch() -> tuple[str, float]:
        await transport.handle_async_request(httpx.Request("GET", "https://a.example/"))
        await limiter.slow_down("a.example", 0.5)  # a Retry-After, or a Crawl-delay
        started = time.monotonic()
        async with asyncio.timeout(source_seconds) as source:
            with watching(source):
                try:
                    await transport.handle_async_request(httpx.Request("GET", "https://a.example/"))
                except HostSlowed as error:
                    return reason_of(error), time.monotonic() - started
        return "sent", time.monotonic() - started

    said, took = asyncio.run(fetch())
    if sent:
        assert (said, len(asked)) == ("sent", 2) and took >= 0.45, took
    else:
        assert (said, len(asked)) == ("rate_limited", 1) and took < 0.1, took


def test_outside_a_search_a_turn_is_waited_for() -> None:
    """No source's deadline, no bound: a slowed host's turn is waited for."""
    limiter = HostLimiter(lambda host: 100.0, 2)
    transport = RateLimitTransport(httpx.MockTransport(lambda r: httpx.Response(200)), limiter, 0.1)

    async def fetch() -> float:
        await transport.handle_async_request(httpx.Request("GET", "https://a.example/"))
        await limiter.slow_down("a.example", 0.3)
        started = time.monotonic()
        await transport.handle_async_request(httpx.Request("GET", "https://a.example/"))
        return time.monotonic() - started

    assert asyncio.run(fetch()) >= 0.25


@pytest.mark.parametrize("queued", ["after", "with"])
def test_a_request_queued_behind_a_turn_past_its_bound_is_rate_limited(queued: str) -> None:
    """A review: one place in flight, held by a request waiting for its host's turn (a
    Crawl-delay, waited for while it leaves its source a quarter of request_seconds) and then
    answered slowly. Other sources' requests queued for that place until their own deadlines
    and said "timeout", never sent, though the host's next free turn was already further away
    than they may wait when they began (a scaled enrich at Crawl-delay 90 s, answers in 35 s:
    3 rows of 6 so, none before the margin). Queued after the holder took its turn, they are
    rate-limited at once; queued with it (its turn not yet taken), once no place has come
    while they may wait: unsent, never "timeout"."""

    async def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/slow":
            await asyncio.sleep(0.6)  # within its request_seconds and its source's time
        return httpx.Response(200)

    limiter = HostLimiter(lambda host: 100.0, 1)
    transport = RateLimitTransport(httpx.MockTransport(answer), limiter, 1.0)

    async def search(path: str, seconds: float) -> tuple[str, float]:
        started = time.monotonic()
        try:
            async with asyncio.timeout(seconds) as source:
                with watching(source):
                    url = f"https://a.example/{path}"
                    await transport.handle_async_request(httpx.Request("GET", url))
        except HostSlowed as error:
            return reason_of(error), time.monotonic() - started
        except TimeoutError:
            return "timeout", time.monotonic() - started
        return "sent", time.monotonic() - started

    async def fetch() -> list[tuple[str, float]]:
        await transport.handle_async_request(httpx.Request("GET", "https://a.example/"))
        await limiter.slow_down("a.example", 0.5)  # a Crawl-delay: the next turn 0.5 s on
        slow = asyncio.ensure_future(search("slow", 2.0))  # waits 0.5 s, answered at 1.1 s
        await asyncio.sleep(0.05 if queued == "after" else 0.0)
        others = await asyncio.gather(search("b", 1.0), search("c", 1.0))  # next turn: 1.0 s
        return [await slow, *others]

    said = asyncio.run(fetch())
    assert said[0][0] == "sent", said
    assert [s for s, _ in said[1:]] == ["rate_limited"] * 2, said
    assert all(took < (0.1 if queued == "after" else 0.95) for _, took in said[1:]), said
