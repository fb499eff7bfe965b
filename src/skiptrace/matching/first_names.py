"""First names: when two first names are one person's (a typo, an initial, a short form, a
nickname) and when they are two people's (two real names, neither a misprint of the other).

Judged by the names as written against the SSA first-name table (``rarity``): Daniel and
Danielle, Jon and John are two names however alike they are spelt; Jesica is Jessica
misprinted; Pat is Patricia's or Patrick's, as uncertain as an initial.
"""

from __future__ import annotations

from functools import lru_cache, partial
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.process import cpdist

from skiptrace.matching.levels import BY_NAME, INITIAL, SIMILAR
from skiptrace.matching.pairs import (
    PARALLEL_FROM,
    Bools,
    Floats,
    Indices,
    Levels,
    Masks,
    Pairs,
    ValuesAt,
    lengths,
    one_letter,
)
from skiptrace.matching.prepare import Column
from skiptrace.matching.rarity import first_name_count, tables
from skiptrace.normalize import canonical_first

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


def first_name_rules(
    level: Levels, given: Masks, values_at: ValuesAt, read_given: Bools | None = None
) -> tuple[Levels, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """First-name levels corrected by the names as written (first_raw: ``given``, their
    ``Masks``; ``values_at``, the pairs' names at given positions), with which pairs hold two
    distinct real names (``comparisons.Compared.distinct``) and which an initial, an ambiguous
    short form or a nickname (``comparisons.Compared.short_form``). "B." is Betty's initial
    though Betty is filed as Elizabeth; Daniel and Danielle, Eric and Erica, Jon and John, both
    listed in the SSA table and neither a nickname of the other, are two names, "else", however
    alike they are spelt; Pat against Patricia keeps its level, a short form. Each distinct pair of
    names is judged once (``_verdicts``). ``read_given``: the pairs whose names compared are
    given names as read (a name read in another order may put a surname here: "SMIHT JOHN"
    against John Smith), the only ones where two unlisted names alike are a short form."""
    out = level.copy()
    last = BY_NAME["first_name"].n_levels - 1
    distinct = np.zeros(len(level), dtype=bool)
    short = level == INITIAL
    # "J" against "J": one letter, perhaps of two names (John and his wife Jane), as uncertain
    # as "J" against "John". Pat against Pat is not: few Patricks marry a Patricia
    same = np.flatnonzero(given[0] & ~given[1])
    short[same] = lengths(values_at(same)[0]) == 1
    todo = np.flatnonzero(~given[0] & ~given[1] & (level != INITIAL))
    if not len(todo):
        return out, distinct, short
    x, y = values_at(todo)
    initial = (level[todo] == last) & one_letter(x, y) & (x.astype("<U1") == y.astype("<U1"))
    out[todo[initial]], short[todo[initial]] = INITIAL, True
    todo = todo[~initial]
    verdict = _verdicts(x[~initial], y[~initial])
    was = level[todo]
    short_form = verdict == _SHORT_FORM
    # a nickname (the names as written differ, made formal they agree): Jack is John's, and
    # a name of its own, as Molly, Harry and Betty are (SSA: 550,382 Jacks); a listed name a
    # slip from another, which may be a relative's own (Johnna, John's daughter); and two
    # names alike by their letters that the table counts neither of (Xiaoming against
    # Xiaohong, Jiwoo against Jiwon: a sister's or a misprint, the table cannot tell; each
    # was 1.000 at one home). Not an uncounted spelling of a listed name (Minn against Minh,
    # no name of its own), nor a given name of two words against its first ("min" against
    # "min jun", crossed), which the compound rules judge
    unlisted = (verdict == _SAME) & (was != 1) & (was != last)
    if read_given is not None:
        unlisted &= read_given[todo]
    alike = np.flatnonzero(unlisted)
    if len(alike):
        floor = tables().first_name_floor
        words = zip(x[~initial][alike].tolist(), y[~initial][alike].tolist(), strict=True)
        unlisted[alike] = [" " not in f"{a}{b}" and first_name_count(a) <= floor
                           and first_name_count(b) <= floor for a, b in words]  # fmt: skip
    short[todo[short_form | (was == 1) | (verdict == _MISPRINT) | unlisted]] = True
    out[todo] = np.where(short_form & (was == last), np.minimum(was, SIMILAR), out[todo])
    two = (verdict == _TWO_NAMES) & (was != 1)
    out[todo[two]], distinct[todo[two]] = last, True
    return out, distinct, short


_SAME, _SHORT_FORM, _TWO_NAMES, _MISPRINT = 0, 1, 2, 3
"""``_MISPRINT``: two listed names, one a slip from the other (Johnna, 9,960 births, against
John): the same person's misprint, or a daughter's own name; the same first name, but in the
debtor's household only medium (``comparisons.Compared.short_form``)."""


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
        workers = -1 if len(todo) >= PARALLEL_FROM else 1
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


def given_names_crossed(
    pairs: Pairs,
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
    surname, where Danielle and Daniel are only alike. Two real names there
    (``first_name_rules``) are two people, as they are the other way round; a short form or a
    listed misprint there (KOWALSKI JOHNNA against John) is a short form too (``short``). A
    nickname in any of ``directions`` (the left column's, the right one's) is a short form."""
    if not swapped.any():
        return
    given = directions[0][0]
    equal, empty = pairs.masks_of(given, "first_raw")
    differ = BY_NAME["first_name"].n_levels - 1  # judged as first names that differ as strings
    _, two, crossed_short = first_name_rules(
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


def given_level(a: str, b: str) -> str:
    """The level two given names as written (``a``, ``b``) are at by the first names'
    measure and rules (``first_name_rules``): "nickname" where they agree made formal (the
    level "exact"), "else" where they are two real names (Jon and John), "initial" for an
    initial. For the words, where a name printed surname first holds its given name in
    another column than its first name's (``words``)."""
    if not (a and b):
        return "null"
    comparison = BY_NAME["first_name"]
    formal = canonical_first(a), canonical_first(b)
    level = comparison.n_levels - 1
    if formal[0] == formal[1]:
        level = 1
    else:
        alike = max(JaroWinkler.normalized_similarity(*pair) for pair in ((a, b), formal))
        level = next((k + 2 for k, floor in enumerate(comparison.thresholds) if alike >= floor),
                     level)  # fmt: skip
    values = np.array([a], dtype=object), np.array([b], dtype=object)
    out, _, _ = first_name_rules(
        np.array([level], dtype=np.int8),
        (np.array([a == b]), np.zeros(1, dtype=bool)),
        lambda where: (values[0][where], values[1][where]),
    )
    return ("null", *comparison.levels, "else")[int(out[0])]
