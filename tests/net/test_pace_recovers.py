"""A host slowed down by a 429, a 503 or a timeout is asked faster again as it answers again.

A Retry-After of 30 s, answered by the retry after it, had left the host's requests 60 s apart
for the rest of the run (its interval doubled and never undone): a batch at a host asked at
1/s went on at one request a minute, and its later rows, their turns further off than their
sources' time, were rate-limited. Each answer of a server not in trouble now halves the
slow-down, as each error doubled it, never below the host's floor: its policy's rate and its
Crawl-delay, which are for good.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import httpx
import pytest

from skiptrace.audit import AuditLog
from skiptrace.net.layers.ratelimit import HostLimiter, RateLimitTransport
from skiptrace.net.layers.retry import RetryTransport
from skiptrace.net.session import ConnectorSession
from skiptrace.policy import Policy
from skiptrace.testing.clock import VirtualTime
from skiptrace.testing.replay import ReplayServer, Reply
from tests.net.test_long_retry_after import _Timeline
from tests.net.test_stack import _fetch


def _gaps(times: list[float]) -> list[float]:
    return [round(b - a, 6) for a, b in itertools.pairwise(times)]


def _sent_one_by_one(rate: float, answers: list[int], crawl_delay: float = 0.0) -> list[float]:
    """Requests sent one after another through the retry and pace layers, at a host asked at
    ``rate``; the server answers in turn each of ``answers`` (a 503 with Retry-After 30),
    then 200. When each was sent (virtual time)."""
    time = VirtualTime()
    limiter = HostLimiter(lambda host: rate, 1, clock=time.clock, sleep=time.sleep)
    statuses = iter(answers)
    sent: list[float] = []

    def server(request: httpx.Request) -> httpx.Response:
        sent.append(time.now)
        return httpx.Response(next(statuses, 200), headers={"retry-after": "30"})

    stack = RateLimitTransport(RetryTransport(httpx.MockTransport(server), limiter), limiter)

    async def run() -> None:
        for n in range(14):
            if crawl_delay:  # as the robots layer says it, before each request
                await limiter.slow_down("a.example", crawl_delay, lasting=True)
            await stack.handle_async_request(httpx.Request("GET", f"https://a.example/{n}"))

    asyncio.run(run())
    return sent


def test_a_host_that_answers_again_is_asked_at_its_rate_again() -> None:
    """One 503 (Retry-After 30), then answers: the retry waits the 30 s; the host's next
    request 60 s after it (its turn given before the retry's answer), then each gap half the
    last, back to its 1/s (before: 60 s apart for good). The README's figures."""
    gaps = _gaps(_sent_one_by_one(1.0, [503]))
    assert gaps[0] == 30.0  # the retry, after the wait asked for
    assert gaps[1:7] == [60.0, 30.0, 15.0, 7.5, 3.75, 1.875], gaps
    assert gaps[7:] == [1.0] * len(gaps[7:]), gaps


@pytest.mark.parametrize(
    ("rate", "crawl_delay", "floor"),
    [(10 / 3600, 0.0, 360.0), (1.0, 5.0, 5.0), (1.0, 500.0, 120.0)],
    ids=["policy rate 10/h", "Crawl-delay 5 s", "Crawl-delay 500 s (at most 120 s)"],
)
def test_answers_never_speed_a_host_past_its_rate_or_crawl_delay(
    rate: float, crawl_delay: float, floor: float
) -> None:
    gaps = _gaps(_sent_one_by_one(rate, [503, 200, 503], crawl_delay))
    assert min(gaps) >= floor, gaps
    assert gaps[-3:] == [floor] * 3, gaps  # and back to it


def test_an_answer_to_a_request_sent_before_the_slow_down_does_not_undo_it() -> None:
    """Two in flight at 1/s: the first answered 503 (Retry-After 10) while the second, sent
    before it, is still out; the second's 200 says nothing of the server since. The next
    request goes 10 s after the second, the one after it twice that later (the doubling),
    and only the answer to that one halves it."""
    time = _Timeline()
    limiter = HostLimiter(lambda host: 1.0, 2, clock=time.clock, sleep=time.sleep)
    sent: list[float] = []

    async def server(request: httpx.Request) -> httpx.Response:
        sent.append(time.now)
        first = len(sent) == 1
        await time.sleep(2.0)
        return httpx.Response(503 if first else 200, headers={"retry-after": "10"})

    stack = RateLimitTransport(
        RetryTransport(httpx.MockTransport(server), limiter, attempts=1), limiter
    )

    async def one(n: int) -> None:
        await stack.handle_async_request(httpx.Request("GET", f"https://a.example/{n}"))

    async def run() -> None:
        await asyncio.gather(one(0), one(1))
        for n in range(2, 5):
            await one(n)

    asyncio.run(time.run(run()))
    assert _gaps(sent) == [1.0, 10.0, 20.0, 10.0], sent


def test_through_the_stack_a_host_with_a_crawl_delay_comes_back_to_it(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """The whole stack, a loopback site whose robots.txt asks 5 s between requests: one 503
    (Retry-After 1) slows it to 10 s, and its answers bring it back to 5 s, not faster (it had
    stayed at 10 s for the run)."""
    time = VirtualTime()
    sent: list[float] = []

    def route(method: str, path: str) -> Reply | None:
        if path == "/robots.txt":
            return Reply(200, b"User-agent: *\nCrawl-delay: 5\n", {})
        sent.append(time.now)
        return Reply(503 if len(sent) == 1 else 200, b"", {"Retry-After": "1"})

    with ReplayServer(route) as site:

        async def calls(session: ConnectorSession) -> None:
            for n in range(8):
                await session.get(site.url(f"/p{n}"))

        _fetch(site.allow(fast_policy), audit, tmp_path, calls, time=time)
    gaps = _gaps(sent)
    assert len(sent) == 9 and min(gaps) >= 5.0, gaps  # the first page's retry, and 7 more
    assert gaps[-3:] == [5.0] * 3, gaps
