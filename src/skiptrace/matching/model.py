"""Fellegi-Sunter scoring: per-field match weights learnt from the data, without labels.

For each comparison level, m is how often true matches land on it and u how often non-matches
do; a pair's weight is the sum of log(m/u) over its fields, and its match probability follows
from the prior share of matches. u comes from random pairs (almost all non-matches); m and the
prior are estimated by expectation-maximisation over the candidate pairs, starting from sound
priors (which are also what is used when there is too little data to learn from). Exact
agreement on a name is then adjusted by how common the name is. Weights are kept monotone:
an agreeing field never lowers a score, a stronger level never weighs less than a weaker one.

Fellegi-Sunter assumes the fields independent given match status; a household breaks that (the
street, number, city, ZIP, state and often the phone agree together for everyone living
there). Three rules in the model, not on top of it, keep a relative from being taken for the
debtor and a namesake for a debtor who moved:

- Relations (``comparisons.Compared.relation``). When the first names differ beyond nickname,
  initial or typo (two names the tables both call common, Mark and Mary, differ), or the
  generational suffixes disagree (Jr against Sr; a suffix on one side with a middle name or
  birth date that disagrees), the household fields (street, unit, number, city, ZIP, state,
  phone) and what a family firm's staff share (employer, e-mail) prove nothing about
  identity: their weights count only against (``min(w, 0)``), a
  last name's rarity adds nothing (relatives share rare surnames), and another generation
  weighs ``GENERATION_WEIGHT``. A trained model whose files hold households turns a differing
  first name at one address into one joint cell (``Model._household_cell``: m is how often one
  person's first names disagree, u how often two people in the files share surname and home),
  in place of the name and address weights; where the files hold none (FEBRL4) such a pair is
  a corrupted copy and scored as usual, unless both first names are real names (listed in the
  SSA table, neither a nickname nor a misprint of the other: ``Compared.distinct``), which
  are two people whatever the files hold. A birth date, which twins share, counts only
  against such a pair too. At one address, names that agree with birth dates (beyond a
  misprint) or middle names written in full that disagree are another generation (a father
  and son who print no suffix). A suffix on one side only (the parent may print none) is
  held to ``ONE_SUFFIX_CEILING`` wherever the address is; an initial, an ambiguous short
  form (Pat: Patricia or Patrick), a nickname (Jack: John) or a given name of two words
  written on one side only (Mary-Ann: Mary) in the debtor's household (one address, phone,
  e-mail or firm) to ``SHORT_FORM_AT_HOME_CEILING``; a birth date that
  disagrees beyond a misprint to ``DOB_DIFFERS_CEILING``; a surname that differs outright to
  ``SURNAME_DIFFERS_CEILING``.
- Corroboration. A pair with no agreeing identifying field (street, ZIP, phone, e-mail, date of
  birth; a typo level counts; a ZIP beside another address or alone only with the second line; not
  the employer, which places the namesakes) is the name (and perhaps a town) only: its probability
  is at most ``NAME_ONLY_CEILING`` and at most ``1 / (1 + namesakes / RARE_ODDS)``, ``namesakes``
  being how many US adults are expected to share the agreeing name parts (``rarity.namesakes``:
  Census surnames, SSA first names); unless the full name is rare, at most ``NOT_RARE_CEILING``,
  whether the town agrees or not ("John Smith, Chicago" and "Maria Garcia, Houston" are thousands of
  people). The debtor's ZIP beside another address (or with no street on a side) counts the
  namesakes of one ZIP area (``rarity.ZIP_SHARE``) instead; a street line that agrees with no town
  to place it (``comparisons.unplaced``) corroborates nothing and counts the namesakes at that line
  in any town (``rarity.LINE_SHARE``) when its house number agrees (a street or a box alone: the
  name alone). An employer that agrees exactly counts the namesakes one employer holds
  (``rarity.EMPLOYER_SHARE``), with no ceiling but that count where it is rare there (James Smith at
  the University of Michigan: about 29 there, ``low``; it was 1.000 ``high``); beside the debtor's
  ZIP area or a line in any town the two are read one at a time, whichever says more. A middle name
  that disagrees ends the name-only reading: the pair is scored as its fields say, at most
  ``NOT_RARE_CEILING``. A disagreeing address is not counted against such a pair (a debtor who moved
  disagrees on it), a disagreeing phone or birth date is. So a rare full name at a new address is
  ``medium`` (0.7 at one expected namesake), any other ``low`` and below 0.5 (not linked), and
  neither is ever ``high``.
  A pair whose only identifying agreement is the birth date is read the same way: its
  namesakes are those born that day (``DOB_SHARE``; a misprinted date, ``CLOSE_DOB_DATES``
  days' worth; a month or a year written alone, that month's or year's) among those sharing
  the name (``_birth_namesakes``: a misprint or an initial in the commoner spelling, a part
  that differs not at all), in one ZIP area when the ZIP agrees; a town, an employer one word
  off or a unit line alone adds nothing, a phone or e-mail that differs counts against. So
  "John Smith, born 1980-05-01" (about one such man in the US) is 0.65, "J Smith" or a
  misprinted date ``low``; a rare name with its birth date stays ``high``, and a name the
  tables cannot count is ``medium`` at most.
- Calibration. A trained model's log-odds go through a fixed monotone map (``CALIBRATION``)
  fitted offline on labelled generated data (benchmarks/fit_calibration.py), so that among
  pairs scored about 0.8, about 80% are the same person.

Bands follow from the probability alone (``HIGH``, ``MEDIUM``): a score and its band never
disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from skiptrace.matching import rarity
from skiptrace.matching.comparisons import (
    ADDRESS_FIELDS,
    FIRST_NAME_DIFFERS,
    HOUSEHOLD_FIELDS,
    IDENTIFYING_FIELDS,
    NAME_FIELDS,
    NO_RELATION,
    OTHER_GENERATION,
    SUFFIX_ONE_SIDE_AT_HOME,
    Compared,
    at_home,
    compare,
    compound_split,
    differs,
    shared_household,
    unplaced,
)
from skiptrace.matching.levels import BY_NAME, COMPARISONS, Comparison
from skiptrace.matching.name_order import (
    LAST_FIRST,
    LEFT_SURNAME_FIRST,
    READINGS,
    STRAIGHT,
    may_be_surname_first,
)
from skiptrace.matching.pairs import Bools, Floats, Indices
from skiptrace.matching.prepare import Column, Table, codes_of
from skiptrace.matching.rarity import EMPLOYER_SHARE, LINE_SHARE, RARE_BELOW, ZIP_SHARE

LINE_FIELDS = ("street", "number", "address2", "state")
"""What a street line with no town (``comparisons.unplaced``) agrees on: counted as where
the namesakes live (``rarity.LINE_SHARE``), not as weights."""
_LINE_ONLY = ("street", "number", "address2")
"""The fields of ``LINE_FIELDS`` a pair without its street line would not agree on."""
MIN_PAIRS_FOR_EM = 200
"""Fewer candidate pairs than this and the priors are used as they are."""
MIN_RECORDS_FOR_EM = 20
"""With fewer records on either side, EM would learn one record's quirks: priors are used."""
EM_ITERATIONS = 25
NAME_M_FLOOR = 0.5
"""The least share of a match class's pairs that agree exactly on the first name and on the
surname. EM left to itself can take a large crowd for the match class, one that shares a
city, a ZIP and a state but not the names (seen at a million records a side, where the
candidates held a third of such pairs: m of an exact surname fell to 0.10). One person's
records agree on the names far more often than half the time (0.85-0.96 learnt on every
labelled set here), so an m under this is put back to the prior, which ends such a class."""
U_SAMPLE = 20_000
"""Random pairs that measure u for scoring."""
HIGH, MEDIUM = 0.95, 0.7
MAX_TF_BOOST = np.log(20.0)
"""A rare name may count at most 20 times more than an average one."""
GENERATION_WEIGHT = float(np.log(0.0005 / 0.5))
"""Jr against Sr: how rarely one person's records disagree on it (m about 1 in 2,000, a
misprint) against how often a parent and child at one address do (u about 1 in 2)."""
FIRST_NAME_DIFFERS_M = 0.01
"""How often one person's two records disagree on the first name beyond nickname, initial
or typo (the prior m of that level), in the household cell."""
UNLISTED_NAMESAKES = 3.0
"""The fewest namesakes a name with a part missing from the tables counts as (never rare:
``rarity.is_rare``): its score alone stays below 0.5."""
ONE_SUFFIX_CEILING = 0.4
"""The most a pair can score whose names agree but for a generational suffix on one side
only, wherever the address is: the other is as likely the parent who prints none (on the US
household set, every such pair at one address was; elsewhere, the father who moved out)."""
DOB_DIFFERS_M = 0.01
"""How often one person's two records disagree on the birth date beyond a misprint (the prior
m of its "else" level; a misprint is its "close" level)."""
SHORT_FORM_AT_HOME_CEILING = 0.94
"""The most a pair can score in the debtor's household (``comparisons.shared_household``: one
address, phone, e-mail or firm) whose first names agree only as an initial ("M. Ashmore"
against Mary), an ambiguous short form (Pat against Patricia or Patrick), a nickname that is
a name of its own (Jack against John) or the first word of a given name of two (Mary against
Mary-Ann), unless the birth dates or identity numbers agree: the spouse Mark or Patrick, the
son Jack or the daughter Mary-Ann may live there too; ``medium`` at most (on the US
household set about 98% of such pairs are the debtor)."""
SURNAME_DIFFERS_CEILING = 0.9
"""The most a pair can score whose surnames differ outright: a married name, or a sister or
a lodger of the same first name; never ``high``, so a collector looks."""
DOB_DIFFERS_CEILING = 0.9
"""The most a pair can score, wherever it is and whatever else agrees, whose birth dates or
identity numbers disagree beyond a misprint (a namesake sharing a phone), or whose identity
number outvoted a differing first name or birth date (``comparisons.Compared.outvoted``: a
corrupted copy, or twins or a son filed under another's number): never ``high``, so a
collector looks."""
HOUSEHOLD_MIN_SHARE = 0.002
"""Households are in the files when at least this many same-surname, same-street pairs with
different first names per record are seen on one side (FEBRL4: none; US registers: many)."""
NAME_ONLY_CEILING = 0.9
"""The most a pair corroborated by nothing but the name can score: never ``high``."""
NOT_RARE_CEILING = 0.45
"""The most a pair corroborated by nothing but the name can score when the name is not rare
(or misspelt, so that the tables cannot say): a namesake elsewhere is ``possible`` only when
the tables call the full name rare, and is not linked at 0.5, whether the town (city) agrees
or not: "John Smith, Chicago" is tens of thousands of people."""
RARE_ODDS = 2.3
"""Name-only odds are ``RARE_ODDS / namesakes``: at least 0.7 (``MEDIUM``) below
``rarity.RARE_BELOW`` (one expected namesake), 0.19 at 10, 0.0001 at John Smith's 24,700. A
first name or surname missing from the tables counts as at least one namesake (never rare:
``rarity.is_rare``)."""
DOB_SHARE = 1 / (365.25 * 60)
"""The share of US adults born on a given day: adult birth dates spread over about sixty
years' worth of days once weighted to the middle ages (``rarity.US_ADULT_POPULATION`` over
about 80 birth years, most of them in the middle 60). A name's namesakes times this is how many
share the name and the birth date: about one for John Smith."""
CLOSE_DOB_DATES = 30
"""The dates a birth date's "close" level takes in (``comparisons._dob_levels``: one digit off,
two digits swapped, day and month swapped): about 30 valid dates for a given one, so a
misprinted date matches that many days' namesakes."""
CALIBRATION = (1.0, 0.0)
"""(slope, intercept) applied to a trained model's log-odds: ``a * logit + b``, fitted by
benchmarks/fit_calibration.py (Platt scaling on the US household set, seeds 1-3, and FEBRL4
printed, open world, seed 11; none of them the benchmark's). Last fit: 11,214 labelled pairs,
ECE 0.009 under the identity; the likelihood fit (0.380, -0.900) raised it to 0.022, so the
identity is kept: with the household cell, the name-only count and the ceilings in the model,
its probabilities need no correction."""


_PRIOR_U_EXACT = {
    "first_name": 0.01, "last_name": 0.005, "suffix": 0.3, "middle_name": 0.05,
    "street": 0.0005, "address2": 0.001, "number": 0.02, "city": 0.005, "zip": 0.005,
    "state": 0.1, "phone": 0.0001, "email": 0.0001, "employer": 0.001, "dob": 0.001,
    "id_number": 0.000001,
}  # fmt: skip
"""How often two different people agree exactly on a field, before any data says otherwise."""


def _prior_u(comparison: Comparison) -> Floats:
    """u before any data: agreement is rare between different people, fuzzy agreement less so."""
    exact = _PRIOR_U_EXACT[comparison.name]
    agreement = [exact * 2**level for level in range(len(comparison.levels))]
    return np.array([0.0, *agreement, 1.0 - sum(agreement)])


def prior_model() -> Model:
    """The model used when there is too little data to learn from (a single lookup)."""
    return Model(
        prior=0.01,
        m={c.name: _prior_m(c) for c in COMPARISONS},
        u={c.name: _prior_u(c) for c in COMPARISONS},
        tf={},
        u_random={c.name: _PRIOR_U_EXACT[c.name] for c in COMPARISONS if c.tf},
    )


_PRIOR_M_ELSE = {"dob": DOB_DIFFERS_M}
"""Fields whose prior m of "else" is set, not what the agreement levels leave."""


def _prior_m(comparison: Comparison) -> Floats:
    """m before any data: most true matches agree exactly, a few fuzzily, very few disagree."""
    agreement = [0.85, 0.08, 0.04, 0.02][: len(comparison.levels)]
    m = np.array([0.0, *agreement, 0.0])
    m[-1] = max(0.01, 1.0 - m.sum())
    if comparison.name in _PRIOR_M_ELSE:
        m[-1] = _PRIOR_M_ELSE[comparison.name]
        m[1] = 1.0 - m[-1] - m[2:-1].sum()
    return np.asarray(m / m[1:].sum(), dtype=np.float64)


@dataclass
class Model:
    """Learnt parameters: the prior match share among candidates, and m and u per level."""

    prior: float
    m: dict[str, Floats]
    u: dict[str, Floats]
    tf: dict[str, Mapping[str, float]]
    """Relative frequency of each value of the tf-adjusted columns, both sides pooled."""
    u_random: dict[str, float]
    """Exact-agreement u of the tf-adjusted comparisons among random pairs: the average a
    value's own frequency is measured against (the candidates' u is inflated by blocking)."""
    calibration: tuple[float, float] = (1.0, 0.0)
    """(slope, intercept) on the log-odds: ``CALIBRATION`` once trained, identity for priors."""
    household_u: float | None = None
    """Once trained: how often two different people in the files share a surname and a
    street line (households on one side, pairs over all pairs), the u of the household cell
    (see ``_household_cell``). None for the priors: every such pair counts as a household."""
    households: bool = True
    """Whether the files hold households at all (``HOUSEHOLD_MIN_SHARE``): where no two
    records on a side share a surname and a street line (FEBRL), a differing first name is a
    corrupted record, not a relative, and the household fields count as usual."""
    relatives: bool = True
    """Whether the files may hold each other's relatives (the default, and the only safe
    reading for research: a register may hold the debtor's spouse and not the debtor). Then
    two real first names are two people even where the files hold no households. False is a
    caller's statement that they cannot (``link --no-relatives``: one population's records
    against corrupted copies of themselves, as in FEBRL)."""

    def weights(self, name: str) -> Floats:
        """Monotone log(m/u) per level code; 0 for null."""
        comparison = BY_NAME[name]
        with np.errstate(divide="ignore"):
            raw = np.log(np.maximum(self.m[name], 1e-6)) - np.log(np.maximum(self.u[name], 1e-6))
        agree = np.minimum.accumulate(np.maximum(raw[1:-1], 0.0))  # weaker never outweighs stronger
        agree[[comparison.levels.index(level) for level in comparison.neutral]] = 0.0
        weights = np.concatenate([[0.0], agree, [min(raw[-1], 0.0)]])
        assert len(weights) == comparison.n_levels
        return weights

    def pair_weights(self, compared: Compared, left: Table, li: Indices) -> dict[str, Floats]:
        """Each comparison's weight for each pair, term-frequency adjusted."""
        out: dict[str, Floats] = {}
        related = _related(compared)
        for comparison in COMPARISONS:
            levels = compared.levels[comparison.name]
            weights = self.weights(comparison.name)
            pair = weights[levels]
            if comparison.tf and self.tf.get(comparison.name):
                tf_pair = self._tf_adjusted(comparison, pair, levels, weights, left, li)
                # relatives share rare surnames: their rarity proves nothing
                pair = np.where(related, np.minimum(tf_pair, pair), tf_pair)
            out[comparison.name] = pair
        if not self.households:  # no two people share a home and a surname in these files:
            # a misprinted or unlisted first name is a corrupted copy, two real names are not
            distinct = compared.distinct if self.relatives else False
            related &= (compared.relation != FIRST_NAME_DIFFERS) | distinct
        if related.any():
            # the household's (twins'), not the person's; a family firm employs the father,
            # the son and the wife, who share its mailbox; a relative's record holding the
            # debtor's identity number holds a mistyped one (a Jr filed under his father's)
            for name in (*HOUSEHOLD_FIELDS, *WORKPLACE_FIELDS, "dob", "id_number"):
                out[name] = np.where(related, np.minimum(out[name], 0.0), out[name])
            generation = compared.relation == OTHER_GENERATION
            out["suffix"] = np.where(generation, GENERATION_WEIGHT, out["suffix"])
            if self.household_u is not None and self.households:
                self._household_cell(compared, out)
        return out

    def _household_cell(self, compared: Compared, out: dict[str, Floats]) -> None:
        """A differing first name at the same street line, as one joint cell: its m is how
        often a true pair's first names disagree (``FIRST_NAME_DIFFERS_M``: not learnt, since
        EM would take a household for one person), its u how often two different
        people in these files share a surname and a street line (``household_u``). The
        cell's weight stands in for the name and household fields (put on ``street``)."""
        assert self.household_u is not None
        home = (compared.relation == FIRST_NAME_DIFFERS) & at_home(compared.levels)
        if not home.any():
            return
        cell = float(np.log(FIRST_NAME_DIFFERS_M) - np.log(self.household_u))
        for name in (*NAME_FIELDS, *HOUSEHOLD_FIELDS, "middle_name"):
            out[name] = np.where(home, 0.0, out[name])
        out["street"] = np.where(home, cell, out["street"])

    def _tf_adjusted(
        self,
        comparison: Comparison,
        pair: Floats,
        levels: npt.NDArray[np.int8],
        weights: Floats,
        left: Table,
        li: Indices,
    ) -> Floats:
        exact = levels == 1
        if not exact.any():
            return pair
        frequencies = self.tf[comparison.name]
        average = self.u_random[comparison.name]
        # the exact pairs' values only (both sides hold the value): not every left record's
        # again for each chunk of pairs
        values = left[comparison.column][li[exact]].tolist()
        tf = np.array([frequencies.get(v, average) for v in values], dtype=np.float64)
        boost = np.clip(np.log(max(average, 1e-9)) - np.log(np.maximum(tf, 1e-9)),
                        -np.inf, MAX_TF_BOOST)  # fmt: skip
        adjusted = pair.copy()
        floor = weights[2] if comparison.n_levels > 3 else 0.0
        adjusted[exact] = np.maximum(pair[exact] + boost, max(floor, 0.0))
        return adjusted

    def probability(self, total_weight: Floats) -> Floats:
        """Match probability from the summed weights and the prior."""
        return _sigmoid(self.logit(total_weight))

    def logit(self, total_weight: Floats) -> Floats:
        """Log-odds of a match from the summed weights and the prior, calibrated."""
        slope, intercept = self.calibration
        logit = np.log(self.prior / (1.0 - self.prior)) + total_weight
        return np.asarray(slope * logit + intercept, dtype=np.float64)


WORKPLACE_FIELDS = ("employer", "email")
"""What relatives at one firm share (its name, its mailbox): for a relative's pair they count
only against, as the household fields do."""


def _related(compared: Compared) -> npt.NDArray[np.bool_]:
    """Pairs whose names say relatives: a differing first name or another generation."""
    return np.isin(compared.relation, (FIRST_NAME_DIFFERS, OTHER_GENERATION))


def _sigmoid(logit: Floats) -> Floats:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logit, -60, 60))), dtype=np.float64)


@dataclass(frozen=True)
class Statistics:
    """What training reads from the records themselves, as counts: whichever engine counted
    them (in memory, on Spark), the same counts give the same model."""

    n_left: int
    n_right: int
    values: Mapping[str, tuple[Mapping[str, int], Mapping[str, int]]]
    """For each term-frequency comparison: how often each value occurs on the left and on the
    right ("" not counted)."""
    household_pairs: int
    """Pairs of records on one side with one surname and home but different first names
    (``household_keys``: a surname printed first too), both sides summed."""


def household_keys(table: Table) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Each record's (surname, home) group and first name; ("", "", "") where there is none.
    A house number and postcode survive the typos a street name may carry: they are the home
    where both are given, else the street line. Then each record's again as a name printed
    surname first holds them ("KIM MINSEO" and "KIM JIAHUI" at one home: the surname in the
    first name column, the given names in the last): its (first name, home) group, marked
    apart from the surnames' by a leading unit separator (U+001F), and its last name
    (``_household_pairs``)."""
    columns = [table[c].tolist() for c in ("last", "number", "zip", "street", "first")]
    groups, firsts = [], []
    for swapped in (False, True):
        for last, number, postcode, street, first in zip(*columns, strict=True):
            if swapped:
                last, first = "\x1f" + first if first else "", last
            home = (number, postcode) if number and postcode else (street, "")
            usable = last and home[0] and first
            groups.append((last, *home) if usable else ("", "", ""))
            firsts.append(first if usable else "")
    return groups, firsts


def statistics(left: Table, right: Table) -> Statistics:
    """``Statistics`` of two prepared tables held in memory, counted on the values' numbers
    (``prepare.codes_of``): at a million records a side, counting the strings in Python
    (``household_keys``, a ``Counter``) took about 10 s."""
    values = {
        c.name: (_value_counts(left, c.column), _value_counts(right, c.column))
        for c in COMPARISONS
        if c.tf
    }
    shared = _household_pairs(left) + _household_pairs(right)
    return Statistics(len(left), len(right), values, shared)


def _value_counts(table: Table, column: str) -> dict[str, int]:
    """How often each value of ``column`` occurs ("" not counted)."""
    numbers, first, counts = np.unique(codes_of(table, column), return_index=True,
                                       return_counts=True)  # fmt: skip
    given = numbers != 0
    return dict(zip(table[column][first[given]].tolist(), counts[given].tolist(), strict=True))


def _household_pairs(table: Table) -> int:
    """Pairs of records within each group ``household_keys`` gives whose first names differ
    (per group, its records squared less the sum of squares of its first names' counts,
    halved), counted in numpy; and, as names printed surname first hold the surname in the
    first name column ("NGUYEN VAN MINH", "NGUYEN VAN NAM" at one home), the pairs whose
    first names agree and last names differ at one home too."""
    return _pairs_at_home(table, "last", "first") + _pairs_at_home(table, "first", "last")


def _pairs_at_home(table: Table, shared_column: str, differing_column: str) -> int:
    """``_household_pairs``' pairs whose ``shared_column`` agrees and ``differing_column``
    differs at one home."""
    last, number, postcode, street, first = (
        codes_of(table, c).astype(np.int64)
        for c in (shared_column, "number", "zip", "street", differing_column)
    )
    by_number = (number > 0) & (postcode > 0)
    home = np.where(by_number, number, street)
    home2 = np.where(by_number, postcode, 0)  # 0: a street line, never a postcode's number
    usable = (last > 0) & (home > 0) & (first > 0)
    keys = [column[usable] for column in (last, home, home2, first)]
    if not len(keys[0]):
        return 0
    order = np.lexsort(keys[::-1])
    last, home, home2, first = (column[order] for column in keys)
    new_group = np.ones(len(last), dtype=bool)
    new_group[1:] = (last[1:] != last[:-1]) | (home[1:] != home[:-1]) | (home2[1:] != home2[:-1])
    new_name = new_group.copy()
    new_name[1:] |= first[1:] != first[:-1]
    group = np.cumsum(new_group) - 1
    names = np.diff(np.append(np.flatnonzero(new_name), len(first)))  # records per first name
    totals = np.bincount(group)
    squares = np.bincount(group[new_name], weights=names * names).astype(np.int64)
    return int(((totals * totals - squares) // 2).sum())


PATTERN_BITS = 3
"""Bits per comparison in a pattern code: every comparison has at most 8 level codes."""
assert all(c.n_levels <= 1 << PATTERN_BITS for c in COMPARISONS)


@dataclass(frozen=True)
class Patterns:
    """Agreement patterns (one level per comparison, packed into an integer) and how many
    candidate pairs show each: all that EM needs, a few thousand rows however many pairs."""

    codes: npt.NDArray[np.int64]
    """Distinct codes, ascending."""
    counts: npt.NDArray[np.int64]

    def levels(self, comparison: Comparison) -> npt.NDArray[np.int8]:
        """The comparison's level in each pattern."""
        shift = PATTERN_BITS * COMPARISONS.index(comparison)
        return ((self.codes >> shift) & ((1 << PATTERN_BITS) - 1)).astype(np.int8)

    @property
    def pairs(self) -> int:
        return int(self.counts.sum())


def patterns_of(compared: Compared) -> Patterns:
    """The patterns of a set of compared pairs, counted."""
    n = len(compared.relation)
    code = np.zeros(n, dtype=np.int64)
    for position, comparison in enumerate(COMPARISONS):
        code |= compared.levels[comparison.name].astype(np.int64) << (PATTERN_BITS * position)
    codes, counts = np.unique(code, return_counts=True)
    return Patterns(codes, counts.astype(np.int64))


def merge_patterns(parts: Sequence[Patterns]) -> Patterns:
    """Counts of several sets of pairs added up."""
    if not parts:
        return Patterns(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    codes, inverse = np.unique(np.concatenate([p.codes for p in parts]), return_inverse=True)
    counts = np.bincount(inverse, weights=np.concatenate([p.counts for p in parts]))
    return Patterns(codes, counts.astype(np.int64))


def u_sample(n_left: int, n_right: int, seed: int = 0) -> tuple[Indices, Indices]:
    """The random pairs (left, right record positions) that measure u for scoring."""
    rng = np.random.default_rng(seed)
    n = min(U_SAMPLE, n_left * n_right)
    return (rng.integers(0, n_left, n).astype(np.intp),
            rng.integers(0, n_right, n).astype(np.intp))  # fmt: skip


EM_PAIRS = 500_000
"""Candidate pairs EM learns from at most (``em_sample``); every pair is scored. At 100,000
records a side (2.3 million candidates), learning from 500,000 instead of 2,000,000 gave the
same 75,332 links, one band changed, no score moved by more than 0.062, and took 25% less
time."""


def em_sample(li: Indices, ri: Indices, share: float) -> npt.NDArray[np.bool_]:
    """Which pairs EM learns from: about ``share`` of them, chosen by a hash of the pair
    itself, so that any engine, in any order or partitioning, picks the same pairs."""
    if share >= 1.0:
        return np.ones(len(li), dtype=bool)
    key = li.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + ri.astype(np.uint64)
    key ^= key >> np.uint64(31)
    key *= np.uint64(0xBF58476D1CE4E5B9)
    key ^= key >> np.uint64(29)
    return np.asarray((key >> np.uint64(40)) < np.uint64(share * (1 << 24)))


def em_share(n_pairs: int) -> float:
    """The share of ``n_pairs`` candidate pairs that EM learns from (``EM_PAIRS``)."""
    return min(1.0, EM_PAIRS / max(n_pairs, 1))


def train(
    stats: Statistics,
    patterns: Patterns,
    sample: Compared,
    *,
    n_pairs: int | None = None,
    relatives: bool = True,
) -> Model:
    """Start from the priors; with enough candidate pairs, learn m, u and the prior by EM
    over the agreement patterns (``n_pairs`` candidates in all, of which ``patterns`` counts
    the ``em_sample``; all of them by default). ``sample``: the random pairs of ``u_sample``,
    compared. ``relatives``: see ``Model.relatives``."""
    model = prior_model()
    model.relatives = relatives
    n_left, n_right = stats.n_left, stats.n_right
    n_pairs = patterns.pairs if n_pairs is None else n_pairs
    if n_pairs < MIN_PAIRS_FOR_EM or min(n_left, n_right) < MIN_RECORDS_FOR_EM:
        return model
    model.tf = _term_frequencies(stats)
    model.u_random = {name: _chance_agreement(*counts) for name, counts in stats.values.items()}
    model.prior = float(np.clip(min(n_left, n_right) / n_pairs, 1e-4, 0.5))
    _em(model, patterns)
    # EM ran among the candidates, where blocking makes non-matches agree far more often
    # than between random records. m (how matches look) carries over; for scoring, u and the
    # prior are put back on the scale of all pairs, as Fellegi-Sunter defines them.
    matches = model.prior * n_pairs
    model.u = _random_u(sample)
    model.prior = float(np.clip(matches / (n_left * n_right), 1e-9, 0.5))
    model.calibration = CALIBRATION
    pairs = sum(n * (n - 1) / 2 for n in (n_left, n_right))
    model.household_u = max(stats.household_pairs, 0.5) / max(pairs, 1.0)
    model.households = stats.household_pairs >= HOUSEHOLD_MIN_SHARE * (n_left + n_right)
    return model


def _random_u(sample: Compared) -> dict[str, Floats]:
    """u per level from random pairs: almost all of them are non-matches."""
    u = {}
    for comparison in COMPARISONS:
        counted = np.bincount(sample.levels[comparison.name], minlength=comparison.n_levels)
        counts = counted.astype(np.float64) + 0.5  # no level is impossible
        counts[0] = 0.0
        u[comparison.name] = counts / counts[1:].sum()
    return u


def _chance_agreement(left_counts: Mapping[str, int], right_counts: Mapping[str, int]) -> float:
    """How often a random left and a random right record share a value: the average that a
    name's own frequency is measured against (exact, no sampling needed)."""
    pairs = sum(left_counts.values()) * sum(right_counts.values())
    if not pairs:
        return 1e-3
    shared = sum(n * right_counts.get(v, 0) for v, n in left_counts.items())
    return max(shared / pairs, 1e-6)


def _em(model: Model, patterns: Patterns) -> None:
    """Refine m, u and the prior over the candidate pairs' agreement patterns (the same sums
    as over the pairs themselves, on a few thousand rows).

    u must be re-estimated here too: candidates come from blocking, so their non-matches share
    surnames or postcodes far more often than random pairs do, and a u from random pairs
    would make those shared values look like evidence of a match.
    """
    levels = {c.name: patterns.levels(c) for c in COMPARISONS}
    weight = patterns.counts.astype(np.float64)
    n = weight.sum()
    informative = [c for c in COMPARISONS if levels[c.name].any()]  # not all null
    for _ in range(EM_ITERATIONS):
        total = np.zeros(len(weight))
        for comparison in informative:
            raw = np.log(np.maximum(model.m[comparison.name], 1e-9)) - np.log(
                np.maximum(model.u[comparison.name], 1e-9)
            )
            raw[0] = 0.0
            total += raw[levels[comparison.name]]
        p = model.probability(total)
        previous = model.prior
        model.prior = float(np.clip(np.dot(p, weight) / n, 1e-6, 0.999))
        for comparison in informative:
            level = levels[comparison.name]
            model.m[comparison.name] = _distribution(level, p * weight, comparison.n_levels)
            model.u[comparison.name] = _distribution(level, (1.0 - p) * weight,
                                                     comparison.n_levels)  # fmt: skip
        for name in NAME_FIELDS:  # the match class is one person: their names agree
            if model.m[name][1] < NAME_M_FLOOR:
                model.m[name] = _prior_m(BY_NAME[name])
        if abs(model.prior - previous) < 1e-7:
            break


def _distribution(levels: npt.NDArray[np.int8], weight: Floats, n_levels: int) -> Floats:
    """Weighted share of each non-null level (smoothed so that none is impossible)."""
    mass = np.bincount(levels, weights=weight, minlength=n_levels) + 1e-3
    mass[0] = 0.0
    return np.asarray(mass / mass[1:].sum(), dtype=np.float64)


def _term_frequencies(stats: Statistics) -> dict[str, Mapping[str, float]]:
    """Each value's share of the non-empty values, both sides pooled."""
    frequencies: dict[str, Mapping[str, float]] = {}
    for name, (left, right) in stats.values.items():
        pooled = Counter(left)
        pooled.update(right)
        total = sum(pooled.values())
        if total:
            frequencies[name] = {v: n / total for v, n in pooled.items()}
    return frequencies


@dataclass(frozen=True)
class Scores:
    """Scores of a set of pairs, with what is needed to explain and band them."""

    probability: Floats
    weights: dict[str, Floats]
    compared: Compared
    namesakes: Floats
    """Expected US adults sharing the agreeing name parts, for pairs corroborated by the
    name alone (NaN for the others): what their probability follows."""
    listed: npt.NDArray[np.bool_]
    """Whether the tables can count the agreeing name (``rarity.known``): an uncounted name is
    never rare, whatever its count says."""
    born: Floats
    """Expected US adults sharing the agreeing name parts and the birth date, for pairs the
    birth date alone corroborates besides the name (NaN for the others)."""
    given: npt.NDArray[np.bool_]
    """Whether the tables can count the agreeing given name (``rarity.given_name_counted``),
    for pairs corroborated by the name alone: one they cannot is never rare, in the debtor's
    ZIP area or at a line in any town either."""

    def describe(self, indices: Sequence[int]) -> list[tuple[str, str]]:
        """(band, matched_on) of each pair in ``indices``, in one pass over plain lists.

        Band: high (p >= ``HIGH``), medium (p >= ``MEDIUM``) or low, from the probability
        alone: the identity rules (name alone, relatives) act on the probability itself.
        matched_on: the agreeing fields, ``name~0.93,street=,zip=`` (``=`` exact, ``~``
        similar); a neutral level (``Comparison.neutral``) is no agreement.
        """
        picked = np.asarray(indices, dtype=np.intp)
        level = {n: codes[picked].tolist() for n, codes in self.compared.levels.items()}
        sims = {n: values[picked].tolist() for n, values in self.compared.similarity.items()}
        last = {c.name: c.n_levels - 1 for c in COMPARISONS}
        neutral = {c.name: [c.levels.index(n) + 1 for n in c.neutral] for c in COMPARISONS}
        agree = {  # in numpy, not a dict of comparisons per pair; a neutral level is none
            name: ((codes > 0) & (codes < last[name]) & ~np.isin(codes, neutral[name])).tolist()
            for name, codes in ((n, c[picked]) for n, c in self.compared.levels.items())
        }
        transposed = self.compared.transposed[picked].tolist()
        out = []
        for k, p in enumerate(self.probability[picked].tolist()):
            parts = []
            names = [n for n in NAME_FIELDS if agree[n][k]]
            if names:
                exact = all(level[n][k] == 1 for n in names)
                mean = sum(sims[n][k] for n in names) / len(names)
                label = "name" if len(names) == 2 else names[0].removesuffix("_name")
                label += "=" if exact else f"~{mean:.2f}"
                parts.append(label + ("(transposed)" if transposed[k] else ""))
            for name in last:
                if agree[name][k] and name not in NAME_FIELDS:
                    parts.append(name + ("=" if level[name][k] == 1 else f"~{sims[name][k]:.2f}"))
            out.append((band_of(p), ",".join(parts)))
        return out

    def explain(self, index: int) -> list[tuple[str, str, float]]:
        """(field, level, weight) for every comparison of one pair."""
        out = []
        for comparison in COMPARISONS:
            level = int(self.compared.levels[comparison.name][index])
            names = ("null", *comparison.levels, "else")
            out.append((comparison.name, names[level],
                        round(float(self.weights[comparison.name][index]), 3)))  # fmt: skip
        return out


def band_of(probability: float) -> str:
    """high, medium or low: from the probability alone."""
    return "high" if probability >= HIGH else "medium" if probability >= MEDIUM else "low"


def score_text(probability: float, digits: int = 4) -> str:
    """``probability`` to ``digits`` decimals, rounded down: what is written never claims
    more than the score, so a score written at a band's bound or a threshold reached it
    (rounded to nearest, 0.94996 was written 0.9500 and banded medium, and ``link
    --threshold 1`` kept none of the links written 1.0000)."""
    step = Decimal(1).scaleb(-digits)
    return str(Decimal(repr(float(probability))).quantize(step, rounding=ROUND_FLOOR))


def score(model: Model, left: Table, right: Table, li: Indices, ri: Indices) -> Scores:
    """Probability of every pair (``li[k]``, ``ri[k]``) under ``model``."""
    compared = compare(left, right, li, ri)
    return scores_of(model, compared, (left, right), (li, ri))


def scores_of(
    model: Model, compared: Compared, tables: tuple[Table, Table], pairs: tuple[Indices, Indices]
) -> Scores:
    """The pairs' scores: ``compared`` holds their comparisons, ``pairs`` their rows in
    ``tables`` (left, right)."""
    (left, right), (li, ri) = tables, pairs
    weights = model.pair_weights(compared, left, li)
    n = len(li)
    total = np.sum(list(weights.values()), axis=0) if weights else np.zeros(n)
    logit = model.logit(np.asarray(total, dtype=np.float64))
    levels = compared.levels
    agrees = {c.name: (levels[c.name] > 0) & (levels[c.name] < c.n_levels - 1)
              for c in COMPARISONS}  # fmt: skip
    lines = unplaced(levels)  # a street line with no town to place it
    corroborated = _corroborated(agrees, weights, compared, lines)
    # one line in a town only with its house number: "Main Street" or "PO Box 12" with no
    # town is every house on a Main Street, a box at every post office: the name alone
    numbered = lines & (levels["number"] == 1)
    # the birth date the only identifying agreement: its namesakes are those born that day
    dob = levels["dob"]
    by_birth = corroborated & ~_corroborated(agrees, weights, compared, lines, skip="dob")
    by_birth &= (dob == 1) | (dob == 2)
    # an employer that agrees exactly (a letter tells First National Bank of Omaha from that
    # of Ohio), a crowd's none: the namesakes one employer holds (``rarity.EMPLOYER_SHARE``)
    at_firm = (levels["employer"] == 1) & (weights["employer"] > 0)
    # The name alone: a disagreeing address is no evidence against (the debtor may have moved)
    moved = np.sum([np.minimum(weights[name], 0.0) for name in ADDRESS_FIELDS], axis=0)
    slope = model.calibration[0]
    name_only = logit - slope * moved
    namesakes = np.full(n, np.nan)
    born = np.full(n, np.nan)
    dated = np.full(n, np.inf)
    listed = np.ones(n, dtype=bool)
    given = np.ones(n, dtype=bool)  # the given name counted (``rarity.given_name_counted``)
    # a name the tables do not call rare is never medium, the town agreeing or not
    ceiling = np.full(n, _NOT_RARE_LOGIT)
    # the count applies where every name part given on both sides agrees exactly (a typo or
    # an initial leaves only the lower ceiling: the table cannot say how rare a misspelling is)
    first, last_name = levels["first_name"], levels["last_name"]
    plain = (first <= 1) & (last_name <= 1)  # no name at all: one in the whole population
    # a middle name that disagrees: the name's namesakes with its weight against, never rare
    # (read as the fields alone, capped at 0.45, John B Smith outscored John A Smith himself)
    other_middle = levels["middle_name"] == BY_NAME["middle_name"].n_levels - 1
    todo = np.flatnonzero(plain)
    if len(todo):
        expected, listed[todo], given[todo] = _namesakes_of(
            left, li[todo], {k: v[todo] for k, v in levels.items()}, compared.transposed[todo]
        )
        others = _besides_names(weights, agrees, todo)
        counted = np.where(listed[todo], expected, np.maximum(expected, UNLISTED_NAMESAKES))
        # the debtor's ZIP beside another street: namesakes that live in one ZIP area, the
        # ZIP (and its town and state) counted there and not again as weights
        area = ((levels["zip"] == 1) & (weights["zip"] > 0) & compared.other_street)[todo]
        local = sum(np.maximum(weights[name][todo], 0.0) for name in ("zip", "city", "state"))
        # the debtor's employer (below): where the ZIP or the line is read as not given, the
        # namesakes one employer holds, the employer not again a weight
        hired = np.where(at_firm[todo], np.maximum(weights["employer"][todo], 0.0), 0.0)
        hiring = np.where(at_firm[todo], EMPLOYER_SHARE, 1.0)
        # read as the ZIP's area, or as if the ZIP were not given, whichever says more: an
        # agreeing ZIP never lowers a score (the town and state alone may say more)
        unzipped = others - np.maximum(weights["zip"][todo], 0.0) - hired
        as_if = np.log(RARE_ODDS) - np.log(np.maximum(counted * hiring, 1e-9)) + slope * unzipped
        others = np.where(area, others - local, others)
        counted = np.where(area, counted * ZIP_SHARE, counted)
        # a street line with no town: the namesakes at that line in any town, the line (and
        # a state, which holds many such lines) counted there and not again as weights
        # (or as if the line were not given, whichever says more: "PO Box 12" or "Main
        # Street" alone places no one, and an agreeing line never lowers a score)
        line = lines[todo]
        placed = sum(np.maximum(weights[name][todo], 0.0) for name in LINE_FIELDS)
        unlined = others - sum(np.maximum(weights[name][todo], 0.0) for name in _LINE_ONLY)
        unlined -= np.where(area, 0.0, hired)
        unlined = (np.log(RARE_ODDS) + slope * unlined
                   - np.log(np.maximum(counted * np.where(area, 1.0, hiring), 1e-9)))  # fmt: skip
        others = np.where(line, others - placed, others)
        counted = np.where(numbered[todo], counted * LINE_SHARE, counted)
        # the debtor's employer: the namesakes one employer holds, the employer counted there
        # and not again as a weight (or as if it were not given, whichever says more); beside
        # the debtor's ZIP area or a line in any town the two are read one at a time (a
        # firm's staff live near it: one fact, not two)
        unhired = np.log(RARE_ODDS) - np.log(np.maximum(counted, 1e-9)) + slope * (others - hired)
        others = others - hired
        firm = at_firm[todo] & ~area & ~numbered[todo]
        counted = np.where(firm, counted * EMPLOYER_SHARE, counted)
        rare = np.log(RARE_ODDS) - np.log(np.maximum(counted, 1e-9)) + slope * others
        rare = np.where(line, np.maximum(rare, unlined), rare)
        rare = np.where(area, np.maximum(rare, as_if), rare)
        rare = np.where(at_firm[todo], np.maximum(rare, unhired), rare)
        name_only[todo] = np.minimum(name_only[todo], rare)
        # no name-only reading in words either: "rare name" where the middle differs misled
        namesakes[todo] = np.where(corroborated[todo] | other_middle[todo], np.nan, expected)
        whole = (first[todo] == 1) & (last_name[todo] == 1)
        # a given name the tables cannot count is never rare, in one ZIP area or at one line
        # either: its floor of namesakes over a thousand ZIP areas had made Wei Zhang and
        # Suresh Reddy rare in the debtor's ZIP, 0.9 medium on another street
        rare_name = whole & given[todo] & (counted < RARE_BELOW) & ~other_middle[todo]
        ceiling[todo] = np.where(rare_name, _NAME_ONLY_LOGIT, ceiling[todo])
        # at the debtor's employer a name rare there is the count's alone: an employer is no
        # ZIP area (Robert Quinlan at Acme Plumbing, about 0.1 namesakes there, is ``high``)
        ceiling[todo] = np.where(rare_name & at_firm[todo], np.inf, ceiling[todo])
        # and its weight against the ceiling too: under it, a rare name's father (another
        # middle name) elsewhere had scored the ceiling, 0.45 (0.00005 read as its fields)
        ceiling[todo] += np.where(other_middle[todo], slope * weights["middle_name"][todo], 0.0)
    read_alone = np.where(plain, name_only, logit)  # each pair's reading before its ceiling
    name_only = np.where(plain, np.minimum(name_only, ceiling), -np.inf)
    births = np.flatnonzero(by_birth)
    if len(births):
        at = {k: v[births] for k, v in levels.items()}
        counted, known = _birth_namesakes(
            (left, right), (li[births], ri[births]), at, compared.transposed[births]
        )
        counted = np.where(known, counted, np.maximum(counted, UNLISTED_NAMESAKES))
        listed[births] = known
        days = np.where(dob[births] == 2, CLOSE_DOB_DATES, 1.0)
        share = np.minimum(_birth_share(left["dob"][li[births]]) * days, 1.0)
        # the debtor's ZIP (beside another street: a street that agrees corroborates): the
        # namesakes of one ZIP area, as for the name alone; a town is not counted
        area = np.where((at["zip"] == 1) & (weights["zip"][births] > 0), ZIP_SHARE, 1.0)
        area = np.where(numbered[births], LINE_SHARE, area)  # at the line in any town
        area = np.where(at_firm[births] & (area == 1.0), EMPLOYER_SHARE, area)
        born[births] = counted * share * area
        against = np.zeros(len(births))
        for name, pair in weights.items():
            if name in ("middle_name", "suffix"):  # an agreeing one is in the count
                against += np.where(agrees[name][births], 0.0, pair[births])
            elif name in IDENTIFYING_FIELDS and name not in (*ADDRESS_FIELDS, "dob"):
                against += np.minimum(pair[births], 0.0)  # a phone that differs, say
        dated[births] = np.log(RARE_ODDS) - np.log(np.maximum(born[births], 1e-12))
        dated[births] += slope * against
        # a name the tables cannot count is never made rare by its birth date: medium at most
        dated[births] = np.where(known, dated[births], np.minimum(dated[births], _NAME_ONLY_LOGIT))
    capped = np.minimum(logit, ceiling)  # a typo or an initial: no count, the lower ceiling
    final = np.where(corroborated, logit, np.where(plain, name_only, capped))
    final = np.maximum(final, np.where(corroborated, name_only, -np.inf))
    # never below the reading without the date: an agreeing birth date lowers no score (and
    # without it: a name's own reading held the date's weight, so "John Smith, 1980" scored
    # 0.07 where the year's 447 namesakes say 0.005)
    undated = np.minimum(read_alone - slope * weights["dob"], ceiling)
    final = np.minimum(final, np.maximum(dated, undated))
    one_suffix = (levels["suffix"] == BY_NAME["suffix"].n_levels - 1) & (
        compared.relation == NO_RELATION
    )  # Jr against no suffix: perhaps the father, who prints none
    perhaps_parent = compared.relation == SUFFIX_ONE_SIDE_AT_HOME
    final = np.where(one_suffix | perhaps_parent, np.minimum(final, _ONE_SUFFIX_LOGIT), final)
    short_at_home, husband = household_held(compared)
    final = np.where(short_at_home | husband, np.minimum(final, _SHORT_FORM_LOGIT), final)
    never_high = compared.outvoted | differs(levels, "dob") | differs(levels, "id_number")
    final = np.where(never_high, np.minimum(final, _DOB_DIFFERS_LOGIT), final)
    surname = differs(levels, "last_name")
    final = np.where(surname, np.minimum(final, _SURNAME_DIFFERS_LOGIT), final)
    # a surname alone, and another ("CHASE" against Jane Roe), with no birth date or identity
    # number to say who it is: nothing does
    unnamed = (first == 0) & surname & (levels["dob"] != 1) & (levels["id_number"] != 1)
    final = np.where(compared.nameless | unnamed, np.minimum(final, _NOT_RARE_LOGIT), final)
    # two real first names are two people whatever the files hold, and where the files hold
    # households any first name that differs may be a spouse's: never linked. The household
    # cell weighs them by how often two people of one file share a surname and a home, which
    # a spouse filed alone in the other file is not counted in: with few households in the
    # files, Laura Baker's husband George at her home scored 0.96 (3,000 records a side), and
    # Adebayo's wife Ngozi (a name the SSA table does not list) 0.97
    differing = (compared.relation == FIRST_NAME_DIFFERS) & (compared.distinct | model.households)
    final = np.where(differing & model.relatives, np.minimum(final, _NOT_RARE_LOGIT), final)
    # to the six decimals a link keeps: the score a threshold and a band's bounds are held to
    # is the one written (0.9999996 was kept as 1.0 though below --threshold 1)
    return Scores(np.round(_sigmoid(final), 6), weights, compared, namesakes, listed, born, given)


_NAME_PARTS = (("first", "first_name"), ("last", "last_name"), ("middle", "middle_name"),
               ("suffix", "suffix"))  # fmt: skip


def _birth_namesakes(
    tables: tuple[Table, Table],
    pairs: tuple[Indices, Indices],
    levels: Mapping[str, npt.NDArray[np.int8]],
    transposed: npt.NDArray[np.int8],
) -> tuple[Floats, npt.NDArray[np.bool_]]:
    """Expected US adults sharing the name of each pair the birth date alone corroborates:
    a part that agrees exactly in the debtor's spelling; a misprint or an initial in the
    commoner of the two spellings (the record may be a namesake's, not a misprint of the
    debtor's name); a part that differs, or is missing, not at all. A name written in another
    order (``Compared.transposed``) is counted both ways (``_as_read``), the commoner kept.
    With whether the tables can count the debtor's name."""
    (left, right), (li, ri) = tables, pairs
    last_level = {name: BY_NAME[name].n_levels - 1 for _, name in _NAME_PARTS}
    mine = [left[col][li].tolist() for col, _ in _NAME_PARTS]
    theirs = {col: right[col][ri].tolist() for col, _ in _NAME_PARTS}
    codes = [levels[name].tolist() for _, name in _NAME_PARTS]
    counts, known = [], []
    for k, reading in enumerate(transposed.tolist()):
        ours, other = [], []
        for p, (col, name) in enumerate(_NAME_PARTS):
            level = codes[p][k]
            if level in (0, last_level[name]):  # missing, or differs: no constraint
                ours.append("")
                other.append("")
                continue
            ours.append(mine[p][k])  # the record's part compared: "ROE JANE": her first is its last
            other.append(mine[p][k] if level == 1 else theirs[READINGS[reading].get(col, col)][k])
        count, fine = _namesakes(*ours)
        if other != ours:  # a spelling the tables cannot count is a misprint: left out
            count_other, fine_other = _namesakes(*other)
            count = max(count, count_other) if fine_other else count
        read = _as_read(ours, reading)
        if read != tuple(ours):
            count_cross, fine_cross = _namesakes(*read)
            count, fine = max(count, count_cross), fine and fine_cross
        counts.append(count)
        known.append(fine)
    return np.array(counts, dtype=np.float64), np.array(known, dtype=bool)


def _birth_share(dates: Column) -> Floats:
    """The share of US adults a birth date as written takes in: a whole date
    (YYYYMMDD) ``DOB_SHARE``, a month (YYYYMM) one 720th, a year alone one 60th."""
    lengths = np.char.str_len(np.asarray(dates, dtype=str))
    return np.where(lengths >= 8, DOB_SHARE, np.where(lengths >= 6, 1 / 720, 1 / 60))


def _besides_names(
    weights: Mapping[str, Floats], agrees: Mapping[str, npt.NDArray[np.bool_]], idx: Indices
) -> Floats:
    """What a pair's name count (``_namesakes_of``) leaves the weights to add: the agreeing
    address fields (a disagreeing one is no evidence against a debtor who moved) and every
    field but the names (an agreeing suffix or middle name is in the count already)."""
    others = np.zeros(len(idx))
    for name, pair in weights.items():
        if name in ADDRESS_FIELDS:
            others += np.maximum(pair[idx], 0.0)
        elif name not in (*NAME_FIELDS, "suffix", "middle_name"):
            others += pair[idx]
        elif name in ("suffix", "middle_name"):
            others += np.where(agrees[name][idx], 0.0, pair[idx])
    return others


def _corroborated(
    agrees: Mapping[str, npt.NDArray[np.bool_]],
    weights: Mapping[str, Floats],
    compared: Compared,
    unplaced_lines: npt.NDArray[np.bool_],
    skip: str = "",
) -> npt.NDArray[np.bool_]:
    """Pairs on which an identifying field (``IDENTIFYING_FIELDS``) agrees, a typo included,
    but for the employer, which counts none: one that agrees exactly (one letter tells First
    National Bank of Omaha from that of Ohio) places the name's namesakes (``at_firm`` in
    ``score``), as the debtor's ZIP area does. A ZIP (or one typo off it) beside another street or
    alone (``Compared.other_street``) counts only with the second line (a building, a unit) agreeing
    too: alone it is the debtor's neighbourhood, which a namesake in the same town shares, not the
    home. A street line in ``unplaced_lines`` (``comparisons.unplaced``: no town to place it) counts
    not at all. ``skip``: a field left out (which pairs something else corroborates).
    """
    other_street = compared.other_street
    out = np.zeros(len(other_street), dtype=bool)
    building = agrees["address2"] & (weights["address2"] > 0)
    for name in IDENTIFYING_FIELDS:
        if name == skip:
            continue
        agreeing = agrees[name] & (weights[name] > 0)
        if name == "zip":
            agreeing &= building | ~other_street
        elif name == "street":  # "12 Oak Street" in no town is in thousands of them
            agreeing &= ~unplaced_lines
        elif name == "employer":  # the name's namesakes there are counted (``_at_firm``)
            continue
        out |= agreeing
    return out


def household_held(compared: Compared) -> tuple[Bools, Bools]:
    """The pairs held to ``SHORT_FORM_AT_HOME_CEILING``: a first name given short (an initial,
    a short form, a nickname, a given name of two words by its first: Mary for Mary-Ann) or
    not at all in the debtor's household, and a record styled by
    a husband's name (``Compared.styled``), unless a birth date (or identity number) agreeing
    says whose it is (a year or a month written alone does not: ``Compared.born_that_day``).
    ``words`` says why a pair is held so."""
    levels = compared.levels
    short_at_home = compared.short_form & shared_household(levels)
    short_at_home &= compared.relation == NO_RELATION
    # a spouse is not born the same day (the same year often: Chris and his wife Christine,
    # both born in 1990, were 1.000), and holds a number of their own
    born = compared.born_that_day
    short_at_home &= ~born & (levels["id_number"] != 1)
    # a wife styled by her husband's name may be filed under his number too: only his birth
    # date says the record is his
    husband = compared.styled & ~born
    return np.asarray(short_at_home), np.asarray(husband)


_NAME_ONLY_LOGIT = float(np.log(NAME_ONLY_CEILING / (1 - NAME_ONLY_CEILING)))
_NOT_RARE_LOGIT = float(np.log(NOT_RARE_CEILING / (1 - NOT_RARE_CEILING)))
_ONE_SUFFIX_LOGIT = float(np.log(ONE_SUFFIX_CEILING / (1 - ONE_SUFFIX_CEILING)))
_SHORT_FORM_LOGIT = float(np.log(SHORT_FORM_AT_HOME_CEILING / (1 - SHORT_FORM_AT_HOME_CEILING)))
_DOB_DIFFERS_LOGIT = float(np.log(DOB_DIFFERS_CEILING / (1 - DOB_DIFFERS_CEILING)))
_SURNAME_DIFFERS_LOGIT = float(np.log(SURNAME_DIFFERS_CEILING / (1 - SURNAME_DIFFERS_CEILING)))


def _namesakes_of(
    left: Table,
    li: Indices,
    levels: Mapping[str, npt.NDArray[np.int8]],
    transposed: npt.NDArray[np.int8],
) -> tuple[Floats, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Expected US namesakes over the name parts that agree exactly (the debtor's spelling:
    an exact level means both sides spell it alike, nicknames folded); a name written in
    another order (``Compared.transposed``) is counted both ways (``_as_read``), the commoner
    kept. With whether the agreeing first name and surname are in the tables, and whether the
    given name is counted.

    Read as written, a middle name whose first word makes the given name one of its own
    (``comparisons.compound_split``: "Mary Lou Q", Marylou) is counted as "Mary-Lou Q" is
    too, its middle name Q, the commoner kept: "Mary Lou Q Byrne" against "Mary Q Byrne"
    elsewhere (the middle names agree past Lou, ``comparisons._compound_in_middle``) was
    counted on the middle name "Lou Q", a rare name (0.01 namesakes), 0.900 ``medium`` on
    the name alone, where "Mary-Lou Q Byrne" counts 14 (0.450)."""
    parts = [("first", "first_name"), ("last", "last_name"), ("middle", "middle_name"),
             ("suffix", "suffix")]  # fmt: skip
    # a pair counts what its left record's exact parts say: the next pair of the same record,
    # the same parts exact, the same way round, counts the same (a record's candidates come
    # together), so each run of such pairs is counted once
    exact = [levels[name] == 1 for _, name in parts]
    again = np.zeros(len(li), dtype=bool)
    again[1:] = (li[1:] == li[:-1]) & (transposed[1:] == transposed[:-1])
    for agrees in exact:
        again[1:] &= agrees[1:] == agrees[:-1]
    first = np.flatnonzero(~again)
    values = [np.where(agrees[first], left[col][li[first]], "").tolist()
              for (col, _), agrees in zip(parts, exact, strict=True)]  # fmt: skip
    raws = [left[col][li[first]].tolist() for col in ("first_raw", "given_rest")]
    counts, listed, given = [], [], []
    for key, cross, raw, rest in zip(zip(*values, strict=True), transposed[first].tolist(),
                                     *raws, strict=True):  # fmt: skip
        count, known = _namesakes(*key)
        if cross == STRAIGHT and key[2]:  # "Mary Lou Q" counted as "Mary-Lou Q" too
            middle = compound_split(str(raw), str(rest), key[2])[1]
            if middle != key[2]:
                count = max(count, _namesakes(key[0], key[1], middle, key[3])[0])
        counted = rarity.given_name_counted(key[0], key[1])
        read = _as_read(key, cross)
        if read != key:  # "ROE JANE": counted both ways
            other, known_other = _namesakes(*read)
            count, known = max(count, other), known and known_other
            counted = counted and rarity.given_name_counted(read[0], read[1])
        counts.append(count)
        listed.append(known)
        given.append(counted)
    run = np.cumsum(~again) - 1
    return (np.array(counts, dtype=np.float64)[run], np.array(listed, dtype=bool)[run],
            np.array(given, dtype=bool)[run])  # fmt: skip


def _as_read(parts: Sequence[str], reading: int) -> tuple[str, ...]:
    """A left record's name parts (first, last, middle, suffix, as its columns hold them) in
    the order a pair's reading
    (``Compared.transposed``) may give its person's name: first and last swapped ("ROE JANE":
    either record may be the one crossed), or, the left printed surname first ("SMITH JOHN
    ROBERT"), given name, surname, middle name. Else as they are: where the right record is
    the one printed surname first, the left's parts are in their places.

    Read as written, both records may be printed surname first alike: where the tables find
    that likely (``name_order.may_be_surname_first``), first and last swapped too.
    "TRAN THI LAN" against "TRAN THI LAN" elsewhere, counted as given name Tran, surname Lan,
    was a rare name (9e-09 namesakes), 0.900 ``medium`` in another state on the name alone;
    Lan Tran is a given name the tables cannot count on a common surname. So were "KIM MIN
    JUN" and "SMITH JOHN" (0.35 namesakes, where John Smith has 27,000)."""
    first, last, middle, suffix = parts
    if reading == LAST_FIRST or (reading == STRAIGHT and may_be_surname_first(first, last)):
        return last, first, middle, suffix
    if reading == LEFT_SURNAME_FIRST:
        return middle, first, last, suffix
    return first, last, middle, suffix


@lru_cache(maxsize=1 << 16)
def _namesakes(first: str, last: str, middle: str, suffix: str) -> tuple[float, bool]:
    return rarity.namesakes(first, last, middle, suffix), rarity.known(first, last)
