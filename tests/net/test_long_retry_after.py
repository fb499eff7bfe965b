"""A 429 whose Retry-After is too long to wait out still slows its host until it answers again.

The retry layer waits out a Retry-After of up to a minute and then spaces the host's requests
at least twice that wait apart. A longer one is not waited for (the 429 stands, its source
rate-limited), and it had not slowed the host at all: a Retry-After of 59 s spaced the host's
next requests 118 s apart, one of 61 s or an hour left them at 1 s.
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Awaitable

import httpx
import pytest

from skiptrace.net.layers.deadline import watching
from skiptrace.net.layers.ratelimit import MAX_INTERVAL, HostLimiter, RateLimitTransport
from skiptrace.net.layers.retry import RetryTransport
from skiptrace.net.reasons import reason_of
from skiptrace.testing.clock import VirtualTime


@pytest.mark.parametrize("retry_after", ["59", "61", "3600"])
def test_a_retry_after_not_waited_for_still_slows_the_host(retry_after: str) -> None:
    time = VirtualTime()
    limiter = HostLimiter(lambda host: 1.0, 1, clock=time.clock, sleep=time.sleep)
    sent: list[str] = []

    def busy(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(429, headers={"retry-after": retry_after})

    retrying = RetryTransport(httpx.MockTransport(busy), limiter)

    async def run() -> list[float]:
        answer = await retrying.handle_async_request(httpx.Request("GET", "https://a.example/"))
        assert answer.status_code == 429
        times = []
        for _ in range(3):  # the host's next requests, of any source
            async with limiter.slot("a.example"):
                times.append(time.now)
        return times

    times = asyncio.run(run())
    if retry_after != "59":  # not waited for: the 429 is the answer, nothing retried
        assert sent == ["https://a.example/"]
    assert times[2] - times[1] >= min(2 * float(retry_after), MAX_INTERVAL)


@pytest.mark.parametrize("slowed", ["back_off", "slow_down"])
def test_a_slow_down_never_paces_a_host_faster_than_its_policy(slowed: str) -> None:
    """MAX_INTERVAL caps what a slow-down asks, not the policy's own pace: a host at 10/h
    (360 s) backed off after a 429, or given a Crawl-delay, had been asked every 120 s."""
    time = VirtualTime()
    limiter = HostLimiter(lambda host: 10 / 3600, 1, clock=time.clock, sleep=time.sleep)

    async def run() -> list[float]:
        times = []
        async with limiter.slot("a.example"):
            times.append(time.now)
        if slowed == "back_off":
            limiter.back_off("a.example")
        else:
            await limiter.slow_down("a.example", 5.0)
        for _ in range(2):
            async with limiter.slot("a.example"):
                times.append(time.now)
        return times

    times = asyncio.run(run())
    assert times[2] - times[1] >= 360.0


@pytest.mark.parametrize("retry_after", ["\u00b2", "1\u00b2", "\u0663", "\uff11"])
def test_a_retry_after_of_digits_beyond_ascii_is_no_wait_not_a_crash(retry_after: str) -> None:
    """Retry-After is ASCII digits (RFC 9110) or a date. ``str.isdigit`` passes "²" (Latin-1
    0xB2, as a header's bytes are read) and float() then raised ValueError out of the retry
    layer: a 429 was the source's "error: ValueError: could not convert string to float",
    never rate_limited, and its source was not held back for the run."""
    time = VirtualTime()
    limiter = HostLimiter(lambda host: 1.0, 1, clock=time.clock, sleep=time.sleep)
    sent: list[str] = []

    def busy(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(429, headers=[(b"retry-after", retry_after.encode("utf-8"))])

    retrying = RetryTransport(httpx.MockTransport(busy), limiter)
    request = httpx.Request("GET", "https://a.example/")
    answer = asyncio.run(retrying.handle_async_request(request))
    assert answer.status_code == 429 and len(sent) == 3  # retried on its own backoff


@pytest.mark.parametrize("retry_after", ["61", "3600"])
def test_a_request_waiting_for_its_place_as_the_host_says_wait_waits_too(
    retry_after: str,
) -> None:
    """A review: the next request, queued for the host's one place in flight as the 503 with a
    long Retry-After came back, had its turn already and went at once (0.02 s after it, in a
    real enrich run, at a loopback pace of 2,000/s): a slow-down spaced only the turns taken
    after it. Now it spaces the host's next turn from its last one's start."""
    time = VirtualTime()
    limiter = HostLimiter(lambda host: 2000.0, 1, clock=time.clock, sleep=time.sleep)
    sent: list[float] = []

    def down(request: httpx.Request) -> httpx.Response:
        sent.append(time.now)
        return httpx.Response(503, headers={"retry-after": retry_after})

    stack = RateLimitTransport(RetryTransport(httpx.MockTransport(down), limiter), limiter)

    async def run() -> None:
        requests = [httpx.Request("GET", f"https://a.example/{n}") for n in range(2)]
        await asyncio.gather(*(stack.handle_async_request(r) for r in requests))

    asyncio.run(run())
    assert len(sent) == 2 and sent[1] - sent[0] >= min(float(retry_after), MAX_INTERVAL), sent


class _Timeline:
    """A virtual clock on which sleepers wake in order of their times: ``VirtualTime`` moves
    the clock on as each sleep begins, so two waits under way at once add up."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._waking: list[tuple[float, int, asyncio.Future[None]]] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        woken = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waking, (self.now + max(seconds, 0.0), id(woken), woken))
        await woken

    async def run(self, work: Awaitable[object]) -> None:
        task = asyncio.ensure_future(work)
        while not task.done():
            for _ in range(100):  # every task runs until it sleeps
                await asyncio.sleep(0)
            if self._waking:
                self.now, _, woken = heapq.heappop(self._waking)
                woken.set_result(None)
        await task


def test_a_turn_given_before_the_host_says_wait_is_taken_again() -> None:
    """A review: a request whose turn was given already (the host's second place in flight,
    at 1/s), waiting for it as the first request's 503 asked for 3 s, still went when its
    turn came, 0.8 s after the 503 (as on a real clock). A turn the host was slowed down
    before is taken again, from the slow-down's spacing."""
    time = _Timeline()
    limiter = HostLimiter(lambda host: 1.0, 2, clock=time.clock, sleep=time.sleep)
    sent: list[float] = []
    answered: list[float] = []

    async def down(request: httpx.Request) -> httpx.Response:
        sent.append(time.now)
        await time.sleep(0.2)
        answered.append(time.now)
        return httpx.Response(503 if len(answered) == 1 else 200, headers={"retry-after": "3"})

    inner = RetryTransport(httpx.MockTransport(down), limiter, attempts=2)
    stack = RateLimitTransport(inner, limiter)

    async def run() -> None:
        requests = [httpx.Request("GET", f"https://a.example/{n}") for n in range(2)]
        await asyncio.gather(*(stack.handle_async_request(r) for r in requests))

    asyncio.run(time.run(run()))
    assert len(sent) == 3 and min(sent[1:]) >= answered[0] + 3.0, (sent, answered)


def test_a_slow_down_that_slows_nothing_leaves_the_turns_given() -> None:
    """Against the above: a Crawl-delay is said again for each request to its host, the pace
    already that slow; the turns given stand (1 s apart at 1/s, not 2 s)."""
    time = _Timeline()
    limiter = HostLimiter(lambda host: 1.0, 2, clock=time.clock, sleep=time.sleep)
    sent: list[float] = []

    async def request() -> None:
        await limiter.slow_down("a.example", 1.0)  # as the robots layer does
        async with limiter.slot("a.example"):
            sent.append(time.now)
            await time.sleep(0.2)

    async def run() -> None:
        await asyncio.gather(*(request() for _ in range(3)))

    asyncio.run(time.run(run()))
    assert sent == [1000.0, 1001.0, 1002.0], sent


def test_the_last_attempt_s_answer_slows_the_host_too() -> None:
    """A review: the retry layer read a 429 or 503 only before a retry, so the last attempt's
    answer slowed nothing: an hour's Retry-After on it left the host's next request, of any
    source, a few seconds away."""
    time = VirtualTime()
    limiter = HostLimiter(lambda host: 1.0, 1, clock=time.clock, sleep=time.sleep)
    waits = iter(["1", "1", "3600"])
    sent: list[float] = []

    def busy(request: httpx.Request) -> httpx.Response:
        sent.append(time.now)
        return httpx.Response(503, headers={"retry-after": next(waits)})

    retrying = RetryTransport(httpx.MockTransport(busy), limiter)

    async def run() -> float:
        answer = await retrying.handle_async_request(httpx.Request("GET", "https://a.example/"))
        assert answer.status_code == 503
        async with limiter.slot("a.example"):  # the host's next request, of any source
            return time.now

    after = asyncio.run(run())
    assert len(sent) == 3
    # virtual seconds summed in floats: the jittered backoffs leave 119.99999999999989
    assert after - sent[-1] >= MAX_INTERVAL - 1e-9


def test_a_first_try_taken_again_past_its_deadline_is_rate_limited_at_once() -> None:
    """A review: a first try whose turn was given (the host's second place in flight, at 1/s)
    was taken again after the first request's 503 asked for 30 s, whatever its deadline: it
    waited 30 s for a request that may wait 10 (a source's deadline had ended it as a
    timeout). Taken again, its turn is still bounded by its source's time (40 s, the first
    request's retry at 30 s within it, the second's turn a 30 s interval later not):
    rate-limited at once, not sent."""
    time = _Timeline()
    limiter = HostLimiter(lambda host: 1.0, 2, clock=time.clock, sleep=time.sleep)
    sent: list[float] = []

    async def down(request: httpx.Request) -> httpx.Response:
        sent.append(time.now)
        await time.sleep(0.2)
        return httpx.Response(503 if len(sent) == 1 else 200, headers={"retry-after": "30"})

    inner = RetryTransport(httpx.MockTransport(down), limiter, attempts=2)
    stack = RateLimitTransport(inner, limiter, request_seconds=10.0)

    said: list[int | str] = []

    async def run() -> None:
        requests = [httpx.Request("GET", f"https://a.example/{n}") for n in range(2)]
        async with asyncio.timeout(40.0) as source:  # the source's 40 s (on the real clock)
            with watching(source):
                outcomes = await asyncio.gather(
                    *(stack.handle_async_request(r) for r in requests), return_exceptions=True
                )
        said.extend(o.status_code if isinstance(o, httpx.Response) else reason_of(o)
                    for o in outcomes)  # fmt: skip

    asyncio.run(time.run(run()))
    assert said == [200, "rate_limited"]
    assert len(sent) == 2 and sent[1] >= 30.0, sent  # the first's retry, after its wait
