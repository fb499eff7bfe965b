"""A run over many sites holds what it needs of the hosts it is asking, not of every host it
has asked: a limiter kept each host's pace (~1 KB) to the run's end, 1 GB for a million
employers' sites, and robots.txt each host's fetch lock, and the rules of every host without a
file. The pace forgotten is only one a fresh pace would keep alike; a host slowed down (until
it is back at its rate), or one whose names are paced differently, keeps its pace."""

from __future__ import annotations

import asyncio
import time
from typing import Any, cast

import httpx
import pytest

from skiptrace.net.layers import ratelimit, robots
from skiptrace.net.layers.ratelimit import HostLimiter
from skiptrace.testing.clock import VirtualTime

KEPT = 50


@pytest.fixture(autouse=True)
def few_hosts_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "HOSTS_KEPT", KEPT)


def _asked(limiter: HostLimiter, hosts: list[str], time: VirtualTime) -> list[float]:
    """Each host asked once, in turn, a second apart at least; when each request went."""
    went = []

    async def run() -> None:
        for host in hosts:
            async with limiter.slot(host):
                went.append(time.now)
            time.now += 1.0

    asyncio.run(run())
    return went


def _others(count: int) -> list[str]:
    return [f"site{n}.example" for n in range(count)]


def test_the_pace_of_hosts_asked_long_ago_is_not_kept() -> None:
    time = VirtualTime()
    limiter = HostLimiter(lambda host: 1.0, 2, clock=time.clock, sleep=time.sleep)
    _asked(limiter, _others(20 * KEPT), time)
    assert len(limiter._hosts) <= 2 * KEPT


def test_a_host_slowed_down_keeps_its_pace_whatever_else_is_asked() -> None:
    time = VirtualTime()
    limiter = HostLimiter(lambda host: 1.0, 2, clock=time.clock, sleep=time.sleep)
    asyncio.run(limiter.slow_down("slow.example", 60.0))  # a Crawl-delay, or 429s backed off
    _asked(limiter, ["slow.example", *_others(20 * KEPT)], time)  # 1,000 s on
    went = _asked(limiter, ["slow.example", "slow.example"], time)
    assert went[1] - went[0] == pytest.approx(60.0)


@pytest.mark.parametrize(("answers", "kept"), [(5, True), (6, False)])
def test_a_host_slowed_down_is_kept_until_its_answers_bring_it_back_to_its_rate(
    answers: int, kept: bool
) -> None:
    """Each answer halves a slow-down (``answered``): at 60 s, five leave it at 1.875 s, kept
    whatever else is asked; the sixth brings it back to its 1/s, and then it is forgotten
    with the others, as a fresh pace would keep it alike."""
    time = VirtualTime()
    limiter = HostLimiter(lambda host: 1.0, 2, clock=time.clock, sleep=time.sleep)
    asyncio.run(limiter.slow_down("slow.example", 60.0))
    for _ in range(answers):
        limiter.answered("slow.example", limiter.setbacks("slow.example"))
    _asked(limiter, ["slow.example", *_others(20 * KEPT)], time)  # 1,000 s on
    assert ("slow.example" in limiter._hosts) is kept


def test_a_domain_whose_names_are_paced_differently_keeps_the_slowest() -> None:
    time = VirtualTime()
    rates = {"api.acme.example": 0.1}  # rate.hosts: 1 request in 10 s there, 1/s elsewhere
    limiter = HostLimiter(lambda host: rates.get(host, 1.0), 2, clock=time.clock, sleep=time.sleep)
    _asked(limiter, ["api.acme.example", "www.acme.example", *_others(20 * KEPT)], time)
    went = _asked(limiter, ["www.acme.example", "www.acme.example"], time)
    assert went[1] - went[0] == pytest.approx(10.0)


def test_a_host_with_a_request_in_flight_is_not_forgotten() -> None:
    """One request per host in flight at most (``per_host_concurrency`` 1): a request to a host
    whose first is still in flight waits for its place, however many hosts were asked
    meanwhile. Forgotten, the host got a fresh place, and the second went at once."""
    time = VirtualTime()
    limiter = HostLimiter(lambda host: 1.0, 1, clock=time.clock, sleep=time.sleep)

    async def second() -> None:
        async with limiter.slot("busy.example"):
            pass

    async def run() -> bool:
        async with limiter.slot("busy.example"):
            for host in _others(20 * KEPT):
                async with limiter.slot(host):
                    time.now += 1.0
            waiting = asyncio.create_task(second())
            for _ in range(5):
                await asyncio.sleep(0)
            went = waiting.done()
        await waiting
        return went

    assert asyncio.run(run()) is False


def test_a_host_whose_next_turn_is_still_to_come_keeps_it() -> None:
    time = VirtualTime()
    rates = {"rare.example": 1 / 2000}  # a turn every 2,000 s
    limiter = HostLimiter(lambda host: rates.get(host, 1.0), 2, clock=time.clock, sleep=time.sleep)
    first = _asked(limiter, ["rare.example", *_others(20 * KEPT)], time)[0]  # 1,000 s on
    went = _asked(limiter, ["rare.example"], time)
    assert went[0] - first == pytest.approx(2000.0)


def test_robots_rules_of_hosts_without_a_file_are_bounded_and_no_lock_outlives_its_fetch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A host with no robots.txt (a 404) or an empty one counted as nothing against
    ``KEPT_BYTES``, so its rules were kept for the run, and each host's fetch lock too,
    however many hosts. Now each counts ``RULES_FLOOR`` bytes at least, and a lock lives only
    while a request for its host waits for or reads its rules; four requests at once for one
    host still fetch its file once."""
    monkeypatch.setattr(robots, "KEPT_BYTES", 20 * robots.RULES_FLOOR)
    transport = robots.RobotsTransport(
        httpx.MockTransport(lambda request: httpx.Response(404)), cast(Any, None), cast(Any, None)
    )
    fetched: list[str] = []

    async def fetch(origin: str, request: httpx.Request) -> Any:
        fetched.append(origin)
        await asyncio.sleep(0)  # others ask for the same host meanwhile
        return robots._Rules(None, True, time.monotonic() + 3600, "no robots.txt (HTTP 404)")

    monkeypatch.setattr(transport, "_fetch", fetch)
    request = httpx.Request("GET", "https://example.com/")

    async def run() -> None:
        for n in range(500):
            await asyncio.gather(*(transport._rules_for(f"https://site{n}.example", request)
                                   for _ in range(4)))  # fmt: skip

    asyncio.run(run())
    assert len(fetched) == 500
    assert len(transport._rules) == 20
    assert transport._fetching == {}
