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
import json
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from skiptrace.errors import InputError
from skiptrace.index.manifest import BulkSource, FileSpec

MAX_FIELD = 1 << 20
"""The longest CSV field read (1 MB): no registry's cell comes near it."""
MAX_LINE = 8 << 20
"""The longest JSON line or document read (8 MB; an SEC submissions file is under 1 MB)."""

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


def plan(path: Path, source: BulkSource) -> list[Member]:
    """The members of ``path`` that ``source`` reads, in a fixed order (spec, then name); an
    InputError if it reads none of them (the wrong file for the source)."""
    names = _names(path)
    chosen = [Member(i, name) for i, spec in enumerate(source.files) for name in names
              if spec.takes(name)]  # fmt: skip
    if not chosen:
        patterns = ", ".join(spec.member for spec in source.files)
        raise InputError(f"{path.name}: holds no file {source.id} reads (looked for {patterns})")
    return chosen


def _names(path: Path) -> list[str]:
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                return sorted(i.filename for i in archive.infolist() if not i.is_dir())
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(f"{path}: a damaged ZIP: {exc}") from None
    return [path.name]


class Download:
    """An open download: its members as binary streams (closed with the download)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stack = ExitStack()
        self.archive = (
            self._stack.enter_context(zipfile.ZipFile(path)) if zipfile.is_zipfile(path) else None
        )

    def __enter__(self) -> Download:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def open(self, member: str) -> IO[bytes]:
        if self.archive is None:
            return open(self.path, "rb")
        return self.archive.open(member)


@dataclass(frozen=True)
class Unit:
    """One row as read: ``number`` counts rows (JSON documents) from 1 within its member,
    ``line`` is where it ends in the file, for messages."""

    number: int
    line: int
    row: Row


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
        text = io.TextIOWrapper(stream, encoding=spec.encoding, errors=_errors(spec), newline="")
        reader = csv.reader(text, delimiter="\t" if spec.format == "tsv" else ",")
        header = Header(next(reader, []))
        units = _csv_rows(reader, len(header.names), where, report)
        return Rows(header, (u for u in units if u.number > skip))
    if spec.format == "jsonl":
        return Rows(None, (u for u in _jsonl_rows(stream, where, report) if u.number > skip))
    return Rows(None, (u for u in _json_rows(stream, where, report) if u.number > skip))


class _Report:
    """Problems of rows after ``skip`` only: a resumed import reported the others already."""

    def __init__(self, problems: Problems, skip: int) -> None:
        self._problems, self._skip = problems, skip

    def __call__(self, number: int, where: str, what: str) -> None:
        if number > self._skip:
            self._problems.add(where, what)


class Header:
    """A CSV header, trimmed (Companies House writes `` CompanyNumber``): column -> index."""

    def __init__(self, names: list[str]) -> None:
        self.names = [n.strip().lstrip("\ufeff").strip() for n in names]
        self.index = {n: i for i, n in reversed(list(enumerate(self.names)))}


def _csv_rows(reader: Any, width: int, where: str, report: _Report) -> Iterator[Unit]:
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            report(number, f"{where} line {reader.line_num}", f"not CSV: {exc}")
            continue
        if not row:
            continue  # a blank line
        number += 1
        if len(row) != width:
            report(number, f"{where} line {reader.line_num}",
                         f"{len(row)} fields where the header has {width}")  # fmt: skip
            continue
        yield Unit(number, reader.line_num, row)


def _jsonl_rows(stream: IO[bytes], where: str, report: _Report) -> Iterator[Unit]:
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
            doc = json.loads(raw)
        except ValueError as exc:
            report(number, f"{where} line {line}", f"not JSON: {exc}")
            continue
        if not isinstance(doc, dict):
            report(number, f"{where} line {line}", "not a JSON object")
            continue
        yield Unit(number, line, doc)


def _json_rows(stream: IO[bytes], where: str, report: _Report) -> Iterator[Unit]:
    raw = stream.read(MAX_LINE + 1)
    if len(raw) > MAX_LINE:
        report(1, where, f"a JSON document over {MAX_LINE} bytes")
        return
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        report(1, where, f"not JSON: {exc}")
        return
    docs = doc if isinstance(doc, list) else [doc]
    for number, item in enumerate(docs, 1):
        if isinstance(item, dict):
            yield Unit(number, 1, item)
        else:
            report(number, where, f"item {number} is not a JSON object")


def _errors(spec: FileSpec) -> str:
    """Bytes that are not valid in the file's encoding: kept for the value-level fallback
    codec (``mapping.clean``), else replaced by U+FFFD."""
    return "surrogateescape" if spec.fallback else "replace"


csv.field_size_limit(MAX_FIELD)
