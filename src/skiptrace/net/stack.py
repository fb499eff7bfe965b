"""The session stack: the one client a run shares, and the order of its layers, written once.

Outermost first: the guard (always, put there by the client classes), then ``LAYERS``, then
the network. One stack serves a whole run, so the cache, the robots.txt rules and the per-host
limits are shared by every connector and every debtor.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from skiptrace.audit import AuditLog
from skiptrace.net.client import AsyncGuardedClient, new_guard
from skiptrace.net.guard import ApiKey, AsyncGuardedTransport, Guard
from skiptrace.net.layers.cache import CacheTransport, HttpCache
from skiptrace.net.layers.deadline import DeadlineTransport
from skiptrace.net.layers.ratelimit import HostLimiter, RateLimitTransport, SharedTurns
from skiptrace.net.layers.resolution import ResolutionCheck
from skiptrace.net.layers.retry import RetryTransport
from skiptrace.net.layers.robots import RobotsTransport
from skiptrace.net.layers.size_cap import CappedTransport
from skiptrace.net.pinned import PinnedTransport
from skiptrace.net.reasons import ReasonTransport
from skiptrace.policy import Policy
from skiptrace.state import home


@dataclass(frozen=True)
class Pace:
    """Time, injectable so tests of waits do not wait."""

    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


@dataclass(frozen=True)
class Parts:
    """What the layers share: the guard above them, the policy, one limiter, one cache."""

    guard: Guard
    policy: Policy
    limiter: HostLimiter
    cache: HttpCache
    pace: Pace


Layer = Callable[[httpx.AsyncBaseTransport, Parts], httpx.AsyncBaseTransport]

LAYERS: tuple[tuple[str, Layer], ...] = (
    # each answer marked with the reason it gives, if any (429 rate_limited, a challenge page
    # blocked, 5xx error), for the guard's audit row
    ("reason", lambda inner, p: ReasonTransport(inner)),
    # a fresh page is answered from disk: no request, no robots.txt, no wait
    ("cache", lambda inner, p: CacheTransport(inner, p.cache)),
    # what a host's robots.txt disallows is refused; its fetch goes through the guard
    ("robots.txt", lambda inner, p: RobotsTransport(inner, p.guard, p.limiter)),
    # the policy's per-host rate and concurrency, which retried answers and Crawl-delay slow
    # (a turn further away than the request may wait is not waited for: rate-limited)
    (
        "rate limit",
        lambda inner, p: RateLimitTransport(
            inner, p.limiter, float(p.policy["limits.request_seconds"])
        ),
    ),
    # the whole request, every attempt and wait below included, within limits.request_seconds
    (
        "deadline",
        lambda inner, p: DeadlineTransport(inner, float(p.policy["limits.request_seconds"])),
    ),
    # 429, 5xx and dropped connections tried again, each attempt audited by the guard
    (
        "retry",
        lambda inner, p: RetryTransport(inner, p.limiter, on_retry=p.guard.retried),
    ),
    # each response read in full, none larger (on the wire or decoded) than the policy allows
    (
        "size cap",
        lambda inner, p: CappedTransport(inner, int(p.policy["limits.max_response_bytes"])),
    ),
    # the network resolves a host once per connection, refuses it if any answer is a metadata
    # or (unless hosts.allow_private lists it) private address, and connects to what it checked;
    # its refusals are named here with the request's URL
    ("resolution check", lambda inner, p: ResolutionCheck(inner)),
)
"""Under the guard, outermost first; the network comes after the last."""


def policy_cache(path: Path, policy: Policy) -> HttpCache:
    """The HTTP cache at ``path``, kept as ``policy`` says (``cache.*``, ``retention.days``)."""
    return HttpCache(
        path,
        default_seconds=float(policy["cache.hours"]) * 3600,
        retention_days=float(policy["retention.days"]),
        max_bytes=float(policy["cache.max_mb"]) * 1_000_000,
    )


def open_client(
    policy: Policy,
    audit: AuditLog,
    *,
    purpose: str,
    api_keys: Sequence[ApiKey] = (),
    host_rates: Mapping[str, float] | None = None,
    pace: Pace | None = None,
    cache: HttpCache | None = None,
) -> AsyncGuardedClient:
    """The run's one client: the guard over ``LAYERS`` over the network.

    ``host_rates`` are connectors' own declared rates: they can only slow a host further.
    On real time (no ``pace`` given), hosts' turns are shared with the other processes using
    the state directory; a test's virtual time keeps its own.
    """
    shared = None if pace else SharedTurns(home() / "pace")
    pace = pace or Pace()
    declared = dict(host_rates or {})
    limiter = HostLimiter(
        lambda host: min(policy.rate_for(host), declared.get(host, float("inf"))),
        int(policy["rate.per_host_concurrency"]),
        clock=pace.clock,
        sleep=pace.sleep,
        shared=shared,
    )
    cache = cache or policy_cache(home() / "cache.sqlite3", policy)
    guard = new_guard("", purpose, "", policy, audit, api_keys)
    parts = Parts(guard, policy, limiter, cache, pace)
    transport: httpx.AsyncBaseTransport = PinnedTransport(policy.private_allowed)
    for _, layer in reversed(LAYERS):
        transport = layer(transport, parts)
    return AsyncGuardedClient(AsyncGuardedTransport(guard, transport), policy=policy)
