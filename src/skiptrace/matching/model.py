"""Fellegi-Sunter scoring: per-field match weights learnt from the data, without labels.

For each comparison level, m is how often true matches land on it and u how often non-matches
do; a pair's weight is the sum of log(m/u) over its fields, and its match probability follows
from the prior share of matches. u comes from random pairs (almost all non-matches); m and the
prior are estimated by expectation-maximisation over the candidate pairs, starting from sound
priors (which are also what is used when there is too little data to learn from). Exact
agreement on a name is then adjusted by how common the name is. Weights are kept monotone:
an agreeing field never lowers a score, a stronger level never weighs less than a weaker one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from skiptrace.matching.comparisons import (
    BY_NAME,
    COMPARISONS,
    IDENTIFYING_FIELDS,
    NAME_FIELDS,
    Compared,
    Comparison,
    Floats,
    Indices,
    compare,
)
from skiptrace.matching.prepare import Column, Table

MIN_PAIRS_FOR_EM = 200
MIN_RECORDS_FOR_EM = 20
"""With fewer records on either side, EM would learn one record's quirks: priors are used."""
"""Fewer candidate pairs than this and the priors are used as they are."""
EM_ITERATIONS = 25
U_SAMPLE = 20_000
"""Random pairs that measure u for scoring."""
HIGH, MEDIUM = 0.95, 0.7
MAX_TF_BOOST = np.log(20.0)
"""A rare name may count at most 20 times more than an average one."""


_PRIOR_U_EXACT = {
    "first_name": 0.01, "last_name": 0.005, "suffix": 0.3, "street": 0.0005, "address2": 0.001,
    "number": 0.02, "city": 0.005, "zip": 0.005, "state": 0.1, "phone": 0.0001,
    "email": 0.0001, "employer": 0.001, "dob": 0.001,
}  # fmt: skip
"""How often two different people agree exactly on a field, before any data says otherwise."""


def _prior_u(comparison: Comparison) -> Floats:
    """u before any data: agreement is rare between different people, fuzzy agreement less so."""
    exact = _PRIOR_U_EXACT[comparison.name]
    agreement = [exact * 2**level for level in range(len(comparison.levels))]
    return np.array([0.0, *agreement, 1.0 - sum(agreement)])


def prior_model() -> Model:
    """The model used when there is too little data to learn from (a single lookup)."""
    return Model(
        prior=0.01,
        m={c.name: _prior_m(c) for c in COMPARISONS},
        u={c.name: _prior_u(c) for c in COMPARISONS},
        tf={},
        u_random={c.name: _PRIOR_U_EXACT[c.name] for c in COMPARISONS if c.tf},
    )


def _prior_m(comparison: Comparison) -> Floats:
    """m before any data: most true matches agree exactly, a few fuzzily, very few disagree."""
    agreement = [0.85, 0.08, 0.04, 0.02][: len(comparison.levels)]
    m = np.array([0.0, *agreement, 0.0])
    m[-1] = max(0.01, 1.0 - m.sum())
    return np.asarray(m / m[1:].sum(), dtype=np.float64)


@dataclass
class Model:
    """Learnt parameters: the prior match share among candidates, and m and u per level."""

    prior: float
    m: dict[str, Floats]
    u: dict[str, Floats]
    tf: dict[str, Mapping[str, float]]
    """Relative frequency of each value of the tf-adjusted columns, both sides pooled."""
    u_random: dict[str, float]
    """Exact-agreement u of the tf-adjusted comparisons among random pairs: the average a
    value's own frequency is measured against (the candidates' u is inflated by blocking)."""

    def weights(self, name: str) -> Floats:
        """Monotone log(m/u) per level code; 0 for null."""
        comparison = BY_NAME[name]
        with np.errstate(divide="ignore"):
            raw = np.log(np.maximum(self.m[name], 1e-6)) - np.log(np.maximum(self.u[name], 1e-6))
        agree = np.minimum.accumulate(np.maximum(raw[1:-1], 0.0))  # weaker never outweighs stronger
        weights = np.concatenate([[0.0], agree, [min(raw[-1], 0.0)]])
        assert len(weights) == comparison.n_levels
        return weights

    def pair_weights(self, compared: Compared, left: Table, li: Indices) -> dict[str, Floats]:
        """Each comparison's weight for each pair, term-frequency adjusted."""
        out: dict[str, Floats] = {}
        for comparison in COMPARISONS:
            levels = compared.levels[comparison.name]
            weights = self.weights(comparison.name)
            pair = weights[levels]
            if comparison.tf and self.tf.get(comparison.name):
                pair = self._tf_adjusted(comparison, pair, levels, weights, left, li)
            out[comparison.name] = pair
        return out

    def _tf_adjusted(
        self,
        comparison: Comparison,
        pair: Floats,
        levels: npt.NDArray[np.int8],
        weights: Floats,
        left: Table,
        li: Indices,
    ) -> Floats:
        exact = levels == 1
        if not exact.any():
            return pair
        frequencies = self.tf[comparison.name]
        average = self.u_random[comparison.name]
        # looked up once per record, then indexed per pair (exact: both sides hold the value)
        per_record = np.array([frequencies.get(v, average) for v in left[comparison.column]])
        tf = per_record[li[exact]]
        boost = np.clip(np.log(max(average, 1e-9)) - np.log(np.maximum(tf, 1e-9)),
                        -np.inf, MAX_TF_BOOST)  # fmt: skip
        adjusted = pair.copy()
        floor = weights[2] if comparison.n_levels > 3 else 0.0
        adjusted[exact] = np.maximum(pair[exact] + boost, max(floor, 0.0))
        return adjusted

    def probability(self, total_weight: Floats) -> Floats:
        """Match probability from the summed weights and the prior."""
        logit = np.log(self.prior / (1.0 - self.prior)) + total_weight
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logit, -60, 60))), dtype=np.float64)


def train(
    left: Table, right: Table, li: Indices, ri: Indices, compared: Compared, seed: int = 0
) -> Model:
    """Start from the priors; with enough candidate pairs, learn m, u and the prior by EM."""
    model = prior_model()
    if len(li) < MIN_PAIRS_FOR_EM or min(len(left), len(right)) < MIN_RECORDS_FOR_EM:
        return model
    model.tf = _term_frequencies(left, right)
    model.u_random = {
        c.name: _chance_agreement(left[c.column], right[c.column]) for c in COMPARISONS if c.tf
    }
    model.prior = float(np.clip(min(len(left), len(right)) / len(li), 1e-4, 0.5))
    _em(model, compared)
    # EM ran among the candidates, where blocking makes non-matches agree far more often
    # than between random records. m (how matches look) carries over; for scoring, u and the
    # prior are put back on the scale of all pairs, as Fellegi-Sunter defines them.
    matches = model.prior * len(li)
    model.u = _random_u(left, right, seed)
    model.prior = float(np.clip(matches / (len(left) * len(right)), 1e-9, 0.5))
    return model


def _random_u(left: Table, right: Table, seed: int) -> dict[str, Floats]:
    """u per level from random pairs: almost all of them are non-matches."""
    rng = np.random.default_rng(seed)
    n = min(U_SAMPLE, len(left) * len(right))
    li = rng.integers(0, len(left), n).astype(np.intp)
    ri = rng.integers(0, len(right), n).astype(np.intp)
    compared = compare(left, right, li, ri)
    u = {}
    for comparison in COMPARISONS:
        counted = np.bincount(compared.levels[comparison.name], minlength=comparison.n_levels)
        counts = counted.astype(np.float64) + 0.5  # no level is impossible
        counts[0] = 0.0
        u[comparison.name] = counts / counts[1:].sum()
    return u


def _chance_agreement(left: Column, right: Column) -> float:
    """How often a random left and a random right record share a value: the average that a
    name's own frequency is measured against (exact, no sampling needed)."""
    left_counts, right_counts = Counter(left.tolist()), Counter(right.tolist())
    left_counts.pop("", None)
    right_counts.pop("", None)
    pairs = sum(left_counts.values()) * sum(right_counts.values())
    if not pairs:
        return 1e-3
    shared = sum(n * right_counts[v] for v, n in left_counts.items() if v in right_counts)
    return max(shared / pairs, 1e-6)


def _em(model: Model, compared: Compared) -> None:
    """Refine m, u and the prior over the candidate pairs.

    u must be re-estimated here too: candidates come from blocking, so their non-matches share
    surnames or postcodes far more often than random pairs do, and a u from random pairs
    would make those shared values look like evidence of a match.
    """
    informative = [c for c in COMPARISONS if compared.levels[c.name].any()]  # not all null
    for _ in range(EM_ITERATIONS):
        total = np.zeros(len(next(iter(compared.levels.values()))))
        for comparison in informative:
            raw = np.log(np.maximum(model.m[comparison.name], 1e-9)) - np.log(
                np.maximum(model.u[comparison.name], 1e-9)
            )
            raw[0] = 0.0
            total += raw[compared.levels[comparison.name]]
        p = model.probability(total)
        previous = model.prior
        model.prior = float(np.clip(p.mean(), 1e-6, 0.999))
        for comparison in informative:
            levels = compared.levels[comparison.name]
            model.m[comparison.name] = _distribution(levels, p, comparison.n_levels)
            model.u[comparison.name] = _distribution(levels, 1.0 - p, comparison.n_levels)
        if abs(model.prior - previous) < 1e-7:
            break


def _distribution(levels: npt.NDArray[np.int8], weight: Floats, n_levels: int) -> Floats:
    """Weighted share of each non-null level (smoothed so that none is impossible)."""
    mass = np.bincount(levels, weights=weight, minlength=n_levels) + 1e-3
    mass[0] = 0.0
    return np.asarray(mass / mass[1:].sum(), dtype=np.float64)


def _term_frequencies(left: Table, right: Table) -> dict[str, Mapping[str, float]]:
    """Each value's share of the non-empty values, both sides pooled."""
    frequencies: dict[str, Mapping[str, float]] = {}
    for comparison in COMPARISONS:
        if comparison.tf:
            counts = Counter(left[comparison.column].tolist() + right[comparison.column].tolist())
            counts.pop("", None)
            total = sum(counts.values())
            if total:
                frequencies[comparison.name] = {v: n / total for v, n in counts.items()}
    return frequencies


@dataclass(frozen=True)
class Scores:
    """Scores of a set of pairs, with what is needed to explain and band them."""

    probability: Floats
    weights: dict[str, Floats]
    compared: Compared

    def describe(self, indices: Sequence[int]) -> list[tuple[str, str]]:
        """(band, matched_on) of each pair in ``indices``, in one pass over plain lists.

        Band: high, medium or low; a pair agreeing on the name alone is never high, nor one
        whose name suffixes (Jr, Sr, III) or first names differ (relatives share the rest).
        matched_on: the agreeing fields, ``name~0.93,street=,zip=`` (``=`` exact, ``~``
        similar).
        """
        picked = np.asarray(indices, dtype=np.intp)
        level = {n: codes[picked].tolist() for n, codes in self.compared.levels.items()}
        sims = {n: values[picked].tolist() for n, values in self.compared.similarity.items()}
        last = {c.name: c.n_levels - 1 for c in COMPARISONS}
        transposed = self.compared.transposed[picked].tolist()
        out = []
        for k, p in enumerate(self.probability[picked].tolist()):
            agrees = {name: 0 < level[name][k] < last[name] for name in last}
            parts = []
            names = [n for n in NAME_FIELDS if agrees[n]]
            if names:
                exact = all(level[n][k] == 1 for n in names)
                mean = sum(sims[n][k] for n in names) / len(names)
                label = "name" if len(names) == 2 else names[0].removesuffix("_name")
                label += "=" if exact else f"~{mean:.2f}"
                parts.append(label + ("(transposed)" if transposed[k] else ""))
            for name in last:
                if agrees[name] and name not in NAME_FIELDS:
                    parts.append(name + ("=" if level[name][k] == 1 else f"~{sims[name][k]:.2f}"))
            identified = any(agrees[name] for name in IDENTIFYING_FIELDS)
            suffixes_differ = level["suffix"][k] == last["suffix"]
            first_differs = level["first_name"][k] == last["first_name"]  # a relative, perhaps
            if p >= HIGH and identified and not suffixes_differ and not first_differs:
                band = "high"
            else:
                band = "medium" if p >= MEDIUM else "low"
            out.append((band, ",".join(parts)))
        return out

    def explain(self, index: int) -> list[tuple[str, str, float]]:
        """(field, level, weight) for every comparison of one pair."""
        out = []
        for comparison in COMPARISONS:
            level = int(self.compared.levels[comparison.name][index])
            names = ("null", *comparison.levels, "else")
            out.append((comparison.name, names[level],
                        round(float(self.weights[comparison.name][index]), 3)))  # fmt: skip
        return out


def score(model: Model, left: Table, right: Table, li: Indices, ri: Indices) -> Scores:
    """Probability of every pair (``li[k]``, ``ri[k]``) under ``model``."""
    compared = compare(left, right, li, ri)
    return scores_of(model, compared, left, li)


def scores_of(model: Model, compared: Compared, left: Table, li: Indices) -> Scores:
    weights = model.pair_weights(compared, left, li)
    total = np.sum(list(weights.values()), axis=0) if weights else np.zeros(len(li))
    return Scores(model.probability(np.asarray(total, dtype=np.float64)), weights, compared)
