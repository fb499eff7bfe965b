"""What a connector is handed: a Session over the run's session stack (``net.stack``).

A ``ConnectorSession`` is a connector's view of the stack: its id on every audit row, the
debtor's reference, the run-wide health of its source (a rate-limited or blocked source stays
so for the run, and says so instead of pretending it found nothing), and the checks that keep
debtor values out of paths. It implements the SDK's ``skiptrace.connectors.Session`` protocol.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote

import httpx

from skiptrace.errors import ConnectorError, SourceError, SourceUnavailable
from skiptrace.net.challenge import looks_like_challenge
from skiptrace.net.client import AsyncGuardedClient
from skiptrace.net.extensions import CONNECTOR, DEBTOR_REF, FROM_CACHE, ORIGINS
from skiptrace.net.guard import origin_of
from skiptrace.net.urls import canonicalize
from skiptrace.records import Fetched, Provenance, Query, Status, path_segment

_PATH_GUARDED_FIELDS = ("first_name", "middle_name", "last_name", "full_name", "address",
                        "phone", "email", "zip")  # fmt: skip


@dataclass
class SourceStats:
    """One source's run so far, for summaries and for short-circuiting a dead source."""

    status: Status = Status.OK
    detail: str = ""
    forbidden: int = 0


@dataclass
class SourceHealth:
    """Every source's state in this run."""

    sources: dict[str, SourceStats] = field(default_factory=dict)

    def of(self, connector: str) -> SourceStats:
        return self.sources.setdefault(connector, SourceStats())

    def mark(self, connector: str, status: Status, detail: str) -> SourceUnavailable:
        stats = self.of(connector)
        stats.status, stats.detail = status, detail
        return SourceUnavailable(connector, status, detail)


class ConnectorSession:
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
        origins: Sequence[str] | None = None,
    ) -> None:
        """``origins``: the only origins its requests may reach (the guard refuses any other,
        rule ``origin``); ``rewrite`` sends origins elsewhere (contract replays)."""
        self._client = client
        self.connector = connector
        self.version = version
        self.query = query
        self._health = health
        self._rewrite = dict(rewrite or {})
        self._extensions: dict[str, object] = {CONNECTOR: connector, DEBTOR_REF: query.debtor_ref}
        if origins is not None:
            reachable = (canonicalize(self._rewritten(origin)) for origin in origins)
            self._extensions[ORIGINS] = frozenset(origin_of(url) for url in reachable)

    @staticmethod
    def segment(value: str) -> str:
        """``value`` percent-encoded as exactly one path segment (``/`` and ``..`` included)."""
        return path_segment(value)

    async def get(self, url: str, params: Mapping[str, str] | None = None) -> Fetched:
        """GET ``url`` with ``params`` encoded into the query string.

        Raises SourceUnavailable once the source is rate-limited or blocked for the run, and
        SourceError for answers that are neither data nor "not found".
        """
        stats = self._health.of(self.connector)
        if stats.status != Status.OK:
            raise SourceUnavailable(self.connector, stats.status, stats.detail)
        url = self._rewritten(url)
        self._refuse_debtor_values_in_path(url)
        response = await self._client.get(
            url,
            params=params,
            extensions=self._extensions,
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
            raise self._health.mark(self.connector, Status.RATE_LIMITED, "HTTP 429 after retries")
        if looks_like_challenge(response):
            raise self._health.mark(
                self.connector, Status.BLOCKED, "a CAPTCHA or WAF challenge page"
            )
        if status == 403:
            stats = self._health.of(self.connector)
            stats.forbidden += 1
            if stats.forbidden >= 2:
                raise self._health.mark(self.connector, Status.BLOCKED, "repeated HTTP 403")
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
