"""Pairs: the candidate pairs of two tables and how alike their values are, the machinery
every comparison uses.

A pair's values are compared through ``Masks`` (equal, empty) worked out once per column, from
the values' numbers where both tables are numbered alike. Similarities come from rapidfuzz's
batch functions over whole candidate columns, never a Python loop per pair, and only for the
pairs neither equal nor empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein
from rapidfuzz.process import cpdist

from skiptrace.matching.prepare import Column, Table, numbered_alike

Levels = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]
Indices = npt.NDArray[np.intp]
Bools = npt.NDArray[np.bool_]


SCORERS: dict[str, Callable[..., float]] = {
    "jaro_winkler": JaroWinkler.normalized_similarity,
    "levenshtein": Levenshtein.normalized_similarity,
    "osa": OSA.normalized_similarity,
    "token_sort": fuzz.token_sort_ratio,
}
"""``osa``: an adjacent transposition ("3182" against "3812") is one edit, as a digit that
differs is: the same typo level."""
SCALE = {"jaro_winkler": 1.0, "levenshtein": 1.0, "osa": 1.0, "token_sort": 100.0}


PARALLEL_FROM = 10_000
"""Pairs from which rapidfuzz compares on every core: for one lookup's handful of pairs,
starting threads took about 0.4 ms a call, most of a single pair's scoring."""


Masks = tuple[Bools, Bools]
"""(equal, empty) of two aligned columns: ``a == b`` and either one "". Worked out once per
comparison and shared by its similarity and its levels: comparing strings scattered over
memory pair by pair is dear (at a million records a side, about 1 us a pair for these
masks alone, once each)."""


Crossed = tuple[tuple[str, Bools], ...]
"""Right columns read in place of a pair's own where each one's mask holds (disjoint): a
name read in another order (``name_order.names``)."""


ValuesAt = Callable[[Indices], "tuple[Column, Column]"]
"""The left and right values of the pairs at given positions (``Pairs.at``): read only where
a level needs them."""


def masks(a: Column, b: Column) -> Masks:
    """``Masks`` of two aligned string columns."""
    return a == b, (a == "") | (b == "")


class Pairs:
    """The pairs (``li[k]``, ``ri[k]``) of two tables, and their columns' ``Masks``: from the
    values' numbers (``prepare.Vocabulary``) where both tables are numbered alike, else from
    the strings (the same masks either way)."""

    def __init__(self, left: Table, right: Table, li: Indices, ri: Indices) -> None:
        self.left, self.right, self.li, self.ri = left, right, li, ri
        self.numbered = numbered_alike(left, right)

    def masks_of(self, column: str, right_column: str = "", crossed: Crossed = ()) -> Masks:
        """``Masks`` of the pairs' values of ``column`` on the left and ``right_column`` (by
        default the same) on the right; with ``crossed`` (other right columns, and where),
        the right value is that column's where its mask is True (a name written in another
        order). From the values' numbers where the tables are numbered alike, else from the
        values."""
        if not self.numbered:
            return masks(*self.at(column, np.arange(len(self.li)), right_column, crossed))
        x = self.left.codes[column][self.li]
        y = self.right.codes[right_column or column][self.ri]
        for other, where in crossed:
            y = np.where(where, self.right.codes[other][self.ri], y)
        return x == y, (x == 0) | (y == 0)

    def at(
        self, column: str, where: Indices, right_column: str = "", crossed: Crossed = ()
    ) -> tuple[Column, Column]:
        """The values (as in ``masks_of``) of the pairs at positions ``where``: read for those
        alone (taking a value from an object array is dear)."""
        ri = self.ri[where]
        right = self.right[right_column or column][ri]
        for other, at in crossed:
            right = np.where(at[where], self.right[other][ri], right)
        return self.left[column][self.li[where]], right

    def similarity(
        self, kind: str, column: str, given: Masks, right_column: str = "", crossed: Crossed = ()
    ) -> Floats:
        """``similarity`` of the pairs' values of ``column`` and ``right_column`` (``given``:
        their ``Masks``), the values read only for the pairs neither equal nor empty."""
        return _similar(kind, given, lambda todo: self.at(column, todo, right_column, crossed))

    def equal(self, column: str, other: str) -> Bools:
        """The pairs whose left values of ``column`` and ``other`` are equal, and whose right
        ones are too (a first name as written and made formal: no nickname on either side)."""
        left: Mapping[str, npt.NDArray[Any]]
        right: Mapping[str, npt.NDArray[Any]]
        if self.numbered:
            left, right = self.left.codes, self.right.codes
        else:
            left, right = self.left.columns, self.right.columns
        same = left[column][self.li] == left[other][self.li]
        return np.asarray(same & (right[column][self.ri] == right[other][self.ri]))

    def empty(self, side: str, column: str) -> Bools:
        """The pairs whose ``side`` ("left" or "right") has no value in ``column``."""
        table, index = (self.left, self.li) if side == "left" else (self.right, self.ri)
        if self.numbered:
            return np.asarray(table.codes[column][index] == 0)
        return np.asarray(table[column][index] == "")


def similarity(kind: str, left: Column, right: Column, given: Masks | None = None) -> Floats:
    """Element-wise similarity in 0..1 of two aligned string columns: 1 where equal, 0 where
    either is empty, and rapidfuzz (in one batch) only for the pairs that are neither.
    ``given``: their ``masks``, when already worked out."""
    return _similar(kind, given or masks(left, right), lambda todo: (left[todo], right[todo]))


def _similar(kind: str, given: Masks, values_at: ValuesAt) -> Floats:
    """``similarity`` from the pairs' ``Masks`` and their values at given positions."""
    equal, empty = given
    result = equal.astype(np.float64)
    todo = np.flatnonzero(~equal & ~empty)
    result[empty] = 0.0
    if len(todo):
        a, b = values_at(todo)
        workers = -1 if len(todo) >= PARALLEL_FROM else 1  # threads cost more than a few pairs
        scores = cpdist(a.tolist(), b.tolist(), scorer=SCORERS[kind], dtype=np.float64,
                        workers=workers)  # fmt: skip
        result[todo] = np.asarray(scores, dtype=np.float64) / SCALE[kind]
    return np.asarray(result, dtype=np.float64)


def one_letter(a: Column, b: Column) -> Bools:
    """Pairs of which either side is one letter (an initial): lengths read off the strings,
    without the fixed-width copies ``np.char.str_len`` needs (names are folded: no NULs)."""
    return np.asarray((lengths(a) == 1) | (lengths(b) == 1))


def lengths(column: Column) -> npt.NDArray[np.int64]:
    """Each string's length."""
    return np.fromiter(map(len, column.tolist()), dtype=np.int64, count=len(column))
