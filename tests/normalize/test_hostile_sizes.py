"""Hostile sizes: a debtor CSV cell or a bulk record may hold ~1 MB, and each normaliser that
reads one must stay linear in it (or cut it first). Bounds are on this process's CPU time,
so other processes' load does not count."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from skiptrace.normalize import companies, names


@pytest.mark.parametrize("generation", ["Jun. ", "Sen. "])
def test_a_name_of_many_abbreviated_generations_is_read_in_bounded_time(generation: str) -> None:
    """Each "Jun." or "Sen." counted every word of the whole name again (quadratic: 22 s for
    40 kB); the words are counted once."""
    started = time.process_time()
    parsed = names.parse_name("Lee Kim " + generation * 8_000)
    assert time.process_time() - started < 2.0
    assert (parsed.first, parsed.last) == ("lee", "kim")


@pytest.mark.parametrize("name", ["LEE " + "JR " * 300_000, "DR " * 300_000 + "LEE",
                                  "MR " * 150_000 + "LEE " + "III " * 150_000])  # fmt: skip
def test_a_name_of_many_titles_or_suffixes_is_read_in_bounded_time(name: str) -> None:
    """A hostile cell or bulk record: each honorific was taken off the front of a list and
    each suffix put back at its front, one at a time (quadratic: 17 s for 1 MB of "JR")."""
    started = time.process_time()
    parsed = names.parse_name(name)
    assert time.process_time() - started < 2.0
    assert parsed.last == "lee"


def test_a_company_of_many_leading_articles_is_read_in_bounded_time() -> None:
    """Each leading "the" was deleted off the front of the words one at a time (quadratic:
    3.4 s for 1 MB of "THE ")."""
    started = time.process_time()
    folded = companies.normalize_company("THE " * 250_000 + "Acme Plumbing, LLC")
    assert time.process_time() - started < 1.0
    assert folded == "acme plumbing"


def test_long_names_are_not_kept_in_the_cache() -> None:
    """A bulk record's name column may hold ~1 MB, and the index parses it: each was kept in
    the cache of 65,536 names (40 rows kept 80 MB; a hostile file could keep 64 GB). Only
    names short enough for nameparser, the cost the cache saves, are kept."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(40):
            assert names.parse_name(f"ann {i} " + "x" * (1 << 20)).first == "ann"
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 1 << 20, f"{kept:,} bytes kept"
