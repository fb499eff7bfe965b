"""A hostile review of the HTTP cache: a damaged or busy cache file, a server's
Cache-Control it cannot read, an answer an API key was sent for, and headers beyond ASCII."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from skiptrace.audit import AuditLog
from skiptrace.errors import WriteError
from skiptrace.net.client import AsyncGuardedClient
from skiptrace.net.extensions import CONNECTOR, FROM_CACHE
from skiptrace.net.guard import ApiKey, AsyncGuardedTransport, Guard
from skiptrace.net.layers.cache import CacheTransport, HttpCache, cache_key
from skiptrace.policy import Policy

URL = "https://registry.example/people?last=Quartermain"


def _page(body: bytes = b"page", cache_control: str = "max-age=600") -> httpx.Response:
    response = httpx.Response(200, content=body, headers={"Cache-Control": cache_control})
    response.read()
    return response


def test_a_cache_damaged_past_its_first_page_is_one_line(tmp_path: Path) -> None:
    """A cache cut short or overwritten past its first page (a copy that stopped, a bad disk)
    opened, then failed as it was purged: lookup and enrich ended in a traceback of SQLite's
    "database disk image is malformed". It is now one line naming the file, as a cache that
    is no database at all is."""
    path = tmp_path / "cache.sqlite3"
    cache = HttpCache(path, default_seconds=3600, retention_days=30)
    for n in range(40):
        cache.put(f"{URL}&n={n}", _page(bytes(4000)))
    cache.close()
    with path.open("r+b") as file:  # the pages after the first overwritten
        file.seek(4096)
        file.write(b"\xff" * (path.stat().st_size - 4096))
    with pytest.raises(WriteError) as failed:
        HttpCache(path, default_seconds=3600, retention_days=30)
    assert str(failed.value) == f"cannot open {path}: database disk image is malformed"


@pytest.fixture
def held(tmp_path: Path) -> Iterator[HttpCache]:
    """A cache whose file another process holds for writing (its own purge, a tool's
    transaction) once the cache is open."""
    path = tmp_path / "cache.sqlite3"
    cache = HttpCache(path, default_seconds=3600, retention_days=30)
    cache.put(URL, _page(b"kept before"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM pages")
    try:
        yield cache
    finally:
        other.close()
        cache.close()


def test_a_page_the_busy_cache_cannot_keep_is_still_the_answer(held: HttpCache) -> None:
    """A page that could not be kept because another process held the file for writing was
    raised as SQLite's "database is locked", after five seconds' wait on the event loop: a
    page the source answered became the source's error. Now, as for a full disk, only the
    copy is lost (and a page that cannot be dropped is asked for again when it is read)."""
    started = time.monotonic()
    held.put(URL + "&n=2", _page())
    held.forget(URL)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "cache_control",
    ["max-age=-1", "max-age=soon", 'max-age="600"', "max-age=", "max-age=1e9",
     "max-age=600, max-age=-1", "max-age=600, max-age=30"],
)  # fmt: skip
def test_a_max_age_that_is_not_one_number_keeps_nothing(tmp_path: Path, cache_control: str) -> None:
    """A max-age that is no number of seconds (negative, a word, quoted, empty), or given
    twice, says nothing sure about how long the page stays fresh, and RFC 9111 (4.2.1) asks
    a cache to take such a page as stale: it had been kept for ``cache.hours`` (or for the
    digits the first one began with)."""
    cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=3600, retention_days=30)
    try:
        cache.put(URL, _page(cache_control=cache_control))
        assert cache.get(URL) is None
    finally:
        cache.close()


@pytest.mark.parametrize(
    ("cache_control", "seconds"),
    [("max-age=600", 600), ("public, max-age=60", 60), ("s-maxage=5, max-age=600", 600),
     ("Max-Age = 60", 60), ("private", 3600), ("no-store, max-age=600", 0)],
)  # fmt: skip
def test_a_max_age_that_is_a_number_is_its_lifetime(
    tmp_path: Path, cache_control: str, seconds: float
) -> None:
    cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=3600, retention_days=30)
    try:
        assert cache.lifetime(_page(cache_control=cache_control)) == seconds
    finally:
        cache.close()


KEY = ApiKey("api.registry.example", "Bearer granted-key", connector="keyed")


def test_an_answer_to_a_connectors_api_key_is_no_answer_to_another_connector(
    policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """An API key goes to its host on its own connector's requests only. The answer it got
    was kept under the URL alone, and given from the cache to another connector asking the
    same URL without the key (one the policy never granted it, or no longer does): the
    key's answer, to a request never allowed to carry it. Now an answer is kept under its
    URL and the key it was asked with."""
    sent: list[str | None] = []

    def network(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.get("authorization"))
        if request.headers.get("authorization") != KEY.value:
            return httpx.Response(401, content=b"a key is needed")
        return httpx.Response(
            200, content=b"keyed answer", headers={"Cache-Control": "max-age=600"}
        )

    async def run() -> list[tuple[int, bool]]:
        cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=3600, retention_days=30)
        guard = Guard(policy, audit, purpose="tests", api_keys=[KEY])
        transport = AsyncGuardedTransport(
            guard, CacheTransport(httpx.MockTransport(network), cache)
        )
        answers = []
        async with AsyncGuardedClient(transport, policy=policy) as client:
            for connector in ("keyed", "other", "keyed"):
                response = await client.get(URL.replace("registry.example", KEY.host),
                                            extensions={CONNECTOR: connector})  # fmt: skip
                answers.append((response.status_code, bool(response.extensions.get(FROM_CACHE))))
        cache.close()
        return answers

    assert asyncio.run(run()) == [(200, False), (401, False), (200, True)]
    assert sent == [KEY.value, None]


def test_a_page_whose_headers_are_not_ascii_is_read_again_from_the_cache(tmp_path: Path) -> None:
    """A header holding bytes beyond ASCII (a Latin-1 file name, a UTF-8 note: servers send
    them) was kept as text that httpx could not make a header of again: every later read of
    the page from the cache raised UnicodeEncodeError, for as long as the page stayed
    fresh, long after the server had changed, and the source's search failed each time.
    A page's headers are kept as the bytes the server sent."""
    sent = [(b"Cache-Control", b"max-age=600"), (b"Content-Type", b"text/plain"),
            (b"Content-Disposition", b"inline; filename=caf\xe9.txt"),
            (b"X-Note", "Zo\u00eb".encode()), (b"Set-Cookie", b"id=1")]  # fmt: skip
    asked: list[str] = []

    def network(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200, headers=sent, content=b"the page")

    async def run() -> list[httpx.Response]:
        cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=3600, retention_days=30)
        transport = CacheTransport(httpx.MockTransport(network), cache)
        try:
            return [await transport.handle_async_request(httpx.Request("GET", URL))
                    for _ in range(2)]  # fmt: skip
        finally:
            cache.close()

    first, again = asyncio.run(run())
    assert asked == [URL]
    assert again.extensions[FROM_CACHE] and again.content == first.content == b"the page"
    kept = [(name.lower(), value) for name, value in again.headers.raw]
    assert (b"content-disposition", b"inline; filename=caf\xe9.txt") in kept
    assert (b"x-note", "Zo\u00eb".encode()) in kept
    assert b"set-cookie" not in dict(kept)


def test_a_page_an_older_skiptrace_kept_with_such_headers_is_fetched_afresh(
    tmp_path: Path,
) -> None:
    """One kept before, as decoded text beyond Latin-1, is no page: it is asked for again."""
    path = tmp_path / "cache.sqlite3"
    cache = HttpCache(path, default_seconds=3600, retention_days=30)
    try:
        with sqlite3.connect(path) as db:
            now = time.time()
            kept = '[["x-note", "5 \\u20ac"]]'
            db.execute("INSERT INTO pages VALUES (?, 200, ?, ?, ?, ?)",
                       (cache_key(URL), kept, b"page", now, now + 600))  # fmt: skip
        db.close()
        assert cache.get(URL) is None
    finally:
        cache.close()


def test_a_page_past_retention_is_never_given_though_still_fresh(tmp_path: Path) -> None:
    """Pages older than ``retention.days`` were purged when the cache opened, and only then:
    a run (or another process sharing the file) going on past that age was still given a
    page a server had called fresh for longer (``max-age`` of a year). It is not given."""
    path = tmp_path / "cache.sqlite3"
    cache = HttpCache(path, default_seconds=3600, retention_days=1)
    try:
        with sqlite3.connect(path) as db:  # kept two days ago, fresh for a year
            now = time.time()
            db.execute("INSERT INTO pages VALUES (?, 200, '[]', ?, ?, ?)",
                       (cache_key(URL), b"page", now - 2 * 86400, now + 365 * 86400))  # fmt: skip
        db.close()
        assert cache.get(URL) is None
    finally:
        cache.close()
