"""The HTTP cache holds no debtor value in its keys: entries are keyed by the SHA-256 of the URL,
lookups stay exact, and a cache keyed by clear URLs (older skiptrace) is dropped on opening."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import time
from pathlib import Path

import httpx

from skiptrace.net.extensions import FROM_CACHE
from skiptrace.net.layers.cache import CacheTransport, HttpCache, cache_key

NAME = "Quartermain"
URL = f"https://people.example/search?last={NAME}&first=Allan&city=Springfield"
BODY = b'{"people": []}'


def _fresh(body: bytes = BODY) -> httpx.Response:
    response = httpx.Response(200, content=body, headers={"Cache-Control": "max-age=600"})
    response.read()
    return response


def _on_disk(path: Path) -> bytes:
    """Every byte of the store: the database, its write-ahead log and shared memory."""
    return b"".join(
        Path(f"{path}{suffix}").read_bytes()
        for suffix in ("", "-wal", "-shm")
        if Path(f"{path}{suffix}").exists()
    )


def test_the_store_holds_the_url_hash_not_the_url(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = HttpCache(path, default_seconds=3600, retention_days=30)
    try:
        cache.put(URL, _fresh())
        for probe in (NAME, "Allan", "Springfield", "people.example", "search?"):
            assert probe.encode() not in _on_disk(path), probe  # open: the WAL holds the row
        with sqlite3.connect(path) as db:
            [(key,)] = db.execute("SELECT key FROM pages").fetchall()
        assert key == hashlib.sha256(URL.encode()).hexdigest() == cache_key(URL)
    finally:
        cache.close()
    assert NAME.encode() not in _on_disk(path)


def test_lookups_stay_exact(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=3600, retention_days=30)
    try:
        cache.put(URL, _fresh())
        cache.put(URL.replace("Allan", "Alan"), _fresh(b'{"people": [1]}'))
        hit = cache.get(URL)
        assert hit is not None and hit.content == BODY
        other = cache.get(URL.replace("Allan", "Alan"))
        assert other is not None and other.content == b'{"people": [1]}'
        for near in (URL + "&", URL.replace("last=", "Last="), URL.upper(), URL + "#x",
                     URL.replace("https", "http"), URL.replace(NAME, NAME.lower())):  # fmt: skip
            assert cache.get(near) is None, near
    finally:
        cache.close()


def test_a_cache_keyed_by_clear_urls_is_dropped_on_opening(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    with sqlite3.connect(path) as db:  # what an older skiptrace wrote
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE pages (url TEXT PRIMARY KEY, status INTEGER NOT NULL, headers "
                   "TEXT NOT NULL, body BLOB NOT NULL, stored_at REAL NOT NULL, expires_at REAL "
                   "NOT NULL)")  # fmt: skip
        now = time.time()
        for n in range(50):
            db.execute("INSERT INTO pages VALUES (?, 200, '[]', ?, ?, ?)",
                       (f"{URL}&n={n}", b"old page", now, now + 600))  # fmt: skip
    db.close()
    assert NAME.encode() in _on_disk(path)
    cache = HttpCache(path, default_seconds=3600, retention_days=30)
    try:
        assert cache.get(f"{URL}&n=1") is None  # fetched again when needed
        cache.put(URL, _fresh())
        assert cache.get(URL) is not None
        assert NAME.encode() not in _on_disk(path)
    finally:
        cache.close()
    assert NAME.encode() not in _on_disk(path)


def test_the_transport_answers_the_same_url_from_the_cache(tmp_path: Path) -> None:
    fetched: list[str] = []

    def network(request: httpx.Request) -> httpx.Response:
        fetched.append(str(request.url))
        return httpx.Response(200, content=BODY, headers={"Cache-Control": "max-age=600"})

    path = tmp_path / "cache.sqlite3"
    cache = HttpCache(path, default_seconds=3600, retention_days=30)

    async def run() -> list[bool]:
        transport = CacheTransport(httpx.MockTransport(network), cache)
        async with httpx.AsyncClient(transport=transport) as client:
            answers = [await client.get(URL), await client.get(URL),
                       await client.get(URL, params={"last": "Roe"})]  # fmt: skip
        return [bool(a.extensions.get(FROM_CACHE)) for a in answers]

    try:
        from_cache = asyncio.run(run())
    finally:
        cache.close()
    assert from_cache == [False, True, False]
    assert len(fetched) == 2  # the second GET of URL came from the cache; another query did not
    assert NAME.encode() not in _on_disk(path) and b"Roe" not in _on_disk(path)


def test_only_a_full_disk_or_an_io_error_is_ignored(tmp_path: Path) -> None:
    """Losing a copy to a full disk is no reason to fail a request; a closed or broken store is
    a bug to see, not a cache that quietly stops working (review)."""
    cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=3600, retention_days=30)
    cache.close()
    for use in (lambda: cache.get(URL), lambda: cache.put(URL, _fresh())):
        try:
            use()
        except sqlite3.ProgrammingError:
            continue
        raise AssertionError("a closed store was used without a word")


def test_no_cookie_a_server_sets_is_kept_on_disk(tmp_path: Path) -> None:
    """The guard drops Set-Cookie and Set-Cookie2 before the client sees them, but the cache
    below it stored Set-Cookie2 with the page."""
    path = tmp_path / "cache.sqlite3"
    cache = HttpCache(path, default_seconds=3600, retention_days=30)
    try:
        sets = {"Cache-Control": "max-age=600", "Set-Cookie": "sid=AAA", "Set-Cookie2": "id=BBB"}
        response = httpx.Response(200, content=BODY, headers=sets)
        response.read()
        cache.put(URL, response)
        kept = cache.get(URL)
        assert kept is not None and kept.content == BODY
        assert "set-cookie" not in kept.headers and "set-cookie2" not in kept.headers
    finally:
        cache.close()
    assert b"AAA" not in _on_disk(path) and b"BBB" not in _on_disk(path)
