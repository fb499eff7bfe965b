"""A seeded US-style household set: debtors on one side, a register printed as it is on the other.

``generate(seed, debtors)`` returns a :class:`Households` (a named tuple, so it also unpacks as
``left, right, truth, relations = generate(...)``):

* ``left``: the collection file, one clean-ish record per debtor, every record with the keys
  ``first_name, middle_name, last_name, suffix, address, address2, city, state, zip, phone,
  dob`` ("" when unknown). ``first_name`` is sometimes a nickname ("Bob" for Robert) and
  ``middle_name`` is a full name, an initial or empty; ``address`` is the street line with USPS
  abbreviations, ``address2`` the unit ("Apt 4B"), ``state`` a code, ``zip`` five digits,
  ``phone`` "(217) 555-0134" for about 60%, ``dob`` ISO for about half.
* ``right``: the register, with the keys ``name, address, phone, dob``. ``name`` is one column
  in mixed printed forms: "LAST, FIRST M", "LAST, FIRST MIDDLE JR", "First M. Last Jr.",
  "FIRST LAST", "F. Last" (initials), in upper or title case, with nicknames and typos.
  ``address`` is one line: "{number} {street} {type}[ {unit}], {city}, {state} {zip}" where the
  street type is spelled out or abbreviated (Street/St, Avenue/Ave), the unit is "Apt 4B",
  "APT 4B", "Unit 4B" or "#4B", the state a code or its name, the ZIP five digits or ZIP+4, and
  some street names carry a typo. ``phone`` and ``dob`` are printed for a minority.
* ``truth``: the true (left index, right index) pairs, at most one per debtor. Exactly 40% of
  the debtors (rounded) have no record of their own on the right.
* ``relations``: labelled (left index, right index) pairs, each a trap or a hard case:

  - ``spouse``: the debtor's spouse: same last name and address, a different first name (never
    a nickname of the debtor's), sometimes the same household phone. Not a match.
  - ``parent_child``: the debtor's father or son (one in ten male debtors): same first
    and last name, the other generational suffix (Jr vs Sr, II vs III; a father sometimes
    prints none), same address, a different middle name and a birth date 20-35 years apart.
    Not a match.
  - ``namesake``: every other right record of a different person with the debtor's first name
    (up to nickname) and last name, at another address. The debtor's names are drawn by
    frequency, so common names ("John Smith") collect several namesakes and rare ones none,
    and a tenth of the debtors get one planted on purpose. Not a match.
  - ``moved``: the debtor's own record printed at a new address in another city (no phone, no
    dob): a TRUE match (also in ``truth``) that only the name supports.

The rest of the register is other people (0.6 per debtor). Where the names come from:

* First names: the small embedded table below (common and a few rare given names by sex, counts
  of the right order for the US from SSA first-name popularity, rounded by hand), plus nicknames.
* Surnames, 55% of people: the embedded list of about 120 common ones (Census 2010 surname
  ranks), weighted by their 2010 Census counts as shipped in ``skiptrace/matching/data``
  (``skiptrace.matching.rarity.tables()``).
* Surnames, the other 45% (the real share of Americans outside the few thousand commonest
  surnames): drawn from that same Census table past rank 3,000 (counts from about 12,000 down to
  the table's floor of 181), weighted by count, so rare surnames are real listed ones
  ("Bedker", "Unruh") that the matcher's rarity tables know. The 10% of Americans whose surname
  falls below the table's floor are not represented.

So common and rare full names both occur, and a rare one is rare by the matcher's own measure.
About 4% of the debtors with a record have moved. Deterministic for a seed
(``random.Random(seed)`` only); 2,000 debtors take about 0.1 s, plus about 0.2 s the first time
to load the tables.

Run it to see a sample: ``python benchmarks/us_households.py [--seed S] [--debtors N]``.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from skiptrace.matching.rarity import tables

Pair = tuple[int, int]
RELATIONS = ("spouse", "parent_child", "namesake", "moved")
NO_RECORD_SHARE = 0.4

# --- embedded name tables (approximate US counts) -------------------------------------------

# (name, count, sex) : sex "m" or "f".
FIRST_NAMES: tuple[tuple[str, int, str], ...] = (
    ("James", 4_800_000, "m"), ("John", 4_500_000, "m"), ("Robert", 4_400_000, "m"),
    ("Michael", 4_300_000, "m"), ("William", 3_600_000, "m"), ("David", 3_500_000, "m"),
    ("Richard", 2_400_000, "m"), ("Joseph", 2_400_000, "m"), ("Thomas", 2_200_000, "m"),
    ("Charles", 2_100_000, "m"), ("Christopher", 2_000_000, "m"), ("Daniel", 1_900_000, "m"),
    ("Matthew", 1_600_000, "m"), ("Anthony", 1_400_000, "m"), ("Donald", 1_300_000, "m"),
    ("Mark", 1_300_000, "m"), ("Steven", 1_200_000, "m"), ("Paul", 1_200_000, "m"),
    ("Andrew", 1_200_000, "m"), ("Kenneth", 1_100_000, "m"), ("Edward", 1_000_000, "m"),
    ("Ronald", 1_000_000, "m"), ("Timothy", 900_000, "m"), ("Jeffrey", 950_000, "m"),
    ("Gregory", 700_000, "m"), ("Samuel", 650_000, "m"), ("Benjamin", 600_000, "m"),
    ("Nicholas", 800_000, "m"), ("Jonathan", 700_000, "m"), ("Alexander", 650_000, "m"),
    ("Carlos", 400_000, "m"), ("Luis", 450_000, "m"), ("Wei", 40_000, "m"),
    ("Dwayne", 90_000, "m"), ("Ezekiel", 30_000, "m"), ("Thaddeus", 12_000, "m"),
    ("Cornelius", 25_000, "m"), ("Lucius", 6_000, "m"), ("Zebulon", 1_600, "m"),
    ("Obadiah", 2_000, "m"), ("Rutherford", 900, "m"), ("Alistair", 3_000, "m"),
    ("Mary", 3_200_000, "f"), ("Patricia", 1_500_000, "f"), ("Jennifer", 1_500_000, "f"),
    ("Linda", 1_400_000, "f"), ("Elizabeth", 1_600_000, "f"), ("Barbara", 1_100_000, "f"),
    ("Susan", 1_100_000, "f"), ("Jessica", 1_000_000, "f"), ("Sarah", 1_000_000, "f"),
    ("Karen", 980_000, "f"), ("Margaret", 1_200_000, "f"), ("Nancy", 800_000, "f"),
    ("Betty", 700_000, "f"), ("Dorothy", 800_000, "f"), ("Deborah", 750_000, "f"),
    ("Rebecca", 600_000, "f"), ("Katherine", 500_000, "f"), ("Catherine", 400_000, "f"),
    ("Christine", 450_000, "f"), ("Victoria", 350_000, "f"), ("Maria", 550_000, "f"),
    ("Ashley", 850_000, "f"), ("Rosa", 150_000, "f"), ("Mei", 20_000, "f"),
    ("Imogen", 3_000, "f"), ("Philippa", 2_500, "f"), ("Wilhelmina", 4_000, "f"),
    ("Temperance", 1_200, "f"), ("Araminta", 400, "f"), ("Henrietta", 20_000, "f"),
    ("Cynthia", 700_000, "f"), ("Diane", 500_000, "f"), ("Theodora", 5_000, "f"),
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
    "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams",
    "Nelson", "Baker", "Hall", "Campbell", "Mitchell", "Carter", "Roberts", "Phillips", "Evans",
    "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers",
    "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Kelly", "Howard", "Cox", "Ward",
    "Richardson", "Watson", "Brooks", "Wood", "James", "Bennett", "Gray", "Hughes", "Price",
    "Sanders", "Myers", "Long", "Ross", "Foster", "Powell", "Jenkins", "Perry", "Russell",
    "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Nguyen", "Kim", "Patel",
    "Chen", "Wang", "Hayes", "Chase", "Fitzgerald", "Gallagher", "Whitaker", "Pruitt", "Kowalski",
    "Okonkwo", "Nakamura", "Abernathy", "Vanderbilt", "Quackenbush", "Szymanski", "Delacroix",
    "Featherstone", "Hollingsworth", "Throckmorton", "Yarborough", "Pennington", "Blackwood",
    "Ravenscroft", "Zeigler", "Villanueva", "Castellanos", "Marchetti", "Lindquist", "Oyler",
    "Haverkamp",
)  # fmt: skip

# Canonical first name -> nicknames a person may go by (first is the most usual).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"), "William": ("Bill", "Will", "Billy"),
    "Elizabeth": ("Liz", "Beth", "Betsy"), "James": ("Jim", "Jimmy"), "John": ("Jack",),
    "Michael": ("Mike",), "Richard": ("Rick", "Dick"), "Joseph": ("Joe",),
    "Thomas": ("Tom", "Tommy"), "Charles": ("Charlie", "Chuck"), "Daniel": ("Dan", "Danny"),
    "Christopher": ("Chris",), "Matthew": ("Matt",), "Anthony": ("Tony",),
    "Donald": ("Don",), "Steven": ("Steve",), "Andrew": ("Andy", "Drew"),
    "Kenneth": ("Ken", "Kenny"), "Edward": ("Ed", "Ted", "Eddie"), "Ronald": ("Ron",),
    "Timothy": ("Tim",), "Jeffrey": ("Jeff",), "Gregory": ("Greg",), "Samuel": ("Sam",),
    "Benjamin": ("Ben",), "Nicholas": ("Nick",), "Jonathan": ("Jon",),
    "Alexander": ("Alex",), "Patricia": ("Pat", "Patty"), "Jennifer": ("Jen", "Jenny"),
    "Susan": ("Sue",), "Margaret": ("Peggy", "Maggie"), "Deborah": ("Debbie", "Deb"),
    "Rebecca": ("Becky",), "Katherine": ("Kate", "Kathy"), "Catherine": ("Cathy",),
    "Victoria": ("Vicky",), "Barbara": ("Barb",), "Dorothy": ("Dot",),
    "Jessica": ("Jess",), "Christine": ("Chris",), "Cynthia": ("Cindy",),
    "Henrietta": ("Etta",), "Theodora": ("Teddy",), "Zebulon": ("Zeb",),
}  # fmt: skip

# (city, state code, state name, ZIP prefix)
CITIES: tuple[tuple[str, str, str, str], ...] = (
    ("Springfield", "IL", "Illinois", "627"), ("Chicago", "IL", "Illinois", "606"),
    ("Peoria", "IL", "Illinois", "616"), ("Columbus", "OH", "Ohio", "432"),
    ("Dayton", "OH", "Ohio", "454"), ("Toledo", "OH", "Ohio", "436"),
    ("Austin", "TX", "Texas", "787"), ("Houston", "TX", "Texas", "770"),
    ("El Paso", "TX", "Texas", "799"), ("Phoenix", "AZ", "Arizona", "850"),
    ("Tucson", "AZ", "Arizona", "857"), ("Denver", "CO", "Colorado", "802"),
    ("Boulder", "CO", "Colorado", "803"), ("Atlanta", "GA", "Georgia", "303"),
    ("Savannah", "GA", "Georgia", "314"), ("Portland", "OR", "Oregon", "972"),
    ("Eugene", "OR", "Oregon", "974"), ("Seattle", "WA", "Washington", "981"),
    ("Spokane", "WA", "Washington", "992"), ("Miami", "FL", "Florida", "331"),
    ("Tampa", "FL", "Florida", "336"), ("Orlando", "FL", "Florida", "328"),
    ("Albany", "NY", "New York", "122"), ("Buffalo", "NY", "New York", "142"),
    ("Rochester", "NY", "New York", "146"), ("Newark", "NJ", "New Jersey", "071"),
    ("Trenton", "NJ", "New Jersey", "086"), ("Richmond", "VA", "Virginia", "232"),
    ("Norfolk", "VA", "Virginia", "235"), ("Raleigh", "NC", "North Carolina", "276"),
    ("Charlotte", "NC", "North Carolina", "282"), ("Nashville", "TN", "Tennessee", "372"),
    ("Memphis", "TN", "Tennessee", "381"), ("Madison", "WI", "Wisconsin", "537"),
    ("Milwaukee", "WI", "Wisconsin", "532"), ("Boise", "ID", "Idaho", "837"),
    ("Des Moines", "IA", "Iowa", "503"), ("Omaha", "NE", "Nebraska", "681"),
    ("Wichita", "KS", "Kansas", "672"), ("Saint Louis", "MO", "Missouri", "631"),
)  # fmt: skip

STREET_NAMES = (
    "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Main", "Park",
    "Walnut", "Lincoln", "Jefferson", "Chestnut", "Sunset", "Highland", "Ridge", "Church",
    "Spring", "Willow", "Meadow", "River", "Forest", "Franklin", "Jackson", "Madison",
    "Cherry", "Hickory", "Magnolia", "Prospect", "Orchard", "Valley", "Adams", "Monroe",
    "Sycamore", "Birch", "Laurel", "Dogwood", "Summit", "Harbor", "Mill", "Bridge",
)  # fmt: skip
# (long form, USPS abbreviation)
STREET_TYPES = (
    ("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Drive", "Dr"), ("Lane", "Ln"),
    ("Boulevard", "Blvd"), ("Court", "Ct"), ("Place", "Pl"), ("Terrace", "Ter"),
    ("Parkway", "Pkwy"), ("Circle", "Cir"), ("Way", "Way"),
)  # fmt: skip
DIRECTIONS = (("North", "N"), ("South", "S"), ("East", "E"), ("West", "W"))
MIDDLE_NAMES = {
    "m": (*(n for n, _, s in FIRST_NAMES if s == "m"), "Lee", "Ray", "Dale", "Wayne", "Allen"),
    "f": (*(n for n, _, s in FIRST_NAMES if s == "f"), "Ann", "Marie", "Lynn", "Jean", "Rose"),
}
# Half of Americans carry a surname outside the few thousand commonest: that tail is drawn from
# the 2010 Census table the matcher ships (skiptrace.matching.rarity.tables()), ranks past
# TAIL_FROM_RANK, weighted by their counts.
TAIL_SHARE = 0.45
TAIL_FROM_RANK = 3000


# --- people ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    number: str
    direction: tuple[str, str] | None
    street: str
    kind: tuple[str, str]
    unit: str  # "4B" or ""
    city: str
    state: str
    state_name: str
    zip5: str
    zip4: str


@dataclass(frozen=True)
class Person:
    first: str  # canonical given name ("Robert")
    goes_by: str  # what the collection file holds ("Bob" or "Robert")
    middle: str
    last: str
    suffix: str
    sex: str
    dob: str
    phone: str
    home: Address


class Households(NamedTuple):
    """The generated set; a named tuple, so ``left, right, truth, relations = ...`` works."""

    left: list[dict[str, str]]
    right: list[dict[str, str]]
    truth: set[Pair]
    relations: dict[str, set[Pair]]


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.first_m = [(n, c) for n, c, s in FIRST_NAMES if s == "m"]
        self.first_f = [(n, c) for n, c, s in FIRST_NAMES if s == "f"]
        self.cum_m = _cumulative(c for _, c in self.first_m)
        self.cum_f = _cumulative(c for _, c in self.first_f)
        self.surnames, self.cum_last = _head_surnames()
        self.tail, self.cum_tail = _tail_surnames()
        self.used_addresses: set[tuple[str, str, str, str]] = set()

    # -- draws
    def first(self, sex: str) -> str:
        names, cum = (self.first_m, self.cum_m) if sex == "m" else (self.first_f, self.cum_f)
        return self.rng.choices(names, cum_weights=cum)[0][0]

    def last(self) -> str:
        r = self.rng
        if r.random() < TAIL_SHARE:
            return r.choices(self.tail, cum_weights=self.cum_tail)[0]
        return r.choices(self.surnames, cum_weights=self.cum_last)[0]

    def middle(self, sex: str, avoid: str = "") -> str:
        while True:
            name = self.rng.choice(MIDDLE_NAMES[sex])
            if name != avoid and name[0] != avoid[:1]:
                return name

    def dob(self, low: int = 1940, high: int = 2000) -> str:
        r = self.rng
        return f"{r.randint(low, high)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"

    def phone(self) -> str:
        r = self.rng
        return f"({r.randint(201, 989)}) {r.randint(200, 999)}-{r.randint(0, 9999):04d}"

    def address(self, avoid_city: str = "") -> Address:
        r = self.rng
        while True:
            city, state, state_name, prefix = r.choice(CITIES)
            if city == avoid_city:
                continue
            number = str(r.choice((r.randint(1, 99), r.randint(100, 999), r.randint(1000, 9999))))
            street = r.choice(STREET_NAMES)
            key = (number, street, city, state)
            if key not in self.used_addresses:
                break
        self.used_addresses.add(key)
        unit = ""
        if r.random() < 0.25:
            unit = str(r.randint(1, 30)) + (r.choice("ABCD") if r.random() < 0.5 else "")
        return Address(
            number=number,
            direction=r.choice(DIRECTIONS) if r.random() < 0.15 else None,
            street=street,
            kind=r.choice(STREET_TYPES),
            unit=unit,
            city=city,
            state=state,
            state_name=state_name,
            zip5=prefix + f"{r.randint(1, 99):02d}",
            zip4=f"{r.randint(1, 9999):04d}",
        )

    def person(
        self, home: Address | None = None, last: str = "", sex: str = "", suffix: str = ""
    ) -> Person:
        r = self.rng
        sex = sex or r.choice("mf")
        first = self.first(sex)
        nicks = NICKNAMES.get(first, ())
        goes_by = r.choice(nicks) if nicks and r.random() < 0.2 else first
        return Person(
            first=first,
            goes_by=goes_by,
            middle=self.middle(sex, first) if r.random() < 0.8 else "",
            last=last or self.last(),
            suffix=suffix,
            sex=sex,
            dob=self.dob(),
            phone=self.phone() if r.random() < 0.6 else "",
            home=home or self.address(),
        )

    # -- printing
    def typo(self, word: str) -> str:
        r = self.rng
        if len(word) < 4:
            return word
        i = r.randint(1, len(word) - 2)
        kind = r.randrange(3)
        if kind == 0:  # substitution
            return word[:i] + r.choice("aeiounrst") + word[i + 1 :]
        if kind == 1:  # transposition
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        return word[:i] + word[i + 1 :]  # deletion

    def collection_record(self, p: Person) -> dict[str, str]:
        """The debtor as a collection file holds them: split fields, mostly clean."""
        r = self.rng
        a = p.home
        middle = p.middle
        if middle and r.random() < 0.4:
            middle = middle[0]
        last = self.typo(p.last) if r.random() < 0.03 else p.last
        street = _street_line(a, long_form=r.random() < 0.3)
        return {
            "first_name": p.goes_by,
            "middle_name": middle,
            "last_name": last,
            "suffix": p.suffix,
            "address": street,
            "address2": f"Apt {a.unit}" if a.unit else "",
            "city": a.city,
            "state": a.state,
            "zip": a.zip5,
            "phone": p.phone,
            "dob": p.dob if r.random() < 0.5 else "",
        }

    def printed_name(self, p: Person) -> str:
        r = self.rng
        first = p.first
        nicks = NICKNAMES.get(first, ())
        roll = r.random()
        if nicks and roll < 0.15:
            first = r.choice(nicks)
        elif p.goes_by != p.first and roll < 0.35:
            first = p.goes_by
        last = self.typo(p.last) if r.random() < 0.08 else p.last
        if r.random() < 0.04:
            first = self.typo(first)
        middle = p.middle
        if middle and r.random() < 0.55:
            middle = middle[0]
        elif r.random() < 0.2:
            middle = ""
        suffix = p.suffix
        form = r.random()
        if form < 0.45:  # LAST, FIRST M [SUFFIX]
            name = f"{last}, {first}" + (f" {middle}" if middle else "")
            name = name + (f" {suffix}" if suffix else "")
            name = name.upper()
        elif form < 0.8:  # First M. Last Jr.
            mid = f" {middle}." if len(middle) == 1 else (f" {middle}" if middle else "")
            sfx = f" {suffix}." if suffix in ("Jr", "Sr") else (f" {suffix}" if suffix else "")
            name = f"{first}{mid} {last}{sfx}"
            if r.random() < 0.3:
                name = name.upper()
        elif form < 0.93:  # FIRST LAST [SUFFIX]
            name = f"{first} {last}" + (f" {suffix}" if suffix else "")
            name = name.upper()
        else:  # F. Last (initial for the given name)
            name = f"{first[0]}." + (f" {middle[0]}." if middle else "") + f" {last}"
            name = name + (f", {suffix}" if suffix else "")
        return name

    def printed_address(self, a: Address, *, typo_rate: float = 0.12) -> str:
        r = self.rng
        street = a.street
        if r.random() < typo_rate:
            street = self.typo(street)
        line = _street_line(replace(a, street=street), long_form=r.random() < 0.4)
        if a.unit:
            unit = r.choice((f"Apt {a.unit}", f"APT {a.unit}", f"Unit {a.unit}", f"#{a.unit}"))
            line = f"{line} {unit}" if r.random() < 0.7 else f"{line}, {unit}"
        state = a.state_name if r.random() < 0.3 else a.state
        zipcode = f"{a.zip5}-{a.zip4}" if r.random() < 0.35 else a.zip5
        sep = ", " if r.random() < 0.7 else " "
        text = f"{line}{sep}{a.city}, {state} {zipcode}"
        return text.upper() if r.random() < 0.4 else text

    def register_record(
        self, p: Person, *, home: Address | None = None, phone: float = 0.3, dob: float = 0.3
    ) -> dict[str, str]:
        r = self.rng
        return {
            "name": self.printed_name(p),
            "address": self.printed_address(home or p.home),
            "phone": p.phone if p.phone and r.random() < phone else "",
            "dob": p.dob if r.random() < dob else "",
        }


def _cumulative(counts: Iterable[int]) -> list[float]:
    total = 0.0
    out: list[float] = []
    for c in counts:
        total += float(c)
        out.append(total)
    return out


def _printed_surname(folded: str) -> str:
    """The tables hold folded names ("mcdonald"): print "McDonald", "Ashworth"."""
    if folded.startswith("mc") and len(folded) > 3:
        return "Mc" + folded[2:].capitalize()
    return folded.capitalize()


@lru_cache(maxsize=1)
def _head_surnames() -> tuple[list[str], list[float]]:
    """The embedded common surnames with their 2010 Census counts as weights."""
    counts = tables().surnames
    return list(SURNAMES), _cumulative(counts[name.lower()] for name in SURNAMES)


@lru_cache(maxsize=1)
def _tail_surnames() -> tuple[list[str], list[float]]:
    """The 2010 Census surnames past rank ``TAIL_FROM_RANK`` (the table is in rank order; count
    at most about 12,000, at least the table's floor of 181), with their counts as weights."""
    head = {name.lower() for name in SURNAMES}
    tail = [
        (name, count)
        for rank, (name, count) in enumerate(tables().surnames.items())
        if rank >= TAIL_FROM_RANK and name not in head
    ]
    return [_printed_surname(n) for n, _ in tail], _cumulative(c for _, c in tail)


def _street_line(a: Address, *, long_form: bool) -> str:
    parts = [a.number]
    if a.direction:
        parts.append(a.direction[0] if long_form else a.direction[1])
    parts.append(a.street)
    parts.append(a.kind[0] if long_form else a.kind[1])
    return " ".join(parts)


_GENERATIONS = (("Jr", "Sr"), ("II", "III"), ("Jr", ""), ("III", "II"))


def generate(seed: int = 0, debtors: int = 2000) -> Households:
    """The household set for ``seed`` with ``debtors`` debtors (see the module docstring)."""
    if debtors < 1:
        raise ValueError("debtors must be at least 1")
    g = _Gen(seed)
    r = g.rng
    people: list[Person] = []
    for _ in range(debtors):
        people.append(g.person())
    without = set(r.sample(range(debtors), round(NO_RECORD_SHARE * debtors)))

    # Each right entry: (record, owner key) where the owner key identifies the person printed.
    right: list[tuple[dict[str, str], tuple[str, int], Person, Address]] = []
    truth_by_entry: dict[int, int] = {}
    relation_by_entry: dict[int, tuple[str, int]] = {}
    moved_entries: set[int] = set()

    for i, p in enumerate(people):
        roll = r.random()
        if roll < 0.10 and p.sex == "m":  # father or son at the same address
            child_sfx, parent_sfx = r.choice(_GENERATIONS)
            born = int(p.dob[:4])
            debtor_is_child = born > 1972 or (born >= 1960 and r.random() < 0.5)
            own, other = (child_sfx, parent_sfx) if debtor_is_child else (parent_sfx, child_sfx)
            shift = r.randint(20, 35) * (-1 if debtor_is_child else 1)
            other_dob = f"{born + shift}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
            p = replace(p, suffix=own)
            people[i] = p
            relative = replace(
                g.person(home=p.home, last=p.last, sex=p.sex, suffix=other),
                first=p.first,
                goes_by=p.first,
                middle=g.middle(p.sex, p.middle),
                dob=other_dob,
            )
            relation_by_entry[len(right)] = ("parent_child", i)
            right.append(
                (g.register_record(relative, phone=0.2, dob=0.5), ("rel", i), relative, p.home)
            )
        if roll >= 0.05 and roll < 0.27:  # a spouse at the same address
            spouse = g.person(home=p.home, last=p.last, sex="f" if p.sex == "m" else "m")
            while _same_given(spouse.first, p.first):
                spouse = replace(spouse, first=g.first(spouse.sex))
                spouse = replace(spouse, goes_by=spouse.first)
            if p.phone and r.random() < 0.3:
                spouse = replace(spouse, phone=p.phone)
            relation_by_entry[len(right)] = ("spouse", i)
            right.append((g.register_record(spouse), ("rel", i), spouse, p.home))
        if r.random() < 0.10:  # a planted namesake elsewhere
            namesake = replace(
                g.person(sex=p.sex, last=p.last),
                first=p.first,
                goes_by=p.first,
                middle=g.middle(p.sex, p.middle) if r.random() < 0.7 else "",
            )
            right.append((g.register_record(namesake), ("namesake", i), namesake, namesake.home))
        if i in without:
            continue
        if r.random() < 0.04:  # the debtor moved: own record at a new address, name only
            new_home = g.address(avoid_city=p.home.city)
            moved_entries.add(len(right))
            truth_by_entry[len(right)] = i
            record = g.register_record(p, home=new_home, phone=0.0, dob=0.0)
            right.append((record, ("own", i), p, new_home))
        else:
            truth_by_entry[len(right)] = i
            right.append((g.register_record(p), ("own", i), p, p.home))

    for _ in range(round(0.6 * debtors)):
        q = g.person()
        right.append((g.register_record(q), ("filler", -1), q, q.home))

    left = [g.collection_record(p) for p in people]

    order = list(range(len(right)))
    r.shuffle(order)
    position = {entry: pos for pos, entry in enumerate(order)}
    right_records = [right[entry][0] for entry in order]

    truth = {(i, position[e]) for e, i in truth_by_entry.items()}
    relations: dict[str, set[Pair]] = {name: set() for name in RELATIONS}
    relations["moved"] = {(truth_by_entry[e], position[e]) for e in moved_entries}
    for e, (kind, i) in relation_by_entry.items():
        relations[kind].add((i, position[e]))

    # Namesakes: every right record of another person with the debtor's given name (up to
    # nickname) and surname, not at the debtor's address.
    by_name: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(people):
        by_name.setdefault((p.first, p.last), []).append(i)
    for e, (_, owner, person, home) in enumerate(right):
        for i in by_name.get((person.first, person.last), []):
            if owner == ("own", i) or relation_by_entry.get(e, ("", -1))[1] == i:
                continue
            if home == people[i].home:
                continue
            relations["namesake"].add((i, position[e]))
    return Households(left, right_records, truth, relations)


def _same_given(a: str, b: str) -> bool:
    """Same given name up to nickname (Christopher and Christine share "Chris")."""
    forms_a = {a, *NICKNAMES.get(a, ())}
    forms_b = {b, *NICKNAMES.get(b, ())}
    return bool(forms_a & forms_b)


def main() -> None:
    parser = argparse.ArgumentParser(description="Print a sample of the household set.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--debtors", type=int, default=2000)
    parser.add_argument("--show", type=int, default=8)
    args = parser.parse_args()
    left, right, truth, relations = generate(args.seed, args.debtors)
    print(f"{len(left)} debtors, {len(right)} register records, {len(truth)} true pairs")
    for name, pairs in relations.items():
        print(f"  {name}: {len(pairs)}")
    by_left = {i: j for i, j in truth}
    for i in range(min(args.show, len(left))):
        own = (
            right[by_left[i]]["name"] + " | " + right[by_left[i]]["address"]
            if i in by_left
            else "-"
        )
        print(f"{left[i]} -> {own}")
    for name, pairs in relations.items():
        for i, j in sorted(pairs)[:2]:
            print(f"{name}: {left[i]['first_name']} {left[i]['last_name']} -> {right[j]}")


if __name__ == "__main__":
    main()
