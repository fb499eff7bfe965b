"""Turning one bulk row into what the index stores: parties (people and organisations, with
their names, employer, title and addresses), and for side files the addresses and other names
they add to a key. The manifest's values are compiled once per member (a CSV header resolved
to column positions), so a row costs a few list lookups.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from skiptrace.index.manifest import AddressSpec, Condition, FileSpec, RecordSpec, Value
from skiptrace.index.reading import Header, Row
from skiptrace.normalize import parse_name
from skiptrace.records import Address

Getter = Callable[[Row], str]
Joined = Mapping[str, Mapping[str, str]]
"""A joined member's rows by the value of its ``on`` column."""


@dataclass(frozen=True)
class Place:
    role: str
    lines: tuple[str, ...]
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""

    def __bool__(self) -> bool:
        return any((*self.lines, self.city, self.postcode))

    def address(self) -> Address:
        return Address(self.lines, self.city, self.region, self.postcode, self.country)


@dataclass(frozen=True)
class Party:
    """A person or an organisation one row describes."""

    part: str
    kind: str
    name: str
    """As the source printed it, for people to read."""
    first: str = ""
    middle: str = ""
    last: str = ""
    suffix: str = ""
    employer: str = ""
    employer_ref: str = ""
    employer_source: str = ""
    title: str = ""
    places: tuple[Place, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    """What one row gives: parties under ``key``, or a side file's places and other names."""

    key: str
    updated: str
    parties: tuple[Party, ...] = ()
    places: tuple[Place, ...] = ()
    aliases: tuple[str, ...] = ()


class Decoder:
    """Values as text: whitespace collapsed, and bytes that were not valid in the file's
    encoding decoded with the fallback codec (NPPES: cp1252), counted by row."""

    def __init__(self, fallback: str) -> None:
        self.fallback = fallback
        self.rows_fixed = 0
        self._fixed_this_row = False

    def start_row(self) -> None:
        self._fixed_this_row = False

    def clean(self, value: str) -> str:
        if not value or _plain(value):
            return value
        if not value.isascii() and _SURROGATE.search(value):
            if _ESCAPED.search(value):
                value = _ESCAPED.sub(self._decode, value)
                if not self._fixed_this_row:
                    self._fixed_this_row = True
                    self.rows_fixed += 1
            value = _SURROGATE.sub("\ufffd", value)  # a JSON "\ud800": no text can hold it
        return " ".join(value.split())

    def _decode(self, bytes_read: re.Match[str]) -> str:
        """Bytes that were not valid in the file's encoding, with the fallback codec; only
        them (a value may hold valid UTF-8 beside them)."""
        raw = bytes_read.group().encode("utf-8", "surrogateescape")
        return raw.decode(self.fallback or "utf-8", "replace")


def _plain(value: str) -> bool:
    """A non-empty value already clean, as most are: ASCII, no whitespace but single spaces
    between words."""
    return (value.isascii() and value.isprintable() and value[0] != " " and value[-1] != " "
            and "  " not in value)  # fmt: skip


_ESCAPED = re.compile("[\udc80-\udcff]+")
"""Bytes ``surrogateescape`` kept (reading.py decodes so when a source has a fallback)."""
_SURROGATE = re.compile("[\ud800-\udfff]")


class NoKey(ValueError):
    """A row that names someone but has no key: it cannot be stored, so it is reported, not
    dropped."""


class Mapper:
    """One file spec compiled for one member (its header, if CSV, and its joined rows)."""

    def __init__(
        self, spec: FileSpec, header: Header | None, joined: Joined | None, decoder: Decoder
    ) -> None:
        self.spec, self._header, self._joined, self._decoder = spec, header, joined, decoder
        self.missing: set[str] = set()
        """Columns the manifest names that this member's header lacks (read as empty)."""
        self._read: set[int] = set()
        """The header positions the manifest reads (cleaned when a row is not plain)."""
        self._pick: Callable[[list[str]], Sequence[str]] | None = None
        self._key = self._value(spec.key)
        self._updated = self._value(spec.updated)
        self._skip = [self._test(c) for c in spec.skip]
        self._records = [(r, [self._test(c) for c in r.when], self._party(r)) for r in spec.records]
        self._places = [self._place(a) for a in spec.addresses]
        self._aliases = [self._value(a) for a in spec.aliases]

    def entry(self, row: Row) -> Entry | None:
        """The row's entry; None when a ``skip`` test holds or it gives nothing to store (a
        closing totals line); NoKey if it gives something but has no key to store it under."""
        self._decoder.start_row()
        if self._header is not None:
            row = self._clean(row)
        if any(test(row) for test in self._skip):
            return None
        key = self._key(row)
        found = []
        for _, when, make in self._records:
            if all([test(row) for test in when]) and (party := make(row)) is not None:
                found.append(party)
        parties = tuple(found)
        places = tuple([p for make in self._places if (p := make(row))])
        aliases = tuple([a for get in self._aliases if (a := get(row))])
        if not key:
            if parties or places or aliases:
                raise NoKey(f"no key ({' '.join(self.spec.key)} is empty)")
            return None
        return Entry(key, _date(self._updated(row), self.spec.updated_format), parties,
                     places, aliases)  # fmt: skip

    def _clean(self, row: Row) -> Row:
        """A CSV row with the values read cleaned; most rows are plain (ASCII, no whitespace
        but single spaces between words), which one look at the row as a whole tells."""
        assert isinstance(row, list)
        if self._pick is None:  # the positions read are known once every getter is built
            positions = sorted(self._read)
            self._pick = (lambda r: [r[positions[0]]]) if len(positions) == 1 else (
                itemgetter(*positions) if positions else (lambda r: []))  # fmt: skip
        whole = "|".join(self._pick(row))  # the values read, not all 330 NPPES columns
        if not whole or (_plain(whole) and "| " not in whole and " |" not in whole):
            return row
        clean, row = self._decoder.clean, list(row)
        for index in self._read:
            row[index] = clean(row[index])
        return row

    def _party(self, spec: RecordSpec) -> Callable[[Row], Party | None]:
        fields = ("name", "first", "middle", "last", "suffix", "employer", "employer_ref", "title")
        name_of, first_of, middle_of, last_of, suffix_of, employer_of, ref_of, title_of = (
            self._value(getattr(spec, name)) for name in fields
        )
        places = [self._place(a) for a in spec.addresses]
        aliases = [self._value(a) for a in spec.aliases]
        organisation = spec.kind == "organisation"

        def make(row: Row) -> Party | None:
            if organisation:
                name = name_of(row) or last_of(row)
                first = middle = last = suffix = ""
            elif last := last_of(row):
                first, middle, suffix = first_of(row), middle_of(row), suffix_of(row)
                name = " ".join([p for p in (first, middle, last, suffix) if p])
            else:
                name = name_of(row)
                first, middle, last, suffix = _split_name(name, spec.name_order)
            if not name:
                return None
            ref = ref_of(row)
            return Party(
                spec.part, spec.kind, name, first, middle, last, suffix, employer_of(row), ref,
                spec.employer_source if ref else "", title_of(row),
                tuple([p for make in places if (p := make(row))]),
                tuple([a for g in aliases if (a := g(row)) and a != name]),
            )  # fmt: skip

        return make

    def _place(self, spec: AddressSpec) -> Callable[[Row], Place]:
        lines = [self._value(v) for v in spec.lines]
        city, region = self._value(spec.city), self._value(spec.region)
        postcode, country = self._value(spec.postcode), self._value(spec.country)

        def make(row: Row) -> Place:
            return Place(spec.role, tuple([x for g in lines if (x := g(row))]), city(row),
                         region(row), postcode(row), country(row))  # fmt: skip

        return make

    def _test(self, condition: Condition) -> Callable[[Row], bool]:
        get = self._value(condition.value)
        if condition.matches is not None:
            search = condition.matches.search
            return lambda row: search(get(row)) is not None
        if condition.equals:
            allowed = frozenset(condition.equals)
            return lambda row: get(row) in allowed
        refused = frozenset(condition.not_equals)
        return lambda row: get(row) not in refused

    def _value(self, value: Value) -> Getter:
        if not value:
            return lambda row: ""
        if value[0].startswith("="):
            literal = value[0][1:]
            return lambda row: literal
        getters = [self._column(c) for c in value]
        if len(getters) == 1:
            return getters[0]
        return lambda row: " ".join(x for g in getters if (x := g(row)))

    def _column(self, name: str) -> Getter:
        clean = self._decoder.clean
        join = self.spec.join
        if join is not None and name.startswith(join.alias + ".") and self._joined is not None:
            on, column, table = self._column(join.on), name[len(join.alias) + 1 :], self._joined
            return lambda row: clean(str(table.get(on(row), {}).get(column, "")))
        if self._header is not None:
            index = self._header.index.get(name)
            if index is None:
                self.missing.add(name)
                return lambda row: ""
            self._read.add(index)
            return itemgetter(index)  # cleaned with its row
        path = name.split(".")
        return lambda row: clean(_json_text(_dig(row, path)))


def _dig(doc: Any, path: Sequence[str]) -> Any:
    for step in path:
        if isinstance(doc, Mapping):
            doc = doc.get(step)
        elif isinstance(doc, list) and step.isdigit() and int(step) < len(doc):
            doc = doc[int(step)]
        else:
            return None
    return doc


def _json_text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _split_name(name: str, order: str) -> tuple[str, str, str, str]:
    """first, middle, last, suffix of a name printed in one column (lower-case, folded)."""
    if order == "last-first" and "," not in name:
        words = name.split()
        name = f"{words[0]}, {' '.join(words[1:])}" if len(words) > 1 else name
    parsed = parse_name(name)
    return parsed.first, parsed.middle, parsed.last, parsed.suffix


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_US_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


def _date(value: str, fmt: str) -> str:
    """An ISO date (``YYYY-MM-DD``), or "" when ``value`` is empty or not a date; parsed once
    per value, but a value longer than a date and its time is not kept (a hostile file's
    values of 1 MB would be held 16,384 at a time)."""
    return (_parsed if len(value) <= 64 else _parse)(value, fmt)


def _parse(value: str, fmt: str) -> str:
    if not value:
        return ""
    try:
        if fmt == "%m/%d/%Y" and _US_DATE.fullmatch(value):  # NPPES's; strptime is slow
            return date(int(value[6:]), int(value[:2]), int(value[3:5])).isoformat()
        if not fmt:
            found = _ISO_DATE.match(value)
            return date.fromisoformat(found.group(0)).isoformat() if found else ""
        return datetime.strptime(value, fmt).date().isoformat()
    except ValueError:  # "2025-13-45": compared as text, it would outrank every real date
        return ""


_parsed = lru_cache(maxsize=16384)(_parse)  # a file holds a few thousand days at most
