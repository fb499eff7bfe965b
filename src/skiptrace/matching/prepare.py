"""Records in, comparable columns out: each field normalised once per record, not per pair.

A record is a mapping of canonical debtor fields (first_name, last_name, full_name, address,
address2, city, state, zip, phone, email, employer, dob...). The result is one numpy array of
strings per comparable column, "" where the record has no value: the comparisons then run on
whole columns at once.
"""

from __future__ import annotations

import re
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
    normalize_street,
    normalize_uk_postcode,
    normalize_zip,
    parse_name,
)
from skiptrace.normalize._text import to_ascii
from skiptrace.normalize.names import canonical_suffix, is_honorific

COLUMNS = (
    "first", "first_raw", "last", "suffix", "street", "street_name", "number", "address2",
    "city", "state", "zip", "phone", "email", "employer", "dob",
)  # fmt: skip
_FIELDS = (
    "first_name", "last_name", "full_name", "suffix", "address", "address2", "city", "state",
    "zip", "phone", "email", "employer", "dob",
)  # fmt: skip
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NUMBER = re.compile(r"^\d+[a-z]?$")

Column = npt.NDArray[np.object_]
"""Python strings in an object array: rapidfuzz and comparisons take them without copying."""


@dataclass(frozen=True)
class Table:
    """Comparable columns of one side, all the same length."""

    columns: Mapping[str, Column]

    def __len__(self) -> int:
        return len(self.columns["last"])

    def __getitem__(self, name: str) -> Column:
        return self.columns[name]


@lru_cache(maxsize=1 << 16)
def fold_street(text: str) -> str:
    """A street line folded for comparison, as the address normaliser spells it (a line in
    another script, which that drops, is only folded)."""
    return normalize_street(text) or fold(text)


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: diacritics ("Łukasz" is "lukasz")
    and punctuation gone. Text with no Latin letters at all is kept, lower-cased, as it is."""
    plain = to_ascii(text).lower().replace("'", "")
    folded = " ".join(_NOT_WORD.sub(" ", plain).split())
    return folded or " ".join(text.lower().split())


def prepare(records: Sequence[Mapping[str, str]]) -> Table:
    """The comparable columns of ``records``."""
    rows = [_row(record) for record in records]
    return Table({name: np.array([row[i] for row in rows], dtype=object)
                  for i, name in enumerate(COLUMNS)})  # fmt: skip


@lru_cache(maxsize=1 << 16)
def _postcode(text: str) -> str:
    """A US ZIP as its five digits, a UK postcode in its standard form, anything else folded
    (Australian, Canadian... postcodes are compared as they are written)."""
    return normalize_zip(text) or normalize_uk_postcode(text) or fold(text).replace(" ", "")


_state = lru_cache(maxsize=4096)(normalize_state)


def _text(value: object) -> str:
    """A field as text: numbers (a ZIP or phone read as int) count, missing values do not."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and value == value:  # NaN is not a value
        return str(int(value)) if float(value).is_integer() else str(value)
    return ""


_DATE = re.compile(r"(\d{1,4})\D+(\d{1,2})\D+(\d{1,4})")


@lru_cache(maxsize=1 << 16)
def _date(text: str) -> str:
    """A date as YYYYMMDD from 1980-01-02, 1980/1/2, 01/02/1980 (US order) or 19800102."""
    digits = "".join(ch for ch in text if ch.isdigit())
    match = _DATE.search(text)
    if not match:
        return digits
    a, b, c = match.groups()
    year, month, day = (a, b, c) if len(a) == 4 else (c, a, b)
    return f"{int(year):04d}{int(month):02d}{int(day):02d}" if len(year) == 4 else digits


def _row(record: Mapping[str, str]) -> tuple[str, ...]:
    value = {n: _text(record.get(n)) for n in _FIELDS}
    first, last, suffix = fold(value["first_name"]), fold(value["last_name"]), ""
    if not (first or last) and value["full_name"]:
        name = parse_name(value["full_name"])
        first, last, suffix = fold(name.first), fold(name.last), name.suffix
    *rest, final = last.split(" ") if last else [""]
    if rest and canonical_suffix(final):  # "Smith Jr" in one column
        last, suffix = " ".join(rest), final
    suffix = fold(value["suffix"]) or suffix
    suffix = canonical_suffix(suffix) or suffix
    words = [w for w in first.split(" ") if w and not is_honorific(w)] if first else []
    first = words[0] if words else ""  # "Dr. Jane Q" in a first-name column is "jane"
    street = fold_street(value["address"])
    tokens = street.split(" ")
    number = tokens[0] if tokens and _NUMBER.match(tokens[0]) else ""
    return (
        canonical_first(first) if first else "",
        first,
        last,
        suffix,
        street,
        " ".join(tokens[1:]) if number else street,
        number,
        fold_street(value["address2"]),
        fold(value["city"]),
        _state(value["state"]) if value["state"] else "",
        _postcode(value["zip"]) if value["zip"] else "",
        normalize_phone(value["phone"]) if value["phone"] else "",
        normalize_email(value["email"]) if value["email"] else "",
        normalize_company(value["employer"]) if value["employer"] else "",
        _date(value["dob"]),
    )
