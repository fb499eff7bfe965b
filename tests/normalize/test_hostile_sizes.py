"""Hostile sizes: a debtor CSV cell or a bulk record may hold ~1 MB, and each normaliser that
reads one must stay linear in it (or cut it first)."""

from __future__ import annotations

import time

import pytest

from skiptrace.normalize import names


@pytest.mark.parametrize("generation", ["Jun. ", "Sen. "])
def test_a_name_of_many_abbreviated_generations_is_read_in_bounded_time(generation: str) -> None:
    """Each "Jun." or "Sen." counted every word of the whole name again (quadratic: 22 s for
    40 kB); the words are counted once."""
    started = time.perf_counter()
    parsed = names.parse_name("Lee Kim " + generation * 8_000)
    assert time.perf_counter() - started < 2.0
    assert (parsed.first, parsed.last) == ("lee", "kim")
