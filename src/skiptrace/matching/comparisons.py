"""Comparisons: for each field, how closely two records agree, as a level per pair; and what
the levels say the two may be to each other (a relative, another generation).

``compare`` reads each field of the table in ``levels`` through ``pairs``, the names in the
order ``name_order`` finds, and corrects the levels by what a string's similarity does not
see: another home on a street line alike (``streets``), two real first names alike or one
name's short form (``first_names``), two listed surnames alike, a birth date one slip off
(here).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace
from functools import lru_cache, partial
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.process import cpdist

from skiptrace.matching.first_names import (
    AMBIGUOUS_SHORT_FORMS,
    TYPO_MAX_COUNT,
    TYPO_SHARE,
    first_name_rules,
    given_names_crossed,
)
from skiptrace.matching.levels import BY_NAME, COMPARISONS, INITIAL, Comparison
from skiptrace.matching.name_order import (
    LAST_FIRST,
    LEFT_SURNAME_FIRST,
    RIGHT_SURNAME_FIRST,
    STRAIGHT,
    names,
    past_shared,
    surnames_first,
)
from skiptrace.matching.pairs import (
    PARALLEL_FROM,
    SCALE,
    SCORERS,
    Bools,
    Crossed,
    Floats,
    Indices,
    Levels,
    Masks,
    Pairs,
    ValuesAt,
    lengths,
    one_letter,
)
from skiptrace.matching.prepare import Column, Table
from skiptrace.matching.rarity import first_name_listed, surname_count, surname_listed
from skiptrace.matching.streets import (
    another_home,
    identifiers_differ,
    other_street,
    street_similarity,
)
from skiptrace.normalize import canonical_first

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
class Compared:
    """Levels (and similarities, for explanations) of every comparison for a set of pairs."""

    levels: dict[str, Levels]
    similarity: dict[str, Floats]
    transposed: npt.NDArray[np.int8]
    """How each pair's names are read (``name_order``: ``STRAIGHT``, ``LAST_FIRST``,
    ``RIGHT_SURNAME_FIRST``, ``LEFT_SURNAME_FIRST``): not ``STRAIGHT``, written in another
    order."""
    relation: Levels
    """One relation code per pair: NO_RELATION, FIRST_NAME_DIFFERS, OTHER_GENERATION or
    SUFFIX_ONE_SIDE_AT_HOME (see those)."""
    distinct: npt.NDArray[np.bool_]
    """The first names are two real names (both listed in the SSA table, neither a nickname
    of the other) and not a misprint of one another (``first_names.is_typo``): another person
    whatever the files hold (see ``model.Model.households``)."""
    short_form: npt.NDArray[np.bool_]
    """One first name is an initial, a short form of two names (Pat: Patricia or Patrick), a
    nickname (Jack: John, and a name of its own), a listed name a slip from the other
    (Johnna: John) or the first word of the other's given name (Mary against Mary-Ann or Mary
    Ann: ``_compound_on_one_side``) that agrees with it, or a first name or surname is
    missing ("BAKER" alone, "DAVID" alone): in the debtor's household, perhaps the spouse or a
    child."""
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
    born_that_day: npt.NDArray[np.bool_]
    """The birth dates agree as whole dates (a day, not a year or a month written alone): what
    says whose a short form in the debtor's household is (``model.household_held``); a wife
    is born the same year as her husband as often as not."""


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
    pairs = Pairs(left, right, li, ri)
    first_sim, last_sim, reading, readings = names(pairs)
    name_sims = {"first_name": first_sim, "last_name": last_sim}
    for comparison in COMPARISONS:
        sim: Floats | None
        values_at: ValuesAt
        if comparison.name in name_sims:
            sim = name_sims[comparison.name]
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
        if comparison.name == "last_name":
            _surnames_apart(levels, values_at, pairs, reading)
    # 12 Main St is not 14 Main St, nor PO Box 12 PO Box 13, N Main St S Main St or Apt 4 Apt
    # 5, however alike the strings: another home, no agreement (and a ZIP beside it its area)
    # Apt 101 against Apt 102 is not close, Apt 101 against #101 is
    units_differ, units_same = identifiers_differ(pairs, "address2", levels)
    unit = np.where(units_same & differs(levels, "address2"), 2, levels["address2"])
    levels["address2"] = np.where(units_differ, BY_NAME["address2"].n_levels - 1,
                                  unit).astype(np.int8)  # fmt: skip
    numbers_differ = differs(levels, "number") | units_differ
    numbers_differ |= identifiers_differ(pairs, "street_name", levels)[0]
    # "12 Oak St" against "12 Main St", alike as lines only by the house number and the street
    # type (the line's words called them similar): the street names differ, another home
    alike = (levels["street"] > 1) & ~differs(levels, "street")
    numbers_differ |= other_street(left, right, li, ri, letters, alike)
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
        apart = [another_home(str(a), str(b), c) for a, b, c in zip(x, y, close, strict=True)]
        for name in ("street", "number", "address2"):  # a PMB's house number is its store's
            levels[name][moved[np.array(apart, dtype=bool)]] = 0
    another_street = other_street(left, right, li, ri, letters, ~unnamed & zip_agrees)
    another_street |= zip_agrees & ((levels["street"] == 0) | numbers_differ)  # the ZIP's area
    levels["dob"] = _dob_levels(levels["dob"], partial(pairs.at, "dob"))
    written = readings["first"]  # the first names as written, the right one crossed
    levels["first_name"], distinct, short = first_name_rules(
        levels["first_name"], pairs.masks_of("first_raw", crossed=written),
        partial(pairs.at, "first_raw", crossed=written), reading == STRAIGHT,
    )  # fmt: skip
    for code, directions in ((LAST_FIRST, (("last", "first_raw"), ("first_raw", "last"))),
                             (LEFT_SURNAME_FIRST, (("middle", "first_raw"),))):  # fmt: skip
        given_names_crossed(pairs, reading == code, directions, levels, distinct, short)
    _hyphened_given_names(pairs, reading, levels)
    short |= _compound_on_one_side(pairs, reading, levels, written)
    short |= _compound_in_middle(pairs, reading, levels)
    given_last, two, held = _given_names_last(pairs, reading, levels)
    distinct |= two
    short |= held
    # the relation first: a middle name that differs says another man of the family even
    # where the given name it sits beside is a husband's
    rotated = reading == LEFT_SURNAME_FIRST
    relation, outvoted = _relation(levels, *_generations(pairs), given_last, rotated,
                                   _rotated_middles_differ(pairs, rotated))  # fmt: skip
    styled = _unstyled(levels, ~pairs.masks_of("styled")[0])
    # the left rotated against a record giving no middle name: its last name column holds its
    # middle name, against none (the reverse reads so, a middle name on one side only)
    one_middle = rotated & pairs.empty("right", "middle")
    short |= (levels["first_name"] == 0) | ((levels["last_name"] == 0) & ~one_middle)
    short |= _one_letter_surnames(pairs)
    nameless = (pairs.empty("left", "first") & pairs.empty("left", "last")) | (
        pairs.empty("right", "first") & pairs.empty("right", "last")
    )  # fmt: skip
    _measure_unmeasured(pairs, levels, sims, readings)
    dated = np.flatnonzero(levels["dob"] == 1)
    born_that_day = np.zeros(len(li), dtype=bool)
    born_that_day[dated] = lengths(pairs.at("dob", dated)[0]) >= 8  # YYYYMMDD
    return Compared(levels, sims, reading, relation, distinct & (relation == FIRST_NAME_DIFFERS),
                    short, another_street, nameless, outvoted, styled, born_that_day)  # fmt: skip


def _hyphened_given_names(pairs: Pairs, reading: Levels, levels: dict[str, Levels]) -> None:
    """A hyphenated given name's later words (``given_rest``: "Min-jun" is "min" and "jun")
    against the other record's (or, where it has none, its middle name: "Mary Beth"), for the
    pairs whose names are read as written, first and last swapped, or one printed surname
    first ("KIM MIN SEO" against "Min-Jun Kim", 1.000 ``high`` one way and ``low`` the
    other before it was looked at too): words that differ,
    neither an initial of the other nor one slip from it (Sara-Kouise, a copy's misprint of
    Sara-Louise; not Min-jin, three letters, for Min-jun), are a middle name that differs.
    Min-jun and Min-seo Kim, Mary-Ann and Mary-Beth Smith, Jean-Paul and Jean-Luc Martin at
    one address were one name by their first word, 1.000 ``high``, where Mary Ann and Mary
    Beth were two people. Swapped, a record's given name is in its last name column ("KIM
    MIN-SEO": "min seo"), its words past the other's first name its later words. In place."""
    straight, swapped = reading == STRAIGHT, reading == LAST_FIRST
    # one record printed surname first ("KIM MIN SEO" read Min Seo Kim): its given name in its
    # middle name column, the later word in its last name column
    left_first, right_first = reading == LEFT_SURNAME_FIRST, reading == RIGHT_SURNAME_FIRST
    equal, _ = pairs.masks_of("given_rest")  # two records giving none are equal
    todo = np.flatnonzero(straight & ~equal | swapped | left_first | right_first)
    if not len(todo):
        return
    rests, middles = pairs.at("given_rest", todo), pairs.at("middle", todo)
    firsts, lasts = pairs.at("first", todo), pairs.at("last", todo)
    modes = zip(swapped[todo].tolist(), left_first[todo].tolist(), right_first[todo].tolist(),
                strict=True)  # fmt: skip
    apart = [_other_words(*_later_words(mine, theirs, *mode))
             for mode, mine, theirs in zip(
                 modes, zip(rests[0], middles[0], lasts[0], firsts[0], strict=True),
                 zip(rests[1], middles[1], lasts[1], firsts[1], strict=True),
                 strict=True)]  # fmt: skip
    levels["middle_name"][todo[np.array(apart, dtype=bool)]] = BY_NAME["middle_name"].n_levels - 1


COMPOUND_FROM = TYPO_MAX_COUNT
"""Two given names written with a space ("Mary Ann") are one given name of its own where the
SSA table lists them written together (Maryann: 58,422 births; Joann, Rosemarie) at least
this many times, the count at which a name is a name and not a misprint (``first_names``);
fewer (Johnpaul: 5,783), a middle name (``_compound_on_one_side``)."""


def _compound_on_one_side(
    pairs: Pairs, reading: Levels, levels: dict[str, Levels], written: Crossed
) -> Bools:
    """The pairs whose first names agree where one record's given name goes on, as a given
    name of its own, and the other's does not: hyphenated (Mary-Ann against Mary), or two
    words a given name together (``COMPOUND_FROM``: Mary Ann, Jo Ann). A mother Mary and her
    daughter Mary-Ann at one home were one person, 1.000 ``high``; in the debtor's household
    such a pair is a short form (``Compared.short_form``), Jo against Joanne.

    Not every middle name on one side only: most records drop it. On four US household sets
    (2,000 debtors each) holding them would have held 511 of the 3,634 records of a debtor's
    own at her home agreeing on first and last name, and none of the others; the compounds
    held 1. ``written``: the right records' first names as read."""
    first = levels["first_name"]
    unrested = [pairs.empty(side, "given_rest") for side in ("left", "right")]
    bare = [pairs.empty(side, "middle") & unrested[k] for k, side in enumerate(("left", "right"))]
    # read as written, the later words are in the middle name or given_rest columns (one
    # record's given_rest against the other's middle initial: ``_later_words``); read in
    # another order, perhaps in the last name column (``_later``)
    agree = (first > 0) & (first < INITIAL)
    one_sided = (bare[0] != bare[1]) | (unrested[0] != unrested[1])
    todo = np.flatnonzero(agree & ((reading != STRAIGHT) | one_sided))
    out = np.zeros(len(first), dtype=bool)
    if not len(todo):
        return out
    rests, middles = pairs.at("given_rest", todo), pairs.at("middle", todo)
    firsts, lasts = pairs.at("first", todo), pairs.at("last", todo)
    given = pairs.at("first_raw", todo, crossed=written)
    # read swapped, the given names are the left's last name column and the right's first
    # name as written ("SMITH MARY" against Mary Ann Smith): the columns above are surnames
    swapped_given = pairs.at("last", todo, right_column="first_raw")
    modes = zip((reading[todo] == LAST_FIRST).tolist(),
                (reading[todo] == LEFT_SURNAME_FIRST).tolist(),
                (reading[todo] == RIGHT_SURNAME_FIRST).tolist(), strict=True)  # fmt: skip
    for k, (cross, left_sf, right_sf) in enumerate(modes):
        words = _later_words((rests[0][k], middles[0][k], lasts[0][k], firsts[0][k]),
                             (rests[1][k], middles[1][k], lasts[1][k], firsts[1][k]),
                             cross, left_sf, right_sf)  # fmt: skip
        if bool(words[0]) == bool(words[1]):
            continue
        side = 0 if words[0] else 1
        rest = str(words[side]).split(" ")[0]
        # read swapped, a given name of two words printed after the surname is in the last
        # name column, hyphen lost ("KIM MIN-SEO": "min seo"), as a given_rest is written
        printed_after = cross and not (rests[side][k] or middles[side][k])
        out[todo[k]] = (
            bool(rests[side][k])
            or printed_after
            or any(_compound(str(name), rest) for name in (given[0][k], given[1][k]))
            or (cross and any(_compound(str(name), rest)
                              for name in (swapped_given[0][k], swapped_given[1][k])))
        )  # fmt: skip
    return out


def _compound_in_middle(pairs: Pairs, reading: Levels, levels: dict[str, Levels]) -> Bools:
    """The pairs read as written whose first names agree and middle names differ where one
    record's middle name begins with a word that makes its given name one of its own
    (``compound_split``: "Mary Ann Q", Maryann) and goes on to the other's (Q, or its
    initial): the middle names agree, and the given name goes on on one side only, a short
    form in the debtor's household, as "Mary-Ann Q" against "MARY Q" is. "Mary Ann Q Smith"
    against "MARY Q SMITH" was 0.000 ``low``, another generation ("Ann Q" against "Q"), where
    against "MARY SMITH" it is 0.940 ``medium``: a middle initial that agreed lowered it.
    Their middle names' level set in place."""
    first, middle = levels["first_name"], levels["middle_name"]
    differ = BY_NAME["middle_name"].n_levels - 1
    todo = np.flatnonzero((reading == STRAIGHT) & (first > 0) & (first < INITIAL)
                          & (middle == differ))  # fmt: skip
    out = np.zeros(len(first), dtype=bool)
    if not len(todo):
        return out
    givens, rests = pairs.at("first_raw", todo), pairs.at("given_rest", todo)
    middles = pairs.at("middle", todo)
    for k, position in enumerate(todo.tolist()):
        split = [compound_split(str(givens[side][k]), str(rests[side][k]), str(middles[side][k]))
                 for side in (0, 1)]  # fmt: skip
        (rest_a, middle_a), (rest_b, middle_b) = split
        if bool(rest_a) == bool(rest_b) or not (middle_a and middle_b):
            continue  # a given name of its own on both sides or neither, or no middle name
        if middle_a == middle_b:
            middle[position], out[position] = 1, True
        elif min(len(middle_a), len(middle_b)) == 1 and middle_a[0] == middle_b[0]:
            middle[position], out[position] = 2, True  # an initial
    return out


def compound_split(given: str, rest: str, middle: str) -> tuple[str, str]:
    """A record's given name's later words and its middle name (``given_rest``, ``middle``),
    a middle name of two words or more whose first makes its given name one of its own
    (``_compound``: "Mary" and "Ann Q", Maryann) read as "Mary-Ann" and "Q" are."""
    words = middle.split(" ")
    if rest or len(words) < 2 or not _compound(given, words[0]):
        return rest, middle
    return words[0], " ".join(words[1:])


@lru_cache(maxsize=1 << 16)
def _compound(given: str, rest: str) -> bool:
    """Whether a given name and the word after it are a given name together
    (``COMPOUND_FROM``)."""
    return len(given) > 1 and len(rest) > 1 and first_name_listed(given + rest) >= COMPOUND_FROM


ADDED_LETTERS = 2
"""A listed surname that is another common one with this many letters or more added at its
end (Roberts and Robertson, Johns and Johnson, Martin and Martinez) is another family's name
(``_surnames_apart``), however alike the two are spelt."""


def _surnames_apart(
    levels: dict[str, Levels], values_at: ValuesAt, pairs: Pairs, reading: Levels
) -> None:
    """Surnames that agree short of exactly ("close", "similar") set to "else" where they are
    two surnames the 2010 Census lists, not one a misprint of the other (``two_surnames``):
    at the debtor's home "JOHN SMITHERS" was John Smith, 1.000 ``high``, where a surname that
    differs is ``medium`` at most (``model.SURNAME_DIFFERS_CEILING``). ``values_at``: the
    pairs' surnames as read. Not where both are printed surname first (``surnames_first``):
    their last name columns hold the given names, which ``_given_names_last`` reads ("SMITH
    CHRIS" against "SMITH CHRISTOPHER" had been "last name: differs (Chris/Christopher)", two
    brothers, 0.026 ``low``). In place."""
    level, first = levels["last_name"], levels["first_name"]
    todo = np.flatnonzero((level > 1) & (level < BY_NAME["last_name"].n_levels - 1))
    agree = np.intersect1d(
        todo, np.flatnonzero((reading == STRAIGHT) & (first > 0) & (first < INITIAL))
    )
    todo = todo[~surnames_first(pairs, agree)[todo]]
    if not len(todo):
        return
    x, y = values_at(todo)
    apart = [two_surnames(str(a), str(b)) for a, b in zip(x.tolist(), y.tolist(), strict=True)]
    level[todo[np.array(apart, dtype=bool)]] = BY_NAME["last_name"].n_levels - 1


@lru_cache(maxsize=1 << 16)
def two_surnames(x: str, y: str) -> bool:
    """Whether two listed surnames are two families' names: more than a slip apart (the first
    names' ``first_names._misprint``: Smith and Smithers, three letters), or one the other
    with ``ADDED_LETTERS`` or more added at its end, both common (``first_names.TYPO_SHARE``,
    ``TYPO_MAX_COUNT``). One letter changed, swapped or added is a misprint or a variant
    spelling (Smyth, Smiht, Clarke, Anne, Macdonald), as is a rare one two letters past a
    common one (Hyla for Hyland, a copy's). Measured on FEBRL4 (5,000 true pairs) and four US
    household sets of 2,000 debtors: no true pair is read so, and 115 (FEBRL4) and 331-408 a
    set (US) of the other candidate pairs are; the first names' rule (two common names are two
    whatever their spelling) took 27 of FEBRL4's true pairs (Clarke/Clark, Matthews/Mathews),
    one letter added 24."""
    if " " in x + y or not (surname_listed(x) and surname_listed(y)):
        return False  # unlisted: the table cannot tell a name from a misprint; Smith-Jones
        # against Smith is perhaps her married name (the table lists Smithjones)
    edits, alike = OSA.distance(x, y), JaroWinkler.similarity(x, y)
    if not (edits <= 1 or (edits <= 2 and alike >= 0.8)):
        return True
    shorter, longer = sorted((x, y), key=len)
    if not (longer.startswith(shorter) and len(longer) - len(shorter) >= ADDED_LETTERS):
        return False
    fewer, more = sorted((surname_count(x), surname_count(y)))
    return fewer > TYPO_SHARE * more or fewer > TYPO_MAX_COUNT


def _given_names_last(
    pairs: Pairs, reading: Levels, levels: dict[str, Levels]
) -> tuple[Bools, Bools, Bools]:
    """The pairs read as written whose first names agree and surnames do not, both names
    printed surname first (``name_order.surnames_first``: "NGUYEN VAN MINH" and "NGUYEN VAN
    NAM"): their first name columns agree on the surname, and their last name columns hold
    the given names. Where those differ, or are two real names however alike
    (``first_name_rules``: Lan and Lam) beside surnames spelt alike, the two are a sibling at
    the debtor's home, as two first names that differ are (``_relation``); they were a married
    name, 0.900 ``medium``. Not two names alike beside a misprinted surname: "Knox Steven
    Thomas" against "Knxo S Tomas" is more likely a copy misprinted twice. With which pairs
    hold two real given names there (``Compared.distinct``), and which, the surnames alike, a
    short form, a nickname or an initial there (``Compared.short_form``: "SMITH CHRIS"
    against "SMITH CHRISTOPHER", the son or the spouse Christine at the debtor's home, as
    "SMITH, CHRIS" is; it was 1.000 ``high``)."""
    first, last = levels["first_name"], levels["last_name"]
    todo = np.flatnonzero((reading == STRAIGHT) & (first > 0) & (first < INITIAL) & (last > 1))
    read = surnames_first(pairs, todo)
    if not read.any():
        return read, read, read
    equal, empty = pairs.masks_of("last")
    differ = BY_NAME["first_name"].n_levels - 1  # judged as first names that differ as strings
    level = np.full(len(read), differ, dtype=np.int8)
    # a nickname (Bob: Robert, Johnny: John) agrees made formal, as a first name does; other
    # given names at the level their letters give, as first names are (two the tables cannot
    # count alike, "CHEN HUI" and "CHEN HUA", are then held as a short form: 1.000 ``high``)
    taken = np.flatnonzero(read & ~equal)
    words = _given_words(pairs, taken)
    formal = [canonical_first(str(a)) == canonical_first(str(b))
              for a, b in zip(*words, strict=True)]  # fmt: skip
    alike = [JaroWinkler.similarity(str(a), str(b)) for a, b in zip(*words, strict=True)]
    close, similar = BY_NAME["first_name"].thresholds
    level[taken] = np.select([np.array(formal, dtype=bool), np.array(alike) >= close,
                              np.array(alike) >= similar], [1, 2, 3], differ)  # fmt: skip
    judged, two, short = first_name_rules(level, (equal | ~read, empty),
                                          partial(_given_words, pairs))  # fmt: skip
    apart = read & (differs(levels, "last_name") & (level != 1) | two & (first == 1))
    # not a listed name a slip from the other (Thomas, Tomas): read as given names only by
    # the guess that both are printed surname first, more likely a copy's misprinted surname
    return apart, two & apart, short & read & ~apart & (judged < differ)


def _given_words(pairs: Pairs, where: Indices) -> tuple[Column, Column]:
    """The pairs' (at ``where``) last names past the words both begin with (``past_shared``):
    "NGUYEN VAN MINH" and "NGUYEN VAN NAM" hold "van minh" and "van nam" there, the given names
    Minh and Nam, which the name tables list (Van Minh they do not)."""
    x, y = pairs.at("last", where)
    rests = [past_shared(a, b) for a, b in zip(x.tolist(), y.tolist(), strict=True)]
    return (np.array([a for a, _ in rests], dtype=object),
            np.array([b for _, b in rests], dtype=object))  # fmt: skip


def _later_words(
    left: tuple[str, str, str, str],
    right: tuple[str, str, str, str],
    crossed: bool,
    left_surname_first: bool,
    right_surname_first: bool,
) -> tuple[str, str]:
    """Both records' given names' later words (``_later``), each record's ``(given_rest,
    middle, last, first)``. A record's middle name stands for them only where the other
    record does not write both (Mary-Ann Q against Mary Q: Q is a middle initial, to be
    compared with the other's, not with "Ann"; it had made the middle names differ, "Q/Q", and the
    pair another generation, 0.000 where Mary-Ann against Mary is held at ``medium``)."""
    both = [bool(rest and middle) for rest, middle, *_ in (left, right)]
    return (
        _later(*left[:3], right[3], crossed, left_surname_first, both[1]),
        _later(*right[:3], left[3], crossed, right_surname_first, both[0]),
    )


def _later(
    rest: str,
    middle: str,
    last: str,
    other_first: str,
    crossed: bool,
    surname_first: bool,
    other_has_both: bool,
) -> str:
    """A record's given name's later words (``_hyphened_given_names``): its ``given_rest``,
    else its middle name (unless ``other_has_both``: ``_later_words``), else, its names read
    swapped, its last name's words past the other record's first name ("min seo" against
    Min: "seo"); printed surname first ("KIM MIN SEO" read Min Seo Kim), its last name, as its
    middle name is (not where the other writes both: "SMITH MARY Q" against Mary-Ann Q Smith
    was "Q/Q" too)."""
    if surname_first:
        return "" if other_has_both else last
    if rest or middle or not crossed:
        return rest or ("" if other_has_both else middle)
    words = last.split(" ")
    return " ".join(words[1:]) if len(words) > 1 and words[0] == other_first else ""


def _other_words(x: str, y: str) -> bool:
    """Two given names' later words (``_hyphened_given_names``) that say two people: both
    given, and their first words differ, neither the other's initial nor one edit from it
    where the longer has four letters or more (Louise and Kouise, Ann and Anne)."""
    if not x or not y:
        return False
    a, b = x.split(" ")[0], y.split(" ")[0]
    if a == b or (min(len(a), len(b)) == 1 and a[0] == b[0]):
        return False
    return not (max(len(a), len(b)) >= 4 and OSA.distance(a, b) <= 1)


def _measure_unmeasured(
    pairs: Pairs, levels: dict[str, Levels], sims: dict[str, Floats], readings: dict[str, Crossed]
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
        measured = cpdist(x.tolist(), y.tolist(), scorer=SCORERS[kind], dtype=np.float64)
        sims[comparison.name][todo] = measured / SCALE[kind]


def _one_letter_surnames(pairs: Pairs) -> Bools:
    """The pairs whose surnames are one letter, alike: a name written surname first with an
    initial ("SMITH J") is read with the initial for its surname, which may be John's or his
    wife Jane's, as "J. Smith" against "J. Smith" may (``first_name_rules``)."""
    equal, empty = pairs.masks_of("last")
    same = np.flatnonzero(equal & ~empty)
    one_letter = np.zeros(len(equal), dtype=bool)
    one_letter[same] = lengths(pairs.at("last", same)[0]) == 1
    return one_letter


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


def differs(levels: dict[str, Levels], name: str) -> npt.NDArray[np.bool_]:
    """Pairs whose ``name`` comparison is at its "else" level."""
    return np.asarray(levels[name] == BY_NAME[name].n_levels - 1)


def line_agrees(levels: dict[str, Levels]) -> npt.NDArray[np.bool_]:
    """Pairs whose street line agrees, a typo included."""
    street = levels["street"]
    return np.asarray((street > 0) & (street < BY_NAME["street"].n_levels - 1))


def one_line(table: Table, a: Indices, b: Indices) -> Bools:
    """Pairs of records of one table (``a[k]``, ``b[k]``) whose street lines agree, a typo
    included: "12 Oak St" and "12 Oak St Apt 7" do, a unit on one side only; "12 Oak St Apt 4"
    and "12 Oak St Apt 7" do not."""
    return line_agrees(compare(table, table, a, b).levels)


def at_home(levels: dict[str, Levels]) -> npt.NDArray[np.bool_]:
    """Pairs at one address: the street line agrees, or the house number and the postcode."""
    return np.asarray(line_agrees(levels) | ((levels["number"] == 1) & (levels["zip"] == 1)))


def unplaced(levels: dict[str, Levels]) -> npt.NDArray[np.bool_]:
    """Pairs whose street line agrees with no town to place it: neither the city nor the ZIP
    is compared (a side gives neither, or one gives only a city and the other only a ZIP).
    "12 Oak Street" is in thousands of towns, a state holds many (``model``)."""
    return np.asarray(line_agrees(levels) & (levels["city"] == 0) & (levels["zip"] == 0))


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
        workers = -1 if len(todo) >= PARALLEL_FROM else 1
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


def _generations(pairs: Pairs) -> tuple[Bools, Bools]:
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


def _rotated_middles_differ(pairs: Pairs, rotated: Bools) -> Bools:
    """The pairs (of ``rotated``: the left printed surname first, ``LEFT_SURNAME_FIRST``)
    whose middle names differ (``_other_words``): the left's is in its last name column, the
    right's in its middle name column, or where it gives none, its given name's later words
    ("KIM MIN SEO" against her sister Min-Jun Kim: "seo" against "jun")."""
    out = np.zeros(len(rotated), dtype=bool)
    todo = np.flatnonzero(rotated)
    if len(todo):
        lasts, middles = pairs.at("last", todo)[0], pairs.at("middle", todo)[1]
        middles = np.where(middles == "", pairs.at("given_rest", todo)[1], middles)
        out[todo] = [_other_words(str(a), str(b))
                     for a, b in zip(lasts.tolist(), middles.tolist(), strict=True)]  # fmt: skip
    return out


def _relation(
    levels: dict[str, Levels],
    both: Bools,
    one_side: Bools,
    given_last: Bools,
    rotated: Bools,
    rotated_apart: Bools,
) -> tuple[Levels, npt.NDArray[np.bool_]]:
    """What the names say the pair may be to each other (``Compared.relation``). At one
    address, one firm (``at_work``) or one phone, names that agree (or a first name missing on
    one side) with birth dates that disagree (beyond a misprint: "close") or middle names (or
    initials) that disagree are a father and son who print no suffix. ``given_last``: pairs
    whose given names, printed after a surname both agree on, differ (``_given_names_last``):
    a first name that differs.

    An identity number that agrees exactly (one person's own: twins, spouses, parents and
    children each have theirs) outvotes a first name that differs where the birth dates agree
    exactly too (two identity fields against one: a copy, or twins one of whom was filed under
    the other's number), and a birth date that differs where the names agree (a misprint, or a
    son filed under his father's number); ``model`` holds both readings to ``medium``, for a
    collector to look at: with the relation, the pairs outvoted so. A birth date missing on
    either side or only close, a middle name that differs and a generational suffix are never
    outvoted.

    ``rotated``: the pairs whose left name is printed surname first (``LEFT_SURNAME_FIRST``),
    its given name compared in the middle names' place and its middle name in the surnames':
    for them the middle names differ where ``rotated_apart`` says so, and the surnames agree
    by the first names' level. "SMITH JOHN A" against John B Smith at his home was 0.900
    ``medium`` (the other way round another generation, 0.000), "KIM MIN JUN" against her
    sister Min Seo Kim too, and "SMITH CHRIS A" against Christopher A Smith another
    generation ("Chris" against "Christopher" read as middle names that differ)."""
    dob_differs, middle = differs(levels, "dob"), differs(levels, "middle_name")
    middle = np.where(rotated, rotated_apart, middle)
    disagrees = middle | dob_differs
    generation = both | (one_side & disagrees)
    home = at_home(levels)
    # a family firm employs the father and the son; a landline rings for both
    together = home | at_work(levels) | (levels["phone"] == 1)
    relation = np.where(one_side & home, SUFFIX_ONE_SIDE_AT_HOME, NO_RELATION)
    # a given name after the surname; an initial, and a middle name that disagrees
    first = differs(levels, "first_name") | given_last
    first |= (levels["first_name"] == INITIAL) & middle & together
    same_number = levels["id_number"] == 1
    outvoted = first & same_number & (levels["dob"] == 1) & ~middle
    first &= ~outvoted
    relation = np.where(first, FIRST_NAME_DIFFERS, relation)
    # first names that agree, or none given (no first name, or a title: only the middle name
    # or the birth date says who it is)
    agree = levels["first_name"] < INITIAL
    # or one is missing: nothing says another family (rotated, the last names compared are
    # the middle names)
    agree &= ~differs(levels, "last_name") | rotated
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
    suffixes, _ = _generations(Pairs(table, table, a, b))
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
    middle = (table["middle"][rows] != "") | (table["given_rest"][rows] != "")
    bits = (table["dob"][rows] != "") * DOB | middle * MIDDLE
    return np.asarray(bits | suffixes * SUFFIX, dtype=np.int8)


def telling(table: Table, rows: Indices) -> Bools:
    """Records (``rows`` of ``table``) giving a field ``other_people`` tells two people apart
    by: a birth date, a middle name, a generational suffix or a first name. One giving none is
    anyone's of its name: never another person than a record beside it. One giving a first
    name alone is any namesake's of that first name (``link._people`` takes it last)."""
    return np.asarray((given(table, rows) != 0) | (table["first"][rows] != ""))


def several_names(table: Table, rows: Indices, reading: Levels | None = None) -> Bools:
    """Records (``rows`` of ``table``) whose first name fits several: an initial ("J": John or
    Jane), none, a short form of two names (``AMBIGUOUS_SHORT_FORMS``: Chris), or an initial
    read as the surname ("SMITH J", ``_one_letter_surnames``). Compared with John's record
    and Jane's, such a record is told apart from neither. ``reading``: how each record's names
    were read against a debtor's (``Compared.transposed``), its first name and surname then
    those so read: "KELLY PAT" read swapped is a Pat, not a Kelly as written."""
    first, last = table["first_raw"][rows], table["last"][rows]
    if reading is not None:  # the right record's columns read (``name_order.READINGS``)
        swapped, rotated = reading == LAST_FIRST, reading == RIGHT_SURNAME_FIRST
        first = np.where(swapped, table["last"][rows],
                         np.where(rotated, table["middle"][rows], first))  # fmt: skip
        last = np.where(swapped | rotated, table["first_raw"][rows], last)
    names = zip(first.tolist(), last.tolist(), strict=True)
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
        initial[todo] = one_letter(x, y) & (x.astype("<U1") == y.astype("<U1"))
        conditions.append(initial)
    codes = np.select(conditions, list(range(len(conditions))), default=comparison.n_levels - 1)
    return codes.astype(np.int8)
