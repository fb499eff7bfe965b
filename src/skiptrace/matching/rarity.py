"""How rare is a full name? The expected number of living US adults who share it.

A record that agrees with the debtor on the name alone is worth something only if few other
people carry that name: "Zebulon Quackenbush" at a new address is probably the debtor who moved,
"John Smith" is probably one of tens of thousands of namesakes. This module turns a name into
that expected count from two public-domain tables shipped in ``skiptrace/matching/data`` (see
the README there for provenance and figures):

- ``us_surnames.csv.gz``: Census Bureau 2010 surname counts (top 100,300 surnames).
- ``us_first_names.csv.gz``: SSA national first-name counts, births 1930-2022, both sexes
  (top 30,037 names), a proxy for the given names of the living adult population.

The model (``namesakes``) assumes first name, surname, middle name and suffix are independent:

    expected = share(first) * share(last) * US_ADULT_POPULATION
               * share(middle) * 1 / SUFFIX_FACTORS[suffix]

where ``share(first) = count / FIRST_NAME_TOTAL`` and ``share(last) = count / SURNAME_TOTAL``.
Independence underestimates names whose parts go together (Hispanic first names with Hispanic
surnames: "Maria Garcia" is commoner than the product says), so treat the figure as an order of
magnitude, not a census. SSA counts births in the US, so immigrants' given names are
undercounted (Maria, Jose, Mohammed, most Vietnamese and Chinese given names): such a name comes
out rarer than it is, and a caller should not let rarity alone decide for it. Given the debtor
exists, the number of *other* people with the name is (for a Poisson count) again about
``expected``, so it is also the expected number of namesakes.

Matching is by folded spelling: accents are stripped, case ignored and everything but letters
dropped ("O'Brien" = "OBRIEN", "Núñez" = "nunez", "De la Cruz" = "delacruz"), which is the form
both government tables use. A first name that is a common nickname ("Bob") counts as the larger
of itself and its formal name ("Robert"), since registers print either. A name missing from a
table takes the table's floor (its smallest listed count): an unknown name is treated as no rarer
than the rarest listed one, which errs towards "common". An empty part does not constrain.

Loading is lazy and happens once (about 0.05 s, about 15 MB of dicts); afterwards each call is a
few dict lookups. The files are read with ``importlib.resources``, so an installed wheel works.
"""

from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Final

from skiptrace.normalize._text import to_ascii
from skiptrace.normalize.names import canonical_first, canonical_suffix

__all__ = [
    "FIRST_NAME_TOTAL",
    "INITIAL_SHARE",
    "RARE_BELOW",
    "SUFFIX_FACTORS",
    "SURNAME_TOTAL",
    "US_ADULT_POPULATION",
    "NameTables",
    "describe",
    "first_name_count",
    "first_name_listed",
    "given_name_counted",
    "is_rare",
    "known",
    "namesakes",
    "surname_count",
    "surname_listed",
    "tables",
]

US_ADULT_POPULATION: Final = 258_343_281
"""US residents aged 18 and over, 2020 Census (P.L. 94-171 redistricting data, table P3).

Adults, not the whole population (331.4 million in 2020, 308.7 million in 2010), because the
people a collector could confuse with a debtor are the ones in property, court, business and
voter registers: adults. The name *shares* come from the 2010 surname and 1930-2022 birth
tables and are assumed stable; only the head count is scaled to the adult population."""

SURNAME_TOTAL: Final = 294_972_059
"""People counted in the 2010 surname file: the listed surnames (265,660,058, count >= 100) plus
"ALL OTHER NAMES" (29,312,001). The denominator of a surname's share."""

FIRST_NAME_TOTAL: Final = 317_436_914
"""SSA national births 1930-2022 over every listed name and both sexes (99,232 names; the
shipped table keeps the top 30,037). The denominator of a first name's share."""

INITIAL_SHARE: Final = 1 / 15
"""Share of people whose middle (or first) name has a given initial. Initials are far from
uniform (J 13%, M 9%, A 9%; Q, U, X well under 1%), but two random people share an initial with
probability sum(p_letter^2) = 1 / 14.8 over the SSA table, so 1/15 is the typical factor."""

SUFFIX_FACTORS: Final[dict[str, float]] = {"jr": 10.0, "sr": 10.0, "ii": 30.0, "iii": 30.0,
                                            "iv": 30.0}  # fmt: skip
"""Divisor for a generational suffix: only a fraction of the people with a name carry a given
suffix. Half of all people are men, and a son named after his father ("Jr", the father then
"Sr") is a minority custom, so a "Jr" is at most about 1 in 10 of a name's bearers even for
male-only first names; numbered suffixes (II, III, IV) are rarer still. These are conservative
round estimates (they divide *less* than the likely true share, so a name never looks rarer than
it is because of its suffix), not measured figures. Other suffixes (esq) divide by 1."""

RARE_BELOW: Final = 1.0
"""``is_rare``: fewer than one expected namesake in the US, i.e. the debtor is more likely than
not the only living adult with this full name."""

_NOT_LETTER: Final = re.compile(r"[^a-z]+")
_DATA: Final = "data"
SURNAME_FILE: Final = "us_surnames.csv.gz"
FIRST_NAME_FILE: Final = "us_first_names.csv.gz"


@dataclass(frozen=True)
class NameTables:
    """The two tables as dicts (folded name -> count) with their floors (smallest count)."""

    surnames: dict[str, int]
    first_names: dict[str, int]
    surname_floor: int
    first_name_floor: int


ZIP_SHARE = 1 / 1000
"""The share of a name's US namesakes one ZIP area is taken to hold: the most populous ZCTAs
have about 1 in 3,000 of the population (110,000 of 335 million), and names cluster by region
and origin, so three times that. A pair agreeing on the name and the debtor's exact ZIP beside
another street (a move within the area, a PO box at the post office) counts
``namesakes * ZIP_SHARE``, not the whole country's: "Robert Quinlan" (about 110 in the US) there
is ``medium`` (0.9 at most, never ``high``, as for any name-only pair); "Maria Garcia" (1,700)
and "John Smith" (27,000) stay ``low``."""


EMPLOYER_SHARE = 1 / 1000
"""The share of a name's US namesakes one employer is taken to employ: those of over 100,000
US staff are no evidence at all (``normalize.companies``), the largest below that have about
1 in 2,600 of the 258 million adults, and a firm's staff cluster by region and family, so
about three times that, as ``ZIP_SHARE``. A pair agreeing on the name and the employer alone
counts ``namesakes * EMPLOYER_SHARE``: James Smith (29,000) at the University of Michigan
(50,000 staff, some 5 James Smiths) or at Acme Plumbing is ``low`` (it was 1.000 ``high``),
Robert Quinlan (110) ``high``: an employer is no ZIP area, and a small firm's staff are few."""


LINE_SHARE = 1 / 10_000
"""The share of a name's US namesakes one street line is taken to hold in some town when the
line's town is not given (no city, no ZIP on a side): the commonest street names (Second,
Park, Main, Oak) are each in 7,000 to 11,000 towns, about 2 adults an address among 258
million, so 1 in 11,900 of US adults live at "12 Second Street" in some town (1 in 18,400 at
7,000 towns): 1 in 10,000, an upper bound (a rare street is in few towns). "Robert Quinlan"
(about 110) there is ``medium``, "David Lee" (6,700) too; "James Brown" (17,000: about 2 at
that line) and "John Smith" (27,000: about 3) stay ``low``. A line only with its house number:
"Main Street" alone is every house on it, "PO Box 12" a box at each of some 31,000 post
offices, counted as the name alone (and what else agrees, as if no line were given)."""


def _read(name: str) -> dict[str, int]:
    raw = files("skiptrace.matching").joinpath(_DATA, name).read_bytes()
    text = gzip.decompress(raw).decode("ascii")
    counts: dict[str, int] = {}
    lines = io.StringIO(text)
    next(lines)  # header: name,count
    for line in lines:
        key, _, count = line.rstrip("\n").partition(",")
        counts[key] = int(count)
    return counts


@lru_cache(maxsize=1)
def tables() -> NameTables:
    """Load both tables from the package, once."""
    surnames = _read(SURNAME_FILE)
    first_names = _read(FIRST_NAME_FILE)
    return NameTables(surnames, first_names, min(surnames.values()), min(first_names.values()))


def _fold(text: str) -> str:
    return _NOT_LETTER.sub("", to_ascii(text).lower())


def surname_count(last: str) -> int:
    """People with this surname in the 2010 Census table (its floor if unlisted)."""
    t = tables()
    return t.surnames.get(_fold(last), t.surname_floor)


def first_name_listed(first: str) -> int:
    """Births 1930-2022 with this first name as written (0 if unlisted): not made formal
    (``first_name_count`` counts Maryann as the larger of Maryann and Mary)."""
    return tables().first_names.get(_fold(first), 0)


def surname_listed(last: str) -> bool:
    """Whether the 2010 Census table lists this surname."""
    return _fold(last) in tables().surnames


@lru_cache(maxsize=1 << 17)
def first_name_count(first: str) -> int:
    """Births 1930-2022 with this first name (nickname or formal name, whichever is larger;
    the table's floor if unlisted)."""
    t = tables()
    key = _fold(first)
    formal = _fold(canonical_first(to_ascii(first).strip().lower()))
    return max(t.first_names.get(key, t.first_name_floor), t.first_names.get(formal, 0))


def _given_share(name: str) -> float:
    """Share of people with this given name; a single letter is an initial (1/15)."""
    key = _fold(name)
    if not key:
        return 1.0
    if len(key) == 1:
        return INITIAL_SHARE
    return min(first_name_count(name) / FIRST_NAME_TOTAL, 1.0)


def _middle_share(middle: str) -> float:
    share = 1.0
    for word in to_ascii(middle).replace(".", " ").split():
        key = _fold(word)
        if key:  # a whole middle name is never less specific than its initial
            share *= min(_given_share(word), INITIAL_SHARE)
    return share


def namesakes(first: str, last: str, middle: str = "", suffix: str = "") -> float:
    """Expected number of living US adults with this full name (see the module doc).

    ``middle`` may be empty (no constraint), an initial ("C", "C.": divides by 15) or whole
    names ("Cynthia": multiplies by that name's first-name share; several words multiply).
    ``suffix`` is "Jr", "Sr", "II", "III" or "IV" in any spelling ``parse_name`` knows.
    """
    expected = float(US_ADULT_POPULATION) * _given_share(first) * _middle_share(middle)
    if _fold(last):
        expected *= surname_count(last) / SURNAME_TOTAL
    if not suffix:  # most names: no folding to do (this runs once per name-only pair)
        return expected
    word = re.sub(r"[^a-z0-9]+", "", to_ascii(suffix).lower())  # keeps "3rd", "2nd"
    return expected / SUFFIX_FACTORS.get(canonical_suffix(word), 1.0)


UNCERTAIN_FIRST_BELOW: Final = 3_000
"""A given name SSA counted fewer times than this (1930-2022 births)..."""
COMMON_SURNAME_FROM: Final = 50_000
"""...on a surname at least this many people share (2010 Census) cannot be counted: SSA counts
US births, so the given names of immigrant families are undercounted most where their
surnames are commonest (Minh Nguyen, Wei Zhang and Li Wang came out "fewer than 1 person").
A rare given name on a common surname (Zebulon Smith) is left uncounted too: the safer error."""


def known(first: str, last: str) -> bool:
    """Whether the tables can count this name: each part given is listed (an empty part does
    not constrain, an initial is always listed), and it is not a given name SSA barely knows
    on a common surname (``given_name_counted``)."""
    return not (last and _fold(last) not in tables().surnames) and given_name_counted(first, last)


def given_name_counted(first: str, last: str) -> bool:
    """Whether the tables can count this given name on this surname: none or an initial
    always; else one SSA lists and counted ``UNCERTAIN_FIRST_BELOW`` times or more where the
    surname is common (``COMMON_SURNAME_FROM``). SSA counts US births, so a given name it
    misses or barely knows is most often an immigrant family's (Suresh Reddy, Minh Nguyen):
    common however rare the table makes it, in one ZIP area too. The Census counted every
    resident's surname: one it did not list was rare in 2010."""
    t = tables()
    if not first or len(_fold(first)) == 1:
        return True
    firsts = first_name_count(first)
    if firsts <= t.first_name_floor and _fold(first) not in t.first_names:
        return False
    surnames = surname_count(last) if last else 0
    return not (firsts < UNCERTAIN_FIRST_BELOW and surnames >= COMMON_SURNAME_FROM)


def is_rare(first: str, last: str, middle: str = "", suffix: str = "") -> bool:
    """True when fewer than ``RARE_BELOW`` (1.0) people are expected to share the full name,
    and the tables can count it (``known``). An uncounted name is never called rare: the
    tables count US births and the 2010 Census, so a given name common abroad (and a surname
    new to the US) is missing from them or undercounted, and its count would make a namesake
    look unique. Taking a namesake for the debtor is the worse error."""
    return bool(last) and known(first, last) and namesakes(first, last, middle, suffix) < RARE_BELOW


def describe(n: float) -> str:
    """Plain words for an expected namesake count: "about 3 people in the US share it"."""
    if n < 1.0:
        return "fewer than 1 person in the US is expected to share it"
    if n < 1.5:
        return "about 1 person in the US shares it"
    if n < 100:
        return f"about {round(n)} people in the US share it"
    rounded = round(n, 2 - len(str(int(n))))  # two significant figures
    return f"about {int(rounded):,} people in the US share it"
