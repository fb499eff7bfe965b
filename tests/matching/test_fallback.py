"""Fallback blocking rules (``blocking.Rule.fallback``): their pairs are compared only for a
left record that no other rule's pair links with a ``high`` band, and for every record when
every pair is asked for; a record only they reach is still linked."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

import numpy as np
import numpy.typing as npt
import pytest

from skiptrace.matching import model
from skiptrace.matching.blocking import RULES, candidate_pairs
from skiptrace.matching.comparisons import Compared, compare
from skiptrace.matching.link import choose_links, link
from skiptrace.matching.model import prior_model
from skiptrace.matching.prepare import prepare_records

link_module = importlib.import_module("skiptrace.matching.link")  # the package exports link()
_HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}
LEFT = [
    {"first_name": "Jane", "last_name": "Whitcombe", **_HOME, "dob": "1980-05-01"},
    {"first_name": "Jonathan", "middle_name": "Ellis", "last_name": "Quayle",
     "address": "5 Elm St", "city": "Dayton", "state": "OH", "zip": "45402",
     "dob": "1975-03-02"},
]  # fmt: skip
RIGHT = [
    {"first_name": "Jane", "last_name": "Whitcombe", **_HOME, "dob": "1980-05-01"},
    # her surname alone: only the "last name" rule (and its Soundex) gives this pair
    {"first_name": "Janet", "last_name": "Whitcombe", "address": "99 Pine Rd", "city": "Austin",
     "state": "TX", "zip": "78701", "dob": "1990-01-01"},
    # moved within his town, his first name misprinted: only fallback rules reach him
    {"first_name": "Jonathn", "middle_name": "Ellis", "last_name": "Quayle",
     "address": "77 Birch Ave", "city": "Dayton", "state": "OH", "zip": "45419",
     "dob": "1975-03-02"},
]  # fmt: skip


def _run(
    all_pairs: bool, threshold: float
) -> tuple[list[tuple[int, int, str]], set[tuple[int, int]]]:
    """The links (left, right, band) and the pairs compared to find them."""
    left, right = prepare_records(LEFT, RIGHT)
    found = candidate_pairs(left, right)
    li, ri = found.left, found.right
    pairs = list(zip(li.tolist(), ri.tolist(), strict=True))
    assert dict(zip(pairs, found.fallback.tolist(), strict=True)) == {
        (0, 0): False, (0, 1): True, (1, 2): True,
    }  # fmt: skip
    compared: set[tuple[int, int]] = set()

    def compared_by(where: npt.NDArray[np.bool_]) -> Compared:
        compared.update(pair for pair, wanted in zip(pairs, where.tolist(), strict=True) if wanted)
        return compare(left, right, li[where], ri[where])

    links = choose_links(prior_model(), left, right, li, ri, (li, ri), threshold=threshold,
                         all_pairs=all_pairs, fallback=found.fallback,
                         compared_by=compared_by)  # fmt: skip
    return [(k.left, k.right, k.band) for k in links], compared


def test_a_record_linked_high_is_not_compared_with_fallback_pairs() -> None:
    links, compared = _run(all_pairs=False, threshold=0.5)
    assert compared == {(0, 0), (1, 2)}  # never (0, 1): Jane is found at her home
    assert links == [(0, 0, "high"), (1, 2, "high")]  # Jonathan only a fallback rule reaches


def test_every_pair_is_compared_when_every_pair_is_asked_for() -> None:
    links, compared = _run(all_pairs=True, threshold=0.0)
    assert compared == {(0, 0), (0, 1), (1, 2)}
    assert links == [(0, 0, "high"), (0, 1, "low"), (1, 2, "high")]


def test_the_fallback_rules_are_the_loose_and_name_only_ones() -> None:
    fallback = {rule.name for rule in RULES if rule.fallback}
    assert fallback == {"last name", "surname soundex and initial",
                        "first name and surname start", "second address line",
                        "city and initial"}  # fmt: skip
    # the rules that say where someone lives or how to reach them always count
    assert {"first name and ZIP", "ZIP and house number", "street line", "phone"} <= {
        rule.name for rule in RULES if not rule.fallback
    }


def test_link_gives_what_comparing_every_pair_gives_on_a_household_set(
    benchmark_script: Callable[[str], ModuleType], monkeypatch: pytest.MonkeyPatch
) -> None:
    # EM's compared pairs (a sample of each chunk) reused, the fallback's skipped: every link
    # as if every pair were compared. True of this set, not of every one: a fallback pair
    # that would outscore a high pair is not compared, by design (test_spark has one)
    monkeypatch.setattr(model, "EM_PAIRS", 1_000)
    monkeypatch.setattr(link_module, "PAIRS_PER_CHUNK", 1_000)
    made = benchmark_script("us_households").generate(seed=3, debtors=600)
    register = [{"full_name": r["name"], "address": r["address"], "phone": r["phone"],
                 "dob": r["dob"]} for r in made.right]  # fmt: skip
    linkage = link(made.left, register)
    left, right = prepare_records(made.left, register)
    found = candidate_pairs(left, right)
    assert linkage.candidates == len(found.left) and found.fallback.sum() > 1000
    li, ri = found.left, found.right
    every = choose_links(linkage.model, left, right, li, ri, (li, ri), threshold=0.5,
                         all_pairs=False)  # fmt: skip
    assert len(linkage.links) > 300
    assert linkage.links == every
