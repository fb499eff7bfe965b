"""Name order: how each pair's names are read, as written or in another order.

Names are also compared crosswise, so "ROE JANE" against "JANE ROE" counts as agreement, and a
name printed surname first ("SMITH JOHN ROBERT") against John Robert Smith; which reading
holds is chosen pair by pair, where it agrees much better and the name tables find it
plausible.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import JaroWinkler

from skiptrace.matching.levels import BY_NAME
from skiptrace.matching.pairs import Bools, Crossed, Floats, Indices, Pairs, similarity
from skiptrace.matching.rarity import first_name_count, surname_count, tables
from skiptrace.normalize.names import VIETNAMESE_FAMILY_NAMES

STRAIGHT, LAST_FIRST, RIGHT_SURNAME_FIRST, LEFT_SURNAME_FIRST = range(4)
"""How a pair's names are read (``comparisons.Compared.transposed``): as given; the right
record's first and last names swapped ("SMITH JOHN" against John Smith); one record printed
surname, given name, middle name, the right ("SMITH JOHN ROBERT" against John Robert Smith) or
the left."""

READINGS: tuple[dict[str, str], ...] = (
    {},
    {"first": "last", "last": "first"},
    {"first": "middle", "middle": "last", "last": "first"},
    {"first": "last", "middle": "first", "last": "middle"},
)
"""For each reading, the right record's column read in place of a name part's."""


def names(pairs: Pairs) -> tuple[Floats, Floats, npt.NDArray[np.int8], dict[str, Crossed]]:
    """The first names' and the surnames' similarity; how each pair's names are read
    (``STRAIGHT``...), another reading taken where it agrees much better; and, for each name
    part, the right columns read in its place (``Pairs.masks_of``). Where either record gives
    no middle name, the right one's first and last swapped ("SMITH JOHN"). Where both give one,
    one of them printed surname first, its parts rotated: "SMITH JOHN ROBERT" is John Robert
    Smith. Not swapped there: that read it as surname, middle name, given name, an order no one
    prints, and so as his father Robert John Smith at his home (1.000, ``high``), whom neither
    rotation reads so. Where one alone gives one, that one may be printed surname first too:
    not swapped where read so it is much the likelier (``_printed_surname_first``), and the right
    one rotated where that agrees much better ("SMITH JOHN ROBERT" against John Smith); so
    is the left one where it is not swapped ("SMITH JOHN A" against John Smith was 0.000
    ``low``, "first name differs", the reverse 1.000 ``high``): its middle name, in its last
    name column, is then read against the right's none, a middle name on one side only
    (``comparisons``), not a name half missing. Both giving one, swapped
    where it is the same Vietnamese middle name (``_vietnamese_middles``): "TRAN THI LAN" is
    printed family name, middle name, given name; the right one alone giving such a middle
    name, not rotated: "TRAN THI LAN" is no Thi Tran, "NGUYEN VAN MINH" no Van Nguyen."""
    straight_f = pairs.similarity("jaro_winkler", "first", pairs.masks_of("first"))
    straight_l = _past_shared_words(
        pairs, pairs.similarity("jaro_winkler", "last", pairs.masks_of("last"))
    )
    straight = straight_f + straight_l
    left_m, right_m = ~pairs.empty("left", "middle"), ~pairs.empty("right", "middle")
    middles = left_m & right_m
    cross_f = pairs.similarity("jaro_winkler", "first", pairs.masks_of("first", "last"), "last")
    swap, cross_l = _read_as(pairs, cross_f, ("last", "first"), straight,
                             ~middles | _vietnamese_middles(pairs, middles))  # fmt: skip
    swap &= ~_printed_surname_first(pairs, np.flatnonzero(swap & (left_m != right_m)))
    ahead_f = pairs.similarity("jaro_winkler", "first", pairs.masks_of("first", "middle"), "middle")
    # not where the right's middle name marks it printed family name, middle name, given name
    # and the left gives none: "NGUYEN VAN MINH" rotated was Van Nguyen, any man of his family
    marked = _in_vietnamese_order(pairs, "right", right_m & ~left_m)
    ahead, ahead_l = _read_as(pairs, ahead_f, ("last", "first"), straight,
                              right_m & (left_m | ~swap) & ~marked)  # fmt: skip
    # the left printed surname first: judged, as the others, on the surnames (its first name
    # column) and the given names (its middle one); its middle name is in its last name column.
    # Where the right gives none, only unswapped and unmarked, as the right one is rotated
    # Printed in Vietnamese order ("NGUYEN VAN MINH"), its given name is its last name column
    # and its middle one only Van or Thi: judged on that against the right's middle name, as
    # "Van Minh Nguyen" writes it ("Van Nam Nguyen", his brother, was 0.900 medium)
    vietnamese = _in_vietnamese_order(pairs, "left", middles & ~ahead)
    alone = left_m & ~right_m & ~swap
    alone &= ~_in_vietnamese_order(pairs, "left", alone)
    behind, _ = _read_as(pairs, cross_f, ("middle", "first"), straight,
                         (middles | alone) & ~ahead & ~vietnamese)  # fmt: skip
    behind |= _read_as(pairs, cross_f, ("last", "middle"), straight, vietnamese)[0]
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


def _printed_surname_first(pairs: Pairs, todo: Indices) -> Bools:
    """Which pairs (of ``todo``, where exactly one record gives a middle name) that record is
    printed surname first: read so (surname, given name, middle name) its name is more
    plausible by ``SURNAME_FIRST_RATIO`` than as printed (given name, middle name, surname),
    by the name tables (``_reading_odds``), times as much as the other record's name is more
    plausible as printed than surname first (``_two_word_odds``), where it is: the swap reads
    the other one surname first (or the first in an order few print, surname, middle name,
    given name). Swapped, "SMITH JOHN ROBERT" was given name Smith, surname Robert: John
    Robert Smith's father Robert Smith at their home, 1.000 ``high``; so was "LEE JOHN ROBERT"
    Robert Lee, though Lee is a given name too, and "LEE JOHN JAMES" (52 times) James Lee,
    whose name printed surname first, given name Lee, is 52 times less likely as well."""
    out = np.zeros(len(pairs.li), dtype=bool)
    left_m = ~pairs.empty("left", "middle")[todo]
    names = (np.where(left_m, *pairs.at(column, todo)).tolist()
             for column in ("first", "middle", "last"))  # fmt: skip
    others = (np.where(left_m, *pairs.at(column, todo)[::-1]).tolist()
              for column in ("first", "last"))  # fmt: skip
    out[todo] = [not _marks_vietnamese_order(name[0], name[1])
                 and _reading_odds(*name) * max(1.0, _two_word_odds(*other)) >= SURNAME_FIRST_RATIO
                 for name, other in zip(zip(*names, strict=True), zip(*others, strict=True),
                                        strict=True)]  # fmt: skip
    return out


def _marks_vietnamese_order(family: str, middle: str) -> bool:
    """Whether a name's middle name marks it printed family name, middle name, given name, the
    order Vietnamese print theirs in (``family`` the word printed first): Thi, a woman's middle
    name (given to 471 people in the SSA table), or Van, a man's, after a common Vietnamese
    family name (``VIETNAMESE_FAMILY_NAMES``; elsewhere Van is a given name too, 25,678 in the
    SSA table). "TRAN THI LAN" is Lan Tran; read surname, given name, middle name, as the
    tables made it 127 times likelier, it was given name Thi and scored 0.000 against her at
    her home. No other middle name: "NGUYEN DUC ANH" may be Duc Anh Nguyen, printed surname,
    given name, middle name, as registers print "SMITH JOHN ROBERT"."""
    return middle == "thi" or (middle == "van" and family in VIETNAMESE_FAMILY_NAMES)


def _vietnamese_middles(pairs: Pairs, middles: Bools) -> Bools:
    """Which pairs (of ``middles``, both giving a middle name) give the same one, marking
    either's name printed in Vietnamese order (``_marks_vietnamese_order``; the debtor's may be
    the one): their first and last names may be swapped. "TRAN THI LAN" against Lan Thi Tran,
    "NGUYEN VAN MINH" against Minh Van Nguyen, were 0.000 at their homes, "first name
    differs": a relative. Only the same one: a brother and sister of one given name ("TRAN VAN
    LAN", Lan Thi Tran) are two; and never an English one, "SMITH ROBERT JOHN" being Robert
    John Smith, John's father."""
    todo = middles & pairs.masks_of("middle")[0]
    return _in_vietnamese_order(pairs, "left", todo) | _in_vietnamese_order(pairs, "right", todo)


def _in_vietnamese_order(pairs: Pairs, side: str, where: Bools) -> Bools:
    """Which pairs (of ``where``) hold a name on ``side`` ("left" or "right") whose middle name
    marks it printed in Vietnamese order (``_marks_vietnamese_order``)."""
    out = np.zeros(len(pairs.li), dtype=bool)
    todo = np.flatnonzero(where)
    k = 0 if side == "left" else 1
    first, middle = pairs.at("first", todo)[k].tolist(), pairs.at("middle", todo)[k].tolist()
    out[todo] = [_marks_vietnamese_order(f, m) for f, m in zip(first, middle, strict=True)]
    return out


SIBLINGS_RATIO = 1000
"""How many times likelier the tables may make a pair's names read given name first than
surname first (``surnames_first``) for the pair still to be read surname first. Lenient: the
US tables undercount the given names of families that print their surname first (Seo: a
surname 41 times as often as a given name; Kim a given name nearly as often as a surname), so
"KIM MIN JUN" against "KIM MIN SEO" is 96 times likelier given name first by them, "LEE MIN HO"
against "LEE MIN JUN" 280 times; read so wrongly, a pair is held below ``medium`` as a sibling
where it was a married name's ``medium``. A given name beside two surnames stays far below:
Kim Smith against Kim Jones 220,000 times, Mary Smith against Mary Jones 170 million."""


def surnames_first(pairs: Pairs, todo: Indices) -> Bools:
    """Which pairs (of ``todo``: read as written, the first names agreeing, the surnames not)
    hold two names printed surname first: "NGUYEN VAN MINH" and "NGUYEN VAN NAM", brothers, who
    share the surname and often the middle name and the home. Their first name columns hold
    the surname, their last name columns the given names (or, "SMITH JOHN ROBERT", the middle
    names): what differs there is another person, not a married name. Read so where the tables
    make the shared first word a surname more often than a given name (a listed one: FEBRL's
    "Emiily", unlisted, is neither; James, Ryan and Dale are given names, and James Paterson
    against James Murabito a married name or a copy's misprint), and the pair surname first at
    least 1/``SIBLINGS_RATIO`` as likely as given name first."""
    out = np.zeros(len(pairs.li), dtype=bool)
    surnames = pairs.at("first", todo)[0].tolist()
    (left_m, right_m), (left_l, right_l) = pairs.at("middle", todo), pairs.at("last", todo)
    out[todo] = [
        both_surname_first(shared, middle, other, mine, theirs)
        for shared, middle, other, mine, theirs in zip(
            surnames, left_m.tolist(), right_m.tolist(), left_l.tolist(), right_l.tolist(),
            strict=True)
    ]  # fmt: skip
    return out


def both_surname_first(shared: str, middle: str, other: str, mine: str, theirs: str) -> bool:
    """``surnames_first`` for one pair: ``shared`` the first word both agree on, ``middle``
    and ``other`` their middle names, ``mine`` and ``theirs`` their last name columns."""
    return (
        # the left's given name after the surname, as _two_word_odds reads "Minh Nguyen", and
        # the right's alone: the surname counted once
        _two_word_odds(mine, shared) * first_name_count(theirs) / surname_count(theirs)
        >= 1 / SIBLINGS_RATIO
        and is_surname(shared)
        # not the same words after the surname split otherwise: "KIM MIN JUN", "KIM MIN-JUN"
        and (middle + mine).replace(" ", "") != (other + theirs).replace(" ", "")
        and not _one_given_name(f"{middle} {mine}".split(), f"{other} {theirs}".split())
    )


def _one_given_name(x: list[str], y: list[str]) -> bool:
    """Whether two names' words after the surname end in one given name, the words before it
    the same but for a middle name initialled or left off on one side: "van minh" (Van read as
    a particle, "LAM VAN MINH") against "v minh" or "minh" is Minh with his middle name, no
    sibling; "min-jun"
    against "seo-jun", or "van minh" against "thi minh", another person."""
    if not x or not y or x[-1] != y[-1]:
        return False
    before_x, before_y = x[:-1], y[:-1]
    if not before_x or not before_y:
        return True
    return len(before_x) == len(before_y) and all(
        a == b or (min(len(a), len(b)) == 1 and a[0] == b[0])
        for a, b in zip(before_x, before_y, strict=True))  # fmt: skip


def is_surname(word: str) -> bool:
    """Whether the tables list ``word`` as a surname and give it more people as one than as a
    given name: Nguyen, Smith, Kim (262,352 against 214,484); not James, nor an unlisted word
    (a misprint, or a name the tables do not hold: the floors say nothing)."""
    return surname_count(word) > max(first_name_count(word), tables().surname_floor)


PRINTED_FIRST_RATIO = 10
"""How many times likelier the tables may make a name as printed than read surname first
(``_two_word_odds``) for it still to be read so too (``may_be_surname_first``): Kim Jun
("KIM MIN JUN") 2.3 times; not Lee Armstead (14), Arnold West (39), Taylor Jones (240)."""


def may_be_surname_first(first: str, last: str) -> bool:
    """Whether a name whose columns hold ``first`` and ``last`` may be printed surname first:
    its first word a surname (``is_surname``), its last a given name the tables list, and the
    name as printed at most ``PRINTED_FIRST_RATIO`` times likelier. Lan Tran's "TRAN LAN",
    John Smith's "SMITH JOHN"; not Grant Guerrero, Jackson Baldonado (no given names) or
    Arnold West, whose rare names are their own."""
    return (is_surname(first) and first_name_count(last) > tables().first_name_floor
            and _two_word_odds(first, last) <= PRINTED_FIRST_RATIO)  # fmt: skip


def given_name_after(first: str, last: str) -> bool:
    """Whether a name whose columns hold ``first`` and ``last`` holds its given name in its last
    name column by the tables: ``last`` a given name they list, ``first`` given to fewer. A
    misprinted surname printed first ("SMIHT JOHN"), which ``may_be_surname_first`` cannot
    count, is read so too."""
    return first_name_count(last) > max(first_name_count(first), tables().first_name_floor)


def _two_word_odds(first: str, last: str) -> float:
    """How many times more people the tables give a name as printed (given name ``first``,
    surname ``last``) than read surname first: James Lee, 52 times."""
    return (first_name_count(first) * surname_count(last)
            / (surname_count(first) * first_name_count(last)))  # fmt: skip


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
    pairs: Pairs, first: Floats, other: tuple[str, str], straight: Floats, where: Bools
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


def _past_shared_words(pairs: Pairs, sim: Floats) -> Floats:
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
    rest_x, rest_y = past_shared(x, y)
    if rest_x == x:
        return 1.0
    return float(JaroWinkler.normalized_similarity(rest_x, rest_y))


def past_shared(x: str, y: str) -> tuple[str, str]:
    """Two folded names past the words both begin with, one word at least left of each: "van
    minh" and "van nam" are "minh" and "nam"; names that begin otherwise are as they are."""
    words_x, words_y = x.split(" "), y.split(" ")
    shared = 0
    while shared < min(len(words_x), len(words_y)) - 1 and words_x[shared] == words_y[shared]:
        shared += 1
    return " ".join(words_x[shared:]), " ".join(words_y[shared:])
