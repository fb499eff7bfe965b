"""The HTTP cache: a page fetched once is not fetched again while it is fresh.

Politeness and privacy both gain: fewer requests to the source, and the same page read for
many debtors is read from disk. SQLite in ``SKIPTRACE_HOME``; only successful GETs are kept,
never ``no-store`` ones; entries past the retention period are purged when the cache opens.

Entries are keyed by the SHA-256 of the request's URL (as httpx canonicalises it), with the
API key it carries if any, so lookups stay exact while the file holds no URL, and so none of
the debtor values a search URL carries in its path or query (names, cities...), nor a key.
What is stored is the response as the source sent it (status, headers, body): the page itself
may name the debtor, and keeping it is what a cache is for; it is purged with the rest after
``retention.days``.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import hashlib
import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from skiptrace.errors import WriteError
from skiptrace.net.challenge import looks_like_challenge
from skiptrace.net.extensions import FORGET, FROM_CACHE, NO_STORE
from skiptrace.net.hardrules import KEY_HEADERS, SET_COOKIE_HEADERS
from skiptrace.state import open_store, purge

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    key TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL,
    body BLOB NOT NULL,
    stored_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
"""
_SECONDS = re.compile(r"[0-9]+")
_BUSY_MILLISECONDS = 200
_DROPPED_HEADERS = {"content-encoding", "content-length", "transfer-encoding", *SET_COOKIE_HEADERS}


def cache_key(url: str) -> str:
    """The key ``url`` is stored under: its SHA-256 in hex (the URL itself is never stored)."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


class HttpCache:
    """Fresh responses by URL. Thread-safe; one file may be shared by several processes."""

    def __init__(
        self,
        path: Path,
        default_seconds: float,
        retention_days: float,
        max_bytes: float = float("inf"),
    ) -> None:
        """``max_bytes``: the pages' bodies kept at most (``cache.max_mb``); past it, the
        oldest are dropped down to 90% of it (``_trim``)."""
        self._default_seconds = default_seconds
        self._retention_seconds = retention_days * 86400
        self._max_bytes = max_bytes
        self._unchecked = max_bytes  # what was kept since the size was last looked at: the
        # first page kept looks (a cache an earlier run filled under a larger bound)
        self._lock = threading.Lock()
        self._db = open_store(path, _SCHEMA)
        try:  # a file damaged past its first page opens, and fails here
            self._drop_clear_urls()
            purge(self._db, "pages", retention_days)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise WriteError(f"cannot open {path}: {exc}") from None
        # it is read and written on the event loop: a file another process holds for writing
        # costs a page its copy after a moment, not every request five seconds
        self._db.execute(f"PRAGMA busy_timeout = {_BUSY_MILLISECONDS}")

    def _drop_clear_urls(self) -> None:
        """A cache written by an older skiptrace is keyed by clear URLs: dropped (its pages
        zeroed by ``secure_delete``), to be fetched again when needed."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(pages)")}
        if "key" not in columns:
            self._db.execute("DROP TABLE pages")
            self._db.executescript(_SCHEMA)
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def get(self, url: str) -> httpx.Response | None:
        """The stored response for ``url`` if still fresh and within the retention period
        (purged when the cache opens; a run may go on past it)."""
        row = None
        now = time.time()
        with self._lock, _copy_trouble_ignored():  # unreadable from disk: fetched afresh
            row = self._db.execute(
                "SELECT status, headers, body, stored_at FROM pages "
                "WHERE key = ? AND expires_at > ? AND stored_at >= ?",
                (cache_key(url), now, now - self._retention_seconds),
            ).fetchone()
        if row is None:
            return None
        status, headers, body, stored_at = row
        try:  # the bytes the server sent, kept as Latin-1 text
            raw = [(name.encode("latin-1"), value.encode("latin-1"))
                   for name, value in json.loads(headers)]  # fmt: skip
        except UnicodeEncodeError:  # decoded otherwise by an older skiptrace: fetched afresh
            return None
        return httpx.Response(
            status, headers=raw, content=body, extensions={FROM_CACHE: float(stored_at)}
        )

    def put(self, url: str, response: httpx.Response) -> None:
        """Keep ``response`` (already read) if it may be kept."""
        lifetime = self.lifetime(response)
        if response.status_code != 200 or lifetime <= 0 or looks_like_challenge(response):
            return
        if len(response.content) > self._max_bytes:  # it would drop every other page
            return
        # as sent: a header beyond ASCII, decoded, could not be made a header again
        headers = [(name.decode("latin-1"), value.decode("latin-1"))
                   for name, value in response.headers.raw
                   if name.decode("latin-1").lower() not in _DROPPED_HEADERS]  # fmt: skip
        now = time.time()
        # a page that cannot be kept (a full disk, a busy file) is still the answer: only its
        # copy is lost
        with self._lock, _copy_trouble_ignored():
            self._db.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)",
                (cache_key(url), response.status_code, json.dumps(headers), response.content,
                 now, now + lifetime),
            )  # fmt: skip
            self._unchecked += len(response.content)
            if self._unchecked >= self._max_bytes / 20:  # summed a few times per bound filled
                self._unchecked = 0
                self._trim()

    def _trim(self) -> None:
        """Drop the oldest pages until those kept hold 90% of ``max_bytes`` at most (holding
        ``_lock``). Another process sharing the file counts too: the sum is the file's."""
        [[kept]] = self._db.execute("SELECT COALESCE(SUM(length(body)), 0) FROM pages")
        if kept <= self._max_bytes:
            return
        over = kept - 0.9 * self._max_bytes
        dropped: list[tuple[str]] = []
        for key, size in self._db.execute("SELECT key, length(body) FROM pages ORDER BY stored_at"):
            if over <= 0:
                break
            dropped.append((key,))
            over -= size
        self._db.executemany("DELETE FROM pages WHERE key = ?", dropped)

    def forget(self, url: str) -> None:
        """Drop the page kept for ``url``: it answered a search that could not use it (a
        garbled page served with HTTP 200), which a rerun must ask the source again."""
        with self._lock, _copy_trouble_ignored():
            self._db.execute("DELETE FROM pages WHERE key = ?", (cache_key(url),))

    def lifetime(self, response: httpx.Response) -> float:
        """Seconds ``response`` stays fresh: its Cache-Control's one max-age (none if that is
        no number of seconds or is given twice), then Expires, then the default."""
        control = response.headers.get("cache-control", "").lower()
        if "no-store" in control or "no-cache" in control:
            return 0
        directives = (directive.partition("=") for directive in control.split(","))
        ages = [value.strip() for name, _, value in directives if name.strip() == "max-age"]
        if ages:  # one number of seconds, or the page is stale (RFC 9111 4.2.1)
            return float(ages[0]) if len(ages) == 1 and _SECONDS.fullmatch(ages[0]) else 0
        expires = response.headers.get("expires")
        if expires:
            try:
                return email.utils.parsedate_to_datetime(expires).timestamp() - time.time()
            except (TypeError, ValueError):
                return 0
        return self._default_seconds

    def close(self) -> None:
        with self._lock:
            self._db.close()


_COPY_TROUBLE = frozenset(
    {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
)


@contextlib.contextmanager
def _copy_trouble_ignored() -> Iterator[None]:
    """A full disk, an I/O error or a file another process holds only costs the cache its
    copy; anything else (a damaged file, a closed store, a bug) is raised as ever."""
    try:
        yield
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in _COPY_TROUBLE:
            raise


class CacheTransport(httpx.AsyncBaseTransport):
    """Answers a GET from the cache when it can; stores what the network answered."""

    def __init__(self, inner: httpx.AsyncBaseTransport, cache: HttpCache) -> None:
        self._inner = inner
        self._cache = cache

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET" or request.extensions.get(NO_STORE):
            return await self._inner.handle_async_request(request)
        entry = _entry(request)
        cached = self._cache.get(entry)
        if cached is not None:
            cached.request = request
        else:
            cached = await self._inner.handle_async_request(request)
            await cached.aread()
            self._cache.put(entry, cached)
        cached.extensions[FORGET] = functools.partial(self._cache.forget, entry)
        return cached

    async def aclose(self) -> None:
        await self._inner.aclose()


def _entry(request: httpx.Request) -> str:
    """What ``request``'s answer is kept under: its URL, and the API key it carries (added by
    the guard for its connector alone): an answer a key was sent for is no answer to a
    request without it, another connector's."""
    keys = [f"{name}: {request.headers[name]}" for name in sorted(KEY_HEADERS)
            if name in request.headers]  # fmt: skip
    return "\n".join([str(request.url), *keys])
