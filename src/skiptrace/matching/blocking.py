"""Blocking: which pairs are worth comparing at all, so large files never compare every pair.

Several rules, unioned; a pair is a candidate if any rule gives both records the same key.
Each rule is forgiving in a different way (a typo in the surname, a missing postcode, a
transposed name), so together they keep true pairs while comparing a tiny share of all pairs.
Keys are numbered (one dict pass per rule) and matched by sorting the numbers. A key
shared by too many records on both sides (the "John Smith" problem: a very common surname)
is left out of that rule, and said so (``Candidates.oversized``): the other rules still reach
its true pairs with more specific keys (first name and ZIP, house number and ZIP, street).

Each rule is a function of one side's prepared columns (``Rule.keys``), so an engine that
joins the keys elsewhere (``skiptrace.matching.engines``) blocks exactly as this one does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

from skiptrace.errors import LinkingError
from skiptrace.matching.comparisons import Indices
from skiptrace.matching.prepare import Column, Distinct, Table

MAX_BLOCK_PAIRS = 1_000
"""Pairs one key may contribute within one rule; a key over it is left out of the rule."""
LOOSE_BLOCK_PAIRS = 100
"""The same for a loose rule (``Rule.max_pairs``): a key that says little of who someone is (an
initial and a town, a surname's sound and an initial, a building) is worth its pairs only where
few records share it. At 100,000 records a side (benchmarks/link_scale.py) the three loose
rules gave 1.57 million pairs under ``MAX_BLOCK_PAIRS`` and no link that another rule did not
find; under this the candidates fell from 2.28 to 1.23 million, the links stayed the same, and
FEBRL4 and the US household set link the same (FEBRL4's names and addresses alone: 2 of 5,000
copies fewer)."""
MAX_CANDIDATES = 100_000_000
"""Candidate pairs past which a run stops before comparing: blocking holds about 40 bytes a
pair at its peak (4 GB here) and comparing takes about 10 us a pair on one core (hours). Each
rule's pairs are counted before they are made, so a run stops before the memory is spent."""

_SOUNDEX = {
    letter: digit
    for letters, digit in (("bfpv", "1"), ("cgjkqsxz", "2"), ("dt", "3"), ("l", "4"),
                           ("mn", "5"), ("r", "6"))
    for letter in letters
}  # fmt: skip


def soundex(word: str) -> str:
    """American Soundex ("robert" and "rupert" both give r163): tolerant of spelling."""
    letters = [ch for ch in word.lower() if "a" <= ch <= "z"]
    if not letters:
        return ""
    code, previous = letters[0], _SOUNDEX.get(letters[0], "")
    for letter in letters[1:]:
        digit = _SOUNDEX.get(letter, "")
        if digit and digit != previous:
            code += digit
        if letter not in "hw":
            previous = digit
    return (code + "000")[:4]


def _join(*columns: Column) -> Column:
    """Columns joined into one key; empty if any part is empty (no key, no block)."""
    rows = zip(*(column.tolist() for column in columns), strict=True)
    return np.array(["|".join(parts) if all(parts) else "" for parts in rows], dtype=object)


def _start(column: Column, length: int) -> Column:
    """Each value's first ``length`` characters."""
    return np.array([value[:length] for value in column.tolist()], dtype=object)


def _soundex_last(table: Table) -> Column:
    """Soundex of the surname's last word, and the first initial; each distinct surname coded
    once (a million records hold some tens of thousands)."""
    codes = Distinct(table["last"].tolist()).column(lambda last: soundex(last.split(" ")[-1]))
    return _join(codes, _start(table["first"], 1))


@dataclass(frozen=True)
class Rule:
    """One blocking rule: its name (for reports) and its key of each side's records."""

    name: str
    left: Callable[[Table], Column]
    right_key: Callable[[Table], Column] | None = None
    """The right side's key when it differs (a transposed name); else ``left``'s."""
    max_pairs: int = MAX_BLOCK_PAIRS
    """Pairs one key may contribute (``MAX_BLOCK_PAIRS``, or ``LOOSE_BLOCK_PAIRS``)."""

    def keys(self, table: Table, side: str) -> Column:
        """Each record's key on ``side`` ("left" or "right"); "" for no key."""
        key = self.right_key if side == "right" and self.right_key else self.left
        return key(table)


RULES = (
    Rule("last name", lambda t: t["last"]),
    Rule("surname soundex and initial", _soundex_last, max_pairs=LOOSE_BLOCK_PAIRS),
    Rule("first name and ZIP", lambda t: _join(t["first"], t["zip"])),
    Rule("ZIP and house number", lambda t: _join(t["zip"], t["number"])),
    Rule("first name and surname start", lambda t: _join(t["first"], _start(t["last"], 2))),
    Rule("transposed name", lambda t: _join(t["last"], t["first"]),
         lambda t: _join(t["first"], t["last"])),
    Rule("phone", lambda t: t["phone"]),
    Rule("e-mail", lambda t: t["email"]),
    Rule("identity number", lambda t: t["id_number"]),
    Rule("street line", lambda t: t["street"]),
    Rule("street name and city", lambda t: _join(t["street_name"], t["city"])),
    Rule("second address line", lambda t: t["address2"], max_pairs=LOOSE_BLOCK_PAIRS),
    Rule("city and initial", lambda t: _join(t["city"], _start(t["first"], 1)),
         max_pairs=LOOSE_BLOCK_PAIRS),
)  # fmt: skip


@dataclass(frozen=True)
class Oversized:
    """Keys of one rule left out for sharing more than ``cap`` pairs each (``Rule.max_pairs``)."""

    rule: str
    keys: int
    pairs: int
    """Pairs those keys would have given."""
    largest: str
    largest_pairs: int
    cap: int

    def __str__(self) -> str:
        keys = f"{self.keys:,} key" + ("" if self.keys == 1 else "s")
        return (
            f"blocking rule '{self.rule}': {keys} over {self.cap:,} pairs "
            f"each left out ({self.pairs:,} pairs; largest {self.largest!r}, "
            f"{self.largest_pairs:,}); the other rules still reach their records"
        )


@dataclass(frozen=True)
class Candidates:
    """The candidate pairs, sorted by left then right index, each pair once."""

    left: Indices
    right: Indices
    oversized: tuple[Oversized, ...]


def candidate_pairs(left: Table, right: Table) -> Candidates:
    """Every pair some rule puts in one block, each pair once, with the blocks left out."""
    n_right = len(right)
    pair_ids, oversized = np.zeros(0, dtype=np.int64), []
    for rule in RULES:
        li, ri, skipped = _pairs(rule, rule.keys(left, "left"), rule.keys(right, "right"),
                                 MAX_CANDIDATES - len(pair_ids))  # fmt: skip
        if skipped:
            oversized.append(skipped)
        # merged rule by rule: every rule's pairs are never all held at once
        pair_ids = _union(pair_ids, li.astype(np.int64, copy=False) * n_right + ri)
        del li, ri
    width = max(n_right, 1)
    # 32-bit positions where they fit: at a million records a side, 24 million pairs
    # take 194 MB instead of 387 MB (numpy indexes with either)
    kind = np.int32 if max(len(left), len(right)) < 2**31 else np.intp
    left_of = (pair_ids // width).astype(kind)
    right_of = (pair_ids % width).astype(kind)
    del pair_ids
    return Candidates(cast(Indices, left_of), cast(Indices, right_of), tuple(oversized))


def too_many_candidates(rule: Rule) -> LinkingError:
    """The error of a run whose ``rule`` brings the candidate pairs past ``MAX_CANDIDATES``."""
    return LinkingError(
        f"blocking rule '{rule.name}' brings the candidate pairs past {MAX_CANDIDATES:,}: "
        "more than this machine can compare; split the files (by state, say) and link each part"
    )


def _union(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The sorted distinct values of ``a`` (sorted and distinct) and ``b`` (by sorting: numpy
    2's hashing ``union1d`` took 3 s a call on a few million pair numbers). ``b`` is sorted
    alone and the two runs merged by the stable sort, which finds runs (4x faster than sorting
    them together at a million records a side)."""
    if not len(b):
        return a
    both = np.concatenate([a, np.sort(b)])
    both.sort(kind="stable")
    keep = np.ones(len(both), dtype=bool)
    keep[1:] = both[1:] != both[:-1]
    return both[keep]


def _pairs(
    rule: Rule, left_keys: Column, right_keys: Column, room: int
) -> tuple[Indices, Indices, Oversized | None]:
    """All (i, j) with left_keys[i] == right_keys[j] != "", blocks over the cap left out
    (and described: the largest, the first in sorted order among equals); ``LinkingError``
    before they are made if they are more than ``room``."""
    code: dict[str, int] = {"": 0}
    left_codes = np.fromiter((code.setdefault(k, len(code)) for k in left_keys.tolist()),
                             dtype=np.int64, count=len(left_keys))  # fmt: skip
    right_codes = np.fromiter((code.setdefault(k, len(code)) for k in right_keys.tolist()),
                              dtype=np.int64, count=len(right_keys))  # fmt: skip
    n_left = len(left_keys)
    left_count = np.bincount(left_codes, minlength=len(code))
    right_count = np.bincount(right_codes, minlength=len(code))
    size = left_count.astype(np.int64) * right_count
    size[0] = 0  # no key, no block
    over = size > rule.max_pairs
    skipped = None
    if over.any():
        keys = list(code)
        most = int(size.max())
        largest = min(keys[k] for k in np.flatnonzero(size == most))
        skipped = Oversized(rule.name, int(over.sum()), int(size[over].sum()), largest, most,
                            rule.max_pairs)  # fmt: skip
    usable = ~over & (size > 0)
    if int(size[usable].sum()) > room:
        raise too_many_candidates(rule)
    order = np.argsort(right_codes, kind="stable")
    sorted_codes = right_codes[order]
    start = np.searchsorted(sorted_codes, left_codes, "left")
    counts = np.searchsorted(sorted_codes, left_codes, "right") - start
    counts[~usable[left_codes]] = 0
    li = np.repeat(np.arange(n_left), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    ri = order[np.repeat(start, counts) + offsets]
    return li.astype(np.intp, copy=False), ri.astype(np.intp, copy=False), skipped
