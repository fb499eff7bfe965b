"""Blocking on the columns' numbers gives the blocks the keys' text gives (``Rule.keys``, on
which the Spark engine joins): the same pairs, the same blocks left out and said alike,
whether the tables are numbered alike or not; and a key's text is equal only where all its
parts are, whatever they hold."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import ModuleType

import numpy as np
import pytest

from skiptrace.matching import blocking
from skiptrace.matching.blocking import RULES, Oversized, Part, Rule, candidate_pairs
from skiptrace.matching.prepare import Table, prepare, prepare_records

ODD = [  # values a key's text could run together, or nothing at all
    {"first_name": "|", "last_name": "Roe", "zip": "||"},  # "|" + "||" was "||" + "|"
    {"first_name": "||", "last_name": "Doe", "zip": "|"},
    {"first_name": "\\", "last_name": "\\|", "city": "\\", "zip": "\\|"},
    {"first_name": "\\|", "last_name": "\\", "city": "\\|", "zip": "\\"},
    {"first_name": "|", "last_name": "||", "city": "|", "zip": "|"},
    {"first_name": "Łukasz", "last_name": "Żółć", "city": "Łódź", "zip": "90-001"},
    {"first_name": "", "last_name": "", "address": ""},
    {"first_name": "Roe", "last_name": "Jo", "city": "a|b"},
    {"first_name": "Jo", "last_name": "Roe", "city": "a|b", "address": "1 Oak St"},
]


def _by_text(
    left: Table, right: Table
) -> tuple[set[tuple[int, int]], list[Oversized], set[tuple[int, int]]]:
    """The candidate pairs as the keys' text gives them, the way the Spark engine joins, and
    those that a rule which is no fallback gives."""
    pairs: set[tuple[int, int]] = set()
    specific: set[tuple[int, int]] = set()
    oversized = []
    for rule in blocking.RULES:  # as the test may have set them
        lk, rk = rule.keys(left, "left").tolist(), rule.keys(right, "right").tolist()
        on_right: dict[str, list[int]] = {}
        for j, key in enumerate(rk):
            on_right.setdefault(key, []).append(j)
        on_left: dict[str, list[int]] = {}
        for i, key in enumerate(lk):
            on_left.setdefault(key, []).append(i)
        sizes = {k: len(v) * len(on_right.get(k, [])) for k, v in on_left.items() if k}
        over = {k: n for k, n in sizes.items() if n > rule.max_pairs}
        if over:
            most = max(over.values())
            largest = min(k for k, n in over.items() if n == most)
            oversized.append(Oversized(rule.name, len(over), sum(over.values()), largest, most,
                                       rule.max_pairs))  # fmt: skip
        for key, rows in on_left.items():
            if key and key not in over:
                found = {(i, j) for i in rows for j in on_right.get(key, [])}
                pairs |= found
                if not rule.fallback:
                    specific |= found
    return pairs, oversized, specific


def _same_blocks(left: Table, right: Table) -> int:
    found = candidate_pairs(left, right)
    pairs, oversized, specific = _by_text(left, right)
    made = list(zip(found.left.tolist(), found.right.tolist(), strict=True))
    assert set(made) == pairs
    assert list(found.oversized) == oversized
    fallback = {pair for pair, only in zip(made, found.fallback.tolist(), strict=True) if only}
    assert fallback == pairs - specific
    assert 0 < len(fallback) < len(pairs)
    return len(pairs)


@pytest.fixture
def households(benchmark_script: Callable[[str], ModuleType]) -> tuple[list[dict[str, str]], ...]:
    made = benchmark_script("us_households").generate(seed=3, debtors=600)
    return [*made.left, *ODD], [*made.right, *ODD]


def test_numbers_block_as_the_keys_text_does(
    households: tuple[list[dict[str, str]], ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    # small caps: blocks left out, and ties among the largest
    rules = [Rule(r.name, r.parts, r.right_parts, min(r.max_pairs, 2), r.fallback) for r in RULES]
    monkeypatch.setattr(blocking, "RULES", tuple(rules))
    left_records, right_records = households
    left, right = prepare_records(left_records, right_records, batch=101)
    assert _same_blocks(left, right) > 200
    assert _same_blocks(Table(left.columns), Table(right.columns)) > 200
    assert _same_blocks(Table(left.columns), right) > 200  # not numbered alike
    assert any(found.keys > 1 for found in candidate_pairs(left, right).oversized)


def test_a_key_is_equal_only_where_every_part_is() -> None:
    table = prepare(ODD)
    first_and_zip = next(r for r in RULES if r.name == "first name and ZIP")
    keys = first_and_zip.keys(table, "left").tolist()
    assert (keys[0], keys[1]) == ("\\||\\|\\|", "\\|\\||\\|")  # escaped: not both "||||"
    assert len(set(keys[:5])) == 5
    pairs = candidate_pairs(table, table)
    assert (0, 1) not in set(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True))


def test_parts_that_face_each_other_are_made_alike() -> None:
    with pytest.raises(ValueError, match="a made part faces another part"):
        Rule("odd", (Part("first", lambda v: v[:1]),), (Part("last", lambda v: v[:1]),))


def _keys_of(records: Sequence[Mapping[str, str]], rule: str) -> list[str]:
    found = next(r for r in RULES if r.name == rule)
    return [str(k) for k in found.keys(prepare(records), "left").tolist()]


def test_the_keys_text_reads_as_before_for_plain_values() -> None:
    records = [{"first_name": "John", "last_name": "Smith", "city": "Perryville"}]
    assert _keys_of(records, "city and initial") == ["perryville|j"]
    assert _keys_of(records, "surname soundex and initial") == ["s530|j"]
    assert np.array_equal(_keys_of(records, "last name"), ["smith"])
