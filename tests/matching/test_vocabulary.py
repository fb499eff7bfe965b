"""Values numbered in a ``Vocabulary`` compare as their strings do: ``compare`` on tables
numbered alike gives the same ``Compared``, field for field and pair for pair, as on the same
tables compared as strings (the Spark engine's tables carry no numbers)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import fields
from types import ModuleType

import numpy as np
import pytest

from skiptrace.matching.blocking import candidate_pairs
from skiptrace.matching.comparisons import Compared, compare
from skiptrace.matching.prepare import (
    COLUMNS,
    Table,
    Vocabulary,
    field_batches,
    numbered_alike,
    prepare,
    prepare_both,
    prepare_records,
    unshared_ids,
)

ODD = [
    {"full_name": "ROE, JANE", "address": "12 Oak St", "zip": "62704"},  # written last-first
    {"first_name": "Jane", "last_name": "Roe", "address": "12 Oak Street", "zip": "62704"},
    {"first_name": "Roe", "last_name": "Jane", "address2": "Oak St", "address": "12"},
    {"first_name": "Bob", "last_name": "Roe", "suffix": "Jr", "id_number": "501-23-4567"},
    {"first_name": "Robert", "last_name": "Roe", "suffix": "Sr", "id_number": "501-23-4567"},
    {"first_name": "", "last_name": "", "address": "16"},
    {"first_name": "J", "last_name": "Roe", "dob": "1980-05-01", "phone": "217 555 0134"},
    {"first_name": "Jane", "last_name": "Roe", "dob": "1980-01-05", "phone": "(217) 555-0134"},
]


def _strings(table: Table) -> Table:
    return Table(table.columns)


def _same(a: Compared, b: Compared) -> None:
    for f in fields(Compared):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, dict):
            assert x.keys() == y.keys(), f.name
            for key in x:
                assert np.array_equal(x[key], y[key]), (f.name, key)
        else:
            assert np.array_equal(x, y), f.name


def test_numbers_compare_as_the_strings_do(benchmark_script: Callable[[str], ModuleType]) -> None:
    households = benchmark_script("us_households").generate(seed=5, debtors=400)
    both = prepare_records([*households.left, *ODD], [*households.right, *ODD], batch=97)
    left, right = map(unshared_ids, both)
    assert numbered_alike(left, right) and set(left.codes) == set(COLUMNS)
    pairs = candidate_pairs(left, right)
    n = len(pairs.left)
    everything = (np.repeat(np.arange(len(ODD)), len(ODD)) + len(households.left),
                  np.tile(np.arange(len(ODD)), len(ODD)) + len(households.right))  # fmt: skip
    rng = np.random.default_rng(5)  # strangers too, past compare's reordering threshold
    li = np.concatenate([pairs.left, everything[0], rng.integers(0, len(left), 20_000)])
    ri = np.concatenate([pairs.right, everything[1], rng.integers(0, len(right), 20_000)])
    assert n > 300
    numbered = compare(left, right, li, ri)
    _same(numbered, compare(_strings(left), _strings(right), li, ri))
    assert numbered.transposed.any() and numbered.nameless.any()


def test_one_number_per_value_on_both_sides() -> None:
    left, right = prepare_records(ODD, ODD[::-1], batch=3)
    for column in COLUMNS:
        for side in (left, right):
            values, codes = side[column].tolist(), side.codes[column].tolist()
            assert all((v == "") == (c == 0) for v, c in zip(values, codes, strict=True))
        seen: dict[int, str] = {}
        for side in (left, right):
            for v, c in zip(side[column].tolist(), side.codes[column].tolist(), strict=True):
                assert seen.setdefault(c, v) == v, column


def test_tables_of_two_vocabularies_compare_as_strings() -> None:
    a, b = prepare_records(ODD, [])[0], prepare_records(ODD, [])[0]
    assert not numbered_alike(a, b) and not numbered_alike(prepare(ODD), prepare(ODD))
    index = np.arange(len(ODD))
    _same(compare(a, b, index, index), compare(_strings(a), _strings(b), index, index))


def test_unshared_ids_blank_the_numbers_too() -> None:
    table = unshared_ids(prepare_records(ODD, [])[0])
    assert table["id_number"].tolist() == [""] * len(ODD)
    assert table.codes["id_number"].tolist() == [0] * len(ODD)


def test_each_value_is_held_once() -> None:
    """A value another batch or the other file prepared is that first copy, not a second."""
    left, right = prepare_records(ODD, ODD, batch=2)
    for column in ("last", "street", "zip", "phone"):
        copies: dict[str, int] = {}
        for value in [*left[column].tolist(), *right[column].tolist()]:
            assert copies.setdefault(value, id(value)) == id(value), (column, value)


@pytest.mark.parametrize("workers", [0, 1])
def test_both_sides_prepared_as_each_alone(workers: int) -> None:
    """``prepare_both`` (values made afresh by ``Vocabulary.compacted``; the right side read
    in a worker) holds the values ``prepare`` gives, numbered alike on both sides, each value
    one object, and what reading the right side told."""
    left_records, right_records = ODD * 3, ODD[::-1]
    heard: list[int] = []
    left, right = prepare_both(field_batches(left_records, 5),
                               lambda: (field_batches(right_records, 3), os.getpid),
                               heard.append, workers)  # fmt: skip
    assert numbered_alike(left, right) and (heard == [os.getpid()]) == (workers == 0)
    assert len(heard) == 1
    for side, records in ((left, left_records), (right, right_records)):
        alone = prepare(records)
        for column in COLUMNS:
            assert side[column].tolist() == alone[column].tolist(), column
    for column in COLUMNS:
        held: dict[int, str] = {}
        for side in (left, right):
            for v, c in zip(side[column].tolist(), side.codes[column].tolist(), strict=True):
                assert held.setdefault(c, v) is v, (column, v)
                assert (v == "") == (c == 0)


def test_compacted_values_by_number() -> None:
    vocabulary = Vocabulary()
    words = ["", "Roe", "Jane", "12 Oak St", "Zoë", "x" * 300, "Roe"]
    codes = vocabulary.number(words)
    values = vocabulary.compacted()
    assert [values[c] for c in codes.tolist()] == words
    assert len(values) == 6 and vocabulary.numbers == {"": 0}
