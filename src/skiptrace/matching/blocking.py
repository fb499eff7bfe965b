"""Blocking: which pairs are worth comparing at all, so large files never compare every pair.

Several rules, unioned; a pair is a candidate if any rule gives both records the same key.
Each rule is forgiving in a different way (a typo in the surname, a missing postcode, a
transposed name), so together they keep true pairs while comparing a tiny share of all pairs.
A key is a few parts of a record (a first name and a ZIP), all given; keys are built from
the columns' numbers (``prepare.Vocabulary``) and matched by sorting them. A key
shared by too many records on both sides (the "John Smith" problem: a very common surname)
is left out of that rule, and said so (``Candidates.oversized``): the other rules still reach
its true pairs with more specific keys (first name and ZIP, house number and ZIP, street). A
left record that every rule keying it leaves out (thousands alike: one name at one address) is
compared with nothing, and counted (``Candidates.unreached``), never just not linked.

Each rule's key also has a text (``Rule.keys``, equal exactly where every part is), on which
the Spark engine (``skiptrace.matching.spark``) joins: it blocks exactly as this one does.

Some rules are a fallback (``Rule.fallback``): a surname alone, its sound, a first name and a
surname's start, a town and an initial, a building. They reach the debtor whose first name,
ZIP, house number, street and phone all changed or were misprinted, and for that they bring
most of the pairs (at 100,000 records a side, 1.02 of 1.23 million pairs came from them
alone). Their pairs are compared only for a left record that no other rule's pair links with
a ``high`` band (``link.choose_links``): there the specific rules have found the debtor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import cast

import numpy as np
import numpy.typing as npt

from skiptrace.errors import LinkingError
from skiptrace.matching.pairs import Indices
from skiptrace.matching.prepare import Column, Distinct, Table, Vocabulary, numbered_alike

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
    """Columns joined into one key, empty if any part is empty (no key, no block). A "|" or
    "\\" in a part is escaped, so two keys are equal exactly when all their parts are (a town
    written "a|b" is not the town "a" with the initial "b")."""
    rows = zip(*(column.tolist() for column in columns), strict=True)
    return np.array(["|".join(map(_escaped, parts)) if all(parts) else "" for parts in rows],
                    dtype=object)  # fmt: skip


def _escaped(part: str) -> str:
    if "|" not in part and "\\" not in part:
        return part
    return part.replace("\\", "\\\\").replace("|", "\\|")


def _initial(value: str) -> str:
    return value[:1]


def _two_letters(value: str) -> str:
    return value[:2]


def _soundex_last(last: str) -> str:
    """Soundex of the surname's last word."""
    return soundex(last.split(" ")[-1])


@dataclass(frozen=True)
class Part:
    """One part of a blocking key: a prepared column, or what ``of`` makes of its value (an
    initial, a surname's sound), worked out once per distinct value."""

    column: str
    of: Callable[[str], str] | None = None

    def strings(self, table: Table) -> Column:
        """This part of each of ``table``'s records."""
        if self.of is None:
            return table[self.column]
        return Distinct(table[self.column].tolist()).column(self.of)


@dataclass(frozen=True)
class Rule:
    """One blocking rule: its name (for reports) and the parts of each side's records that
    must all be given and equal for the two to share a block."""

    name: str
    parts: tuple[Part, ...]
    right_parts: tuple[Part, ...] = ()
    """The right side's parts when they differ (a transposed name); else ``parts``."""
    max_pairs: int = MAX_BLOCK_PAIRS
    """Pairs one key may contribute (``MAX_BLOCK_PAIRS``, or ``LOOSE_BLOCK_PAIRS``)."""
    fallback: bool = False
    """Whether the rule's pairs are wanted only where the other rules found no ``high`` link
    (see the module's notes)."""

    def __post_init__(self) -> None:
        # a column's values are numbered alike whatever the column, a part made of them
        # (an initial) only alike with itself: parts compared with each other are one of these
        facing = zip(self.parts, self.right_parts or self.parts, strict=True)
        if any((a.of or b.of) and a != b for a, b in facing):
            raise ValueError(f"blocking rule '{self.name}': a made part faces another part")

    def of(self, side: str) -> tuple[Part, ...]:
        """The parts of ``side`` ("left" or "right")."""
        return self.right_parts if side == "right" and self.right_parts else self.parts

    def keys(self, table: Table, side: str) -> Column:
        """Each record's key on ``side`` as text (the Spark engine joins on it); "" for none."""
        columns = [part.strings(table) for part in self.of(side)]
        return columns[0] if len(columns) == 1 else _join(*columns)


def _rule(
    name: str, *parts: Part | str, max_pairs: int = MAX_BLOCK_PAIRS, fallback: bool = False
) -> Rule:
    return Rule(name, tuple(Part(p) if isinstance(p, str) else p for p in parts),
                max_pairs=max_pairs, fallback=fallback)  # fmt: skip


RULES = (
    _rule("last name", "last", fallback=True),
    _rule("surname soundex and initial", Part("last", _soundex_last), Part("first", _initial),
          max_pairs=LOOSE_BLOCK_PAIRS, fallback=True),
    _rule("first name and ZIP", "first", "zip"),
    _rule("ZIP and house number", "zip", "number"),
    _rule("first name and surname start", "first", Part("last", _two_letters), fallback=True),
    Rule("transposed name", (Part("last"), Part("first")), (Part("first"), Part("last"))),
    # a name printed surname, given name, middle name ("SMITH JOHN ROBERT": first name smith,
    # middle name john) on either side (``name_order.RIGHT_SURNAME_FIRST``)
    Rule("surname first", (Part("last"), Part("first")), (Part("first"), Part("middle"))),
    Rule("surname first, left", (Part("first"), Part("middle")), (Part("last"), Part("first"))),
    _rule("phone", "phone"),
    _rule("e-mail", "email"),
    _rule("identity number", "id_number"),
    _rule("street line", "street"),
    _rule("street name and city", "street_name", "city"),
    _rule("second address line", "address2", max_pairs=LOOSE_BLOCK_PAIRS, fallback=True),
    _rule("city and initial", "city", Part("first", _initial), max_pairs=LOOSE_BLOCK_PAIRS,
          fallback=True),
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
            f"{self.largest_pairs:,}); the other rules reach its records where they key them "
            "apart"
        )


@dataclass(frozen=True)
class Candidates:
    """The candidate pairs, sorted by left then right index, each pair once."""

    left: Indices
    right: Indices
    oversized: tuple[Oversized, ...]
    fallback: npt.NDArray[np.bool_]
    """The pairs only fallback rules give (``Rule.fallback``)."""
    unreached: int = 0
    """Left records in a block left out under some rule and in no other rule's block that was
    kept: compared with no record at all."""


def candidate_pairs(left: Table, right: Table) -> Candidates:
    """Every pair some rule puts in one block, each pair once, with the blocks left out."""
    n_right = len(right)
    pair_ids, oversized = np.zeros(0, dtype=np.int64), []
    specific = np.zeros(0, dtype=np.int64)  # the pairs of rules that are no fallback
    numbers = _Numbers(left, right)
    left_out, reached = np.zeros(len(left), dtype=bool), np.zeros(len(left), dtype=bool)
    for rule in RULES:
        left_keys, right_keys = numbers.keys(rule)
        li, ri, skipped = _pairs(rule, left_keys, right_keys, MAX_CANDIDATES - len(pair_ids),
                                 partial(_key_text, rule, left), (left_out, reached))  # fmt: skip
        if skipped:
            oversized.append(skipped)
        # merged rule by rule: every rule's pairs are never all held at once
        ids = li.astype(np.int64, copy=False) * n_right + ri
        del li, ri
        pair_ids = _union(pair_ids, ids)
        if not rule.fallback:
            specific = _union(specific, ids)
        del ids
    fallback = np.ones(len(pair_ids), dtype=bool)
    fallback[np.searchsorted(pair_ids, specific)] = False  # every such pair is among them
    del specific
    width = max(n_right, 1)
    # 32-bit positions where they fit: at a million records a side, 24 million pairs
    # take 194 MB instead of 387 MB (numpy indexes with either)
    kind = np.int32 if max(len(left), len(right)) < 2**31 else np.intp
    left_of = (pair_ids // width).astype(kind)
    right_of = (pair_ids % width).astype(kind)
    del pair_ids
    return Candidates(cast(Indices, left_of), cast(Indices, right_of), tuple(oversized),
                      fallback, int((left_out & ~reached).sum()))  # fmt: skip


Keys = npt.NDArray[np.int64]
"""Blocking keys as numbers, one per record: equal where the keys are, 0 for none."""


class _Numbers:
    """Each rule's keys of both sides as numbers (``Keys``), from the columns' numbers: the
    tables' own (``prepare.Vocabulary``) where both are numbered alike, else numbered here
    once per column, the same way. A made part (an initial) is made once per distinct value.
    Numbers, not the keys' text: the text took a dict pass per rule and record, three
    quarters of blocking's time (``Rule.keys`` gives the same blocks: a test checks it)."""

    def __init__(self, left: Table, right: Table) -> None:
        self.tables = (left, right)
        self.vocabulary = None if numbered_alike(left, right) else Vocabulary()
        self.made: dict[Part, tuple[Keys, Keys]] = {}

    def part(self, part: Part) -> tuple[Keys, Keys]:
        """``part`` of each record of both sides, as numbers."""
        if part in self.made:
            return self.made[part]
        if part.of is None:
            left, right = (self._column(table, part.column) for table in self.tables)
        else:
            left, right = self.part(Part(part.column))
            values, inverse = self._distinct(left, right, part.column)
            made: dict[str, int] = {"": 0}
            numbers = np.array([made.setdefault(part.of(v), len(made)) for v in values], np.int64)
            left, right = numbers[inverse[: len(left)]], numbers[inverse[len(left) :]]
        self.made[part] = (left, right)
        return left, right

    def _column(self, table: Table, column: str) -> Keys:
        if self.vocabulary is None:
            return table.codes[column].astype(np.int64)
        return self.vocabulary.number(table[column].tolist()).astype(np.int64)

    def _distinct(self, left: Keys, right: Keys, column: str) -> tuple[list[str], Indices]:
        """The distinct values of ``column`` on both sides (their numbers ``left`` and
        ``right``), and where each record's is among them."""
        _, first, inverse = np.unique(
            np.concatenate([left, right]), return_index=True, return_inverse=True
        )
        on_left = first < len(left)
        values = np.empty(len(first), dtype=object)
        values[on_left] = self.tables[0][column][first[on_left]]
        values[~on_left] = self.tables[1][column][first[~on_left] - len(left)]
        return values.tolist(), inverse

    def keys(self, rule: Rule) -> tuple[Keys, Keys]:
        """``rule``'s keys of both sides: its parts' numbers combined, 0 where one is 0."""
        sides = [[self.part(p)[k] for p in rule.of(side)] for k, side in enumerate(SIDES)]
        left, right = sides[0][0], sides[1][0]
        for a, b in zip(sides[0][1:], sides[1][1:], strict=True):
            width = max(int(a.max(initial=0)), int(b.max(initial=0))) + 1
            if max(int(left.max(initial=0)), int(right.max(initial=0))) >= 2**62 // width:
                left, right = _dense(left, right)  # ``left * width`` would overflow
            left = np.where((left > 0) & (a > 0), left * width + a, 0)
            right = np.where((right > 0) & (b > 0), right * width + b, 0)
        return left, right


SIDES = ("left", "right")


def _dense(left: Keys, right: Keys) -> tuple[Keys, Keys]:
    """The same keys numbered 0, 1, 2... in their order (0 stays 0)."""
    _, inverse = np.unique(np.concatenate([[0], left, right]), return_inverse=True)
    inverse = inverse.astype(np.int64)
    return inverse[1 : len(left) + 1], inverse[len(left) + 1 :]


def _key_text(rule: Rule, left: Table, index: int) -> str:
    """The text of left record ``index``'s key under ``rule``."""
    one = Table({name: column[index : index + 1] for name, column in left.columns.items()})
    return str(rule.keys(one, "left")[0])


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
    rule: Rule,
    left_keys: Keys,
    right_keys: Keys,
    room: int,
    key_of: Callable[[int], str],
    marks: tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]],
) -> tuple[Indices, Indices, Oversized | None]:
    """All (i, j) with left_keys[i] == right_keys[j] != 0, blocks over the cap left out
    (and described: the largest, the first by its text among equals; ``key_of``: the text
    of left record i's key); ``LinkingError`` before they are made if they are more than
    ``room``. ``marks``: the left records in a block left out, and in one kept, set here."""
    left_codes, right_codes = _dense(left_keys, right_keys)
    n_codes = int(max(left_codes.max(initial=0), right_codes.max(initial=0))) + 1
    left_count = np.bincount(left_codes, minlength=n_codes)
    right_count = np.bincount(right_codes, minlength=n_codes)
    size = left_count.astype(np.int64) * right_count
    size[0] = 0  # no key, no block
    over = size > rule.max_pairs
    skipped = None
    if over.any():
        most = int(size.max())
        holders = np.flatnonzero(size[left_codes] == most)  # left records of the largest keys
        _, first = np.unique(left_codes[holders], return_index=True)
        largest = min(key_of(int(i)) for i in holders[first])
        skipped = Oversized(rule.name, int(over.sum()), int(size[over].sum()), largest, most,
                            rule.max_pairs)  # fmt: skip
    usable = ~over & (size > 0)
    marks[0][over[left_codes]] = True
    marks[1][usable[left_codes]] = True
    if int(size[usable].sum()) > room:
        raise too_many_candidates(rule)
    order = np.argsort(right_codes, kind="stable")
    sorted_codes = right_codes[order]
    start = np.searchsorted(sorted_codes, left_codes, "left")
    counts = np.searchsorted(sorted_codes, left_codes, "right") - start
    counts[~usable[left_codes]] = 0
    li, at = runs(start, counts)
    ri = order[at]
    return li.astype(np.intp, copy=False), ri.astype(np.intp, copy=False), skipped


def runs(start: Indices, counts: Indices) -> tuple[Indices, Indices]:
    """(owner, position): run ``k`` of a sorted array, ``counts[k]`` positions from
    ``start[k]``, spelt out, each position beside the run it belongs to; a join of sorted
    keys without a Python loop."""
    owner = np.repeat(np.arange(len(counts)), counts)
    offsets = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(start, counts) + offsets
