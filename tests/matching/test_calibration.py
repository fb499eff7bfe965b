"""Scores mean probabilities (issue 12, item 3), on a small US household set from
benchmarks/us_households.py (seeds the calibration fit and the benchmark do not use): among
pairs scored about p, about p are true; a band never contradicts its score."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skiptrace.matching import Linkage, link, score_pair
from skiptrace.matching.model import HIGH, MEDIUM, band_of

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SEEDS = (101, 202)
DEBTORS = 500
Pair = tuple[int, int]


@pytest.fixture(scope="module")
def linked(
    benchmark_script: Callable[[str], ModuleType],
) -> list[tuple[Linkage, frozenset[Pair], dict[str, frozenset[Pair]]]]:
    generate = benchmark_script("us_households").generate
    out = []
    for seed in SEEDS:
        left, right, truth, relations = generate(seed, DEBTORS)
        register = [{"full_name": r["name"], "address": r["address"], "phone": r["phone"],
                     "dob": r["dob"]} for r in right]  # fmt: skip
        found = link(left, register, threshold=0.0, all_pairs=True)
        labelled = {name: frozenset(pairs) for name, pairs in relations.items()}
        out.append((found, frozenset(truth), labelled))
    return out


def _reported(found: Linkage, relations: dict[str, frozenset[Pair]]) -> dict[Pair, float]:
    """The benchmark's calibration pairs: each debtor's best candidate scoring >= 0.01 and
    every labelled relation pair (0 when not even a candidate)."""
    score = {(p.left, p.right): p.score for p in found.links}
    best: dict[int, Pair] = {}
    for p in found.links:  # best first within each left record
        best.setdefault(p.left, (p.left, p.right))
    reported = {pair: score[pair] for pair in best.values() if score[pair] >= 0.01}
    for pairs in relations.values():
        reported.update({pair: score.get(pair, 0.0) for pair in pairs})
    return reported


def test_expected_calibration_error(
    linked: list[tuple[Linkage, frozenset[Pair], dict[str, frozenset[Pair]]]],
) -> None:
    scored = [(p, pair in truth) for found, truth, relations in linked
              for pair, p in _reported(found, relations).items()]  # fmt: skip
    ece = 0.0
    for b in range(10):
        inside = [(p, t) for p, t in scored if min(int(p * 10), 9) == b]
        if inside:
            mean = sum(p for p, _ in inside) / len(inside)
            share = sum(t for _, t in inside) / len(inside)
            ece += len(inside) / len(scored) * abs(mean - share)
    assert ece <= 0.03, ece
    confident = [t for p, t in scored if p >= HIGH]
    assert sum(confident) / len(confident) >= HIGH  # "high" means it
    doubtful = [t for p, t in scored if p < 0.05]
    assert sum(doubtful) / len(doubtful) <= 0.1


def test_no_relative_is_taken_for_the_debtor(
    linked: list[tuple[Linkage, frozenset[Pair], dict[str, frozenset[Pair]]]],
) -> None:
    for found, _, relations in linked:
        score = {(p.left, p.right): p for p in found.links}
        for pair in relations["namesake"]:
            if pair in score:
                assert score[pair].band != "high", score[pair]
        household = relations["spouse"] | relations["parent_child"]
        above = [score[pair] for pair in household if pair in score and score[pair].score >= 0.5]
        # an initial alone may pass: "M. Ashmore" at Mary Ashmore's address
        assert len(above) <= max(1, len(household) // 100), above
        assert all(pair.relation == "" for pair in above)


def test_bands_follow_scores(
    linked: list[tuple[Linkage, frozenset[Pair], dict[str, frozenset[Pair]]]],
) -> None:
    for found, _, _ in linked:
        for pair in found.links:
            assert pair.band == band_of(pair.score), pair


@given(st.floats(0.0, 1.0))
def test_band_of(p: float) -> None:
    band = band_of(p)
    assert (band == "high") == (p >= HIGH) and (band == "medium") == (MEDIUM <= p < HIGH)


def test_score_one_is_never_medium() -> None:
    """Issue 12: "score 1.0, band medium" told a collector nothing."""
    home = {"address": "7 Elm Rd", "city": "Portland", "state": "OR", "zip": "97201"}
    scored = score_pair({"full_name": "John Smith Jr", **home}, {"full_name": "John Smith", **home})
    assert scored.band == band_of(scored.score) and scored.score < 0.5
