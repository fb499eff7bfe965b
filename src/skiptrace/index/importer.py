"""``skiptrace index import``: one bulk file into the index, streaming, resumable, idempotent.

A file is known by its SHA-256: importing it again is a no-op, and importing it after a kill
resumes where the last committed batch ended (each batch and its progress commit together).
Rows that cannot be read are reported with their line numbers and skipped; the rest go in.
"""

from __future__ import annotations

import dataclasses
import gc
import re
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from skiptrace.errors import InputError
from skiptrace.index.manifest import BulkSource, FileSpec
from skiptrace.index.mapping import Decoder, Entry, Mapper, NoKey
from skiptrace.index.reading import Download, Header, Problems, plan, rows
from skiptrace.index.store import Store
from skiptrace.tables.checkpoints import changed, file_sha256, file_state

BATCH = 20_000
"""Rows per transaction: large enough that commits cost little, small enough that a kill
loses seconds (and the rows held meanwhile, some 30 MB)."""
MAX_HELD = 32 << 20
"""The most text (characters, or JSON bytes) a batch's rows may have been read from before it
commits, whatever their number: 20,000 rows near the 1 MB record cap would be held as some
40 GB. (An NPPES row is 1 to 7 kB of text: its batches commit after 5,000 to 20,000 rows.)"""
MAX_JOINED = 250_000
"""The most rows a joined member (the SEC's filings of a quarter: about 70,000) may hold: it
is held in memory, only the columns the manifest reads of it (a few), so at most ~100 MB."""
MAX_JOINED_TEXT = 64 << 20
"""The most characters a joined member's rows held may have (its values read and the ``on``
value; the SEC's filings of a quarter: about 5 MB): each value may be near the 1 MB record
cap, and ``MAX_JOINED`` such rows would be 250 GB."""
FUTURE_DAYS = 92
"""How far ahead of today a file's date may be: a quarterly file is dated by its quarter's last
day, and may be published before it."""


@dataclass
class Summary:
    """What one import did, for the closing line and the tests."""

    source: str
    file: str
    file_date: str
    delta: bool
    rows: int = 0
    bad: int = 0
    fixed: int = 0
    parties: int = 0
    removed: int = 0
    already: bool = False
    resumed: bool = False
    problems: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)


def import_file(
    store: Store,
    source: BulkSource,
    path: Path,
    *,
    file_date: str = "",
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH,
    allow_shrink: bool = False,
) -> Summary:
    """Read ``path`` (a download of ``source``) into ``store``; ``allow_shrink`` lets a full
    file remove most of its source (``Store.finish``). IndexBusy if another process is writing
    to the index."""
    collecting = gc.isenabled()
    # Rows make no reference cycles (reference counting frees them); the cycle collector
    # would only walk the batch held and the name caches again and again (~10% of a run).
    gc.disable()
    try:
        # IndexBusy while another process imports or drops; InputError for a path that is
        # not a regular file, or a damaged ZIP. The file is opened here, once: what is
        # listed, hashed, dated and read is this open file, whatever its name points to
        with store.writing(), Download(path) as download:
            return _import(store, source, download, file_date, progress, batch_size, allow_shrink)
    finally:
        if collecting:
            gc.enable()


def _import(
    store: Store,
    source: BulkSource,
    download: Download,
    file_date: str,
    progress: Callable[[int], None] | None,
    batch_size: int,
    allow_shrink: bool,
) -> Summary:
    path = download.path
    members = plan(download, source)
    content = file_sha256(download.file)
    digest = content.hex()
    if file_date and not _is_day(file_date):
        raise InputError(f"file date {file_date!r}: a day written YYYY-MM-DD")
    modified = download.state[3]
    dated = _file_date(source, path, [m.name for m in members], file_date, modified)
    if dated > (datetime.now(UTC).date() + timedelta(days=FUTURE_DAYS)).isoformat():
        raise InputError(f"{path.name}: its date {dated} is in the future, and a newer file's "
                         "records win over every file imported after it: check the date in its "
                         "name, or the --file-date given")  # fmt: skip
    # a delta by its name or its members' (a weekly ZIP saved as download.zip): a full file
    # removes what it does not hold, so any name saying delta wins
    names = (path.name, *(member.name for member in members))
    delta = source.delta is not None and any(map(source.delta.search, names))
    known = store.file_run(source.id, digest)
    summary = Summary(source.id, path.name, dated, delta)
    if known is not None and known.finished:
        summary.already, summary.rows, summary.parties = True, known.rows, known.parties
        summary.file_date = known.file_date
        return summary
    store.describe(source)
    run = known or store.start_file(source.id, path.name, digest, dated, delta, _now())
    summary.file_date, summary.resumed = run.file_date, known is not None
    problems, decoder = Problems(), Decoder("")
    read, held = run.rows, 0
    pending: list[tuple[int, str, int, Entry]] = []
    marks: dict[str, int] = {}
    joins: dict[int, Mapping[str, Mapping[str, str]]] = {}
    """Each file spec's joined member, by the spec's index."""
    missing: dict[tuple[int, str], list[Any]] = {}
    """The first member lacking a column a file spec reads, and how many do, by both."""

    def flush() -> None:
        nonlocal held
        store.write(run, source.id, pending, marks,
                    (read, run.bad + problems.count, run.fixed + decoder.rows_fixed))  # fmt: skip
        pending.clear()
        marks.clear()
        held = 0

    for member in members:
        spec = source.files[member.spec]
        mark = f"{member.spec}:{member.name}"  # two file specs may read one member
        done = store.done(run.id, mark)
        if done < 0:
            continue  # read to the end before a kill
        decoder.fallback = spec.fallback
        where = member.name if member.name == path.name else f"{path.name}:{member.name}"
        try:
            if spec.join and member.spec not in joins:  # read once for all its members;
                # its bad rows reported with the spec's first member, not again on resuming
                first = next(m for m in members if m.spec == member.spec)
                joins[member.spec] = _joined(download, spec, path.name, problems
                                             if first == member and done == 0
                                             else Problems())  # fmt: skip
            joined = joins.get(member.spec)
            with download.open(member.name) as stream:
                stream_rows = rows(stream, spec, where, problems, skip=done)
                mapper = Mapper(spec, stream_rows.header, joined, decoder)
                _check_key(mapper, stream_rows.header, where)
                for unit in stream_rows.units:
                    read += 1
                    try:
                        entry = mapper.entry(unit.row)
                    except NoKey as exc:
                        problems.add(f"{where} line {unit.line}", str(exc))
                        entry = None
                    if entry is not None:
                        pending.append((member.spec, member.name, unit.line, entry))
                    marks[mark] = unit.number
                    held += unit.size
                    if len(pending) >= batch_size or held >= MAX_HELD:
                        flush()
                        if progress:
                            progress(read)
        except InputError:  # a member refused (no key column, a join): so it stays
            store.abandon(run)
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                RuntimeError) as exc:  # fmt: skip
            # RuntimeError: an encrypted member; NotImplementedError: Deflate64 and kin
            store.abandon(run)
            if _changed(download, content):  # a member gone: not the file planned
                raise _changed_error(path) from None
            raise InputError(f"{where}: cannot be read to its end ({exc}); nothing was "
                             "kept or replaced") from None  # fmt: skip
        marks[mark] = -1
        for column in sorted(mapper.missing):
            missing.setdefault((member.spec, column), [member.name, 0])[1] += 1
    flush()
    summary.missing_columns = [  # one line a column, not a member: a ZIP may hold millions
        f"{first}: {column}" + (f" (and {count - 1:,} other members)" if count > 1 else "")
        for (_, column), (first, count) in missing.items()
    ]
    if _changed(download, content):  # the rows read are not the file the hash names
        store.abandon(run)
        raise _changed_error(path)
    specs = {m.spec for m in members}
    try:
        summary.removed = store.finish(run, source.id, specs, _now(), allow_shrink=allow_shrink)
    except InputError as exc:
        raise InputError(f"{path.name}: {exc}") from None
    final = store.file_run(source.id, digest)
    assert final is not None
    summary.rows, summary.bad, summary.fixed = final.rows, final.bad, final.fixed
    summary.parties, summary.problems = final.parties, problems.shown
    if progress:
        progress(read)
    return summary


def _changed(download: Download, content: bytes) -> bool:
    """Whether the file planned, hashed and read was written to since it was opened (its rows
    may not be the bytes hashed), or its name now names another file (replaced, or gone: the
    file read may not be the one meant)."""
    try:
        moved = file_state(download.path)[:2] != download.state[:2]
        return moved or changed(download.file, download.state, content)
    except OSError:
        return True


def _changed_error(path: Path) -> InputError:
    return InputError(f"{path.name} changed while it was imported (still downloading, or "
                      "replaced?): nothing was kept or replaced; import it again once it is "
                      "complete")  # fmt: skip


def _check_key(mapper: Mapper, header: Header | None, where: str) -> None:
    """A CSV whose header lacks the key column is the wrong file: every row would be
    skipped, and as a full file it would remove the source. (An empty file has no header.)"""
    if header is not None and header.names:
        missing = [c for c in mapper.spec.key if c in mapper.missing]
        if missing:
            raise InputError(f"{where}: no column {missing[0]!r} (the key) in its header")


def _joined(
    download: Download, spec: FileSpec, file: str, problems: Problems | None = None
) -> Mapping[str, Mapping[str, str]]:
    """The joined member's rows by their ``on`` value (the first row of each value kept);
    rows that cannot be read are reported to ``problems`` with their line numbers."""
    assert spec.join is not None
    join = spec.join
    names = [n for n in download.names() if join.takes(n)]  # one (``reading.plan``)
    if not names:
        raise InputError(f"{file}: no {join.member} to join on {join.on}")
    wanted = _referenced(spec, join.alias + ".")
    table: dict[str, dict[str, str]] = {}
    side = FileSpec(member=join.member, format=spec.format, key=(join.on,),
                    encoding=spec.encoding, fallback=spec.fallback)  # fmt: skip
    with download.open(names[0]) as stream:
        where = f"{file}:{names[0]}"
        read = rows(stream, side, where, problems if problems is not None else Problems())
        if read.header is None or join.on not in read.header.index:
            raise InputError(f"{file}:{names[0]}: no column {join.on} to join on")
        on = read.header.index[join.on]
        columns = [(c, i) for c, i in read.header.index.items() if c in wanted]
        held = 0
        for unit in read.units:
            if len(table) >= MAX_JOINED:
                raise InputError(f"{file}:{names[0]}: over {MAX_JOINED} rows to join")
            values = unit.row
            assert isinstance(values, list)
            key = values[on].strip()
            if key in table:
                continue
            table[key] = {c: values[i] for c, i in columns}
            held += len(key) + sum(len(values[i]) for _, i in columns)
            if held > MAX_JOINED_TEXT:
                raise InputError(f"{file}:{names[0]}: over {MAX_JOINED_TEXT:,} characters to "
                                 "join")  # fmt: skip
    return table


def _referenced(spec: object, prefix: str) -> set[str]:
    """The columns named ``prefix``COLUMN anywhere in ``spec`` (a file spec and the records,
    addresses and conditions in it), without the prefix."""
    if isinstance(spec, str):
        return {spec[len(prefix) :]} if spec.startswith(prefix) else set()
    if isinstance(spec, tuple):
        return set().union(*(_referenced(item, prefix) for item in spec))
    if dataclasses.is_dataclass(spec):
        fields = dataclasses.fields(spec)
        return set().union(*(_referenced(getattr(spec, f.name), prefix) for f in fields))
    return set()


def _file_date(
    source: BulkSource, path: Path, members: list[str], given: str, modified: int
) -> str:
    """The file's date: from its name (or its members' names) by the manifest's ``file_date``
    pattern, else ``given`` (``--file-date``), else the day it was last modified (``modified``:
    ns, of the file opened). The name
    first: one ``--file-date`` given for several files must not misdate the ones that say
    their date, since the newest file's record wins."""
    for pattern in source.file_date:
        for name in (path.name, *members):
            found = pattern.search(name)
            if found and (day := _day(found)):
                return day
    return given or datetime.fromtimestamp(modified / 1e9, UTC).date().isoformat()


def _is_day(text: str) -> bool:
    """A real day as YYYY-MM-DD: file dates are compared as text, so "yesterday" would be
    newer than every file (and, as a full file, remove them all)."""
    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


_QUARTER_END = {"1": "03-31", "2": "06-30", "3": "09-30", "4": "12-31"}


def _day(found: re.Match[str]) -> str:
    groups = found.groupdict()
    try:
        if groups.get("q"):
            return f"{int(groups['y']):04d}-{_QUARTER_END[groups['q']]}"
        month = groups["m"]
        number = int(month) if month.isdigit() else datetime.strptime(month[:3], "%b").month
        return date(int(groups["y"]), number, int(groups.get("d") or 1)).isoformat()
    except (KeyError, ValueError, TypeError):
        return ""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
