"""``model.statistics`` counts on the values' numbers what a plain count of the strings gives:
each term-frequency value's count per side, and the household pairs (records of one surname
and home whose first names differ), whether the tables are numbered in a vocabulary or not."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from types import ModuleType

from skiptrace.matching.levels import COMPARISONS
from skiptrace.matching.model import household_keys, statistics
from skiptrace.matching.prepare import Table, prepare, prepare_records

ODD = [  # a house number equal to a street line, no first name, no home, one-line homes
    {"first_name": "Ann", "last_name": "Roe", "address": "12", "zip": "62704"},
    {"first_name": "Bob", "last_name": "Roe", "address": "12"},
    {"first_name": "", "last_name": "Roe", "address": "12 Oak St", "zip": "62704"},
    {"first_name": "Cy", "last_name": "Roe"},
    {"first_name": "Ann", "last_name": "Roe", "address": "12 Oak St", "zip": "62704"},
    {"first_name": "Dee", "last_name": "Roe", "address": "12 Oak Street", "zip": "62704"},
]


def _by_strings(table: Table) -> tuple[dict[str, Counter[str]], int]:
    """What a count of the strings gives: tf values, and household pairs."""
    values = {}
    for c in COMPARISONS:
        if c.tf:
            counts = Counter(table[c.column].tolist())
            counts.pop("", None)
            values[c.name] = counts
    homes: dict[tuple[str, str, str], Counter[str]] = {}
    for group, first in zip(*household_keys(table), strict=True):
        if first:
            homes.setdefault(group, Counter())[first] += 1
    shared = 0
    for firsts in homes.values():
        total = sum(firsts.values())
        shared += (total * total - sum(k * k for k in firsts.values())) // 2
    return values, shared


def test_counted_on_numbers_as_on_strings(benchmark_script: Callable[[str], ModuleType]) -> None:
    made = benchmark_script("us_households").generate(seed=3, debtors=600)
    register = [{"full_name": r["name"], "address": r["address"], "phone": r["phone"]}
                for r in made.right]  # fmt: skip
    numbered = prepare_records([*made.left, *ODD], [*register, *ODD])
    plain = Table(numbered[0].columns), Table(numbered[1].columns)
    for left, right in (numbered, plain):
        stats = statistics(left, right)
        (left_values, left_shared), (right_values, right_shared) = map(_by_strings, (left, right))
        assert stats.household_pairs == left_shared + right_shared > 20
        for name, (on_left, on_right) in stats.values.items():
            assert (on_left, on_right) == (left_values[name], right_values[name])
            assert len(on_left) > 30


def test_one_side_without_households_or_records() -> None:
    stats = statistics(prepare([]), prepare(ODD))
    # 12 and 62704: Ann twice and Dee (2 pairs); Bob's line "12" with no ZIP is another home
    assert stats.household_pairs == _by_strings(prepare(ODD))[1] == 2
    assert stats.values["last_name"] == ({}, {"roe": 6})
