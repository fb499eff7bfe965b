"""The session stack every connector gets, and the Session it talks to.

Order, outermost first: guard -> cache -> robots.txt -> per-host rate limiter -> retry ->
size-capped transport. One stack (one client) serves a whole run, so the cache, the robots
rules and the per-host limits are shared by every connector and every debtor. A ``Session``
is a connector's view of it: its id on every audit row, the debtor's reference, the run-wide
health of its source (a rate-limited or blocked source stays so for the run, and says so
instead of pretending it found nothing), and the checks that keep debtor values out of paths.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

import httpx

from skiptrace.audit import AuditLog
from skiptrace.errors import ConnectorError, HardRuleRefusal, SourceError, SourceUnavailable
from skiptrace.net.challenge import looks_like_challenge
from skiptrace.net.client import AsyncGuardedClient, async_guarded_client
from skiptrace.net.guard import CONNECTOR, DEBTOR_REF, FROM_CACHE, ApiKey, Guard
from skiptrace.net.hardrules import is_metadata_host
from skiptrace.net.layers.cache import CacheTransport, HttpCache
from skiptrace.net.layers.ratelimit import HostLimiter, RateLimitTransport
from skiptrace.net.layers.retry import RetryTransport
from skiptrace.net.layers.robots import RobotsTransport
from skiptrace.policy import Policy
from skiptrace.records import Provenance, Query
from skiptrace.state import home

OK, RATE_LIMITED, BLOCKED = "ok", "rate_limited", "blocked"
_PATH_GUARDED_FIELDS = ("first_name", "middle_name", "last_name", "full_name", "address",
                        "phone", "email", "zip")  # fmt: skip


@dataclass
class SourceStats:
    """One source's run so far, for summaries and for short-circuiting a dead source."""

    status: str = OK
    detail: str = ""
    forbidden: int = 0


@dataclass
class SourceHealth:
    """Every source's state in this run."""

    sources: dict[str, SourceStats] = field(default_factory=dict)

    def of(self, connector: str) -> SourceStats:
        return self.sources.setdefault(connector, SourceStats())

    def mark(self, connector: str, status: str, detail: str) -> SourceUnavailable:
        stats = self.of(connector)
        stats.status, stats.detail = status, detail
        return SourceUnavailable(connector, status, detail)


@dataclass(frozen=True)
class Fetched:
    """A response as a connector sees it: read in full, with where and when it came from."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    fetched_at: str
    from_cache: bool

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body as JSON; a non-JSON body (an HTML block page, say) is a SourceError."""
        try:
            return json.loads(self.content)
        except ValueError:
            raise SourceError(f"{self.url} did not return JSON (HTTP {self.status})") from None


@dataclass(frozen=True)
class Pace:
    """Time, injectable so tests of waits do not wait."""

    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


class CappedTransport(httpx.AsyncBaseTransport):
    """Reads each response in full, refusing one larger than the policy allows."""

    def __init__(self, inner: httpx.AsyncBaseTransport, max_bytes: int) -> None:
        self._inner = inner
        self._max_bytes = max_bytes

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await _refuse_metadata_resolution(request.url)
        response = await self._inner.handle_async_request(request)
        body = bytearray()
        try:
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > self._max_bytes:
                    raise SourceError(f"{request.url} is larger than {self._max_bytes} bytes")
        finally:
            await response.aclose()
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code, headers=headers, content=bytes(body), request=request,
            extensions=response.extensions,
        )  # fmt: skip

    async def aclose(self) -> None:
        await self._inner.aclose()


async def _refuse_metadata_resolution(url: httpx.URL) -> None:
    """A name that resolves to a metadata or link-local address (169.254.169.254.nip.io, say)
    is refused like the address itself. Checked just before connecting; a name that does not
    resolve is left to fail as it will."""
    host = url.host
    if not host or is_metadata_host(host) or _is_ip(host):
        return
    try:
        answers = await asyncio.get_running_loop().getaddrinfo(host, url.port or 443)
    except OSError:
        return
    for *_, address in answers:
        if is_metadata_host(str(address[0]).split("%")[0]):
            raise HardRuleRefusal("metadata-address", str(url), f"{host} resolves to {address[0]}")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


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
    """The run's one client: the guard over cache, robots.txt, limiter, retry and network.

    ``host_rates`` are connectors' own declared rates: they can only slow a host further.
    """
    pace = pace or Pace()
    declared = dict(host_rates or {})
    limiter = HostLimiter(
        lambda host: min(policy.rate_for(host), declared.get(host, float("inf"))),
        int(policy["rate.per_host_concurrency"]),
        clock=pace.clock,
        sleep=pace.sleep,
    )
    cache = cache or HttpCache(
        home() / "cache.sqlite3",
        default_seconds=float(policy["cache.hours"]) * 3600,
        retention_days=float(policy["retention.days"]),
    )

    def layers(guard: Guard) -> httpx.AsyncBaseTransport:
        network = CappedTransport(
            httpx.AsyncHTTPTransport(retries=0), int(policy["limits.max_response_bytes"])
        )
        stack: httpx.AsyncBaseTransport = RetryTransport(
            network, limiter, sleep=pace.sleep, on_retry=guard.retried
        )
        stack = RateLimitTransport(stack, limiter)
        stack = RobotsTransport(stack, guard, limiter)
        return CacheTransport(stack, cache)

    return async_guarded_client(
        purpose=purpose, policy=policy, audit=audit, api_keys=api_keys, inner=layers
    )


class Session:
    """What a connector gets: guarded, cached, polite GETs made in its name."""

    def __init__(
        self,
        client: AsyncGuardedClient,
        connector: str,
        query: Query,
        health: SourceHealth,
        *,
        version: str = "",
        rewrite: Mapping[str, str] | None = None,
    ) -> None:
        self._client = client
        self.connector = connector
        self.version = version
        self.query = query
        self._health = health
        self._rewrite = dict(rewrite or {})

    @staticmethod
    def segment(value: str) -> str:
        """``value`` percent-encoded as exactly one path segment (``/`` and ``..`` included)."""
        encoded = quote(value, safe="")
        return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded

    async def get(self, url: str, params: Mapping[str, str] | None = None) -> Fetched:
        """GET ``url`` with ``params`` encoded into the query string.

        Raises SourceUnavailable once the source is rate-limited or blocked for the run, and
        SourceError for answers that are neither data nor "not found".
        """
        stats = self._health.of(self.connector)
        if stats.status != OK:
            raise SourceUnavailable(self.connector, stats.status, stats.detail)
        url = self._rewritten(url)
        self._refuse_debtor_values_in_path(url)
        response = await self._client.get(
            url,
            params=params,
            extensions={CONNECTOR: self.connector, DEBTOR_REF: self.query.debtor_ref},
        )
        from_cache = bool(response.extensions.get(FROM_CACHE))
        self._judge(response)
        return Fetched(
            url=str(response.url),
            status=response.status_code,
            headers=dict(response.headers),
            content=response.content,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            from_cache=from_cache,
        )

    def provenance(self, page: Fetched) -> Provenance:
        """Where a record read from ``page`` came from."""
        return Provenance(self.connector, self.version, page.url, page.fetched_at)

    def _judge(self, response: httpx.Response) -> None:
        status = response.status_code
        if status == 429:
            raise self._health.mark(self.connector, RATE_LIMITED, "HTTP 429 after retries")
        if looks_like_challenge(response):
            raise self._health.mark(self.connector, BLOCKED, "a CAPTCHA or WAF challenge page")
        if status == 403:
            stats = self._health.of(self.connector)
            stats.forbidden += 1
            if stats.forbidden >= 2:
                raise self._health.mark(self.connector, BLOCKED, "repeated HTTP 403")
            raise SourceError(f"{response.url} answered HTTP 403")
        if status >= 500 or status in (400, 401, 407):
            # a refused key or a rejected query is not "no result"
            raise SourceError(f"{response.url} answered HTTP {status}")

    def _rewritten(self, url: str) -> str:
        for origin, replacement in self._rewrite.items():
            if url.startswith(origin):
                return replacement + url[len(origin) :]
        return url

    def _refuse_debtor_values_in_path(self, url: str) -> None:
        """A debtor value standing as a word of the path means a connector built the path
        from the debtor record. Ids from a source's answers may contain the same letters, so
        only whole words count (``/people/roe-smith/`` is refused, ``/officers/xKimq9/`` not).
        """
        path = unquote(httpx.URL(url).path).casefold()
        for name in _PATH_GUARDED_FIELDS:
            value = self.query.get(name).casefold()
            if len(value) >= 3 and re.search(rf"(?<![^\W_]){re.escape(value)}(?![^\W_])", path):
                raise ConnectorError(
                    f"{self.connector} put the debtor's {name} in a URL path; "
                    "debtor values go in query parameters only"
                )
