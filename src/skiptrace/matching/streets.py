"""Streets: whether two street lines (and second lines) are one home, a neighbour's or
another street.

A line alike as a string may still be another home: another house number, unit or PO box,
a direction on one side only, another street name of the same street type; a line misspelt,
run on into its town or with its street type glued on is still the street.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

from skiptrace.matching.levels import BY_NAME
from skiptrace.matching.pairs import (
    Bools,
    Floats,
    Indices,
    Levels,
    Masks,
    Pairs,
    lengths,
    similarity,
)
from skiptrace.matching.prepare import Column, Table
from skiptrace.normalize._address_tables import SUFFIXES

_BOX = re.compile(r"^(?:po )?(?:box|drawer)\b|\bpmb\b")
"""A normalised line that is a post office's box, drawer or a private mailbox (PMB)."""

_DIRECTIONS = frozenset({"n", "s", "e", "w", "ne", "nw", "se", "sw"})


def another_home(x: str, y: str, close: bool) -> bool:
    """Whether two agreeing street lines in different ZIPs are two homes: either is a box, or
    they agree only closely and one gives a direction the other does not."""
    if _BOX.search(x) or _BOX.search(y):
        return True
    return close and _directions(x) != _directions(y)


def _directions(street: str) -> frozenset[str]:
    """The direction words of a normalised street line (USPS abbreviations: "n", "sw")."""
    return _DIRECTIONS.intersection(street.split())


@lru_cache(maxsize=1 << 16)
def _identifiers(street_name: str) -> tuple[str, frozenset[str], frozenset[str]]:
    """What in a street name tells one home from its neighbours, spelt one way: the numbers
    its words hold (a PO box, a unit, a rural route's box, a grid address), in order, without
    leading zeros or ordinal endings, with their letters in any order (PO Box 0012 is PO Box
    12, Apt 4-B is Apt B4, 42nd is 42, N12 W345 is N12W345), and a unit that is a letter alone
    (Apt A, # B: Apt A and Apt B are two homes); the directions (N, SW); and the flats named
    by their place past the street type (``_FLATS``: Upper, Rear)."""
    words = street_name.split()
    marked = _ORDINAL.sub(r"\1", " ".join(w for w in words if any(ch.isdigit() for ch in w)))
    numbers = "-".join(str(int(run)) for run in re.findall(r"\d+", marked))
    lettered = [w for unit, w in itertools.pairwise(words)
                if unit in _UNITS and len(w) == 1 and w.isalpha()]  # fmt: skip
    floor = "F" if _FLOORS & set(words) else ""  # 3rd Fl is a floor, not Apt 3
    letters = floor + "".join(sorted(ch for ch in marked + "".join(lettered) if ch.isalpha()))
    key = f"{numbers}|{letters}" if numbers or lettered else ""
    # the flat a place names, past the street type ("front st rear": the rear of Front St)
    name, typed = _name_and_type(street_name)
    past = typed.split()[1:] if name else words
    flats = frozenset(_FLATS[w] for w in past if w in _FLATS)
    return key, frozenset(w for w in words if w in _DIRECTIONS), flats


def _counted(mine: Collection[str], theirs: Collection[str]) -> bool:
    """Whether two ``_identifiers`` give as many numbers (directions: always)."""
    if not isinstance(mine, str) or not isinstance(theirs, str):
        return True
    return mine.count("-") == theirs.count("-")


_FLOORS = frozenset({"fl", "flr", "floor"})
_FLATS = {"upper": "upper", "uppr": "upper", "upstairs": "upper", "lower": "lower",
          "lowr": "lower", "downstairs": "lower", "front": "front", "frnt": "front",
          "rear": "rear", "side": "side", "basement": "basement", "bsmt": "basement"}  # fmt: skip
"""The flats of a two- or three-family house named by their place, not a number (USPS
UPPR, LOWR, FRNT, REAR, SIDE, BSMT), each spelling to one: the upper flat is another home
than the lower, as Apt 2 is than Apt 3."""
_UNITS = frozenset({"apt", "apartment", "unit", "ste", "suite", "#", "bldg", "building", "rm",
                    "room", "lot", "spc", "space", "trlr"})  # fmt: skip
"""Words a unit's letter follows ("apt a", "# b"), as the lines are normalised."""
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)\b")


def identifiers_differ(pairs: Pairs, column: str, levels: dict[str, Levels]) -> tuple[Bools, Bools]:
    """Street names (``column`` "street_name", each with its record's second line: a unit
    may be written on either) or second lines ("address2") alike but not equal whose
    ``_identifiers`` differ where both give them ("po box 12" against "po box 13", "n main
    st" against "s main st", "apt 4" against "apt 5"; not "ferndale" against "dryandra st":
    a second line may hold a locality or the street), and those whose identifiers are the
    same ("apt 101" against "# 101"). Street names of lines whose house numbers agree are
    looked at however unalike, where both give as many numbers: "# 4" against "unit 7" made
    "12 Oak St" another line, still the debtor's home by its number and ZIP, and her
    building's other flat hers ("hwy 9" against "highway 9 trlr 4" gives a unit on one side
    only, as "oak st" against "oak st unit 7" does)."""
    level = levels["street" if column == "street_name" else column]
    differ, same = np.zeros(len(level), dtype=bool), np.zeros(len(level), dtype=bool)
    # not null, not equal; a street already "else" needs no more (most candidate pairs) unless
    # its house number agrees
    unlike = (level == BY_NAME["street"].n_levels - 1) & (column == "street_name")
    todo = np.flatnonzero((level > 1) & (~unlike | (levels["number"] == 1)))
    if len(todo):
        a, b = pairs.at(column, todo)
        if column == "street_name":
            a2, b2 = pairs.at("address2", todo)
            a, b = a + " " + a2, b + " " + b2
        for k, x, y in zip(todo.tolist(), a.tolist(), b.tolist(), strict=True):
            pairs_of = zip(_identifiers(x), _identifiers(y), strict=True)
            found = [(mine, theirs) for mine, theirs in pairs_of if mine and theirs]
            if unlike[k]:  # unalike lines: only units given on both
                found = [(mine, theirs) for mine, theirs in found if _counted(mine, theirs)]
            differ[k] = any(mine != theirs for mine, theirs in found)
            same[k] = bool(found) and not differ[k]
    return differ, same


def street_similarity(pairs: Pairs, given: Masks) -> tuple[Floats, Floats]:
    """Street lines alike word by word (token sort, on the normalised lines: "Oak St" is "Oak
    Street") or the street names letter by letter with the spaces gone (OSA, as printed),
    whichever is higher: a street type glued on, split or misspelt ("shackletonicircuit",
    "duncan dtreet", which the normaliser cannot abbreviate) is then a typo, not another
    street. A street name printed on the other side's second line ("3 Ferndale, Dryandra
    Street" against "3 Dryandra Street, Ferndale") counts as the street. With the letters'
    similarity alone (the second lines' included), the house numbers aside. ``given``: the
    street lines' ``pairs.masks``."""

    def letters_of(column: str, right_column: str) -> Floats:
        given = pairs.masks_of(column, right_column)
        return pairs.similarity("osa", column, given, right_column)

    words = pairs.similarity("token_sort", "street", given)
    letters = letters_of("street_letters", "street_letters")
    crossed = np.maximum(letters_of("street_letters", "address2_letters"),
                         letters_of("address2_letters", "street_letters"))  # fmt: skip
    letters = np.maximum(letters, crossed)
    return np.asarray(np.maximum(words, letters), dtype=np.float64), letters


def other_street(
    left: Table, right: Table, li: Indices, ri: Indices, letters: Floats, asked: Bools
) -> Bools:
    """``comparisons.Compared.other_street`` from the street names' similarity, word by word or
    letter by letter (``letters``, from ``street_similarity``), whichever is higher; a line run
    on into its town ("spring pl nashville": its town not cut off) is compared on its start.
    All of it only where ``asked`` (a ZIP that agrees: the one place the answer counts) and the
    letters leave it open."""
    other = asked & (letters < BY_NAME["street"].thresholds[-1])
    todo = np.flatnonzero(other)
    if len(todo):
        a, b = left["street_name"][li[todo]], right["street_name"][ri[todo]]
        alike = similarity("token_sort", a, b) >= BY_NAME["street"].thresholds[-1]
        other[todo[alike]] = False
        todo = todo[~alike]
    for column in ("street_name", "street_letters"):
        if len(todo):
            a, b = left[column][li[todo]], right[column][ri[todo]]
            alike = similarity("osa", *_cut_to_shorter(a, b)) >= BY_NAME["street"].thresholds[-1]
            other[todo[alike]] = False
            todo = todo[~alike]
    return other | _names_apart(left, right, li, ri, asked & ~other)


def _names_apart(left: Table, right: Table, li: Indices, ri: Indices, asked: Bools) -> Bools:
    """Street names of one street type whose names before it are two names ("oak st" against
    "park st" or "main st"): the type printed in full on both lines ("Oak Street", "Park
    Street") shares six letters, which made the letters alike. A name one slip from the other
    ("oak" against "oka" or "oakk", each word) is still the street; a numbered one is left to
    its numbers."""
    apart = np.zeros(len(asked), dtype=bool)
    todo = np.flatnonzero(asked)
    if not len(todo):
        return apart
    a, b = left["street_name"][li[todo]], right["street_name"][ri[todo]]
    for k, x, y in zip(todo.tolist(), a.tolist(), b.tolist(), strict=True):
        if x != y:
            apart[k] = _two_names_of_one_type(x, y)
    return apart


@lru_cache(maxsize=1 << 16)
def _two_names_of_one_type(x: str, y: str) -> bool:
    """``_names_apart`` for one pair of normalised street names."""
    (name_x, type_x), (name_y, type_y) = _name_and_type(x), _name_and_type(y)
    if not (type_x and name_x and name_y) or type_x != type_y:
        return False
    if any(ch.isdigit() for ch in name_x + name_y):
        return False  # 42nd St against 42 St: the numbers decide (``_identifiers``)
    if fuzz.token_sort_ratio(name_x, name_y) / 100 >= BY_NAME["street"].thresholds[-1]:
        return False
    words_x, words_y = name_x.split(), name_y.split()
    if len(words_x) != len(words_y):  # "lake shr" against "lakeshore": joined, type words too
        distances = cdist(_joined(words_x), _joined(words_y), scorer=OSA.distance)
        return bool(distances.min() > 1)
    return not all(map(_one_slip, words_x, words_y))


MAX_RESPELT = 2
"""Type words of a street name read in each of their spellings (``_joined``): a name of six
("ctr ctr ctr ctr ctr ctr", a hostile file's) had 262,144 spellings a side to compare."""


def _joined(words: list[str]) -> list[str]:
    """The words of a street name written as one, each type word in any of its spellings
    ("lake shr": "lakeshr", "lakeshore", "lakeshoar"); past ``MAX_RESPELT`` type words, only
    as written."""
    spellings = [_SPELLINGS.get(w, (w,)) for w in words]
    if sum(len(s) > 1 for s in spellings) > MAX_RESPELT:
        return ["".join(words)]
    return ["".join(parts) for parts in itertools.product(*spellings)]


def _one_slip(x: str, y: str) -> bool:
    """Two words of a street name at most one edit apart, either read as any spelling of the
    street type it abbreviates: "Spring" is normalised to "spg", a misspelt "Sring" is not."""
    return any(OSA.distance(a, b) <= 1
               for a in _SPELLINGS.get(x, (x,)) for b in _SPELLINGS.get(y, (y,)))  # fmt: skip


def _name_and_type(street_name: str) -> tuple[str, str]:
    """A normalised street name cut before its last street type ("oak st apt 4": "oak" and
    "st apt 4"); ("", "") with no type after a name."""
    words = street_name.split()
    typed = [k for k, word in enumerate(words) if k and word in _SPELLINGS]
    if not typed:
        return "", ""
    return " ".join(words[: typed[-1]]), " ".join(words[typed[-1] :])


def _spellings() -> dict[str, tuple[str, ...]]:
    """Each USPS street type as ``normalize_street`` abbreviates it ("st", "spg") with every
    spelling it is read from ("street", "spring", "sprng"...)."""
    spellings: dict[str, tuple[str, ...]] = {}
    for spelling, abbreviation in sorted(SUFFIXES.items()):
        spellings[abbreviation] = (*spellings.get(abbreviation, (abbreviation,)), spelling)
    return spellings


_SPELLINGS = _spellings()


MIN_CUT = 5
"""The fewest characters a street name is compared on against the start of a longer line:
"oak" would be the start of "oakland ave"."""


def _cut_to_shorter(a: Column, b: Column) -> tuple[Column, Column]:
    """Each pair's longer value cut to the shorter's length (at least ``MIN_CUT``): a street
    name against the start of a line that runs on into the town ("spring pl" against "spring
    pl nashville"). Only the values longer than that are sliced."""
    la, lb = lengths(a), lengths(b)
    return _cut(a, la, np.maximum(lb, MIN_CUT)), _cut(b, lb, np.maximum(la, MIN_CUT))


def _cut(values: Column, lengths: npt.NDArray[np.int64], keep: npt.NDArray[np.int64]) -> Column:
    """``values`` cut to ``keep`` characters where they are longer."""
    longer = np.flatnonzero(lengths > keep)
    if not len(longer):
        return values
    out = values.copy()
    cut = [v[:n] for v, n in zip(values[longer].tolist(), keep[longer].tolist(), strict=True)]
    out[longer] = np.array(cut, dtype=object)
    return out
