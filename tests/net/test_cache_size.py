"""The HTTP cache keeps at most ``cache.max_mb`` of pages: past it, the oldest are dropped. A
review: it had no bound but ``retention.days`` (365 by default), so a batch kept every
directory answer of every debtor for a year (a portfolio of millions, each searched at several
sources), and a connector declaring many origins could keep 10 MB a page for each."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from skiptrace.net.layers.cache import HttpCache


def _page(n: int, size: int = 1_000) -> httpx.Response:
    response = httpx.Response(
        200, content=bytes([65 + n % 26]) * size, headers={"Cache-Control": "max-age=600"}
    )
    response.read()
    return response


def _kept(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT COALESCE(SUM(length(body)), 0) FROM pages").fetchone()[0])


def test_past_its_bound_the_oldest_pages_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = HttpCache(path, default_seconds=3600, retention_days=30, max_bytes=20_000)
    try:
        for n in range(100):
            cache.put(f"https://site.example/{n}", _page(n))
            assert _kept(path) <= 20_000 + 20_000 // 20  # checked each twentieth of the bound
        assert cache.get("https://site.example/99") is not None  # the newest are kept
        assert cache.get("https://site.example/0") is None
        assert _kept(path) >= 15_000  # dropped down to 90%, not emptied
    finally:
        cache.close()


def test_a_cache_an_earlier_run_filled_is_cut_at_its_first_page(tmp_path: Path) -> None:
    """A cache filled under a larger bound (or by an older skiptrace) is brought under the
    bound by the next page kept."""
    path = tmp_path / "cache.sqlite3"
    cache = HttpCache(path, default_seconds=3600, retention_days=30)
    for n in range(50):
        cache.put(f"https://site.example/{n}", _page(n))
    cache.close()
    assert _kept(path) == 50_000
    cache = HttpCache(path, default_seconds=3600, retention_days=30, max_bytes=10_000)
    try:
        cache.put("https://site.example/new", _page(0))
        assert _kept(path) <= 10_000
        assert cache.get("https://site.example/new") is not None
    finally:
        cache.close()


def test_a_page_larger_than_the_bound_is_not_kept(tmp_path: Path) -> None:
    """One page over the whole bound would empty the cache of every other page to no use."""
    path = tmp_path / "cache.sqlite3"
    cache = HttpCache(path, default_seconds=3600, retention_days=30, max_bytes=10_000)
    try:
        cache.put("https://site.example/small", _page(1))
        cache.put("https://site.example/huge", _page(2, size=20_000))
        assert cache.get("https://site.example/huge") is None
        assert cache.get("https://site.example/small") is not None
    finally:
        cache.close()
