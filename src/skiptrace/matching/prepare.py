"""Records in, comparable columns out: each field normalised once per record, not per pair.

A record is a mapping of canonical debtor fields (first_name, middle_name, last_name, suffix,
full_name, address, address2, city, state, zip, phone, email, employer, dob). The result is one
numpy array of strings per comparable column, "" where the record has no value: the comparisons
then run on whole columns at once.

Registers print names and addresses in one column; both are read into parts here:

- ``full_name`` ("SMITH, JOHN A JR", "Dr. John A. Smith Jr.", "J. Q. Roe") is parsed with
  ``normalize.parse_name`` when first_name and last_name are both empty; a name that starts
  with a comma (", elton": no surname printed) is read as given names only.
- ``middle`` is the folded middle name(s) or initial ("a" for "SMITH, JOHN A JR"; "" when
  none): from middle_name, else the words after the first in first_name ("Jane Q"), else the
  parsed full_name. ``first`` is the first given name with nicknames made formal ("bob" is
  "robert"), ``first_raw`` the same word as written (folded).
- ``street_letters`` is the street name as printed, folded, without house number and spaces:
  what a street type glued on or misspelt ("shackletonicircuit", "duncan dtreet") is compared
  on; ``address2_letters`` the second line the same way (a register may print the street
  there and a building name first).
- A one-line ``address`` ("12 Oak St Apt 4B, Springfield, IL 62704-1234", "24 luehmann
  street, tawonga rdside, rose bay WA 2350") is read with ``normalize.parse_one_line`` when the
  record's city, state or zip is empty: its line gives street/number, a middle segment gives
  address2 (when that field is empty) and its city, region and postcode fill whichever of
  city/state/zip are empty. Fields given separately always win. Text without a recognisable
  tail (no postcode, no region) stays a street line, as before.

Every distinct value is parsed once: the parsers are ``lru_cache``-d on the raw text. Each field
is cut to ``MAX_FIELD`` characters first, so a hostile 100 kB name or address costs what a
1 kB one does.
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
    parse_one_line,
)
from skiptrace.normalize._text import to_ascii
from skiptrace.normalize.names import canonical_suffix, is_honorific

COLUMNS = (
    "first", "first_raw", "middle", "last", "suffix", "street", "street_letters", "street_name",
    "number", "address2", "address2_letters", "city", "state", "zip", "phone", "email",
    "employer", "dob",
)  # fmt: skip
_FIELDS = (
    "first_name", "middle_name", "last_name", "full_name", "suffix", "address", "address2",
    "city", "state", "zip", "phone", "email", "employer", "dob",
)  # fmt: skip
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NUMBER = re.compile(r"^\d+[a-z]?$")
MAX_FIELD = 1000
"""Characters of a field that are read; the rest of a longer (hostile) value is cut."""

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
        return value[:MAX_FIELD].strip()
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


def _name(value: Mapping[str, str]) -> tuple[str, str, str, str]:
    """(first words, middle, last, suffix) of a record, folded; first words still hold any
    honorific and middle names given in the first-name column."""
    first, last, suffix = fold(value["first_name"]), fold(value["last_name"]), ""
    middle = fold(value["middle_name"])
    if first and not middle:  # "Dr. Jane Q" in a first-name column: "q" ("Jean-Luc": none)
        given = [w for w in value["first_name"].replace(".", " ").split() if fold(w)]
        given = [w for w in given if not is_honorific(fold(w))]
        middle = fold(" ".join(given[1:]))
    if not (first or last) and value["full_name"]:
        text = value["full_name"]
        if text.startswith(","):  # ", elton": the surname is missing, the rest is given names
            name = parse_name(text.lstrip(", "))
            first = fold(name.first or name.last)
            middle = middle or fold(name.middle or (name.last if name.first else ""))
            suffix = name.suffix
        else:
            name = parse_name(text)
            first, last, suffix = fold(name.first), fold(name.last), name.suffix
            middle = middle or fold(name.middle)
    return first, middle, last, suffix


def _address(value: dict[str, str]) -> None:
    """Fill address/address2/city/state/zip of ``value`` from a one-line address (in place)."""
    if not value["address"] or (value["city"] and value["state"] and value["zip"]):
        return
    parts = parse_one_line(value["address"])
    if not parts.tail:
        return
    value["address"] = parts.line()
    for field, part in (
        ("address2", parts.locality),
        ("city", parts.city),
        ("state", parts.region),
        ("zip", parts.postcode),
    ):
        value[field] = value[field] or part


@lru_cache(maxsize=1 << 16)
def _street_letters(line: str) -> str:
    """The street name as printed, folded, without its house number and spaces."""
    words = fold(line).split(" ")
    return "".join(words[1:] if _NUMBER.match(words[0]) else words)


def _row(record: Mapping[str, str]) -> tuple[str, ...]:
    value = {n: _text(record.get(n)) for n in _FIELDS}
    first, middle, last, suffix = _name(value)
    *rest, final = last.split(" ") if last else [""]
    if rest and canonical_suffix(final):  # "Smith Jr" in one column
        last, suffix = " ".join(rest), final
    suffix = fold(value["suffix"]) or suffix
    suffix = canonical_suffix(suffix) or suffix
    words = [w for w in first.split(" ") if w and not is_honorific(w)] if first else []
    first = words[0] if words else ""  # "Dr. Jane Q" in a first-name column is "jane"
    _address(value)
    street = fold_street(value["address"])
    tokens = street.split(" ")
    number = tokens[0] if tokens and _NUMBER.match(tokens[0]) else ""
    return (
        canonical_first(first) if first else "",
        first,
        middle,
        last,
        suffix,
        street,
        _street_letters(value["address"]),
        " ".join(tokens[1:]) if number else street,
        number,
        fold_street(value["address2"]),
        fold(value["address2"]).replace(" ", ""),
        fold(value["city"]),
        _state(value["state"]) if value["state"] else "",
        _postcode(value["zip"]) if value["zip"] else "",
        normalize_phone(value["phone"]) if value["phone"] else "",
        normalize_email(value["email"]) if value["email"] else "",
        normalize_company(value["employer"]) if value["employer"] else "",
        _date(value["dob"]),
    )
