"""Records in, comparable columns out: each field normalised once per record, not per pair.

A record is a mapping of canonical debtor fields (first_name, last_name, full_name, address,
address2, city, state, zip, phone, email, employer, dob...). The result is one numpy array of
strings per comparable column, "" where the record has no value: the comparisons then run on
whole columns at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from skiptrace.normalize import (
    canonical_first,
    normalize_company,
    normalize_email,
    normalize_phone,
    normalize_state,
    normalize_zip,
    parse_name,
)

COLUMNS = (
    "first", "first_raw", "last", "suffix", "street", "number", "city", "state", "zip",
    "phone", "email", "employer", "dob",
)  # fmt: skip
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NUMBER = re.compile(r"^\d+[a-z]?$")

Column = npt.NDArray[np.str_]


@dataclass(frozen=True)
class Table:
    """Comparable columns of one side, all the same length."""

    columns: Mapping[str, Column]

    def __len__(self) -> int:
        return len(self.columns["last"])

    def __getitem__(self, name: str) -> Column:
        return self.columns[name]


_STREET_WORDS = {
    "street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd", "drive": "dr",
    "lane": "ln", "court": "ct", "place": "pl", "terrace": "ter", "circle": "cir",
    "circuit": "cir", "crescent": "cres", "highway": "hwy", "parkway": "pkwy", "square": "sq",
    "north": "n", "south": "s", "east": "e", "west": "w", "suite": "ste", "apartment": "apt",
    "floor": "fl", "room": "rm", "unit": "unit", "building": "bldg", "mount": "mt",
}  # fmt: skip


@lru_cache(maxsize=1 << 16)
def fold_street(text: str) -> str:
    """A street line folded for comparison: USPS abbreviations, no punctuation. Cheap on
    purpose: it runs for every record of a file, where a full address parse would not pay."""
    return " ".join(_STREET_WORDS.get(word, word) for word in fold(text).split(" ") if word)


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: diacritics and punctuation gone."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(_NOT_WORD.sub(" ", plain.lower().replace("'", "")).split())


def prepare(records: Sequence[Mapping[str, str]]) -> Table:
    """The comparable columns of ``records``."""
    rows = [_row(record) for record in records]
    return Table({name: np.array([row[i] for row in rows], dtype=np.str_)
                  for i, name in enumerate(COLUMNS)})  # fmt: skip


def _value(record: Mapping[str, str], name: str) -> str:
    value = record.get(name)
    return value.strip() if isinstance(value, str) else ""


def _row(record: Mapping[str, str]) -> tuple[str, ...]:
    first, last, suffix = fold(_value(record, "first_name")), fold(_value(record, "last_name")), ""
    if not (first or last) and _value(record, "full_name"):
        name = parse_name(_value(record, "full_name"))
        first, last, suffix = name.first, name.last, name.suffix
    suffix = fold(_value(record, "suffix")) or suffix
    first = first.split(" ")[0] if first else ""
    street = fold_street(_value(record, "address"))
    tokens = street.split(" ")
    number = tokens[0] if tokens and _NUMBER.match(tokens[0]) else ""
    return (
        canonical_first(first) if first else "",
        first,
        last,
        suffix,
        street,
        number,
        fold(_value(record, "city")),
        normalize_state(_value(record, "state")),
        normalize_zip(_value(record, "zip")),
        normalize_phone(_value(record, "phone")),
        normalize_email(_value(record, "email")),
        normalize_company(_value(record, "employer")),
        "".join(ch for ch in _value(record, "dob") if ch.isdigit()),
    )
