"""A site's names share one pace: ``www.acme.example``, ``acme.example`` and
``api.acme.example`` are one registrable domain, one operator's servers. Each name had a pace of
its own, so a connector declaring a site's hosts many ways (twenty subdomains of one domain)
asked it twenty times as fast as the policy's per-host rate."""

from __future__ import annotations

import asyncio

from skiptrace.net.layers.ratelimit import HostLimiter
from skiptrace.testing.clock import VirtualTime

RATES = {"api.acme.example": 4.0}
"""Requests per second by host; any other host 1 a second."""


def _sent_at(hosts: list[str]) -> list[float]:
    """When each request to ``hosts``, one after another, was let go."""
    time = VirtualTime()
    limiter = HostLimiter(lambda host: RATES.get(host, 1.0), 4,
                          clock=time.clock, sleep=time.sleep)  # fmt: skip
    started = time.now

    async def run() -> list[float]:
        sent = []
        for host in hosts:
            async with limiter.slot(host):
                sent.append(time.now - started)
        return sent

    return asyncio.run(run())


def test_the_names_of_one_domain_keep_one_pace() -> None:
    hosts = [f"h{n}.acme.example" for n in range(4)] + ["acme.example", "www.acme.example"]
    assert _sent_at(hosts) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


def test_a_faster_name_keeps_the_slower_pace_of_its_domain() -> None:
    """The domain goes at the slowest rate given to any of its names seen so far: from the
    turn after the slower name's first request on."""
    hosts = ["api.acme.example"] * 2 + ["www.acme.example"] * 2
    assert _sent_at(hosts) == [0.0, 0.25, 0.5, 1.5]


def test_other_domains_and_addresses_keep_their_own() -> None:
    """A public suffix's tenants (``github.io``), other domains and IP addresses are each their
    own: one operator's pace is no other's."""
    hosts = ["a.github.io", "b.github.io", "acme.example", "other.example", "127.0.0.1",
             "127.0.0.2", "localhost"]  # fmt: skip
    assert _sent_at(hosts) == [0.0] * 7
