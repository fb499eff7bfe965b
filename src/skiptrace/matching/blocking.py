"""Blocking: which pairs are worth comparing at all, so large files never compare every pair.

Several rules, unioned; a pair is a candidate if any rule gives both records the same key.
Each rule is forgiving in a different way (a typo in the surname, a missing postcode, a
transposed name), so together they keep true pairs while comparing a tiny share of all pairs.
Keys are turned into integers and matched with sorting, not per-record Python loops. A key
shared by too many records on both sides (a very common surname) is dropped from that rule,
since the other rules will still reach its true pairs with more specific keys.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from skiptrace.matching.comparisons import Indices
from skiptrace.matching.prepare import Column, Table

MAX_BLOCK_PAIRS = 1_000
"""Pairs one key may contribute within one rule."""

_SOUNDEX = {
    letter: digit
    for letters, digit in (("bfpv", "1"), ("cgjkqsxz", "2"), ("dt", "3"), ("l", "4"),
                           ("mn", "5"), ("r", "6"))
    for letter in letters
}  # fmt: skip

Rule = Callable[[Table], Column]


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
    key = columns[0].astype(str)
    empty = key == ""
    for column in columns[1:]:
        key = np.char.add(np.char.add(key, "|"), column.astype(str))
        empty |= column == ""
    return np.where(empty, "", key).astype(object)


def _soundex_last(table: Table) -> Column:
    codes = np.array([soundex(last.split(" ")[-1]) for last in table["last"]], dtype=object)
    return _join(codes, table["first"].astype("<U1"))


RULES: tuple[Rule, ...] = (
    lambda t: t["last"],
    _soundex_last,
    lambda t: _join(t["first"], t["zip"]),
    lambda t: _join(t["zip"], t["number"]),
    lambda t: _join(t["first"], t["last"].astype("<U2")),
    lambda t: _join(t["last"], t["first"]),  # a transposed name: right side swapped below
    lambda t: t["phone"],
    lambda t: t["email"],
    lambda t: t["street"],
    lambda t: _join(t["street_name"], t["city"]),
    lambda t: t["address2"],
    lambda t: _join(t["city"], t["first"].astype("<U1")),
)


def candidate_pairs(left: Table, right: Table) -> tuple[Indices, Indices]:
    """Left and right indices of every pair some rule puts in one block, each pair once."""
    n_right = len(right)
    found = []
    for number, rule in enumerate(RULES):
        left_keys = rule(left)
        right_keys = _join(right["first"], right["last"]) if number == 5 else rule(right)
        li, ri = _pairs(left_keys, right_keys)
        found.append(li.astype(np.int64) * n_right + ri)
    pair_ids = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return (pair_ids // n_right).astype(np.intp), (pair_ids % n_right).astype(np.intp)


def _pairs(left_keys: Column, right_keys: Column) -> tuple[Indices, Indices]:
    """All (i, j) with left_keys[i] == right_keys[j] != "", blocks over the cap left out."""
    keys, codes = np.unique(
        np.concatenate([left_keys, right_keys]).astype(str), return_inverse=True
    )
    n_left = len(left_keys)
    left_codes, right_codes = codes[:n_left], codes[n_left:]
    at = int(np.searchsorted(keys, ""))
    blank = at if at < len(keys) and keys[at] == "" else -1
    left_count = np.bincount(left_codes, minlength=len(keys))
    right_count = np.bincount(right_codes, minlength=len(keys))
    usable = (left_count * right_count <= MAX_BLOCK_PAIRS) & (np.arange(len(keys)) != blank)
    order = np.argsort(right_codes, kind="stable")
    sorted_codes = right_codes[order]
    start = np.searchsorted(sorted_codes, left_codes, "left")
    counts = np.searchsorted(sorted_codes, left_codes, "right") - start
    counts[~usable[left_codes]] = 0
    li = np.repeat(np.arange(n_left), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    ri = order[np.repeat(start, counts) + offsets]
    return li.astype(np.intp), ri.astype(np.intp)
