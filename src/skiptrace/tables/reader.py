"""Streaming a debtor file row by row, without ever letting one bad row stop the run.

The file is read as bytes, one physical line at a time, so memory stays flat however long the
file is. A line longer than ``MAX_LINE_BYTES`` is never held whole: its first bytes are kept
(to show what the row was), the rest is skipped in bounded chunks, and it becomes an error row
in its place. Lines are gathered into a record while a quoted field is open, as csv.reader
reads quotes (one inside an unquoted field, O"Brien or 12" Pipe Rd, is a letter and opens
nothing); a line ends at LF, CRLF or a bare CR. A field that runs on past
``MAX_RECORD_BYTES`` and then closes is one error row, its lines counted but not held, unless
most of those lines read as the file's rows (a stray quote); a stray quote, or one still open
at the end of the file, makes its line an error row, and the lines after it are read again as
records of their own, each line at most twice. A quote that closes within that limit into a
record of the wrong width makes the lines it held error rows too, never researched (they may
be the field's text), unless most of two or more of them read as rows (a stray quote); where
most of two or more read as rows and it closes into the header's width (a later row's quoted
field closed a stray quote), its line and every line it held are error rows, never
researched and never swallowed into one record (which of the two it is cannot be told),
unless every quote closing a field in it is followed by a delimiter or the line's end, as a
CSV writer writes a field (a note whose lines read as rows: one record, as before). A quote
closed by one that opens a field on a later line (``2,Ann,"Jones``: two debtors typed with a
stray quote) into a record no CSV writer writes was never closed: the lines are read again. Each
record is decoded on its own: bytes that are not valid in the file's encoding, or a NUL byte,
make an error row, not a crash. Encoding (UTF-8 with or without BOM, else cp1252; where the
first 64 KiB are ASCII, a later record that is not UTF-8 is read as cp1252) and delimiter are
detected from the start of the file (a first line ``sep=;``, Excel's, declares the delimiter);
UTF-16 and UTF-32 are refused by name.

Only regular files (or symbolic links to them) are read: a FIFO, a device (``/dev/zero``) or
a directory is refused with InputError before a byte is read (``open_input``), since a pipe
cannot be read again and a device may never end.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import stat
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Final

from skiptrace.errors import InputError

MAX_LINE_BYTES = 1024 * 1024
"""A physical line (its line ending included) longer than this is an error row; only this
many of its bytes are ever held in memory at once."""
LONG_LINE = f"the line is longer than {MAX_LINE_BYTES} bytes"
MAX_RECORD_BYTES = 256 * 1024
"""A record (all its lines) longer than this is an error row: a broken quote, or junk."""
MAX_FIELD_CHARS = 64 * 1024
"""A field longer than this is an error row: no debtor field is that long."""

SAMPLE_BYTES = 64 * 1024
"""How much of the start of a file its encoding and delimiter are detected from."""

csv.field_size_limit(MAX_RECORD_BYTES * 4)


@dataclass(frozen=True)
class Row:
    """One data row: its position (0-based, in input order), cells, and a problem if any."""

    index: int
    cells: list[str]
    problem: str = ""


@dataclass(frozen=True)
class Dialect:
    encoding: str
    delimiter: str
    fallback: str = ""
    """The encoding a record that is not valid in ``encoding`` is read in: cp1252 where the
    sample held no byte above 127, so said nothing of the file's encoding."""
    declared: bool = False
    """The first line is Excel's ``sep=;``, which declares the delimiter: no header."""


_SEP_LINE = re.compile(r'\ufeff?("?)sep=([,;\t])\1(?:\r\n?|\n)', re.IGNORECASE)
"""Excel's first line declaring the delimiter (``sep=;``, quoted by some writers), for a
delimiter this reader splits on, its line ended as any other (a CR alone too)."""


def detect_encoding(sample: bytes, *, whole: bool = False) -> str:
    """``utf-8-sig`` (a BOM, if any, is dropped) or ``cp1252``. A sample with more valid UTF-8
    characters than invalid bytes is UTF-8 with some damaged rows, not cp1252. Unless the
    sample is the ``whole`` file, its last bytes are left out: a character may be cut there."""
    text = sample.decode("utf-8", errors="replace") if whole else _cut(sample)
    invalid = text.count("\ufffd")
    if not invalid or sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    valid = sum(1 for char in text if ord(char) > 127) - invalid
    return "utf-8-sig" if valid > invalid else "cp1252"


def _cut(sample: bytes) -> str:
    return sample[:-4].decode("utf-8", errors="replace") if len(sample) > 4 else ""


def detect_delimiter(text: str) -> str:
    """The delimiter of the header line (the first that is not blank): comma, semicolon or
    tab."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


_NOT_REGULAR = {
    stat.S_IFIFO: "a FIFO (a pipe), not a regular file: save it to a file first",
    stat.S_IFCHR: "a character device, not a regular file",
    stat.S_IFBLK: "a block device, not a regular file",
    stat.S_IFSOCK: "a socket, not a regular file",
    stat.S_IFDIR: "Is a directory",
}


def open_input(path: Path) -> BinaryIO:
    """``path`` opened for reading in binary, if it is a regular file (a symbolic link to one
    is followed); InputError otherwise, before a byte is read. It is opened non-blocking and
    checked on the open descriptor, so a FIFO (even one swapped in after a check) cannot hold
    the caller waiting for a writer."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    try:
        kind = stat.S_IFMT(os.fstat(fd).st_mode)
        if kind != stat.S_IFREG:
            raise InputError(f"cannot read {path}: {_NOT_REGULAR.get(kind, 'not a regular file')}")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
              (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))  # fmt: skip


def _wide(sample: bytes) -> str:
    """UTF-16 or UTF-32, by its byte-order mark or, without one, by a NUL in every other
    byte of the sample's first kilobyte (no debtor file holds NULs: text of two bytes a
    character does); "" for anything else."""
    for mark, name in _WIDE_BOMS:
        if sample.startswith(mark):
            return name
    head = sample[:1024]
    if len(head) >= 8 and max(head[0::2].count(0), head[1::2].count(0)) * 4 >= len(head) * 2 - 4:
        return "UTF-16"
    return ""


def sniff(path: Path) -> Dialect:
    """The file's encoding and delimiter, from its first bytes."""
    try:
        with open_input(path) as handle:
            sample = handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    wide = _wide(sample)
    if wide:  # read line by line as bytes, a line break is not one byte in it
        raise InputError(f"{path} is {wide} text (a spreadsheet's 'Unicode text' export?): "
                         "save it as CSV UTF-8 and run again")  # fmt: skip
    whole = len(sample) < SAMPLE_BYTES
    encoding = detect_encoding(sample, whole=whole)
    text = sample.decode(encoding, errors="replace")
    declared = _SEP_LINE.match(text)
    delimiter = declared.group(2) if declared else detect_delimiter(text)
    told = sample if whole else sample[:-4]  # what the encoding was told from (``_cut``)
    fallback = "" if max(told, default=0) > 127 else "cp1252"
    return Dialect(encoding, delimiter, fallback, declared=declared is not None)


def read_rows(path: Path) -> tuple[list[str], Iterator[Row]]:
    """The header and a lazy iterator over the data rows. Raises InputError for a file with no
    header or no rows (the caller exits 2), never for a bad row."""
    dialect = sniff(path)
    expect = _Expect()
    lines = _records(path, dialect, expect)
    if dialect.declared:
        next(lines)  # "sep=;": the delimiter's declaration, read already
    header_record = next((r for r in lines if r[1] or r[0].strip()), None)  # blank lines skipped
    if header_record is None:
        raise InputError(f"{path} is empty")
    text, problem = header_record  # bad bytes in it are read as before; a cut one is not
    problem = problem if problem in (LONG_LINE, _RUNS_ON, _STRAY, _WRONG_WIDTH, _ROWS_HELD) else ""
    header, parse_problem = ([], problem) if problem else _parse(text, dialect)
    problem = problem or _nul(text) or parse_problem
    if problem or not any(cell.strip() for cell in header):
        raise InputError(f"{path}: the header line cannot be read ({problem or 'blank'})")
    header = [cell.strip() for cell in header]
    expect.fields = len(header)
    rows = _rows(lines, dialect, len(header))
    first = next(rows, None)
    if first is None:
        raise InputError(f"{path} has a header but no rows")
    return header, _chain(first, rows)


HEADER_AGAIN: Final = "the header line again (files joined?)"
"""Why a row that repeats the header line is never read as a record."""


def repeats_header(cells: Sequence[str], header: Sequence[str]) -> bool:
    """Whether a row is the header line again, spaces around its cells and case aside: two
    exports joined with ``cat``, whose second header is no debtor and no record."""
    return len(cells) == len(header) and all(
        cell.strip().casefold() == name.strip().casefold()
        for cell, name in zip(cells, header, strict=True)
    )


def count_rows(path: Path) -> int:
    """How many rows ``read_rows`` gives, which a run writes: a progress bar's total. Line
    feeds do not tell it (lines ended by a CR alone, a field that spans lines, blank lines)."""
    return sum(1 for _ in read_rows(path)[1])


def _chain(first: Row, rest: Iterator[Row]) -> Iterator[Row]:
    yield first
    yield from rest


def _rows(records: Iterator[tuple[str, str]], dialect: Dialect, width: int) -> Iterator[Row]:
    index = 0
    for text, problem in records:
        if not problem and not text.strip(" \r\n"):
            continue  # blank lines are not rows (a line of tabs is a row of a TSV file)
        if problem == _HELD:  # its cells as csv.reader reads the line alone, if it can
            cells, parse_problem = _parse(text, dialect)
            read = not parse_problem and not _nul(text)
        else:
            cells, parse_problem = ([], problem) if problem else _parse(text, dialect)
            problem = problem or _nul(text) or parse_problem
            read = not problem  # its cells, as csv.reader reads them: only their number is wrong
        if not problem and len(cells) != width:
            problem = f"the row has {len(cells)} fields, the header has {width}"
        too_long = len(text) > MAX_FIELD_CHARS  # else no cell of it can be
        if not problem and too_long and any(len(cell) > MAX_FIELD_CHARS for cell in cells):
            problem = f"a field is longer than {MAX_FIELD_CHARS} characters"
        if problem:  # "Roe, Jane" in a short row stays one cell
            cells = _fitted(cells, width) if read else _salvage(text, dialect, width)
        yield Row(index, cells, problem)
        index += 1


def _nul(text: str) -> str:
    """A NUL byte: no debtor field holds one, and it must reach no request and no output."""
    return "a NUL byte" if "\x00" in text else ""


def _without_terminator(text: str) -> str:
    """``text`` without the one line terminator ("\\r\\n", "\\n" or "\\r") it ends with."""
    if text.endswith("\n"):
        return text[:-2] if text.endswith("\r\n") else text[:-1]
    return text[:-1] if text.endswith("\r") else text


_NEEDS_CSV = re.compile('["\r\n\x00]')
"""What only csv.reader reads right: a quote, a line break inside the record, a NUL."""


def _parse(text: str, dialect: Dialect) -> tuple[list[str], str]:
    """The cells of one record's text, or why it cannot be read. A line with none of
    ``_NEEDS_CSV`` is split here, as csv.reader would split it: a StringIO and a reader per
    row cost most of reading a large file."""
    line = _without_terminator(text)
    if line and not _NEEDS_CSV.search(line):
        return line.split(dialect.delimiter), ""
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter))
    except csv.Error as exc:
        return [], f"unreadable CSV ({exc})"
    if len(records) != 1:
        return [], "unreadable CSV (not one record)"
    return records[0], ""


def _salvage(text: str, dialect: Dialect, width: int) -> list[str]:
    """The cells of a row that cannot be parsed, as near as they can be read, NUL bytes and
    quotes dropped (``_fitted``): the row keeps its place in the output. At most ``width``
    cells are split off, however many delimiters the line has."""
    text = text.rstrip("\r\n").replace('"', "").replace("\x00", "")
    return _fitted(text.split(dialect.delimiter, width), width)


def _fitted(cells: list[str], width: int) -> list[str]:
    """A bad row's cells cut or padded to the header's width, each shortened to a sane
    length."""
    kept = [cell[:MAX_FIELD_CHARS] for cell in cells[:width]]
    return kept + [""] * (width - len(kept))


@dataclass
class _Expect:
    """How many fields a record has (the header's; 0 until it is read): a quoted field that
    spans lines and closes into a record of another width was a broken quote, not a field."""

    fields: int = 0

    def rowlike(self, line: bytes, dialect: Dialect) -> bool:
        """Whether a line held inside a quoted field reads as a record of its own: as many
        fields as the header has, read alone (and opening no quote of its own)."""
        if self.fields < 2:
            return False
        if b'"' not in line:
            return line.count(dialect.delimiter.encode()) == self.fields - 1
        return not _opens(line, dialect, inside=False) and _width(line, dialect) == self.fields

    def fits(self, width: int) -> bool:
        """Whether a record of ``width`` fields (0: not one record) may be one of the file's."""
        return width > 0 and (not self.fields or width == self.fields)


def _records(path: Path, dialect: Dialect, expect: _Expect) -> Iterator[tuple[str, str]]:
    """(record text, problem) for each CSV record of the file: lines joined while a quoted
    field is open, decoded one record at a time. A read that fails part way (a disk or a
    network file system failing: EIO, ESTALE) is an InputError naming the file, for every
    reader of it: told as an OSError, the CLI blamed the output it was writing."""
    with open_input(path) as handle:
        again: tuple[int, int, bool] | None = (0, 0, False)
        while again is not None:  # after a broken quote: its lines again, each alone
            try:
                handle.seek(again[0])
                again = yield from _read_from(handle, dialect, expect, *again[1:])
            except OSError as exc:
                raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _read_from(
    handle: BinaryIO, dialect: Dialect, expect: _Expect, alone_until: int, held: bool
) -> Generator[tuple[str, str], None, tuple[int, int, bool] | None]:
    """``_records`` from the handle's position on, each line that ends by ``alone_until`` read
    as a record of its own. Returns None at the end of the file, or (where to read again, how
    far alone, whether the quote closed) after a broken quote: a quoted field that opened on
    a line and never closed, or closed into a record that is not one of the header's width,
    or ran on past ``MAX_RECORD_BYTES`` over lines most of which read as records of the file
    (``_Expect.rowlike``). That line is an error row, and the lines it held are read again,
    each alone (so that no line is read more than twice). Where most of two or more held
    lines read as rows, they are rows (a quote typed before a name, closed by a quoted field
    lines below); else, where the quote closed (``held``), the line it held may be the
    field's own text, a line of notes that reads like a row: it is an error row (``_HELD``),
    its cells kept and never researched; so are the lines a quote that closes into the
    header's width held, where most of two or more read as rows and a quote closing a field
    is followed by text (``_ROWS_HELD``: a stray quote a later row's quoted field closed,
    whose rows csv.reader would drop into one field, or a field's text); a record as a CSV
    writer writes it is read as one (``_as_written``). A field that runs on past
    ``MAX_RECORD_BYTES`` otherwise, and closes into a record of the right width, is one error
    row: its lines are counted, never held."""
    pending: list[bytes] = []
    size = resume = inside = rowlike = 0
    for line, whole, end, odd in _lines(handle):
        if pending:
            size += len(line)
            if size <= MAX_RECORD_BYTES:
                pending.append(line)
            if whole:
                closes = b'"' in line and not _opens(line, dialect, inside=True)
            else:  # its quotes, counted whole, say whether the field closes in it
                closes = (line.count(b'"') + odd) % 2 == 1
            inside += 1
            rowlike += expect.rowlike(line, dialect)
            if not closes:
                continue
            first = _decoded(pending[0], dialect)[0]
            stray = rowlike * 2 > inside and (size > MAX_RECORD_BYTES or inside >= 2)
            if size <= MAX_RECORD_BYTES and expect.fits(_width(b"".join(pending), dialect)):
                if stray and not _as_written(b"".join(pending), dialect):
                    yield first, _ROWS_HELD  # a later row's quoted field closed a stray quote
                    return resume, end, True
                opens = _reopens(line, whole, dialect) or _opens_at_close(line, whole, dialect)
                if opens and not _as_written(b"".join(pending), dialect):
                    yield first, _STRAY  # closed by a stray quote of the line's own: "Jones
                    return resume, end, False
                yield _decoded(b"".join(pending), dialect)  # as csv.reader reads it
            elif (size > MAX_RECORD_BYTES and rowlike * 2 <= inside
                  and expect.fits(_run_on_width(pending[0], line, dialect))):  # fmt: skip
                yield first, _RUNS_ON
            elif stray:
                yield first, _STRAY  # a stray quote: the rows it held are the file's rows
                return resume, end, False
            else:  # it closes into no record of the file's: a field's text, or rows
                yield first, _WRONG_WIDTH
                return resume, end, True
            pending, size, inside, rowlike = [], 0, 0, 0
            continue
        if not whole:
            yield _decoded(line, dialect)[0], LONG_LINE
        elif held and end <= alone_until:  # a field's text, or a row: which cannot be told
            if line.strip(b" \r\n"):
                yield _decoded(line, dialect)[0], _HELD
        elif not _may_open(line, dialect) or not _opens(line, dialect, inside=False):
            yield _decoded(line, dialect)  # a whole record, as most lines are
        elif end <= alone_until:  # read again after a broken quote: alone
            yield _decoded(line, dialect)[0], _STRAY
        else:
            pending, size, resume = [line], len(line), end
    if not pending:
        return None
    yield _decoded(pending[0], dialect)[0], _STRAY
    return resume, handle.tell(), False


def _reopens(line: bytes, whole: bool, dialect: Dialect) -> bool:
    """Whether ``line``, read alone, opens a quoted field that runs on past it: the quote that
    closed an earlier line's field there is the line's own opening quote (``2,Ann,"Jones``),
    unless the record reads as a CSV writer writes one (``_as_written``). Only a quote that
    starts a field opens one: most lines that close a field hold none (``Apt 4",Reno``)."""
    starts = line.startswith(b'"') or dialect.delimiter.encode() + b'"' in line
    return whole and starts and _may_open(line, dialect) and _opens(line, dialect, inside=False)


def _opens_at_close(line: bytes, whole: bool, dialect: Dialect) -> bool:
    """Whether the quote that closes on ``line`` a field opened on an earlier line starts a
    field of the line read alone (at its start or after a delimiter): the line's own opening
    quote, its field closed on the line (``2,"Okonkwo",Thaddeus``), where no CSV writer
    closes one (``_as_written`` tells)."""
    if not whole:
        return False
    at = 0
    while (at := line.find(b'"', at)) >= 0 and line[at + 1 : at + 2] == b'"':
        at += 2  # a doubled quote is a quote of the field's text
    return at == 0 or (at > 0 and line[at - 1 : at] == dialect.delimiter.encode())


def _may_open(line: bytes, dialect: Dialect) -> bool:
    """Whether a quoted field may open on ``line`` and run on past it: an odd number of
    quotes, or a quote inside a field (O"Brien) that makes counting them say nothing."""
    return bool(line.count(b'"') % 2) or (
        b'"' in line and _in_field(dialect).search(line) is not None
    )


@lru_cache(maxsize=8)
def _in_field(dialect: Dialect) -> re.Pattern[bytes]:
    """A quote with a letter of a field, not a delimiter or a line break, on either side."""
    other = b"[^" + re.escape(dialect.delimiter.encode()) + b'"\r\n]'
    return re.compile(other + b'"' + other)


_STRAY = "a quote is never closed"
_WRONG_WIDTH = (
    "a quoted field opens here and closes on a later line into a record of another width "
    "than the header's"
)
_ROWS_HELD = (
    "a quoted field opens here and closes on a later line around lines that read as rows: a "
    "stray quote, or a field's text"
)
_HELD = (
    "not researched: inside a quoted field that opened on an earlier line and closed into a "
    "record of another width, or around lines that read as rows, so this line may be that "
    "field's text, not a row"
)
_BARE_CR = re.compile(rb"(?<=\r)(?!\n)")
"""Where a line holding a bare CR (one no LF follows) splits into records."""
_RUNS_ON = f"a quoted field runs on past {MAX_RECORD_BYTES} bytes"


def _cells(text: str, dialect: Dialect) -> list[list[str]]:
    """The records csv.reader reads in ``text`` ([] if it cannot)."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter))
    except csv.Error:
        return []


def _width(raw: bytes, dialect: Dialect) -> int:
    """How many fields the one record in ``raw`` has; 0 if it is not one record."""
    records = _cells(_decoded(raw, dialect)[0], dialect)
    return len(records[0]) if len(records) == 1 else 0


def _as_written(raw: bytes, dialect: Dialect) -> bool:
    """Whether every quote that closes a field in the record ``raw`` is followed by a
    delimiter or the line's end, as any CSV writer closes one. A stray quote that a later
    row's quoted field closed is followed by that field's text (``,"Left msg"``); a note
    whose lines read as rows, written by a writer, is not."""
    return one_strict_record(_decoded(raw, dialect)[0], dialect.delimiter)


def one_strict_record(text: str, delimiter: str) -> bool:
    """Whether ``text`` reads as one CSV record with ``strict`` quoting: each quoted field
    closed, and only where the field ends. Python's reader, lenient, also reads a stray quote
    closed by another a row below into one record, the rows between inside one field."""
    try:
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        return sum(1 for _ in records) == 1
    except csv.Error:
        return False


def _run_on_width(first: bytes, last: bytes, dialect: Dialect) -> int:
    """How many fields a record has whose one quoted field opens on ``first`` and closes on
    ``last``, the lines between held by no one: the fields before it, it, and those after."""
    before = _cells(_decoded(first, dialect)[0], dialect)
    after = _cells('"' + _decoded(last, dialect)[0], dialect)
    if len(before) != 1 or len(after) != 1:
        return 0
    return len(before[0]) + len(after[0]) - 1


def _opens(line: bytes, dialect: Dialect, *, inside: bool) -> bool:
    """Whether a quoted field is open at the end of ``line``, as csv.reader reads it: from a
    field's start, or ``inside`` one. A quote inside an unquoted field is a letter (O"Brien,
    12" Pipe Rd), so counting quotes cannot tell; csv.reader keeps the line break in a field
    it leaves open."""
    text = ('"' if inside else "") + _decoded(line, dialect)[0]
    ending = text[len(text.rstrip("\r\n")) :]
    if not ending:  # the file's last line: nothing follows to continue the field
        return False
    records = _cells(text, dialect)
    return bool(records) and bool(records[-1]) and records[-1][-1].endswith(ending)


def _lines(handle: BinaryIO) -> Iterator[tuple[bytes, bool, int, bool]]:
    """(line, whole, end, odd) for each physical line (ended by LF, CRLF or a bare CR),
    ``end`` the file offset just past it. A line longer than ``MAX_LINE_BYTES`` comes cut to
    its first ``MAX_LINE_BYTES`` with ``whole`` false, and ``odd`` true if the part dropped
    holds an odd number of quotes (whether a quoted field closes in it); the rest of it is read
    and dropped a chunk at a time, never held."""
    start = handle.tell()
    while line := handle.readline(MAX_LINE_BYTES + 1):
        if len(line) <= MAX_LINE_BYTES:
            if line.find(b"\r", 0, len(line) - _ending(line)) >= 0:  # as csv.reader does
                for part in _BARE_CR.split(line):
                    start += len(part)
                    if part:
                        yield part, True, start, False
            else:
                start += len(line)
                yield line, True, start, False
            continue
        parts = _BARE_CR.split(line)  # lines ended by bare CRs, then one the chunk cut
        done = parts[:-2] if parts[-1] == b"" else parts[:-1]  # a CR at its end: CRLF?
        if done:
            for part in done:
                start += len(part)
                yield part, True, start, False
            handle.seek(start)  # the cut line read again from its start
            continue
        rest, odd = line[MAX_LINE_BYTES:], False
        at = handle.tell() - len(rest)  # where ``rest`` starts in the file
        while rest:
            end = _bare_cr_end(rest, handle, at)  # a bare CR ends the line too
            if end >= 0:
                odd ^= rest[:end].count(b'"') % 2 == 1
                handle.seek(at + end)
                break
            odd ^= rest.count(b'"') % 2 == 1
            if rest.endswith(b"\n"):
                break
            at = handle.tell()
            rest = handle.readline(MAX_LINE_BYTES)
        start = handle.tell()
        yield line[:MAX_LINE_BYTES], False, start, odd


def _bare_cr_end(chunk: bytes, handle: BinaryIO, at: int) -> int:
    """Where in ``chunk`` (read from file offset ``at``) the line ends at a bare CR: the index
    just past it, or -1. A CR that ends the chunk is bare unless an LF follows it in the file
    (looked at, then the handle put back where it was)."""
    found = chunk.find(b"\r")
    while found >= 0:
        if found + 1 < len(chunk):
            if chunk[found + 1] != 0x0A:
                return found + 1
        else:
            after = handle.tell()
            handle.seek(at + found + 1)
            following = handle.read(1)
            handle.seek(after)
            return -1 if following == b"\n" else found + 1
        found = chunk.find(b"\r", found + 1)
    return -1


def _ending(line: bytes) -> int:
    """The length of the line break ``line`` ends with: 2 (CRLF), 1 (LF) or 0 (the file's last
    line; a CR there is a bare one)."""
    return 2 if line.endswith(b"\r\n") else 1 if line.endswith(b"\n") else 0


def _decoded(raw: bytes, dialect: Dialect) -> tuple[str, str]:
    encoding = "utf-8" if dialect.encoding == "utf-8-sig" else dialect.encoding
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if encoding == "cp1252" and not raw.isascii():
        # a file of both: a record that is valid UTF-8 beyond ASCII is UTF-8 ("M\u00fcller",
        # not "M\u00c3\u00bcller"); cp1252 text is next to never valid UTF-8 by chance
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode("utf-8"), ""
    try:
        return raw.decode(encoding), ""
    except UnicodeDecodeError:
        pass
    text = raw.decode(encoding, errors="replace")
    # a cp1252 file plain ASCII for its first 64 KiB; a record holding any valid UTF-8 beyond
    # ASCII is UTF-8, damaged ("M\u00fcller" must not become "M\u00c3\u00bcller")
    if dialect.fallback and all(ch < "\x80" or ch == "\ufffd" for ch in text):
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode(dialect.fallback), ""
    return text, f"bytes that are not {encoding}"
