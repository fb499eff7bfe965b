"""Records in, comparable columns out: each field normalised once per value, not per pair.

A record is a mapping of canonical debtor fields (first_name, middle_name, last_name, suffix,
full_name, address, address2, city, state, zip, phone, email, employer, dob, id_number). The
result is one numpy array of strings per comparable column, "" where the record has no value:
the comparisons then run on whole columns at once.

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

The work is done column by column, once per distinct value in a call (a dict over the column,
the results spread back over the records by numpy): a ZIP, city or first name shared by a
thousand records is normalised once; a name once per distinct (first, middle, last, full name,
suffix), with each first name, surname and full name read once; a street line "12 Oak St" as
its house number and the street after it, so the street is normalised once for all its houses.
A one-line address is parsed once per distinct text by ``parse_one_line``'s own cache. Each
field is cut to ``MAX_FIELD`` characters first, so a hostile 100 kB name or address costs what
a 1 kB one does.
"""

from __future__ import annotations

import numbers
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt

from skiptrace.matching.workers import aside
from skiptrace.normalize import (
    TOLL_FREE,
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
from skiptrace.normalize._address_parse import MAX_TEXT
from skiptrace.normalize._text import to_ascii
from skiptrace.normalize.names import canonical_suffix, is_honorific

COLUMNS = (
    "first", "first_raw", "middle", "last", "suffix", "styled", "given_rest", "street",
    "street_letters", "street_name",
    "number", "address2", "address2_letters", "city", "state", "zip", "phone", "email",
    "employer", "dob", "id_number",
)  # fmt: skip
FIELDS = (
    "first_name", "middle_name", "last_name", "full_name", "suffix", "address", "address2",
    "city", "state", "zip", "phone", "email", "employer", "dob", "id_number",
)  # fmt: skip
_NAME_FIELDS = ("first_name", "middle_name", "last_name", "full_name", "suffix")
_ADDRESS_FIELDS = ("address", "address2", "city", "state", "zip")
_Key = TypeVar("_Key", bound=Hashable)
_Value = TypeVar("_Value")
_Item = TypeVar("_Item")
_Told = TypeVar("_Told")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NUMBER = re.compile(r"^\d+[a-z]?$")
_HOUSE = re.compile(r"([0-9]+) +(.*)", re.DOTALL)
MAX_FIELD = 1000
"""Characters of a field that are read; the rest of a longer (hostile) value is cut."""

Column = npt.NDArray[np.object_]
"""Python strings in an object array: rapidfuzz and comparisons take them without copying."""


Codes = npt.NDArray[np.int32]
"""A column's values as their numbers in a ``Vocabulary``."""


class Vocabulary:
    """The distinct prepared values of one linking run, numbered ("" is 0): two values of any
    column, on either side, are equal exactly when their numbers are. Comparing 4-byte numbers
    in one array is what makes ``pairs.masks`` cheap: comparing the strings reads two
    objects scattered over memory for every pair. Each value is also kept once: a batch's copy
    of a value an earlier batch (or the other file) holds is dropped for that one.
    ``prepare_both`` numbers both sides in one, then drops it (the tables keep only its
    ``token``)."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {"": 0}
        self._values = np.array([""], dtype=object)  # by number; room past len(numbers)
        self.token = object()

    def number(self, values: list[str]) -> Codes:
        """Each value's number, new values numbered as they come."""
        numbers, before = self.numbers, len(self.numbers)
        setdefault = numbers.setdefault
        codes = np.array([setdefault(v, len(numbers)) for v in values], dtype=np.int32)
        if len(numbers) > before:  # the new values, each where it first came, by number
            _, first = np.unique(codes, return_index=True)
            first = first[codes[first] >= before]
            if len(numbers) > len(self._values):
                grown = np.empty(max(len(numbers), 2 * len(self._values)), dtype=object)
                grown[: len(self._values)] = self._values
                self._values = grown
            self._values[before : len(numbers)] = [values[k] for k in first.tolist()]
        return codes

    def compacted(self) -> Column:
        """Every value by number, each made afresh, and the vocabulary emptied. The values it
        kept were made among each batch's short-lived strings and lie scattered over memory
        (at 100k records a side, 15 MB of strings over 110 MB of pages): a forked worker
        (``workers``) copies each page it reads one on, and every worker reads most of them.
        Made again once the old ones are gone, they lie together (15 MB on 22 MB)."""
        values: list[str] = self._values[: len(self.numbers)].tolist()
        self.numbers, self._values = {"": 0}, np.array([""], dtype=object)
        ends = np.cumsum([len(v) for v in values]).tolist()
        joined = "".join(values)
        del values  # the vocabulary's last hold on the old strings
        starts = [0, *ends[:-1]]
        return np.array([joined[a:b] for a, b in zip(starts, ends, strict=True)], dtype=object)


@dataclass(frozen=True)
class Table:
    """Comparable columns of one side, all the same length."""

    columns: Mapping[str, Column]
    codes: Mapping[str, Codes] = field(default_factory=dict)
    """Every column's values as numbers in the vocabulary ``numbered_by`` names (empty for a
    table prepared without one: its columns are compared as strings)."""
    numbered_by: object = None
    """The ``Vocabulary.token`` of the numbers in ``codes``: two tables' numbers compare only
    when it is the same."""

    def __len__(self) -> int:
        return len(self.columns["last"])

    def __getitem__(self, name: str) -> Column:
        return self.columns[name]


def codes_of(table: Table, column: str) -> Codes:
    """A column's values as numbers, "" as 0, equal where the values are: the table's own
    (``Table.codes``), else numbered here."""
    if column in table.codes:
        return table.codes[column]
    return Vocabulary().number(table[column].tolist())


def numbered_alike(left: Table, right: Table) -> bool:
    """Whether the two tables' ``codes`` are numbers of one vocabulary."""
    return left.numbered_by is not None and left.numbered_by is right.numbered_by


@lru_cache(maxsize=1 << 16)
def fold_street(text: str) -> str:
    """A street line folded for comparison, as the address normaliser spells it (a line in
    another script, which that drops, is only folded)."""
    return normalize_street(text) or fold(text)


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: diacritics ("Łukasz" is "lukasz")
    and punctuation gone. Text with no Latin letters at all is kept, lower-cased, as it is."""
    return _latin(text) or " ".join(text.lower().split())


def _latin(text: str) -> str:
    """``fold`` without its fallback: "" for text with no Latin letters or digits."""
    plain = to_ascii(text).lower().replace("'", "")
    return " ".join(_NOT_WORD.sub(" ", plain).split())


Fields = dict[str, list[str]]
"""Records as columns: each of ``FIELDS``, the records' text (``texts``), one per record."""


def fields_of(records: Sequence[Mapping[str, object]]) -> Fields:
    """``records`` as ``Fields``."""
    return {name: texts(records, name) for name in FIELDS}


def prepare(records: Sequence[Mapping[str, str]]) -> Table:
    """The comparable columns of ``records``, compared as strings (``prepare_records`` numbers
    two sides' values alike)."""
    pairs = zip(COLUMNS, parse_fields(fields_of(records)), strict=True)
    return Table({name: np.array(results, dtype=object)[at] for name, (at, results) in pairs})


Parsed = list[tuple[npt.NDArray[np.intp], list[str]]]
"""One batch's columns, in ``COLUMNS`` order, each as the results for its distinct values
and, per record, which of them is the record's: all of preparing them but the numbering, in
a form small enough to send from a worker process."""


def parse_fields(fields: Fields) -> Parsed:
    """``Parsed`` of records given as ``Fields`` (``fields`` is changed: read addresses fill
    their parts)."""
    _fill_addresses(fields)
    names = Distinct(list(zip(*(fields[n] for n in _NAME_FIELDS), strict=True)))
    streets, address2 = Distinct(fields["address"]), Distinct(fields["address2"])
    # each column's results for its field's distinct values, beside those values
    parsed: list[tuple[Distinct[Any], list[str]]] = [
        *((names, results) for results in names.parsed(_Names(), 7)),
        *((streets, results) for results in streets.parsed(_Streets(), 4)),
        *((address2, results) for results in address2.parsed(_address2, 2)),
    ]
    for field_name, parse in _SINGLE:
        single = Distinct(fields[field_name])
        parsed.append((single, single.parsed(parse, 1)[0]))
    return [(d.codes, results) for d, results in parsed]


def _numbers(parsed: Parsed, vocabulary: Vocabulary) -> dict[str, Codes]:
    """A ``Parsed`` batch's columns as their values' numbers in ``vocabulary``."""
    return {column: vocabulary.number(results)[positions]
            for column, (positions, results) in zip(COLUMNS, parsed, strict=True)}  # fmt: skip


BATCH = 100_000
"""Records prepared at once (``field_batches``): a large file's records themselves (several
times the size of their prepared columns) are never all held at once."""


def batched(items: Iterable[_Item], size: int | None = None) -> Iterator[list[_Item]]:
    """``items`` in lists of ``size`` (``BATCH``; the last one shorter; one empty list for no
    items)."""
    size = size or BATCH
    pending: list[_Item] = []
    started = False
    for item in items:
        pending.append(item)
        if len(pending) == size:
            yield pending
            pending, started = [], True
    if pending or not started:
        yield pending


def field_batches(
    records: Iterable[Mapping[str, object]], batch: int | None = None
) -> Iterator[Fields]:
    """Records read one by one (a million-row file) as ``Fields`` of ``batch`` records each."""
    return (fields_of(records) for records in batched(records, batch))


Reader = Callable[[], tuple[Iterable[Fields], Callable[[], _Told]]]
"""One side's records, read afresh at each call: its batches of ``Fields``, and what reading
them told besides (the command line's record ids and bad rows), asked once they are read or
reading them failed."""


def prepare_both(
    left: Iterable[Fields],
    right: Reader[_Told],
    heard: Callable[[_Told], None],
    workers: int = 0,
) -> tuple[Table, Table]:
    """Both sides of a link, the left given as batches of ``Fields`` (``field_batches``), the
    right as a ``Reader``, prepared and numbered in one ``Vocabulary``, which is dropped on
    return (the tables keep its numbers and its values, made afresh by
    ``Vocabulary.compacted``, not its dict). What reading the right side told goes to
    ``heard``, before an error reading it raised is raised here. With ``workers``, the right
    side is read and prepared in a worker process (``workers.aside``) while this one reads
    and prepares the left: reading a file is one process's work, so each file has its own."""
    vocabulary = Vocabulary()
    if workers:
        with aside(_parsed, None, right) as right_parsed:
            left_codes = [_numbers(parse_fields(fields), vocabulary) for fields in left]
            parsed, error, told = right_parsed()
        heard(told)
        if error is not None:
            raise error
        parsed.reverse()  # numbered first to last, each batch let go once numbered
        right_codes = [_numbers(parsed.pop(), vocabulary) for _ in range(len(parsed))]
    else:  # read here, each batch numbered as it comes
        left_codes = [_numbers(parse_fields(fields), vocabulary) for fields in left]
        batches, told_by = right()
        try:
            right_codes = [_numbers(parse_fields(fields), vocabulary) for fields in batches]
        finally:
            heard(told_by())
    values = vocabulary.compacted()
    return (_of_codes(left_codes, values, vocabulary.token),
            _of_codes(right_codes, values, vocabulary.token))  # fmt: skip


def prepare_records(
    left: Sequence[Mapping[str, str]],
    right: Sequence[Mapping[str, str]],
    workers: int = 0,
    batch: int | None = None,
) -> tuple[Table, Table]:
    """``prepare_both`` of records in memory, ``batch`` at a time."""
    return prepare_both(field_batches(left, batch), partial(_in_memory, right, batch), _ignored,
                        workers)  # fmt: skip


def _in_memory(
    records: Sequence[Mapping[str, str]], batch: int | None
) -> tuple[Iterator[Fields], Callable[[], None]]:
    """``Reader`` of records in memory: nothing told besides them."""
    return field_batches(records, batch), lambda: None


def _ignored(_: None) -> None:
    """Reading records in memory tells nothing (``_in_memory``)."""


def _parsed(_: None, read: Reader[_Told]) -> tuple[list[Parsed], Exception | None, _Told]:
    """A side read afresh and parsed (``parse_fields``), or the error that stopped reading
    it, and what reading it told either way."""
    batches, told = read()
    try:
        return [parse_fields(fields) for fields in batches], None, told()
    except Exception as error:  # raised by prepare_both once what was told is heard
        return [], error, told()


def _of_codes(parts: list[dict[str, Codes]], values: Column, token: object) -> Table:
    """One side's batches, given as their columns' numbers, as one Table of ``values``."""
    codes = {name: np.concatenate([part[name] for part in parts]) for name in COLUMNS}
    return Table({name: values[numbers] for name, numbers in codes.items()}, codes, token)


class Distinct(Generic[_Key]):
    """A column's distinct values, and per record the position of its value among them: each
    distinct value is normalised once per call (a dict here, not an ``lru_cache`` that a million
    distinct streets would thrash), the result spread back over the records by numpy."""

    def __init__(self, values: Sequence[_Key]) -> None:
        position: dict[_Key, int] = {}
        self.codes = np.array([position.setdefault(v, len(position)) for v in values], np.intp)
        self.values = list(position)

    def parsed(self, parse: Callable[[_Key], tuple[str, ...] | str], width: int) -> list[list[str]]:
        """The ``width`` results ``parse`` gives for each distinct value (a string when 1)."""
        results: list[Any] = [parse(value) for value in self.values]
        if width == 1:
            return [results]
        return [[r[i] for r in results] for i in range(width)]

    def column(self, parse: Callable[[_Key], str]) -> Column:
        """The column ``parse`` gives for each value, one row per record."""
        return self.spread([parse(value) for value in self.values])

    def spread(self, results: list[str] | npt.NDArray[Any]) -> npt.NDArray[Any]:
        """Each distinct value's result put in the rows of the records that hold the value."""
        if isinstance(results, list):
            results = np.array(results, dtype=object)
        return results[self.codes]


def _postcode(text: str) -> str:
    """A US ZIP as its five digits, a UK postcode in its standard form, anything else folded
    (Australian, Canadian... postcodes are compared as they are written)."""
    return normalize_zip(text) or normalize_uk_postcode(text) or fold(text).replace(" ", "")


def texts(records: Sequence[Mapping[str, object]], name: str) -> list[str]:
    """The field ``name`` of each record as text, cut to ``MAX_FIELD`` characters and stripped."""
    values = [record.get(name) for record in records]
    return [v[:MAX_FIELD].strip() if isinstance(v, str) else "" if v is None else _not_text(v)
            for v in values]  # fmt: skip


def _not_text(value: object) -> str:
    """A field that is not text as text: numbers (a ZIP or phone read as int, numpy's too)
    and dates (a birth date as ``date``, ``datetime`` or pandas' ``Timestamp``, as its ISO
    day) count; missing values (None, NaN, NaT) do not. A date object had been no date."""
    if isinstance(value, date):
        return value.isoformat()[:10] if value == value else ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, numbers.Integral):  # exactly: through a float, 17 digits and more
        whole = int(value)  # came back changed, and one past 1e308 was an OverflowError
        return str(whole) if whole.bit_length() <= _MOST_BITS else ""
    if isinstance(value, numbers.Real) and value == value:
        try:
            number = float(value)
        except OverflowError:  # a Fraction past 1e308: no ZIP, phone or date
            return ""
        return str(int(number)) if number.is_integer() else str(value)
    return ""


_MOST_BITS = 3 * MAX_FIELD
"""The largest integer read as a field: under ``MAX_FIELD`` digits (and Python's limit on
writing an int as text, 4,300), a field's most; a larger one is no value a field holds."""


_DATE = re.compile(r"(\d{1,4})\D+(\d{1,2})\D+(\d{1,4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATE_PARTS = re.compile(r"[a-z]+|\d+")
_MONTH_ONLY = re.compile(r"(\d{4})[-/.](\d{1,2})|(\d{1,2})[-/.](\d{4})")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: n for n, name in enumerate(_MONTH_NAMES, 1)}
_NOT_MONTHS = frozenset({"st", "nd", "rd", "th", "of", "the", "mon", "tue", "tues", "wed", "thu",
                         "thur", "thurs", "fri", "sat", "sun", "monday", "tuesday", "wednesday",
                         "thursday", "friday", "saturday", "sunday"})  # fmt: skip
_TIME_OF_DAY = re.compile(
    r"[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
"""A time of day after a date, as exports of date-time columns write it."""


def _date(text: str) -> str:
    """A date as YYYYMMDD from 1980-01-02, 1980/1/2, 01/02/1980 and 1/2/80 (US order),
    19800102, "January 2, 1980" or 2-Jan-80; a year alone as YYYY; else "" (no date read):
    digits that are no date, or a month without its day, are never compared as one (1/12/58
    and 11/2/58 are not both "11258")."""
    text = _TIME_OF_DAY.sub("", text.strip())  # 3/4/1985 12:00:00 AM, 1985-03-04T00:00:00Z
    iso = _ISO_DATE.fullmatch(text)
    if iso:  # already in order, as the general reading below would give it
        return _valid(*iso.groups())
    whole = _SPREADSHEET_FLOAT.fullmatch(text)  # 19800102.0
    text = whole.group(1) if whole else text.lower()
    parts = _DATE_PARTS.findall(text)
    if any(part.isalpha() for part in parts):  # March 4, 1985; 4-Mar-85
        return _named_month(parts)
    digits = "".join(parts)
    match = _DATE.search(text)
    if not match:
        if len(digits) == 8:
            return _valid(digits[:4], digits[4:6], digits[6:])
        alone = _MONTH_ONLY.fullmatch(text.strip())  # 1985-06, 06/1985: YYYYMM
        if alone:
            year, number = alone.group(1) or alone.group(4), alone.group(2) or alone.group(3)
            return f"{year}{int(number):02d}" if 1 <= int(number) <= 12 else ""
        return digits if len(digits) == 4 else ""
    a, b, c = match.groups()
    year, month, day = (a, b, c) if len(a) == 4 else (_century(c), a, b)
    if int(month) > 12 >= int(day):  # 31.12.1999: only day first can read it
        month, day = day, month
    return _valid(year, month, day)


def _named_month(parts: list[str]) -> str:
    """YYYYMMDD from a date whose month is a word and its day and year numbers, or "" (a
    weekday, "of" and ordinal endings aside: "Monday, the 4th of March 1985")."""
    named = [part for part in parts if part.isalpha() and part not in _NOT_MONTHS]
    month = _MONTHS.get(named[0][:3], 0) if len(named) == 1 else 0
    numbers = [part for part in parts if part.isdigit()]
    if not month or len(numbers) != 2:
        return ""
    day, year = numbers if len(numbers[1]) == 4 or len(numbers[0]) < 4 else numbers[::-1]
    return _valid(_century(year), str(month), day)


def _century(year: str) -> str:
    """A two-digit birth year with its century: the later one that leaves its holder an adult
    (18) this year (58 is 1958, 05 is 2005 in 2026)."""
    if len(year) != 2:
        return year
    later = 2000 + int(year)
    return str(later if later <= date.today().year - 18 else later - 100)


def _valid(year: str, month: str, day: str) -> str:
    """YYYYMMDD, or "" if it is no calendar date (2/30/1980 too: it read as a date)."""
    try:
        date(int(year), int(month), int(day))
    except ValueError:  # no such day, or year 0
        return ""
    return f"{int(year):04d}{int(month):02d}{int(day):02d}" if len(year) == 4 else ""


MAX_ID = 20
"""The most letters and digits an identity number has; a longer value is something else."""
_MASKED = re.compile(r"[*#_\u2022]|[xX]{2,}|^[xX]|[xX][\s.\-]|[\s.\-][xX]")
"""Masking: "XXX-XX-6789", "X-X-6789", "X6789", "***-**-6789" (a trailing check letter, as
in "...002X", is part of a number)."""
_NOT_ONE_NUMBER = re.compile(r"[^0-9A-Za-z .\-]|\d\.\d+E\d|[A-Za-z]{3,}")
"""A cell holding more than a number: a label ("ssn: ...", "SSN 5012..."), a word, a formula,
two numbers ("... / ..."), a spreadsheet's exponent ("5.01235E+08": digits lost)."""
_SSN_SHAPED = re.compile(r"\d{3}[\s.\-]?\d{2}[\s.\-]?\d{4}")
_SPREADSHEET_FLOAT = re.compile(r"(\d+)\.0+")
_SPECIMEN_SSNS = frozenset({"078051120", "219099999"})
"""SSNs printed as specimens, which thousands then gave as their own: 078-05-1120 on the
wallet inserts of 1938, 219-09-9999 in a 1940 Social Security pamphlet."""
_RUNS = "0123456789012345678909876543210987654321"
"""Every run of consecutive digits, up and down, that a placeholder is typed as."""


_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-")
)
"""Dashes a word processor or a spreadsheet writes for a hyphen, read as one."""


def written_as_ssn(text: str) -> bool:
    """Whether ``text`` is nine digits written as an SSN is, with both of its separators
    (``123-45-6789``, ``123 45 6789``, ``123.45.6789``, an en dash for a hyphen). Nine digits
    run together are not (an account number is nine digits too)."""
    found = _SSN_SHAPED.fullmatch(text.strip().translate(_DASHES))
    return found is not None and len(found[0]) == 11


def letters_and_digits(text: str) -> str:
    """``text``'s letters and digits, upper-case: how identity numbers are compared."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _identifier(text: str) -> str:
    """An identity number (SSN, national insurance number...) as its letters and digits,
    upper-case: "501-23-4567" and "501 23 4567" are one number, and so is "501234567.0" (a
    spreadsheet's float). "" for what is not one person's number: a masked one (``_MASKED``:
    the digits left are not the number); a cell holding more than a number
    (``_NOT_ONE_NUMBER``; two SSN-shaped runs or two groups of five digits or more: two
    numbers); fewer than five characters or more than ``MAX_ID``, or fewer digits than
    letters; and a placeholder: a unit of one to three characters repeated (000000000,
    121212121), a run such as 123456789, or an SSN the SSA never issues (area 000 or 666,
    group 00, serial 0000). A value many records carry identifies none of them."""
    text = to_ascii(text).strip()
    text = _SPREADSHEET_FLOAT.sub(r"\1", text) if _SPREADSHEET_FLOAT.fullmatch(text) else text
    if _MASKED.search(text) or _NOT_ONE_NUMBER.search(text) or len(_SSN_SHAPED.findall(text)) > 1:
        return ""
    if sum(sum(ch.isdigit() for ch in group) >= 5 for group in text.split()) > 1:
        return ""
    value = letters_and_digits(text)
    digits = sum(ch.isdigit() for ch in value)
    never_issued = len(value) == 9 and value.isdigit() and (
        value[:3] in ("000", "666") or value[3:5] == "00" or value[5:] == "0000"
    )  # fmt: skip
    repeated = any(value == (value[:k] * len(value))[: len(value)] for k in (1, 2, 3))
    grouped = len(value) == 9 and all(len(set(part)) == 1
                                      for part in (value[:3], value[3:5], value[5:]))  # fmt: skip
    placeholder = repeated or value in _RUNS or never_issued or grouped or value in _SPECIMEN_SSNS
    shaped = 5 <= len(value) <= MAX_ID and digits * 2 >= len(value)
    return value if shaped and not placeholder else ""


class _Memo(dict[_Key, _Value]):
    """``parse`` of each key, computed the first time the key is looked up."""

    def __init__(self, parse: Callable[[_Key], _Value]) -> None:
        super().__init__()
        self.parse = parse

    def __missing__(self, key: _Key) -> _Value:
        value = self[key] = self.parse(key)
        return value


class _Names:
    """(first, first_raw, middle, last, suffix, styled, given_rest) of a record's first_name,
    middle_name, last_name, full_name and suffix; each distinct first name, full name and
    surname is read once per call."""

    def __init__(self) -> None:
        self.given = _Memo(_given)
        self.full = _Memo(_full_name)
        self.surnames = _Memo(_surname)
        self.firsts = _Memo(_first)
        self.styled = _Memo(_styled)
        self.rests = _Memo(_full_rest)

    def __call__(
        self, key: tuple[str, str, str, str, str]
    ) -> tuple[str, str, str, str, str, str, str]:
        first_name, middle_name, last_name, full_name, suffix_field = key
        first, given_middle, given_suffix = self.given[first_name]
        rest = _hyphened(first_name)
        last, suffix = fold(last_name), ""
        middle, middle_suffix = _generation(fold(middle_name))
        middle = middle or given_middle
        # the title may be written in any of the name's fields; a full name's beside the parts
        # only where it gives her given name ("Mr & Mrs Thomas Kowalski" beside Mary is hers)
        styled = any(self.styled[name] for name in (first_name, middle_name, last_name))
        if full_name and self.styled[full_name]:
            styled = styled or not (first or last) or self.full[full_name][0] == first
        if not (first or last) and full_name:
            first, full_middle, last, suffix = self.full[full_name]
            middle = middle or full_middle
            rest = self.rests[full_name]
        last, printed = self.surnames[last]
        suffix = fold(suffix_field) or printed or suffix or given_suffix or middle_suffix
        suffix = canonical_suffix(suffix) or suffix
        return (*self.firsts[first], middle, last, suffix, STYLED if styled else "", rest)


STYLED = "mrs"
"""The ``styled`` column of a name with a married woman's title ("Mrs. Thomas Kowalski",
"KOWALSKI, THOMAS (MRS)", and ``_TITLES``): she may be styled by her husband's names, so a
given name, middle name or suffix written there that agrees with another record's may be his,
not hers (``comparisons``). One that differs is someone else's either way."""

_TITLES = frozenset({"mrs", "ms", "miss", "mme", "madame", "sra", "frau"})
"""A woman's titles, folded: mail-merge tools write "Ms." for "Mrs."; "Mme" and "Sra." are
the French and Spanish forms. Where her own given name follows, counting it costs only a
match that nothing else corroborates (``medium``, not ``high``)."""


def _styled(name: str) -> bool:
    return not _TITLES.isdisjoint(fold(name).split(" "))


_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
"""``canonical_suffix`` values that name a generation (not "esq"): a form with no suffix
column gets them typed after the first or middle name ("John Jr")."""


def _generation(words: str) -> tuple[str, str]:
    """Folded name words without a generational suffix typed last ("john jr"), and that
    suffix."""
    *rest, final = words.split(" ")
    if rest or final:
        kind = canonical_suffix(final)
        if kind in _GENERATIONS:
            return " ".join(rest), kind
    return words, ""


def _given(first_name: str) -> tuple[str, str, str]:
    """A first-name column folded, the middle name(s) it holds ("Dr. Jane Q": "q";
    "Jean-Luc": none), and a generational suffix typed after them ("John Jr": "jr")."""
    given = [w for w in first_name.replace(".", " ").split() if fold(w)]
    given = [w for w in given if not is_honorific(fold(w))]
    middle, suffix = _generation(fold(" ".join(given[1:])))
    folded = fold(first_name)
    return (_generation(folded)[0] if suffix else folded), middle, suffix


def _hyphened(given: str) -> str:
    """The folded words after the first of a given name written as one word ("Jean-Luc":
    "luc"; a first-name column's "Dr. Mary-Ann Q": "ann"), "" for one of a single word: the
    ``given_rest`` column. Read by the first word alone (``first``), Min-jun and Min-seo Kim,
    Mary-Ann and Mary-Beth Smith were one name at their home (``comparisons``)."""
    words = [w for w in given.replace(".", " ").split() if fold(w) and not is_honorific(fold(w))]
    return " ".join(fold(words[0]).split(" ")[1:]) if words else ""


def _full_rest(text: str) -> str:
    """``_hyphened`` of a full name's given name ("KIM, MIN-SEO": "seo"); none for a name
    that starts with a comma (no surname printed: its given names are read loosely)."""
    return "" if text.startswith(",") else _hyphened(parse_name(text).first)


def _full_name(text: str) -> tuple[str, str, str, str]:
    """(first words, middle, last, suffix) of a full name, folded."""
    if text.startswith(","):  # ", elton": the surname is missing, the rest is given names
        name = parse_name(text.lstrip(", "))
        middle = fold(name.middle or (name.last if name.first else ""))
        return fold(name.first or name.last), middle, "", name.suffix
    name = parse_name(text)
    return fold(name.first), fold(name.middle), fold(name.last), name.suffix


def _surname(last: str) -> tuple[str, str]:
    """A folded surname without the generational suffix printed in it, and that suffix
    ("smith jr" is "smith" and "jr"), and without a woman's title written in it ("Kowalski
    (Mrs)": ``_styled`` reads the title; kept in, it made her surname a misprint of his)."""
    words = [word for word in last.split(" ") if word not in _TITLES] or last.split(" ")
    *rest, final = words
    return (" ".join(rest), final) if rest and canonical_suffix(final) else (" ".join(words), "")


def _first(words: str) -> tuple[str, str]:
    """(first, first_raw) of folded first words: the first word that is no honorific
    ("dr jane q" is "jane"), with its nickname made formal."""
    names = [w for w in words.split(" ") if w and not is_honorific(w)]
    first = names[0] if names else ""
    return canonical_first(first) if first else "", first


_NO_STREET = frozenset(
    fold(line)
    for line in ("N/A", "NA", "none", "null", "unknown", "address unknown", "unknown address",
                 "no address", "no fixed address", "NFA", "not available", "refused", "declined",
                 "transient", "homeless", "general delivery", "TBD", "same")
)  # fmt: skip
"""Street lines that say there is none: "N/A", "Transient", "General Delivery" (mail held at
a town's post office for whoever asks) are shared by everyone in a register without a home,
so two records agreeing on one say nothing of who they are."""


def _fill_addresses(fields: dict[str, list[str]]) -> None:
    """Fill address/address2/city/state/zip from one-line addresses (in place): a record's
    ``address`` is read as one line when its city, state or zip is empty (``parse_one_line``
    keeps its own cache, which counts each line parsed once)."""
    address, address2, city, state, zip_ = (fields[n] for n in _ADDRESS_FIELDS)
    for i, text in enumerate(address):
        if not text or (city[i] and state[i] and zip_[i]):
            continue
        parts = _one_line(text)
        if parts is not None:
            address[i] = parts[0]
            for column, part in zip((address2, city, state, zip_), parts[1:], strict=True):
                column[i] = column[i] or part


def _one_line(text: str) -> tuple[str, str, str, str, str] | None:
    """(line, locality, city, region, postcode) of a one-line address; None when it has no
    recognisable tail (no postcode, no region) and stays a street line."""
    parts = parse_one_line(text)
    if not parts.tail:
        return None
    return parts.line(), parts.locality, parts.city, parts.region, parts.postcode


def _street(line: str) -> tuple[str, str, str, str]:
    """(street, street_letters, street_name, number) of a street line; nothing for a line
    that says there is none (``_NO_STREET``)."""
    if len(line) <= 40 and fold(line) in _NO_STREET:
        return "", "", "", ""
    street = fold_street(line)
    tokens = street.split(" ")
    number = tokens[0] if _NUMBER.match(tokens[0]) else ""
    words = fold(line).split(" ")
    letters = "".join(words[1:] if _NUMBER.match(words[0]) else words)
    return street, letters, " ".join(tokens[1:]) if number else street, number


class _Streets:
    """``_street`` of the lines of one call, each distinct street once: a line "12 Oak St" is
    its house number and the normalised "Oak St", which a thousand houses share.

    That is the same result: normalize_street and fold read an ASCII number followed by spaces
    as a word of its own that nothing after it changes and that changes nothing after it
    (``test_prepare_columns`` checks it), and a line within ``MAX_TEXT`` is not cut.
    """

    def __init__(self) -> None:
        self.rests = _Memo(_rest)

    def __call__(self, line: str) -> tuple[str, str, str, str]:
        match = _HOUSE.fullmatch(line) if len(line) <= MAX_TEXT else None
        if match is None:
            return _street(line)
        number, rest = match.groups()
        name, letters = self.rests[rest]
        return f"{number} {name}" if name else number, letters, name, number


def _rest(rest: str) -> tuple[str, str]:
    """The street after a house number: normalised, and its letters without spaces."""
    return normalize_street(rest), _latin(rest).replace(" ", "")


def _address2(line: str) -> tuple[str, str]:
    """(address2, address2_letters): the second line folded, and its letters without spaces."""
    return fold_street(line), fold(line).replace(" ", "")


def _unless_empty(parse: Callable[[str], str]) -> Callable[[str], str]:
    """``parse``, except that an empty field stays empty without being parsed."""
    return lambda text: parse(text) if text else ""


_DIALLED_RUNS = frozenset({"1234567890", "0123456789", "9876543210", "0987654321"})
"""Ten digits typed as a run along the keypad: no one's number (234-567-8901 may be)."""


def _phone(text: str) -> str:
    """``normalize_phone``, and "" for a placeholder no one answers: one digit throughout
    (999-999-9999, 000-000-0000) or a run (123-456-7890); and for a number that is nobody's
    own: toll-free (``TOLL_FREE``) or directory assistance (NPA-555-1212). A number no North
    American line can hold ("02 4011 9435") stays: a register abroad, read with the US
    default, still prints each record's own number the same way."""
    number = normalize_phone(text)
    national = number[2:] if number.startswith("+1") else number[1:]
    if number.startswith("+1") and (national[:3] in TOLL_FREE or national[3:] == "5551212"):
        return ""  # a company's line, or directory assistance: nobody's own
    return "" if len(set(national)) <= 1 or national in _DIALLED_RUNS else number


_NO_MAILBOX = frozenset({"none", "noemail", "nomail", "noreply", "no-reply", "donotreply", "na",
                         "null", "unknown", "nobody", "noone", "test"})  # fmt: skip
"""Local parts and domain names (before the top-level domain) typed where a form wanted an
e-mail address and there was none: none@none.com, noemail@gmail.com, test@test.com."""


_NO_LOCAL_PART = frozenset({"no", "x", "xx", "xxx", "email", "declined", "decline", "refused",
                            "donthave", "donthaveone", "nothing", "customer",
                            "noaddress"})  # fmt: skip
"""Local parts only a form's filler has (x@x.com, email@email.com, declined@gmail.com); as
domains some are real providers (email.com), so they blank an address only before the @."""


def _email(text: str) -> str:
    """``normalize_email``, and "" for a placeholder (``_NO_MAILBOX``, ``_NO_LOCAL_PART``)."""
    address = normalize_email(text)
    local, _, domain = address.partition("@")
    labels = domain.split(".")  # none.com, not na.jnj.com (a region's mail server)
    filler = local in _NO_MAILBOX or local in _NO_LOCAL_PART
    return "" if filler or (len(labels) == 2 and labels[0] in _NO_MAILBOX) else address


_NO_EMPLOYER = frozenset(
    normalize_company(word)
    for word in ("none", "n/a", "na", "nil", "null", "unknown", "not applicable", "retired",
                 "ret", "unemployed", "not employed", "not working", "no employer",
                 "none listed", "self employed", "self emp", "self", "owner", "student",
                 "homemaker", "housewife", "disabled", "disability", "ssi", "ssdi", "laborer",
                 "x", "xx", "xxx")
)  # fmt: skip
"""What a form's employer field holds when there is no employer: shared by millions, so two
people agreeing on it says nothing of who they are."""


_CROWD_NAMES = frozenset(
    normalize_company(name)
    for name in ("Walmart", "Walmart Stores", "Walmart Associates", "Sam's Club", "Amazon",
                 "Amazon.com", "Amazon.com Services", "Amazon Logistics", "USPS",
                 "US Postal Service", "Army", "Navy", "Air Force", "Marine Corps",
                 "Home Depot", "The Home Depot", "Kroger", "Starbucks", "McDonald's",
                 "Walgreens", "CVS", "CVS Health", "CVS Pharmacy", "FedEx", "FedEx Ground",
                 "UPS", "United Parcel Service", "Lowe's", "Lowe's Home Improvement", "Costco",
                 "Costco Wholesale", "Wells Fargo", "Wells Fargo Bank", "JPMorgan Chase",
                 "JP Morgan Chase", "JPMorgan Chase Bank", "JP Morgan Chase Bank", "Chase",
                 "Chase Bank", "Bank of America", "IBM", "Accenture", "Allied Universal", "TJX",
                 "Publix", "Albertsons", "Dollar General", "Dollar Tree", "Uber", "Lyft",
                 "DoorDash", "Kaiser Permanente", "HCA Healthcare", "Marriott",
                 "Marriott International", "Target", "Target Stores", "Yum Brands", "PepsiCo",
                 "General Motors", "Ford Motor", "Veterans Affairs")
)  # fmt: skip
_CROWD_PATTERN = re.compile(
    r"^(?:state|county|city|commonwealth|town|village|borough) of |\bdep(?:artmen)?t of\b"
    r"|^(?:us|u s|united states) (?:army|navy|air force|marine|coast guard|postal|dep|gov)"
    r"|^wal ?mart\b|\bcounty$|\bpublic schools$|\bschool district$|\bveterans affairs$"
)
"""Employers of crowds (over 100,000 US staff each, or public bodies: a state, a county, a
city, a department, the armed forces, a school district): John Smith at Walmart is one of
hundreds, so the employer is no evidence there, for or against. Names are matched whole, but
for public bodies' shapes (``_CROWD_PATTERN``): Target Plumbing is a small firm, Cook County
and the Illinois Department of Corrections are not."""


def _employer(text: str) -> str:
    """``normalize_company``, and "" for no employer (``_NO_EMPLOYER``) or an employer of a
    crowd (``_CROWD_NAMES``, ``_CROWD_PATTERN``)."""
    name = normalize_company(text)
    if name in _NO_EMPLOYER or name in _CROWD_NAMES or _CROWD_PATTERN.search(name):
        return ""
    return name


_NO_BIRTH_DATE = frozenset({"19000101", "19010101", "19700101", "19691231"})
"""Dates forms and exports fill in for a date no one gave: 1 January 1900 or 1901, and the
Unix epoch (1970-01-01, or 1969-12-31 read in an American time zone). Some people were born
on those days: their date is lost as evidence, the safer error."""


def _birth_date(text: str) -> str:
    """``_date``, and "" for a placeholder: a year before 1900 or after this one, or one of
    ``_NO_BIRTH_DATE``."""
    value = _date(text)
    whole_or_year = len(value) in (4, 8) and value.isdigit()
    if whole_or_year and not "1900" <= value[:4] <= str(date.today().year):
        return ""
    return "" if value in _NO_BIRTH_DATE else value


_SINGLE: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("city", fold),
    ("state", _unless_empty(normalize_state)),
    ("zip", _unless_empty(_postcode)),
    ("phone", _unless_empty(_phone)),
    ("email", _unless_empty(_email)),
    ("employer", _unless_empty(_employer)),
    ("dob", _unless_empty(_birth_date)),
    ("id_number", _identifier),
)
"""The columns read from one field each, and how."""


def unshared_ids(table: Table) -> Table:
    """``table`` with every identity number that two or more of its records hold blanked: a
    person's number is their own, so a number a file repeats (a default an export filled in,
    the account holder's number on each of a household's rows) identifies none of them. A
    property of a whole side, so ``link`` applies it once both sides are prepared."""
    ids = table["id_number"].tolist()
    counts = Counter(value for value in ids if value)
    if not counts or max(counts.values()) == 1:
        return table
    own = np.array([counts[v] == 1 for v in ids], dtype=bool)
    kept = np.where(own, table["id_number"], "").astype(object)
    codes = dict(table.codes)
    if "id_number" in codes:
        codes["id_number"] = np.where(own, codes["id_number"], 0).astype(np.int32)
    return Table({**table.columns, "id_number": kept}, codes, table.numbered_by)
