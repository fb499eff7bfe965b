"""Linking two sets of records: block, compare, learn, score, choose, explain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from skiptrace.matching.blocking import candidate_pairs
from skiptrace.matching.comparisons import RELATIONS, compare
from skiptrace.matching.model import Model, Scores, prior_model, score, scores_of, train
from skiptrace.matching.prepare import prepare
from skiptrace.matching.rarity import RARE_BELOW
from skiptrace.matching.words import pair_words, reasoning, row

DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Link:
    """One scored pair: indices into the left and right inputs."""

    left: int
    right: int
    score: float
    band: str
    matched_on: str
    fields: tuple[tuple[str, str, float], ...] = ()
    """(field, level, weight) for every comparison; filled for pairs scored one at a time."""
    words: str = ""
    """The comparison in plain English for a reviewer (see ``words``); filled, like
    ``fields``, for pairs scored one at a time, empty from bulk ``link``."""
    relation: str = ""
    """What the names say the two may be to each other (``comparisons.RELATIONS``): "" none,
    ``first_name_differs`` (another member of a household), ``other_generation`` (Jr/Sr) or
    ``suffix_one_side_at_home`` (perhaps a parent who prints no suffix)."""
    namesakes: float | None = None
    """For a pair corroborated by the name alone: how many US adults are expected to share
    the agreeing name (``rarity.namesakes``), which its score follows; None otherwise."""
    rare_name: bool = False
    """A pair corroborated by the name alone whose name is rare (fewer than one expected
    namesake, both names in the tables): what lets it be ``medium``."""


@dataclass(frozen=True)
class Linkage:
    """Everything a linking run learnt and found, for callers that want more than the links."""

    links: list[Link]
    model: Model
    candidates: int


def link_records(
    left: Sequence[Mapping[str, str]],
    right: Sequence[Mapping[str, str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    all_pairs: bool = False,
    relatives: bool = True,
) -> list[Link]:
    """The best right record for each left record scoring at least ``threshold`` (or, with
    ``all_pairs``, every candidate pair that does), best first within each left record.
    ``relatives=False`` states that the files cannot hold each other's relatives (see
    ``model.Model.relatives``): a differing real first name at one address is then read as a
    corrupted copy where the files hold no households."""
    return link(left, right, threshold=threshold, all_pairs=all_pairs, relatives=relatives).links


def link(
    left: Sequence[Mapping[str, str]],
    right: Sequence[Mapping[str, str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    all_pairs: bool = False,
    relatives: bool = True,
) -> Linkage:
    """``link_records`` with the learnt model and the number of candidate pairs."""
    left_table, right_table = prepare(left), prepare(right)
    li, ri = candidate_pairs(left_table, right_table)
    compared = compare(left_table, right_table, li, ri)
    model = train(left_table, right_table, li, ri, compared, relatives=relatives)
    scores = scores_of(model, compared, left_table, li)
    chosen = _choose(li, scores, threshold, all_pairs)
    described = scores.describe(chosen)
    links = [
        Link(int(li[k]), int(ri[k]), round(float(scores.probability[k]), 6), band, matched_on,
             relation=RELATIONS[scores.compared.relation[k]], namesakes=_namesakes(scores, k),
             rare_name=_rare(scores, k))
        for k, (band, matched_on) in zip(chosen, described, strict=True)
    ]  # fmt: skip
    return Linkage(links, model, len(li))


def score_pair(
    left: Mapping[str, str], right: Mapping[str, str], model: Model | None = None
) -> Link:
    """One pair scored alone, with ``model`` or the priors (for a single lookup)."""
    left_table, right_table = prepare([left]), prepare([right])
    index = np.zeros(1, dtype=np.intp)
    scores = score(model or prior_model(), left_table, right_table, index, index)
    [(band, matched_on)] = scores.describe([0])
    probability = round(float(scores.probability[0]), 6)
    fields = tuple(scores.explain(0))
    levels = {field: level for field, level, _ in fields}
    transposed = bool(scores.compared.transposed[0])
    debtor, record = row(left_table, 0), row(right_table, 0)
    relation, namesakes = int(scores.compared.relation[0]), _namesakes(scores, 0)
    rare = _rare(scores, 0)
    reasons = reasoning(debtor, record, levels, relation, namesakes, rare)
    words = pair_words(debtor, record, levels, transposed, reasons)
    return Link(0, 0, probability, band, matched_on, fields, words, RELATIONS[relation],
                namesakes, rare)  # fmt: skip


def _rare(scores: Scores, k: int) -> bool:
    count = _namesakes(scores, k)
    return count is not None and count < RARE_BELOW and bool(scores.listed[k])


def _namesakes(scores: Scores, k: int) -> float | None:
    value = float(scores.namesakes[k])
    return None if value != value else value  # NaN: corroborated by more than the name


def _choose(li: np.ndarray, scores: Scores, threshold: float, all_pairs: bool) -> list[int]:
    """Pair positions above the threshold: all of them, or the best per left record."""
    probability = scores.probability
    order = np.lexsort((-probability, li))  # by left record, best first
    keep = probability[order] >= threshold
    if not all_pairs:
        first_of_left = np.ones(len(order), dtype=bool)
        first_of_left[1:] = li[order][1:] != li[order][:-1]
        keep &= first_of_left
    return [int(k) for k in order[keep]]
