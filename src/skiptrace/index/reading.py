"""Reading a bulk download as a stream of rows, whatever its size: a plain file or the members
of a ZIP (read in place, never unpacked), CSV, TSV, JSON lines or one JSON document per member.
Memory stays flat: one row at a time, and no line or document may exceed a cap (a hostile
file with a 2 GB line, or a ZIP member that inflates without end, is refused, not loaded).

A row that cannot be read (a CSV line with the wrong number of fields, broken JSON) is
reported with its line number through ``Problems`` and skipped; the rest is read.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, NamedTuple

from skiptrace.errors import InputError
from skiptrace.index.manifest import BulkSource, FileSpec, base_name
from skiptrace.tables.checkpoints import file_state
from skiptrace.tables.reader import one_strict_record, open_input

MAX_RECORD = 1 << 20
"""The longest CSV record read, in characters (1 MB; an NPPES row of 330 columns is ~4 kB)."""
MAX_LINE = 8 << 20
"""The longest line (CSV: in characters) or JSON document (in bytes) read (8 MB; an SEC
submissions file is under 1 MB). A module global, so a test may lower it."""

Row = list[str] | Mapping[str, Any]


@dataclass
class Problems:
    """Rows that could not be read: counted, and the first few kept as one-line messages."""

    count: int = 0
    shown: list[str] = field(default_factory=list)
    limit: int = 20

    def add(self, where: str, what: str) -> None:
        self.count += 1
        if len(self.shown) < self.limit:
            self.shown.append(f"{where}: {what}")


@dataclass(frozen=True)
class Member:
    """One file of a download that a file spec reads: ``name`` is the ZIP member (or the
    file's own name), ``spec`` its index in the source's files."""

    spec: int
    name: str


def plan(download: Download, source: BulkSource) -> list[Member]:
    """The members of ``download`` that ``source`` reads, in a fixed order (spec, then name);
    an InputError if it reads none of them (the wrong file for the source), or if it holds
    one of them twice, by names that differ (case, folder, ...) and contents that differ:
    which is the data cannot be told, and reading both counts every record twice. A copy of
    the same bytes under another name ("x (1).csv") is read once."""
    path, listed = download.path, _listing(download)
    chosen = _once(path, [Member(i, name) for i, spec in enumerate(source.files)
                          for name in listed if spec.takes(name)], listed)  # fmt: skip
    if not chosen:
        patterns = ", ".join(spec.member for spec in source.files)
        raise InputError(f"{path.name}: holds no file {source.id} reads (looked for {patterns})")
    for i, spec in enumerate(source.files):  # the file joined to each row: one, or none
        if spec.join:
            _once(path, [Member(i, n) for n in listed if spec.join.takes(n)], listed, alone=True)
    return chosen


def _once(
    path: Path, members: list[Member], listed: Mapping[str, object], *, alone: bool = False
) -> list[Member]:
    """``members`` without the copies of another's bytes; InputError for two left of one
    base name (of one spec), or for two at all if ``alone``."""
    kept: dict[tuple[int, object], Member] = {}
    for member in members:
        kept.setdefault((member.spec, listed[member.name]), member)
    seen: dict[tuple[int, str], Member] = {}
    for member in kept.values():
        first = seen.setdefault((member.spec, "" if alone else base_name(member.name)), member)
        if first is not member:
            raise InputError(f"{path}: a damaged ZIP: it holds two members named "
                             f"{first.name!r} and {member.name!r}")  # fmt: skip
    return list(kept.values())


_ZIP_STARTS = (b"PK\x03\x04", b"PK\x07\x08", b"PK00")
"""The bytes a ZIP file starts with: its first member's header, or the marker some tools put
before it; never a CSV's or JSON's."""


def _listing(download: Download) -> dict[str, object]:
    """The files of a download, by name, sorted, each with what tells its bytes apart (a
    ZIP member's CRC-32 and size); a Mac's resource files (``__MACOSX/``, ``._name``) left
    out: they are not data, whatever their names match."""
    path = download.path
    if download.archive is None:
        return {path.name: None}
    infos = [i for i in download.archive.infolist() if not i.is_dir()]
    _apart(path, infos)
    listed: dict[str, object] = {}
    for info in sorted(infos, key=lambda i: i.filename):
        if info.filename in listed:  # a member is opened by name: both read as one
            raise InputError(f"{path}: a damaged ZIP: it holds two members named {info.filename!r}")
        if _data(info.filename):
            listed[info.filename] = (info.CRC, info.file_size)
    return listed


def _data(member: str) -> bool:
    """Whether a ZIP member may be data: not a Mac's resource file (``__MACOSX/``, ``._name``),
    whatever its name matches."""
    parts = re.split(r"[/\\]", member)
    return "__MACOSX" not in parts and not parts[-1].startswith("._")


_LOCAL_HEADER = 30
"""The fixed part of a ZIP member's local header, before its name, extra field and data."""


def _apart(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """InputError if a member's header lies inside another's bytes: the overlapping ZIP
    bomb, whose members each quote the next one's header and share one deflated kernel,
    so 10 MB hold 65,534 members of 4.4 GB each. (A member's data ends no sooner than its
    fixed header and packed size after its start.)"""
    spans = sorted((i.header_offset, i.header_offset + _LOCAL_HEADER + i.compress_size,
                    i.filename) for i in infos)  # fmt: skip
    for (_, end, name), (start, _, after) in itertools.pairwise(spans):
        if start < end:
            raise InputError(f"{path}: a damaged ZIP: members {name!r} and {after!r} overlap "
                             "(a ZIP bomb?)")  # fmt: skip


class Download:
    """A download opened once, by its name, and everything read of it (its state, listing,
    hash and rows) read from that open file: a file swapped in under its name meanwhile (a
    FIFO, a damaged ZIP, another download) is never read. Its members as binary streams
    (closed with the download). InputError for a path that is not a regular file (a FIFO is
    refused without waiting for a writer) or a damaged ZIP."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with ExitStack() as stack:
            self.file = stack.enter_context(_open(path))
            self.state = file_state(self.file)
            """The file as opened (``file_state``), before a byte of it is read."""
            self.archive = _archive(path, self.file)
            if self.archive is not None:
                stack.enter_context(self.archive)
            self._stack = stack.pop_all()

    def __enter__(self) -> Download:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def names(self) -> list[str]:
        """The files of the download that may be data, as ``plan`` chose among them."""
        if self.archive is None:
            return [self.path.name]
        return [i.filename for i in self.archive.infolist() if not i.is_dir() and _data(i.filename)]

    def open(self, member: str) -> IO[bytes]:
        if self.archive is None:
            return io.BufferedReader(_FromStart(self.file.fileno()))
        try:
            return self.archive.open(member)
        except KeyError:  # listed when planned: the file is not the one planned
            raise zipfile.BadZipFile(f"no member named {member!r}") from None
        except UnicodeDecodeError as exc:  # its own header's name, flagged UTF-8
            raise zipfile.BadZipFile(f"its name in its header: {exc}") from None


def _open(path: Path) -> BinaryIO:
    """``path`` opened for reading if it is a regular file (``open_input``: a FIFO is refused
    without waiting for a writer)."""
    try:
        return open_input(path)
    except InputError:
        if path.is_file():  # a file that cannot be read (its permissions): the reason
            raise
        raise InputError(f"{path}: not a file") from None


def _archive(path: Path, file: BinaryIO) -> zipfile.ZipFile | None:
    """The open ``file`` read as a ZIP; None if it is not one."""
    if not zipfile.is_zipfile(file):
        file.seek(0)
        if file.read(4) in _ZIP_STARTS:  # a ZIP's first member, and no end: a cut-off download
            raise InputError(f"{path}: a damaged ZIP: its end is missing (cut off?)")
        return None
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError, NotImplementedError) as exc:
        # UnicodeDecodeError: a name not UTF-8 under the UTF-8 flag; NotImplementedError: a
        # version needed to extract beyond any zipfile reads
        raise InputError(f"{path}: a damaged ZIP: {exc}") from None
    if not all(info.filename for info in archive.infolist()):  # ZipInfo.is_dir: IndexError
        archive.close()
        raise InputError(f"{path}: a damaged ZIP: it holds a member with no name")
    return archive


class _FromStart(io.RawIOBase):
    """An open file read from its start at a place of its own (``os.pread``): each reading
    of a plain download starts over without opening it again, moves no other reader's place
    (its hash, read from the same file), and closing it leaves the file open."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd, self._at = fd, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = os.pread(self._fd, len(buffer), self._at)
        buffer[: len(data)] = data
        self._at += len(data)
        return len(data)


class Unit(NamedTuple):
    """One row as read: ``number`` counts rows (JSON documents) from 1 within its member, bad
    ones included (a resumed import skips that many); ``line`` is the file line it starts on,
    for messages and provenance; ``size`` the text it was read from (CSV: characters; JSON:
    bytes, a document's all on its first item), which bounds what the row can make. (A named
    tuple: one is made per row, and cheaply.)"""

    number: int
    line: int
    row: Row
    size: int


@dataclass
class Rows:
    """A member's rows; ``header`` is its CSV header (None for JSON)."""

    header: Header | None
    units: Iterator[Unit]


def rows(stream: IO[bytes], spec: FileSpec, where: str, problems: Problems, skip: int = 0) -> Rows:
    """The rows of one member after the first ``skip`` (read before a kill), each a list (CSV)
    or a mapping (JSON). Rows that cannot be read are reported and skipped."""
    report = _Report(problems, skip)
    if spec.format in ("csv", "tsv"):
        text = io.TextIOWrapper(stream, encoding=_codec(spec), errors=_errors(spec), newline="")
        records = _Records(text, "\t" if spec.format == "tsv" else ",", where, report)
        header = Header(records.header())
        units = _csv_rows(records, len(header.names), where, report)
        return Rows(header, (u for u in units if u.number > skip) if skip else units)
    if spec.format == "jsonl":
        units = _jsonl_rows(stream, spec, where, report)
    else:
        units = _json_rows(stream, spec, where, report)
    return Rows(None, (u for u in units if u.number > skip))


class _Report:
    """Problems of rows after ``skip`` only: a resumed import reported the others already."""

    def __init__(self, problems: Problems, skip: int) -> None:
        self._problems, self.skip = problems, skip

    def __call__(self, number: int, where: str, what: str) -> None:
        if number > self.skip:
            self._problems.add(where, what)


class Header:
    """A CSV header, trimmed (Companies House writes `` CompanyNumber``): column -> index."""

    def __init__(self, names: list[str]) -> None:
        self.names = [n.strip().lstrip("\ufeff").strip() for n in names]
        self.index = {n: i for i, n in reversed(list(enumerate(self.names)))}


class _Bad(Exception):
    """A record that cannot be read (``what``), raised from inside the CSV reader."""

    def __init__(self, what: str, line: int = 0) -> None:
        super().__init__(what)
        self.line = line


class _Records:
    """CSV records over physical lines that are read one at a time and never longer than
    ``MAX_LINE`` (a longer one is read past in pieces, not held). A record that cannot be read
    and spans several lines (an unterminated quote swallowing the lines after it) is reported
    at its first line, and the lines after that one are read again, each as a record alone:
    one stray quote costs one row, not the rest of the file, and no line is read more than
    twice. A record is at most ``MAX_RECORD`` characters."""

    def __init__(self, text: io.TextIOWrapper, delimiter: str, where: str, report: _Report) -> None:
        self._text, self._where, self._report = text, where, report
        self._delimiter = delimiter
        # TSV (the SEC's data sets) is plain tab-separated: a value may start with a quote
        if delimiter == "\t":
            self._reader = csv.reader(self, delimiter=delimiter, quoting=csv.QUOTE_NONE)
        else:
            self._reader = csv.reader(self, delimiter=delimiter)
        self._back: list[tuple[int, str]] = []
        """Lines to read again, the next one last."""
        self._count = 0
        self.taken: list[tuple[int, str]] = []
        """The lines of the record being read: (number, text)."""
        self.size = 0
        """The characters of the record being read."""
        self._alone = False
        """Whether the record being read started on a line read again after a bad record:
        it is that line alone. Else a line that keeps a quote open whether read alone or
        inside another's (``a","``) started a record to the end of what was read again,
        failed, and its lines were read again from the next one: n²/2 lines for n."""

    def __iter__(self) -> _Records:
        return self

    def __next__(self) -> str:
        if self.taken and self._alone:
            raise _Bad("a quote left open")
        self._alone = bool(self._back) and not self.taken
        if self._back:
            number, line = self._back.pop()
        else:
            line = self._text.readline(MAX_LINE)
            if not line:
                raise StopIteration
            self._count += 1
            number = self._count
            if len(line) >= MAX_LINE and not line.endswith(("\n", "\r")):
                while line and not line.endswith(("\n", "\r")):
                    line = self._text.readline(MAX_LINE)
                raise _Bad(f"longer than {MAX_LINE} characters", number)
        self.taken.append((number, line))
        self.size += len(line)
        if self.size > MAX_RECORD:
            raise _Bad(f"a record over {MAX_RECORD} characters")
        return line

    def next(self) -> tuple[int, list[str]] | None:
        """The next record and its first line's number; None at the end. A record that cannot
        be read raises _Bad (its lines after the first are read again)."""
        self.taken, self.size = [], 0
        try:
            row = next(self._reader, None)
        except csv.Error as exc:
            raise self._again(_Bad(f"not CSV: {exc}")) from None
        except _Bad as exc:
            raise self._again(exc) from None
        if row is None:
            return None
        if len(self.taken) > 1 and not _quoted_right(self.taken, self._delimiter):
            raise self.reject("a quote left open, or closed inside a field: a stray quote")
        return (self.taken[0][0] if self.taken else self._count), row

    def close(self) -> None:
        """Drop the reader, which reads from this object: imports run with the cycle
        collector off, so the two (with the text buffer and the ZIP stream they hold) would
        stay in memory until the import ends, for every member read. The text wrapper lets go
        of the stream, which its opener closes: dropped still holding it, it closed the stream
        itself (a ResourceWarning)."""
        self._reader = csv.reader(())
        with suppress(ValueError):  # the stream closed already (the import stopped): no matter
            self._text.detach()

    def has_nul(self) -> bool:
        """Whether the record just read holds a NUL (checked on its lines, not per value)."""
        return any("\x00" in line for _, line in self.taken)

    def reject(self, what: str) -> _Bad:
        """The record just read is bad: its lines after the first are read again."""
        return self._again(_Bad(what))

    def _again(self, bad: _Bad) -> _Bad:
        """Put back the lines of the bad record after its first one; all of them when the bad
        line is an overlong one after them (read past, so they now end elsewhere)."""
        if bad.line:
            self._back.extend(reversed(self.taken))
        elif self.taken:
            bad.line = self.taken[0][0]
            self._back.extend(reversed(self.taken[1:]))
        else:
            bad.line = self._count
        return bad

    def header(self) -> list[str]:
        """The first record (a header that cannot be read is reported, and reads as none)."""
        try:
            found = self.next()
        except _Bad as bad:
            if self._report.skip == 0:
                self._report(1, f"{self._where} line {bad.line}", f"the header: {bad}")
            return []
        return found[1] if found else []


def _quoted_right(lines: list[tuple[int, str]], delimiter: str) -> bool:
    """Whether a record over several lines reads as strict CSV: each quoted field closed,
    and only at its end. The lenient reader also reads a stray quote closed by the next stray
    one, a row below, into a record of the header's width (the rows between lost inside one
    value), and a quote left open to the file's end as a record of the rows it swallowed.
    (One line is left lenient: ``"Bud" Smith`` reads as Bud Smith.)"""
    return one_strict_record("".join(line for _, line in lines), delimiter)


def _csv_rows(records: _Records, width: int, where: str, report: _Report) -> Iterator[Unit]:
    try:
        yield from _csv_units(records, width, where, report)
    finally:
        records.close()


def _csv_units(records: _Records, width: int, where: str, report: _Report) -> Iterator[Unit]:
    number = 0
    while True:
        try:
            found = records.next()
            if found is None:
                return
            line, row = found
            if not row:
                continue  # a blank line
            if len(row) != width:
                raise records.reject(f"{len(row)} fields where the header has {width}")
            if records.has_nul():
                raise records.reject("a NUL byte: not text")
        except _Bad as bad:
            number += 1
            report(number, f"{where} line {bad.line}", str(bad))
            continue
        number += 1
        yield Unit(number, line, row, records.size)


def _jsonl_rows(stream: IO[bytes], spec: FileSpec, where: str, report: _Report) -> Iterator[Unit]:
    line = number = 0
    while True:
        raw = stream.readline(MAX_LINE + 1)
        if not raw:
            return
        line += 1
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # the rest of the overlong line
                raw = stream.readline(MAX_LINE)
            number += 1
            report(number, f"{where} line {line}", f"longer than {MAX_LINE} bytes")
            continue
        if not raw.strip():
            continue
        number += 1
        try:
            doc = _parse(raw, spec)
        except ValueError as exc:
            report(number, f"{where} line {line}", f"not JSON: {exc}")
            continue
        if not isinstance(doc, dict):
            report(number, f"{where} line {line}", "not a JSON object")
            continue
        yield Unit(number, line, doc, len(raw))


def _json_rows(stream: IO[bytes], spec: FileSpec, where: str, report: _Report) -> Iterator[Unit]:
    raw = stream.read(MAX_LINE + 1)
    if len(raw) > MAX_LINE:
        report(1, where, f"a JSON document over {MAX_LINE} bytes")
        return
    try:
        doc = _parse(raw, spec)
    except ValueError as exc:
        report(1, where, f"not JSON: {exc}")
        return
    docs = doc if isinstance(doc, list) else [doc]
    size = len(raw)
    for number, item in enumerate(docs, 1):
        if isinstance(item, dict):
            yield Unit(number, 1, item, size)
            size = 0
        else:
            report(number, where, f"item {number} is not a JSON object")


def _parse(raw: bytes, spec: FileSpec) -> Any:
    """A JSON document decoded as the file's values are (invalid bytes: the fallback codec,
    else U+FFFD); ValueError if it is not JSON, or nested too deep to parse."""
    try:
        return json.loads(raw.decode(_codec(spec), _errors(spec)))
    except RecursionError:
        raise ValueError("nested too deep") from None


def _codec(spec: FileSpec) -> str:
    """The file's encoding; UTF-8 read past a byte-order mark (else it sticks to the first
    column's name, and a quoted header's first name keeps its quotes)."""
    return (
        "utf-8-sig"
        if spec.encoding.lower().replace("_", "-") in ("utf-8", "utf8")
        else spec.encoding
    )


def _errors(spec: FileSpec) -> str:
    """Bytes that are not valid in the file's encoding: kept for the value-level fallback
    codec (``mapping.clean``), else replaced by U+FFFD."""
    return "surrogateescape" if spec.fallback else "replace"
