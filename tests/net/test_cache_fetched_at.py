"""A page given from the HTTP cache says when its copy was fetched (``fetched_at``, written as
``evidence_fetched_at``), not when it was read from disk: evidence dated today for a page
fetched days ago misstates what the source said when."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.session import ConnectorSession, Fetched, SourceHealth
from skiptrace.net.stack import open_client
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.testing.replay import ReplayServer, Reply

DAY = 86_400


def test_a_cached_page_is_dated_when_it_was_fetched(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    path = tmp_path / "cache.sqlite3"
    headers = {"Content-Type": "text/plain", "Cache-Control": "max-age=604800"}
    with ReplayServer({"/page": Reply(200, b"the page", headers)}) as site:

        async def fetch() -> Fetched:
            cache = HttpCache(path, default_seconds=3600, retention_days=30)
            policy = site.allow(fast_policy)
            async with open_client(policy, audit, purpose="tests", cache=cache) as client:
                session = ConnectorSession(client, "probe", Query.of("A"), SourceHealth())
                return await session.get(site.url("/page"))

        first = asyncio.run(fetch())
        with sqlite3.connect(path) as db:  # as if fetched two days ago
            db.execute("UPDATE pages SET stored_at = stored_at - ?", (2 * DAY,))
        db.close()
        again = asyncio.run(fetch())
    assert not first.from_cache and again.from_cache and again.content == b"the page"
    then = datetime.fromisoformat(again.fetched_at).timestamp()
    assert abs(then - (time.time() - 2 * DAY)) < 60, again.fetched_at
    assert datetime.fromisoformat(first.fetched_at).tzinfo == UTC
