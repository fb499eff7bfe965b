"""Comparisons: for each field, how closely two records agree, as a level per pair.

Levels follow Splink's shape: null (either side missing: no evidence), then agreement levels
from strongest to weakest, then "else" (disagreement). Similarities come from rapidfuzz's
batch functions over whole candidate columns, never a Python loop per pair. Names are also
compared crosswise, so "ROE JANE" against "JANE ROE" counts as agreement.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import lru_cache, partial
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein
from rapidfuzz.process import cdist, cpdist

from skiptrace.matching.prepare import Column, Table, numbered_alike
from skiptrace.matching.rarity import first_name_count, surname_count, tables
from skiptrace.normalize import canonical_first
from skiptrace.normalize._address_tables import SUFFIXES

Levels = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]
Indices = npt.NDArray[np.intp]
Bools = npt.NDArray[np.bool_]

NAME_FIELDS = ("first_name", "last_name")
IDENTIFYING_FIELDS = ("street", "zip", "phone", "email", "dob", "employer", "id_number")
"""Corroboration: agreement on one of these, besides the name, is needed before a pair can
score above ``model.NAME_ONLY_CEILING`` (see ``model``)."""
ADDRESS_FIELDS = ("street", "address2", "number", "city", "zip", "state")
HOUSEHOLD_FIELDS = (*ADDRESS_FIELDS, "phone")
"""What a whole household shares: agreement on these says where someone lives, not who."""
GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})

NO_RELATION, FIRST_NAME_DIFFERS, OTHER_GENERATION, SUFFIX_ONE_SIDE_AT_HOME = 0, 1, 2, 3
"""``Compared.relation``: what the names say the two people may be to each other. A differing
first name (beyond nickname, initial or typo) is another member of a family or household; a
differing generational suffix (Jr against Sr, II against III, or a suffix on one side only with
a middle name or birth date that disagrees) is a parent or child; a suffix on one side only,
nothing else disagreeing, at the same street line, is perhaps a parent who prints none."""
RELATIONS = ("", "first_name_differs", "other_generation", "suffix_one_side_at_home")
"""Each relation code's name, as ``Link.relation`` and ``lookup --json`` give it."""


@dataclass(frozen=True)
class Comparison:
    """One field's comparison: its column, its agreement levels and their thresholds."""

    name: str
    column: str
    levels: tuple[str, ...]
    """Agreement levels, strongest first; "else" is implied after them."""
    thresholds: tuple[float, ...]
    """Similarity at or above which each non-exact level holds (one per level after "exact")."""
    similarity: str = "jaro_winkler"
    label: str = ""
    tf: bool = False
    """Adjust the exact level by how common the value is (a common surname proves less)."""
    neutral: tuple[str, ...] = ()
    """Agreement levels that weigh nothing either way, whatever EM learns of them."""

    @property
    def n_levels(self) -> int:
        """Level codes: 0 null, 1..len(levels) agreement, len(levels) + 1 else."""
        return len(self.levels) + 2


COMPARISONS = (
    Comparison("first_name", "first", ("exact", "close", "similar", "initial"), (0.92, 0.8),
               tf=True),
    Comparison("last_name", "last", ("exact", "close", "similar"), (0.92, 0.8), tf=True),
    Comparison("suffix", "suffix", ("exact",), ()),
    Comparison("middle_name", "middle", ("exact", "initial"), ()),
    Comparison("street", "street", ("exact", "close", "similar"), (0.9, 0.7), "street"),
    Comparison("address2", "address2", ("exact", "close"), (0.85,), "token_sort"),
    Comparison("number", "number", ("exact",), ()),
    Comparison("city", "city", ("exact", "close"), (0.9,)),
    Comparison("zip", "zip", ("exact", "one_edit"), (0.75,), "osa"),
    Comparison("state", "state", ("exact",), ()),
    Comparison("phone", "phone", ("exact",), ()),
    Comparison("email", "email", ("exact",), ()),
    Comparison("employer", "employer", ("exact", "close"), (0.9,)),
    Comparison("dob", "dob", ("exact", "close"), (), "osa"),
    # one character off: a typo of one person's number, or a twin's issued in sequence
    Comparison("id_number", "id_number", ("exact", "close"), (0.85,), "osa",
               neutral=("close",)),
)  # fmt: skip

BY_NAME = {c.name: c for c in COMPARISONS}
_SCORERS: dict[str, Callable[..., float]] = {
    "jaro_winkler": JaroWinkler.normalized_similarity,
    "levenshtein": Levenshtein.normalized_similarity,
    "osa": OSA.normalized_similarity,
    "token_sort": fuzz.token_sort_ratio,
}
"""``osa``: an adjacent transposition ("3182" against "3812") is one edit, as a digit that
differs is: the same typo level."""
_SCALE = {"jaro_winkler": 1.0, "levenshtein": 1.0, "osa": 1.0, "token_sort": 100.0}


@dataclass(frozen=True)
class Compared:
    """Levels (and similarities, for explanations) of every comparison for a set of pairs."""

    levels: dict[str, Levels]
    similarity: dict[str, Floats]
    transposed: npt.NDArray[np.int8]
    """How each pair's names are read (``STRAIGHT``, ``LAST_FIRST``, ``RIGHT_SURNAME_FIRST``,
    ``LEFT_SURNAME_FIRST``): not ``STRAIGHT``, written in another order."""
    relation: Levels
    """One relation code per pair: NO_RELATION, FIRST_NAME_DIFFERS, OTHER_GENERATION or
    SUFFIX_ONE_SIDE_AT_HOME (see those)."""
    distinct: npt.NDArray[np.bool_]
    """The first names are two real names (both listed in the SSA table, neither a nickname
    of the other) and not a misprint of one another (``is_typo``): another person whatever
    the files hold (see ``model.Model.households``)."""
    short_form: npt.NDArray[np.bool_]
    """One first name is an initial, a short form of two names (Pat: Patricia or Patrick), a
    nickname (Jack: John, and a name of its own) or a listed name a slip from the other
    (Johnna: John) that agrees with it, or a first name or surname is missing ("BAKER" alone,
    "DAVID" alone): in the debtor's household, perhaps the spouse or a child."""
    other_street: npt.NDArray[np.bool_]
    """The ZIP agrees but no street line says it is the same home: both lines name a street
    and the names differ beyond a typo, the house numbers aside ("12 Oak St" against "12 Elm
    Ave"; not "49 Mcnamara St" against "28 Mcnamara St"), or either side names no street
    (a ZIP alone). Worked out only where the ZIP agrees (False elsewhere): a ZIP beside
    another street, or alone, is the one thing it decides (``model``): its area."""
    nameless: npt.NDArray[np.bool_]
    """One of the two records has no name at all: nothing says who it is."""
    outvoted: npt.NDArray[np.bool_]
    """An identity number turned what would be a relative (a differing first name, or a
    birth date that differs where the names agree) into one person (see ``_relation``)."""
    styled: npt.NDArray[np.bool_]
    """One record only carries a married woman's title, and its given name, which agrees,
    may be her husband's (``_unstyled``): a wife filed under his identity number too."""


_PARALLEL_FROM = 10_000
"""Pairs from which rapidfuzz compares on every core: for one lookup's handful of pairs,
starting threads took about 0.4 ms a call, most of a single pair's scoring."""


Masks = tuple[Bools, Bools]
"""(equal, empty) of two aligned columns: ``a == b`` and either one "". Worked out once per
comparison and shared by its similarity and its levels: comparing strings scattered over
memory pair by pair is dear (at a million records a side, about 1 us a pair for these
masks alone, once each)."""


Crossed = tuple[tuple[str, Bools], ...]
"""Right columns read in place of a pair's own where each one's mask holds (disjoint): a
name read in another order (``_names``)."""


ValuesAt = Callable[[Indices], "tuple[Column, Column]"]
"""The left and right values of the pairs at given positions (``_Pairs.at``): read only where
a level needs them."""


def masks(a: Column, b: Column) -> Masks:
    """``Masks`` of two aligned string columns."""
    return a == b, (a == "") | (b == "")


class _Pairs:
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
        workers = -1 if len(todo) >= _PARALLEL_FROM else 1  # threads cost more than a few pairs
        scores = cpdist(a.tolist(), b.tolist(), scorer=_SCORERS[kind], dtype=np.float64,
                        workers=workers)  # fmt: skip
        result[todo] = np.asarray(scores, dtype=np.float64) / _SCALE[kind]
    return np.asarray(result, dtype=np.float64)


IN_RIGHT_ORDER_FROM = 10_000
"""Pairs from which ``compare`` works through them in the right records' order (unless they
come in it, as the Spark engine's do). Candidates come in the left records' order; a chunk's
right records are scattered over the whole right file, and reading their strings in file
order instead made ``compare`` about a quarter faster at a million records a side (every
comparison is of one pair alone: the order changes nothing)."""


def compare(left: Table, right: Table, li: Indices, ri: Indices) -> Compared:
    """Levels for the pairs (``li[k]``, ``ri[k]``)."""
    if len(ri) < IN_RIGHT_ORDER_FROM or bool(np.all(ri[1:] >= ri[:-1])):
        return _compare(left, right, li, ri)
    order = np.argsort(ri, kind="stable")
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    return taken(_compare(left, right, li[order], ri[order]), back)


def compare_rest(
    left: Table, right: Table, li: Indices, ri: Indices, done: Bools, compared: Compared
) -> Compared:
    """``compare`` of the pairs (``li[k]``, ``ri[k]``), those where ``done`` holds already
    compared (``compared``, in their order): each pair's levels are its own, whatever pairs
    are compared with it, so EM's sample is not compared again to be scored."""
    if done.all():
        return compared
    return combined(done, compared, compare(left, right, li[~done], ri[~done]))


_Arrays = TypeVar("_Arrays")
"""A ``Compared`` or a ``model.Scores``: arrays (or dicts of them) with one value per pair."""


def combined(where: Bools, inside: _Arrays, outside: _Arrays) -> _Arrays:
    """The pairs' ``Compared`` (or ``model.Scores``) from two parts: the pairs where ``where``
    holds from ``inside``, the others from ``outside`` (each in the pairs' order)."""
    if where.all():
        return inside
    if not where.any():
        return outside

    def put(a: Any, b: Any) -> Any:
        if is_dataclass(a) and not isinstance(a, type):
            return replace(a, **{f.name: put(getattr(a, f.name), getattr(b, f.name))
                                 for f in fields(a)})  # fmt: skip
        if isinstance(a, dict):
            return {name: put(a[name], b[name]) for name in a}
        out = np.empty(len(where), dtype=np.result_type(a, b))
        out[where], out[~where] = a, b
        return out

    return cast(_Arrays, put(inside, outside))


def taken(value: _Arrays, index: Indices) -> _Arrays:
    """A ``Compared`` (or ``model.Scores``) of the pairs at ``index``."""

    def take(a: Any) -> Any:
        if is_dataclass(a) and not isinstance(a, type):
            return replace(a, **{f.name: take(getattr(a, f.name)) for f in fields(a)})
        if isinstance(a, dict):
            return {name: array[index] for name, array in a.items()}
        return a[index]

    return cast(_Arrays, take(value))


def _compare(left: Table, right: Table, li: Indices, ri: Indices) -> Compared:
    """``compare``, the pairs in the order given."""
    levels: dict[str, Levels] = {}
    sims: dict[str, Floats] = {}
    letters = np.zeros(len(li))
    pairs = _Pairs(left, right, li, ri)
    first_sim, last_sim, reading, readings = _names(pairs)
    names = {"first_name": first_sim, "last_name": last_sim}
    for comparison in COMPARISONS:
        sim: Floats | None
        values_at: ValuesAt
        if comparison.name in names:
            sim = names[comparison.name]
            crossed = readings[comparison.column]
            given = pairs.masks_of(comparison.column, crossed=crossed)
            values_at = partial(pairs.at, comparison.column, crossed=crossed)
        elif comparison.similarity == "street":
            given = pairs.masks_of("street")
            sim, letters = street_similarity(pairs, given)
            values_at = partial(pairs.at, "street")
        else:  # each value read only where a level needs it
            column = comparison.column
            crossed = readings.get(column, ())  # a middle name read in a rotated name's order
            given = pairs.masks_of(column, crossed=crossed)
            if comparison.name == "suffix":  # absent on both sides: no evidence; on one: else
                given = given[0], pairs.empty("left", column) & pairs.empty("right", column)
            sim = None
            if comparison.thresholds:
                sim = pairs.similarity(comparison.similarity, column, given, crossed=crossed)
            values_at = partial(pairs.at, column, crossed=crossed)
        levels[comparison.name] = _levels(comparison, values_at, sim, given)
        sims[comparison.name] = sim if sim is not None else given[0].astype(np.float64)
    # 12 Main St is not 14 Main St, nor PO Box 12 PO Box 13, N Main St S Main St or Apt 4 Apt
    # 5, however alike the strings: another home, no agreement (and a ZIP beside it its area)
    # Apt 101 against Apt 102 is not close, Apt 101 against #101 is
    units_differ, units_same = _identifiers_differ(pairs, "address2", levels)
    unit = np.where(units_same & differs(levels, "address2"), 2, levels["address2"])
    levels["address2"] = np.where(units_differ, BY_NAME["address2"].n_levels - 1,
                                  unit).astype(np.int8)  # fmt: skip
    numbers_differ = differs(levels, "number") | units_differ
    numbers_differ |= _identifiers_differ(pairs, "street_name", levels)[0]
    # "12 Oak St" against "12 Main St", alike as lines only by the house number and the street
    # type (the line's words called them similar): the street names differ, another home
    alike = (levels["street"] > 1) & ~differs(levels, "street")
    numbers_differ |= _other_street(left, right, li, ri, letters, alike)
    levels["street"] = np.where(numbers_differ, BY_NAME["street"].n_levels - 1, levels["street"])
    # a line that is only a house number ("16") names no street: no evidence on the street
    unnamed = pairs.empty("left", "street_name") | pairs.empty("right", "street_name")
    levels["street"] = np.where(unnamed, 0, levels["street"]).astype(np.int8)
    zip_agrees = (levels["zip"] > 0) & ~differs(levels, "zip")
    # "12 Main St" is in thousands of towns: a street line, a house number or a unit in
    # another town (its ZIP or its city differs, and neither agrees) is no evidence of a home
    # (a ZIP one digit off in another city or state is no agreement; a city in another state
    # is another town: Springfield, IL is not Springfield, MA)
    state_differs = differs(levels, "state")
    city_agrees = (levels["city"] > 0) & ~differs(levels, "city") & ~state_differs
    zip_placed = (levels["zip"] == 1) | (zip_agrees & ~differs(levels, "city") & ~state_differs)
    elsewhere = differs(levels, "zip") | differs(levels, "city") | state_differs
    elsewhere &= ~zip_placed & ~city_agrees
    for name in ("street", "number", "address2"):
        agreeing = (levels[name] > 0) & ~differs(levels, name)
        levels[name] = np.where(agreeing & elsewhere, 0, levels[name]).astype(np.int8)
    # in another ZIP (not one digit off) a line that agrees may still be another home: a box
    # is its post office's, and a street direction on one line only is another street (100
    # Main St in 60629 is not 100 N Main St in 60601; a misspelt line still is the street)
    moved = np.flatnonzero((levels["street"] > 0) & ~differs(levels, "street")
                           & differs(levels, "zip"))  # fmt: skip
    if len(moved):
        x, y = pairs.at("street", moved)
        close = (levels["street"][moved] > 1).tolist()
        apart = [_another_home(str(a), str(b), c) for a, b, c in zip(x, y, close, strict=True)]
        for name in ("street", "number", "address2"):  # a PMB's house number is its store's
            levels[name][moved[np.array(apart, dtype=bool)]] = 0
    other_street = _other_street(left, right, li, ri, letters, ~unnamed & zip_agrees)
    other_street |= zip_agrees & ((levels["street"] == 0) | numbers_differ)  # the ZIP's area
    levels["dob"] = _dob_levels(levels["dob"], partial(pairs.at, "dob"))
    written = readings["first"]  # the first names as written, the right one crossed
    levels["first_name"], distinct, short = _first_name_rules(
        levels["first_name"], pairs.masks_of("first_raw", crossed=written),
        partial(pairs.at, "first_raw", crossed=written),
    )  # fmt: skip
    for code, directions in ((LAST_FIRST, (("last", "first"), ("first", "last"))),
                             (LEFT_SURNAME_FIRST, (("middle", "first_raw"),))):  # fmt: skip
        _given_names_crossed(pairs, reading == code, directions, levels, distinct, short)
    # the relation first: a middle name that differs says another man of the family even
    # where the given name it sits beside is a husband's
    relation, outvoted = _relation(levels, *_generations(pairs))
    styled = _unstyled(levels, ~pairs.masks_of("styled")[0])
    short |= (levels["first_name"] == 0) | (levels["last_name"] == 0)  # a name half missing
    short |= _one_letter_surnames(pairs)
    nameless = (pairs.empty("left", "first") & pairs.empty("left", "last")) | (
        pairs.empty("right", "first") & pairs.empty("right", "last")
    )  # fmt: skip
    _measure_unmeasured(pairs, levels, sims, readings)
    return Compared(levels, sims, reading, relation, distinct & (relation == FIRST_NAME_DIFFERS),
                    short, other_street, nameless, outvoted, styled)  # fmt: skip


def _measure_unmeasured(
    pairs: _Pairs, levels: dict[str, Levels], sims: dict[str, Floats], readings: dict[str, Crossed]
) -> None:
    """The similarity of the pairs at a level short of exact that no threshold measured (a
    birth date one slip off, a middle initial), as ``matched_on`` shows it (``dob~0.88``,
    ``middle_name~0.78``): it showed 0.00, as if nothing agreed. In place."""
    for comparison in COMPARISONS:
        level = levels[comparison.name]
        todo = np.flatnonzero((level > 1) & (level < comparison.n_levels - 1))
        if comparison.thresholds or not len(todo):
            continue
        crossed = readings.get(comparison.column, ())
        x, y = pairs.at(comparison.column, todo, crossed=crossed)
        kind = comparison.similarity
        measured = cpdist(x.tolist(), y.tolist(), scorer=_SCORERS[kind], dtype=np.float64)
        sims[comparison.name][todo] = measured / _SCALE[kind]


def _one_letter_surnames(pairs: _Pairs) -> Bools:
    """The pairs whose surnames are one letter, alike: a name written surname first with an
    initial ("SMITH J") is read with the initial for its surname, which may be John's or his
    wife Jane's, as "J. Smith" against "J. Smith" may (``_first_name_rules``)."""
    equal, empty = pairs.masks_of("last")
    same = np.flatnonzero(equal & ~empty)
    one_letter = np.zeros(len(equal), dtype=bool)
    one_letter[same] = _lengths(pairs.at("last", same)[0]) == 1
    return one_letter


_BOX = re.compile(r"^(?:po )?(?:box|drawer)\b|\bpmb\b")
"""A normalised line that is a post office's box, drawer or a private mailbox (PMB)."""

_DIRECTIONS = frozenset({"n", "s", "e", "w", "ne", "nw", "se", "sw"})


def _another_home(x: str, y: str, close: bool) -> bool:
    """Whether two agreeing street lines in different ZIPs are two homes: either is a box, or
    they agree only closely and one gives a direction the other does not."""
    if _BOX.search(x) or _BOX.search(y):
        return True
    return close and _directions(x) != _directions(y)


def _directions(street: str) -> frozenset[str]:
    """The direction words of a normalised street line (USPS abbreviations: "n", "sw")."""
    return _DIRECTIONS.intersection(street.split())


def _given_names_crossed(
    pairs: _Pairs,
    swapped: Bools,
    directions: tuple[tuple[str, str], ...],
    levels: dict[str, Levels],
    distinct: Bools,
    short: Bools,
) -> None:
    """Where the names are crossed (``swapped``), the left record may be the one written
    surname-first (debtor "KOWALSKI DANIELLE" against Daniel Kowalski): its given name is then
    in another column (the first of ``directions``: its last name, or its middle name where it
    is rotated), crossed against the right one's first name as written, and compared as a
    surname, where Danielle and Daniel are only alike. Two real names there (``_first_name_
    rules``) are two people, as they are the other way round; a short form or a listed
    misprint there (KOWALSKI JOHNNA against John) is a short form too (``short``). A nickname
    in any of ``directions`` (the left column's, the right one's) is a short form."""
    if not swapped.any():
        return
    given = directions[0][0]
    equal, empty = pairs.masks_of(given, "first_raw")
    differ = BY_NAME["first_name"].n_levels - 1  # judged as first names that differ as strings
    _, two, crossed_short = _first_name_rules(
        np.full(len(swapped), differ, dtype=np.int8),
        (equal | ~swapped, empty),
        partial(pairs.at, given, right_column="first_raw"),
    )
    two &= swapped
    levels["first_name"][two] = differ
    distinct |= two
    short |= crossed_short & swapped
    # a nickname either way (KOWALSKI DAN against Daniel, or Daniel against KOWALSKI DAN):
    # the same formal name written otherwise, a short form
    apart = np.flatnonzero(swapped & ~two)
    if len(apart):
        for left_column, right_column in directions:
            x, y = pairs.at(left_column, apart, right_column=right_column)
            formal = [a != b and canonical_first(str(a)) == canonical_first(str(b))
                      for a, b in zip(x, y, strict=True)]  # fmt: skip
            short[apart[np.array(formal, dtype=bool)]] = True


def _unstyled(levels: dict[str, Levels], one_styled: Bools) -> Bools:
    """Where one record only is a married woman's styled by a name ("Mrs. Thomas Kowalski":
    ``prepare.STYLED``), the given names and suffix it agrees on may be her husband's: they
    say nothing (null), while one that differs still differs (she is someone else either way).
    Before this, the wife at Thomas Kowalski's address was taken for him (1.000, high). The
    pairs whose given name was so nulled."""
    given = one_styled & (levels["first_name"] > 0) & ~differs(levels, "first_name")
    for name in ("first_name", "middle_name", "suffix"):
        agreeing = one_styled & (levels[name] > 0) & ~differs(levels, name)
        levels[name] = np.where(agreeing, 0, levels[name]).astype(np.int8)
    return given


@lru_cache(maxsize=1 << 16)
def _identifiers(street_name: str) -> tuple[str, frozenset[str]]:
    """What in a street name tells one home from its neighbours, spelt one way: the numbers
    its words hold (a PO box, a unit, a rural route's box, a grid address), in order, without
    leading zeros or ordinal endings, with their letters in any order (PO Box 0012 is PO Box
    12, Apt 4-B is Apt B4, 42nd is 42, N12 W345 is N12W345), and a unit that is a letter alone
    (Apt A, # B: Apt A and Apt B are two homes); and the directions (N, SW)."""
    words = street_name.split()
    marked = _ORDINAL.sub(r"\1", " ".join(w for w in words if any(ch.isdigit() for ch in w)))
    numbers = "-".join(str(int(run)) for run in re.findall(r"\d+", marked))
    lettered = [w for unit, w in itertools.pairwise(words)
                if unit in _UNITS and len(w) == 1 and w.isalpha()]  # fmt: skip
    floor = "F" if _FLOORS & set(words) else ""  # 3rd Fl is a floor, not Apt 3
    letters = floor + "".join(sorted(ch for ch in marked + "".join(lettered) if ch.isalpha()))
    key = f"{numbers}|{letters}" if numbers or lettered else ""
    return key, frozenset(w for w in words if w in _DIRECTIONS)


_FLOORS = frozenset({"fl", "flr", "floor"})
_UNITS = frozenset({"apt", "apartment", "unit", "ste", "suite", "#", "bldg", "building", "rm",
                    "room", "lot", "spc", "space", "trlr"})  # fmt: skip
"""Words a unit's letter follows ("apt a", "# b"), as the lines are normalised."""
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)\b")


def _identifiers_differ(
    pairs: _Pairs, column: str, levels: dict[str, Levels]
) -> tuple[Bools, Bools]:
    """Street names (``column`` "street_name", each with its record's second line: a unit
    may be written on either) or second lines ("address2") alike but not equal whose
    ``_identifiers`` differ where both give them ("po box 12" against "po box 13", "n main
    st" against "s main st", "apt 4" against "apt 5"; not "ferndale" against "dryandra st":
    a second line may hold a locality or the street), and those whose identifiers are the
    same ("apt 101" against "# 101")."""
    level = levels["street" if column == "street_name" else column]
    differ, same = np.zeros(len(level), dtype=bool), np.zeros(len(level), dtype=bool)
    # not null, not equal; a street already "else" needs no more (most candidate pairs)
    todo = np.flatnonzero((level > 1) & ((level < BY_NAME["street"].n_levels - 1)
                                         | (column == "address2")))  # fmt: skip
    if len(todo):
        a, b = pairs.at(column, todo)
        if column == "street_name":
            a2, b2 = pairs.at("address2", todo)
            a, b = a + " " + a2, b + " " + b2
        for k, x, y in zip(todo.tolist(), a.tolist(), b.tolist(), strict=True):
            pairs_of = zip(_identifiers(x), _identifiers(y), strict=True)
            found = [(mine, theirs) for mine, theirs in pairs_of if mine and theirs]
            differ[k] = any(mine != theirs for mine, theirs in found)
            same[k] = bool(found) and not differ[k]
    return differ, same


def street_similarity(pairs: _Pairs, given: Masks) -> tuple[Floats, Floats]:
    """Street lines alike word by word (token sort, on the normalised lines: "Oak St" is "Oak
    Street") or the street names letter by letter with the spaces gone (OSA, as printed),
    whichever is higher: a street type glued on, split or misspelt ("shackletonicircuit",
    "duncan dtreet", which the normaliser cannot abbreviate) is then a typo, not another
    street. A street name printed on the other side's second line ("3 Ferndale, Dryandra
    Street" against "3 Dryandra Street, Ferndale") counts as the street. With the letters'
    similarity alone (the second lines' included), the house numbers aside. ``given``: the
    street lines' ``masks``."""

    def letters_of(column: str, right_column: str) -> Floats:
        given = pairs.masks_of(column, right_column)
        return pairs.similarity("osa", column, given, right_column)

    words = pairs.similarity("token_sort", "street", given)
    letters = letters_of("street_letters", "street_letters")
    crossed = np.maximum(letters_of("street_letters", "address2_letters"),
                         letters_of("address2_letters", "street_letters"))  # fmt: skip
    letters = np.maximum(letters, crossed)
    return np.asarray(np.maximum(words, letters), dtype=np.float64), letters


def _other_street(
    left: Table, right: Table, li: Indices, ri: Indices, letters: Floats, asked: Bools
) -> Bools:
    """``Compared.other_street`` from the street names' similarity, word by word or letter by
    letter (``letters``, from ``street_similarity``), whichever is higher; a line run on into
    its town ("spring pl nashville": its town not cut off) is compared on its start. All of
    it only where ``asked`` (a ZIP that agrees: the one place the answer counts) and the
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
    la, lb = _lengths(a), _lengths(b)
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


def differs(levels: dict[str, Levels], name: str) -> npt.NDArray[np.bool_]:
    """Pairs whose ``name`` comparison is at its "else" level."""
    return np.asarray(levels[name] == BY_NAME[name].n_levels - 1)


_SIMILAR, _INITIAL = 3, 4  # first_name's level codes for "similar" and "initial"
TYPO_SHARE = 0.03
"""A listed first name spelt like another (``_misprint``: Jesica and Jessica, Rebbeca and
Rebecca) is a misprint or a variant of it when it is given at most this share as often (SSA
births, 1930-2022) and to at most ``TYPO_MAX_COUNT`` people: its level stands, and where the
files hold no households (FEBRL) it is a corrupted copy. Jon and John (4%), Eric and Erica,
Paul and Paula, Leslie and Lesley are two names: precision first, a brother or a wife is not
taken for the debtor."""
TYPO_MAX_COUNT = 10_000
"""A listed first name given to more people than this (SSA births, 1930-2022) is a name, not
a misprint, however rare beside the other: Michaela (52,496) is no misprint of Michael, nor
Joanna of John, Marty of Mary or Christiana of Christian, though each is under
``TYPO_SHARE`` of the other; at the debtor's address such a name is a daughter, a wife or a
brother. Jesica (4,715) and Dorthy's kind of rare spelling stay misprints."""
_SHORT_FORMS = """
pat patricia patrick
patty patricia patrick
chris christopher christine christina christian
cris christopher christine cristina
alex alexander alexandra alexis
fran frances francis frank
frankie frances francis frank
sam samuel samantha
sammy samuel samantha
terry terrence terence teresa theresa
jo joseph josephine joanne joan joanna
joe joseph josephine
jody joseph josephine judith
tony anthony antonia
toni anthony antonia
jackie jacqueline jack john
bobbie robert roberta
billie william wilhelmina
will william wilma
willie william wilhelmina
danny daniel danielle
dani daniel danielle
charlie charles charlotte
ronnie ronald veronica
nicky nicholas nicole
nikki nicholas nicole
andy andrew andrea
andi andrew andrea
gene eugene eugenia
jessie jessica jesse
jess jessica jesse
stevie steven stephanie
freddie frederick frederica
gabe gabriel gabrielle
max maxwell maximilian maxine
mel melvin melissa melanie
val valerie valentine
lou louis louise
ray raymond rachel
ricky richard ricardo erica
bert albert robert bertha
lee leroy leonard leslie
les leslie lester
kit christopher katherine
sandy sandra alexander
syd sydney sidney
vic victor victoria
vicky victoria victor
"""
AMBIGUOUS_SHORT_FORMS = {
    words[0]: frozenset(words[1:]) for words in map(str.split, _SHORT_FORMS.strip().splitlines())
}
"""Short forms of two or more different names (Pat: Patricia or Patrick): against a full name
at the debtor's address, as uncertain as an initial."""


def _line_agrees(levels: dict[str, Levels]) -> npt.NDArray[np.bool_]:
    """Pairs whose street line agrees, a typo included."""
    street = levels["street"]
    return np.asarray((street > 0) & (street < BY_NAME["street"].n_levels - 1))


def at_home(levels: dict[str, Levels]) -> npt.NDArray[np.bool_]:
    """Pairs at one address: the street line agrees, or the house number and the postcode."""
    return np.asarray(_line_agrees(levels) | ((levels["number"] == 1) & (levels["zip"] == 1)))


def unplaced(levels: dict[str, Levels]) -> npt.NDArray[np.bool_]:
    """Pairs whose street line agrees with no town to place it: neither the city nor the ZIP
    is compared (a side gives neither, or one gives only a city and the other only a ZIP).
    "12 Oak Street" is in thousands of towns, a state holds many (``model``)."""
    return np.asarray(_line_agrees(levels) & (levels["city"] == 0) & (levels["zip"] == 0))


def at_work(levels: dict[str, Levels]) -> npt.NDArray[np.bool_]:
    """Pairs at one firm: the employer agrees (exactly or closely). Not the e-mail: a personal
    mailbox is one person's."""
    employer = levels["employer"]
    return np.asarray((employer > 0) & (employer < BY_NAME["employer"].n_levels - 1))


def shared_household(levels: dict[str, Levels]) -> npt.NDArray[np.bool_]:
    """Pairs that share what a household shares: one address (``at_home``), one phone or
    e-mail address, or one firm (``at_work``)."""
    shared = at_home(levels) | at_work(levels)
    return np.asarray(shared | (levels["phone"] == 1) | (levels["email"] == 1))


def _first_name_rules(
    level: Levels, given: Masks, values_at: ValuesAt
) -> tuple[Levels, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """First-name levels corrected by the names as written (first_raw: ``given``, their
    ``Masks``; ``values_at``, the pairs' names at given positions), with which pairs hold two
    distinct real names (``Compared.distinct``) and which an initial, an ambiguous short form
    or a nickname (``Compared.short_form``). "B." is Betty's initial though Betty is filed as
    Elizabeth; Daniel and Danielle, Eric and Erica, Jon and John, both listed in the
    SSA table and neither a nickname of the other, are two names, "else", however alike they
    are spelt; Pat against Patricia keeps its level, a short form. Each distinct pair of
    names is judged once (``_verdicts``)."""
    out = level.copy()
    last = BY_NAME["first_name"].n_levels - 1
    distinct = np.zeros(len(level), dtype=bool)
    short = level == _INITIAL
    # "J" against "J": one letter, perhaps of two names (John and his wife Jane), as uncertain
    # as "J" against "John". Pat against Pat is not: few Patricks marry a Patricia
    same = np.flatnonzero(given[0] & ~given[1])
    short[same] = _lengths(values_at(same)[0]) == 1
    todo = np.flatnonzero(~given[0] & ~given[1] & (level != _INITIAL))
    if not len(todo):
        return out, distinct, short
    x, y = values_at(todo)
    initial = (level[todo] == last) & _one_letter(x, y) & (x.astype("<U1") == y.astype("<U1"))
    out[todo[initial]], short[todo[initial]] = _INITIAL, True
    todo = todo[~initial]
    verdict = _verdicts(x[~initial], y[~initial])
    was = level[todo]
    short_form = verdict == _SHORT_FORM
    # a nickname (the names as written differ, made formal they agree): Jack is John's, and
    # a name of its own, as Molly, Harry and Betty are (SSA: 550,382 Jacks); and a listed
    # name a slip from another, which may be a relative's own (Johnna, John's daughter)
    short[todo[short_form | (was == 1) | (verdict == _MISPRINT)]] = True
    out[todo] = np.where(short_form & (was == last), np.minimum(was, _SIMILAR), out[todo])
    two = (verdict == _TWO_NAMES) & (was != 1)
    out[todo[two]], distinct[todo[two]] = last, True
    return out, distinct, short


_SAME, _SHORT_FORM, _TWO_NAMES, _MISPRINT = 0, 1, 2, 3
"""``_MISPRINT``: two listed names, one a slip from the other (Johnna, 9,960 births, against
John): the same person's misprint, or a daughter's own name; the same first name, but in the
debtor's household only medium (``Compared.short_form``)."""


def _verdicts(a: Column, b: Column) -> npt.NDArray[np.int64]:
    """``_names_verdict`` of every pair. Most candidate pairs hold two common names that
    differ outright (a block of one surname): those are told from facts looked up once per
    name; the others (a short form, a misprint, an unlisted or one-letter name) once per
    distinct pair of names, from the same facts and a batch of ``is_typo``'s edit distances
    (``_typos``): at a million records a side, far more distinct pairs than a cache holds.
    A pair with an ambiguous short form goes to ``_names_verdict`` itself."""
    names = list(dict.fromkeys(a.tolist() + b.tolist()))
    code = {name: i for i, name in enumerate(names)}
    floor = tables().first_name_floor
    canonical = [canonical_first(name) for name in names]
    formal_code: dict[str, int] = {}  # its own numbering: a formal name need not be in names
    canonical_code = np.array([formal_code.setdefault(c, len(formal_code)) for c in canonical])
    ambiguous = np.array([n in AMBIGUOUS_SHORT_FORMS for n in names], dtype=bool)
    count = np.array([
        first_name_count(n) if len(n) > 1 and n not in AMBIGUOUS_SHORT_FORMS else 0
        for n in names
    ])  # fmt: skip
    count[count <= floor] = 0  # unlisted: the tables cannot tell a name from a misprint
    formal = np.array([first_name_count(c) for c in canonical])
    ca = np.fromiter(map(code.__getitem__, a.tolist()), dtype=np.int64, count=len(a))
    cb = np.fromiter(map(code.__getitem__, b.tolist()), dtype=np.int64, count=len(b))

    two = (count[ca] > 0) & (count[cb] > 0) & _common(count, ca, cb) & _common(formal, ca, cb)
    two &= canonical_code[ca] != canonical_code[cb]
    verdict = np.full(len(a), _TWO_NAMES, dtype=np.int64)
    rest = np.flatnonzero(~two)
    pairs, inverse = np.unique(ca[rest] * len(names) + cb[rest], return_inverse=True)
    i, j = np.divmod(pairs, len(names))
    judged = np.full(len(pairs), _SAME, dtype=np.int64)
    short = ambiguous[i] | ambiguous[j]
    for pair in np.flatnonzero(short).tolist():
        judged[pair] = _names_verdict(names[i[pair]], names[j[pair]])
    # as _names_verdict: one-letter, unlisted or one formal name is the same; else two names
    # unless one is a misprint of the other, as written or made formal
    undecided = np.flatnonzero(~short & (count[i] > 0) & (count[j] > 0)
                               & (canonical_code[i] != canonical_code[j]))  # fmt: skip
    x, y = i[undecided], j[undecided]
    typo = _typos(names, count, x, y) | _typos(canonical, formal, x, y)
    judged[undecided[~typo]] = _TWO_NAMES
    judged[undecided[typo]] = _MISPRINT
    verdict[rest] = judged[inverse]
    return verdict


def _common(counts: npt.NDArray[np.int64], i: Indices, j: Indices) -> Bools:
    """Whether the names ``i[k]`` and ``j[k]`` are both common (``TYPO_SHARE``,
    ``TYPO_MAX_COUNT``)."""
    fewer = np.minimum(counts[i], counts[j])
    return np.asarray((fewer > TYPO_SHARE * np.maximum(counts[i], counts[j]))
                      | (fewer > TYPO_MAX_COUNT))  # fmt: skip


def _typos(names: list[str], counts: npt.NDArray[np.int64], i: Indices, j: Indices) -> Bools:
    """``is_typo(names[i[k]], names[j[k]])`` for every k, ``counts`` being the names'
    ``first_name_count``: the edit distances in one batch."""
    out = np.zeros(len(i), dtype=bool)
    todo = np.flatnonzero(~_common(counts, i, j))
    if len(todo):
        x = [names[k] for k in i[todo].tolist()]
        y = [names[k] for k in j[todo].tolist()]
        workers = -1 if len(todo) >= _PARALLEL_FROM else 1
        edits = cpdist(x, y, scorer=OSA.distance, workers=workers)
        alike = cpdist(x, y, scorer=JaroWinkler.similarity, dtype=np.float64, workers=workers)
        out[todo] = _misprint(np.asarray(edits), np.asarray(alike))
    return out


@lru_cache(maxsize=1 << 18)
def _names_verdict(x: str, y: str) -> int:
    """How two different first names as written relate: an ambiguous short form of the other,
    two real names, or neither said (a misprint, a variant, a name missing from the table)."""
    for short, full in ((x, y), (y, x)):
        forms = AMBIGUOUS_SHORT_FORMS.get(short)
        if forms and (full in forms or canonical_first(full) in forms or (
                full.startswith(short) and len(full) > len(short))):  # fmt: skip
            return _SHORT_FORM
    if len(x) < 2 or len(y) < 2 or canonical_first(x) == canonical_first(y):
        return _SAME
    floor = tables().first_name_floor
    count_x, count_y = first_name_count(x), first_name_count(y)
    if min(count_x, count_y) <= floor:
        return _SAME  # unlisted: the tables cannot tell a name from a misprint
    if is_typo(x, y) or is_typo(canonical_first(x), canonical_first(y)):
        return _MISPRINT
    return _TWO_NAMES


@lru_cache(maxsize=1 << 16)
def is_typo(x: str, y: str) -> bool:
    """Whether one listed first name may be a misprint or variant of the other
    (``TYPO_SHARE``, ``TYPO_MAX_COUNT``)."""
    count_x, count_y = first_name_count(x), first_name_count(y)
    fewer = min(count_x, count_y)
    if fewer > TYPO_SHARE * max(count_x, count_y) or fewer > TYPO_MAX_COUNT:
        return False  # two common names: no misprint of one another, however alike
    return bool(_misprint(np.array([OSA.distance(x, y)]),
                          np.array([JaroWinkler.similarity(x, y)]))[0])  # fmt: skip


def _misprint(edits: npt.NDArray[Any], alike: Floats) -> Bools:
    """Spellings one slip apart: one edit (an adjacent swap is one), or two that leave them
    alike letter by letter (Jaro-Winkler at least 0.8: Rebbeca and Rebecca). Three edits are
    another name (Rolanda is not Ronald misprinted)."""
    return np.asarray((edits <= 1) | ((edits <= 2) & (alike >= 0.8)))


GENERATION_YEARS = 15
"""Birth years this far apart are two generations' however few digits differ."""


def _dob_levels(level: Levels, values_at: ValuesAt) -> Levels:
    """Birth-date levels with "close": one digit off or two digits swapped in a whole date, or
    day and month swapped (1980-05-01 against 1980-01-05), a misprint rather than another person.
    ``values_at``: the pairs' dates at given positions."""
    out = level.copy()
    todo = np.flatnonzero(level == BY_NAME["dob"].n_levels - 1)
    if len(todo):
        x, y = values_at(todo)  # dates hardly repeat: in one batch
        workers = -1 if len(todo) >= _PARALLEL_FROM else 1
        edits = cpdist(x.tolist(), y.tolist(), scorer=OSA.distance, workers=workers)
        # a year or a month alone one digit off is another year: 1955 against 1985 is a
        # father and son, not a misprint, where a whole date shares the day and month too
        x_len, y_len = np.char.str_len(x.astype(str)), np.char.str_len(y.astype(str))
        whole = (x_len == 8) & (y_len == 8)
        close = (np.asarray(edits) <= 1) & whole
        # ...and years a generation apart are a father and son whatever the edit: 1958 is
        # 1985 with two digits swapped
        years = np.flatnonzero(close)
        apart = np.abs(x[years].astype("<U4").astype(int) - y[years].astype("<U4").astype(int))
        close[years[apart >= GENERATION_YEARS]] = False
        same_year = x.astype("<U4") == y.astype("<U4")
        year = np.flatnonzero(same_year)  # a swap keeps the year
        swapped = map(_day_month_swapped, x[year].tolist(), y[year].tolist())
        close[year] |= np.fromiter(swapped, dtype=bool, count=len(year))
        out[todo[close]] = 2
        # a year or a month alone that the other side's fuller date begins with ("1980" and
        # 1980-05-01: a voter file's year beside the debtor's date) is no disagreement: it
        # says nothing either way, as a date missing on one side (it read as "differs": the
        # debtor's own record at her home a parent's, 0.000)
        shorter = np.minimum(x_len, y_len)
        same_month = x.astype("<U6") == y.astype("<U6")
        fits = (x_len != y_len) & (same_year & (shorter == 4) | same_month & (shorter == 6))
        out[todo[fits]] = 0
    return out


def _day_month_swapped(x: str, y: str) -> bool:
    """Whether two dates (YYYYMMDD) differ by day and month swapped."""
    return len(x) == 8 and len(y) == 8 and x[:4] == y[:4] and x[4:6] == y[6:] and x[6:] == y[4:6]


def _generations(pairs: _Pairs) -> tuple[Bools, Bools]:
    """Pairs whose records print two different generational suffixes (Jr against Sr), and
    pairs where one prints one and the other no suffix at all; the suffixes read only where
    one is printed."""
    empty = pairs.empty("left", "suffix"), pairs.empty("right", "suffix")
    generational = []
    for side, (table, index) in enumerate(((pairs.left, pairs.li), (pairs.right, pairs.ri))):
        found = np.zeros(len(index), dtype=bool)
        printed = np.flatnonzero(~empty[side])
        found[printed] = np.isin(table["suffix"][index[printed]], list(GENERATIONAL))
        generational.append(found)
    both = generational[0] & generational[1] & ~pairs.masks_of("suffix")[0]
    return both, (generational[0] & empty[1]) | (generational[1] & empty[0])


def _relation(
    levels: dict[str, Levels], both: Bools, one_side: Bools
) -> tuple[Levels, npt.NDArray[np.bool_]]:
    """What the names say the pair may be to each other (``Compared.relation``). At one
    address, one firm (``at_work``) or one phone, names that agree (or a first name missing on
    one side) with birth dates that disagree (beyond a misprint: "close") or middle names (or
    initials) that disagree are a father and son who print no suffix.

    An identity number that agrees exactly (one person's own: twins, spouses, parents and
    children each have theirs) outvotes a first name that differs where the birth dates agree
    exactly too (two identity fields against one: a copy, or twins one of whom was filed under
    the other's number), and a birth date that differs where the names agree (a misprint, or a
    son filed under his father's number); ``model`` holds both readings to ``medium``, for a
    collector to look at: with the relation, the pairs outvoted so. A birth date missing on
    either side or only close, a middle name that differs and a generational suffix are never
    outvoted."""
    dob_differs, middle = differs(levels, "dob"), differs(levels, "middle_name")
    disagrees = middle | dob_differs
    generation = both | (one_side & disagrees)
    home = at_home(levels)
    # a family firm employs the father and the son; a landline rings for both
    together = home | at_work(levels) | (levels["phone"] == 1)
    relation = np.where(one_side & home, SUFFIX_ONE_SIDE_AT_HOME, NO_RELATION)
    first = differs(levels, "first_name")  # an initial, and a middle name that disagrees
    first |= (levels["first_name"] == _INITIAL) & middle & together
    same_number = levels["id_number"] == 1
    outvoted = first & same_number & (levels["dob"] == 1) & ~middle
    first &= ~outvoted
    relation = np.where(first, FIRST_NAME_DIFFERS, relation)
    # first names that agree, or none given (no first name, or a title: only the middle name
    # or the birth date says who it is)
    agree = levels["first_name"] < _INITIAL
    agree &= ~differs(levels, "last_name")  # or one is missing: nothing says another family
    other = (dob_differs & ~same_number) | middle  # J against Allen too
    generation |= agree & together & other & (relation != FIRST_NAME_DIFFERS)
    outvoted |= agree & together & dob_differs & same_number & ~middle & ~generation
    return np.where(generation, OTHER_GENERATION, relation).astype(np.int8), outvoted


def other_people(table: Table, a: Indices, b: Indices) -> Bools:
    """Pairs of records of one table (``a[k]``, ``b[k]``) that are two people by their own
    fields, wherever each lives: birth dates that differ beyond a misprint, generational
    suffixes both print and differ (Jr against Sr), middle names that differ (not one the
    other's initial), or first names that do (``FIRST_NAME_DIFFERS``: not an initial, a
    nickname or a misprint of the other; John and Jane, both a "J. Smith"'s) where the
    surnames do not: "SMITH J", read as a given name Smith and a surname J, differs in both
    from John Smith's record, and may be his. The readings ``compare`` gives a debtor and a
    candidate: a father and son at one home, or two namesakes. Two records of one person, or
    of whom one lacks the field, are not told apart."""
    compared = compare(table, table, a, b)
    levels = compared.levels
    suffixes, _ = _generations(_Pairs(table, table, a, b))
    other = differs(levels, "dob") | differs(levels, "middle_name") | suffixes
    first = (compared.relation == FIRST_NAME_DIFFERS) & ~differs(levels, "last_name")
    return np.asarray(other | first)


DOB, MIDDLE, SUFFIX = 1, 2, 4
"""Bits of the details that tell two people of one name apart (``given``, ``apart_by``): a
birth date, a middle name, a generational suffix."""


def given(table: Table, rows: Indices) -> npt.NDArray[np.int8]:
    """The details each record (``rows`` of ``table``) gives, as bits (``DOB``, ``MIDDLE``,
    ``SUFFIX``: a generational one)."""
    suffixes = np.isin(table["suffix"][rows], list(GENERATIONAL))
    bits = (table["dob"][rows] != "") * DOB | (table["middle"][rows] != "") * MIDDLE
    return np.asarray(bits | suffixes * SUFFIX, dtype=np.int8)


def telling(table: Table, rows: Indices) -> Bools:
    """Records (``rows`` of ``table``) giving a field ``other_people`` tells two people apart
    by: a birth date, a middle name, a generational suffix or a first name. One giving none is
    anyone's of its name: never another person than a record beside it. One giving a first
    name alone is any namesake's of that first name (``link._people`` takes it last)."""
    return np.asarray((given(table, rows) != 0) | (table["first"][rows] != ""))


def several_names(table: Table, rows: Indices) -> Bools:
    """Records (``rows`` of ``table``) whose first name fits several: an initial ("J": John or
    Jane), none, a short form of two names (``AMBIGUOUS_SHORT_FORMS``: Chris), or an initial
    read as the surname ("SMITH J", ``_one_letter_surnames``). Compared with John's record
    and Jane's, such a record is told apart from neither."""
    names = zip(table["first_raw"][rows].tolist(), table["last"][rows].tolist(), strict=True)
    fits = (len(first) < 2 or first in AMBIGUOUS_SHORT_FORMS or len(last) == 1
            for first, last in names)  # fmt: skip
    return np.fromiter(fits, dtype=bool, count=len(rows))


def apart_by(levels: dict[str, Levels], right: Table, ri: Indices) -> npt.NDArray[np.int8]:
    """The details (bits as ``given``) by which each pair's right record (``right[ri]``) is
    shown another person than its left: a birth date that differs beyond a misprint, a middle
    name that differs (not one the other's initial), a generational suffix the left does not
    print the same, printing none included: a son prints Jr more often than a father prints
    Sr, but either may print none, and a plain record beside a Jr is then either's."""
    suffix = (given(right, ri) & SUFFIX) * (levels["suffix"] != 1)
    bits = differs(levels, "dob") * DOB | differs(levels, "middle_name") * MIDDLE
    return np.asarray(bits | suffix, dtype=np.int8)


def _one_letter(a: Column, b: Column) -> Bools:
    """Pairs of which either side is one letter (an initial): lengths read off the strings,
    without the fixed-width copies ``np.char.str_len`` needs (names are folded: no NULs)."""
    return np.asarray((_lengths(a) == 1) | (_lengths(b) == 1))


def _lengths(column: Column) -> npt.NDArray[np.int64]:
    """Each string's length."""
    return np.fromiter(map(len, column.tolist()), dtype=np.int64, count=len(column))


def _levels(
    comparison: Comparison,
    values_at: ValuesAt,
    sim: Floats | None,
    given: Masks,
) -> Levels:
    """The comparison's level codes from the pairs' ``Masks`` (null: ``given[1]``) and
    similarities; ``values_at``: the pairs' values at given positions (for an initial)."""
    equal, null = given
    conditions = [null, equal]
    for threshold in comparison.thresholds:
        assert sim is not None
        conditions.append(sim >= threshold)
    if "initial" in comparison.levels:  # "J" against "Jane": numpy truncates to the first letter
        # only where no stronger level holds (np.select takes the first)
        todo = np.flatnonzero(~np.logical_or.reduce(conditions))
        x, y = values_at(todo)
        initial = np.zeros(len(equal), dtype=bool)
        initial[todo] = _one_letter(x, y) & (x.astype("<U1") == y.astype("<U1"))
        conditions.append(initial)
    codes = np.select(conditions, list(range(len(conditions))), default=comparison.n_levels - 1)
    return codes.astype(np.int8)


def _past_shared_words(pairs: _Pairs, sim: Floats) -> Floats:
    """The surnames' similarity (``sim``), where both hold words past those they begin with
    alike, taken on those words alone (``_rest_similarity``)."""
    out = sim.copy()
    todo = np.flatnonzero((sim >= BY_NAME["last_name"].thresholds[-1]) & (sim < 1.0))
    if len(todo):
        a, b = pairs.at("last", todo)
        rest = np.fromiter(map(_rest_similarity, a.tolist(), b.tolist()), dtype=np.float64,
                           count=len(todo))  # fmt: skip
        out[todo] = np.minimum(sim[todo], rest)
    return out


@lru_cache(maxsize=1 << 16)
def _rest_similarity(x: str, y: str) -> float:
    """Jaro-Winkler of two surnames past the words both begin with, where both hold more (1.0
    elsewhere): it rewards a shared start, and made "De La Cruz" and "De La Rosa", "Van Buren"
    and "Van Dyke", "Smith-Jones" and "Smith-Brown" one surname misprinted ("similar"), while
    "De La Curz" still is."""
    words_x, words_y = x.split(), y.split()
    shared = 0
    while shared < min(len(words_x), len(words_y)) - 1 and words_x[shared] == words_y[shared]:
        shared += 1
    if not shared:
        return 1.0
    return float(JaroWinkler.normalized_similarity(" ".join(words_x[shared:]),
                                                   " ".join(words_y[shared:])))  # fmt: skip


STRAIGHT, LAST_FIRST, RIGHT_SURNAME_FIRST, LEFT_SURNAME_FIRST = range(4)
"""How a pair's names are read (``Compared.transposed``): as given; the right record's first
and last names swapped ("SMITH JOHN" against John Smith); one record printed surname, given
name, middle name, the right ("SMITH JOHN ROBERT" against John Robert Smith) or the left."""

READINGS: tuple[dict[str, str], ...] = (
    {},
    {"first": "last", "last": "first"},
    {"first": "middle", "middle": "last", "last": "first"},
    {"first": "last", "middle": "first", "last": "middle"},
)
"""For each reading, the right record's column read in place of a name part's."""


def _names(pairs: _Pairs) -> tuple[Floats, Floats, npt.NDArray[np.int8], dict[str, Crossed]]:
    """The first names' and the surnames' similarity; how each pair's names are read
    (``STRAIGHT``...), another reading taken where it agrees much better; and, for each name
    part, the right columns read in its place (``_Pairs.masks_of``). Where either record gives
    no middle name, the right one's first and last swapped ("SMITH JOHN"). Where both give one,
    one of them printed surname first, its parts rotated: "SMITH JOHN ROBERT" is John Robert
    Smith. Not swapped there: that read it as surname, middle name, given name, an order no one
    prints, and so as his father Robert John Smith at his home (1.000, ``high``), whom neither
    rotation reads so. Where one alone gives one, that one may be printed surname first too:
    not swapped where read so it is much the likelier (``_printed_surname_first``), and the right
    one rotated where that agrees much better ("SMITH JOHN ROBERT" against John Smith). Not
    the left: its parts are compared in their columns' places, and its middle name, in its
    last name column, against no surname is a name half missing."""
    straight_f = pairs.similarity("jaro_winkler", "first", pairs.masks_of("first"))
    straight_l = _past_shared_words(
        pairs, pairs.similarity("jaro_winkler", "last", pairs.masks_of("last"))
    )
    straight = straight_f + straight_l
    left_m, right_m = ~pairs.empty("left", "middle"), ~pairs.empty("right", "middle")
    middles = left_m & right_m
    cross_f = pairs.similarity("jaro_winkler", "first", pairs.masks_of("first", "last"), "last")
    swap, cross_l = _read_as(pairs, cross_f, ("last", "first"), straight, ~middles)
    swap &= ~_printed_surname_first(pairs, np.flatnonzero(swap & (left_m | right_m)))
    ahead_f = pairs.similarity("jaro_winkler", "first", pairs.masks_of("first", "middle"), "middle")
    ahead, ahead_l = _read_as(pairs, ahead_f, ("last", "first"), straight,
                              right_m & (left_m | ~swap))  # fmt: skip
    # the left printed surname first: judged, as the others, on the surnames (its first name
    # column) and the given names (its middle one); its middle name is in its last name column
    behind, _ = _read_as(pairs, cross_f, ("middle", "first"), straight, middles & ~ahead)
    behind_l = np.zeros(len(pairs.li))
    taken = np.flatnonzero(behind)
    behind_l[taken] = similarity("jaro_winkler", *pairs.at("last", taken, "middle"))
    # the names as written differ from the formal ones only where a nickname was made formal
    # (Bob: Robert); elsewhere they are the same strings, with the same similarity
    nickname = np.flatnonzero(~pairs.equal("first_raw", "first"))
    raw = straight_f.copy()
    raw[nickname] = similarity("jaro_winkler", *pairs.at("first_raw", nickname))
    first_sim = np.select([swap | behind, ahead], [cross_f, ahead_f], np.maximum(straight_f, raw))
    last_sim = np.select([swap, ahead, behind], [cross_l, ahead_l, behind_l], straight_l)
    reading = np.select([swap, ahead, behind], [LAST_FIRST, RIGHT_SURNAME_FIRST,
                                                LEFT_SURNAME_FIRST], STRAIGHT)  # fmt: skip
    crossed = {part: tuple((read[part], reading == code) for code, read in enumerate(READINGS)
                           if part in read) for part in ("first", "middle", "last")}  # fmt: skip
    return first_sim, last_sim, reading.astype(np.int8), crossed


SURNAME_FIRST_RATIO = 100
"""How many times more plausible a record's name must be read surname first than as printed
(``_printed_surname_first``) for its first and last names not to be swapped. "SMITH JOHN
ROBERT": Smith a surname 650 times as often as a given name, Robert a given name 320 times as
often as a surname: 210,000 times. "LEE JOHN ROBERT": Lee a surname 3 times as often, 975
times. Far apart, as refused wrongly the swap loses the debtor written "SMITH JOHN": a given
name the tables undercount (Wei: a surname 26 times as often; "Wei John Li", Li a surname,
26 times) keeps it."""


def _printed_surname_first(pairs: _Pairs, todo: Indices) -> Bools:
    """Which pairs (of ``todo``, where exactly one record gives a middle name) that record is
    printed surname first: read so (surname, given name, middle name) its name is more
    plausible by ``SURNAME_FIRST_RATIO`` than as printed (given name, middle name, surname),
    by the name tables (``_reading_odds``). Swapped, "SMITH JOHN ROBERT" was given name Smith,
    surname Robert: John Robert Smith's father Robert Smith at their home, 1.000 ``high``; so
    was "LEE JOHN ROBERT" Robert Lee, though Lee is a given name too."""
    out = np.zeros(len(pairs.li), dtype=bool)
    left_m = ~pairs.empty("left", "middle")[todo]
    names = (np.where(left_m, *pairs.at(column, todo)).tolist()
             for column in ("first", "middle", "last"))  # fmt: skip
    out[todo] = [_reading_odds(*name) >= SURNAME_FIRST_RATIO for name in zip(*names, strict=True)]
    return out


def _reading_odds(first: str, middle: str, last: str) -> float:
    """How many times more people the tables give the name read surname first (surname
    ``first``, given name ``middle``, middle name ``last``) than read as printed (given name
    ``first``, middle name ``middle``, surname ``last``). A middle name is counted as a given
    name or a surname, whichever more people bear (many are a family's surname): a last word
    that is a surname never counts against the surname-first reading, only for the other."""
    return (surname_count(first) * first_name_count(middle) * _middle_count(last)
            / (first_name_count(first) * _middle_count(middle) * surname_count(last)))  # fmt: skip


def _middle_count(name: str) -> int:
    """People bearing this name as a given name or a surname, whichever more do."""
    return max(first_name_count(name), surname_count(name))


def _read_as(
    pairs: _Pairs, first: Floats, other: tuple[str, str], straight: Floats, where: Bools
) -> tuple[Bools, Floats]:
    """Which pairs (of ``where``) a reading agrees much better on than the straight one (whose
    first names' and surnames' similarities sum to ``straight``): one name's similarity under
    it, ``first``, and the other's, the left's ``other[0]`` column against the right's
    ``other[1]`` (with it). The other counts only where both reach 0.8 (below 0.75, with room
    for rounding, the sum cannot reach 1.8): compared there alone."""
    last = np.zeros(len(pairs.li))
    near = np.flatnonzero(where & (first >= 0.75))
    last[near] = similarity("jaro_winkler", *pairs.at(other[0], near, other[1]))
    return (first + last >= 1.8) & (first + last > straight + 0.2) & where, last
