"""``skiptrace link``: match the records of two files."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from skiptrace.cli.common import err
from skiptrace.errors import ColumnError, InputError, SkiptraceError
from skiptrace.safe_text import spreadsheet_cell, terminal_text
from skiptrace.tables.reader import HEADER_AGAIN, read_rows, repeats_header
from skiptrace.tables.writer import Writer

if TYPE_CHECKING:
    from skiptrace.matching import Link, Linkage
    from skiptrace.matching.prepare import Fields
    from skiptrace.tables.paths import Partial

OUTPUT_COLUMNS = ["left_id", "right_id", "score", "band", "matched_on"]


class Engine(StrEnum):
    """Where the pairs are compared: this process, or Apache Spark."""

    local = "local"
    spark = "spark"


def link_files(
    left: Annotated[
        Path, typer.Argument(metavar="LEFT", help="The first CSV file (e.g. the debtors).")
    ],
    right: Annotated[Path, typer.Argument(metavar="RIGHT", help="The second CSV file.")],
    output_given: Annotated[
        str | None,
        typer.Option("-o", "--output", metavar="PATH", help="Write here (default, or -: stdout)."),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="FIELD=COLUMN, for a column the synonyms do not find."),
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="Lowest score kept. Scores are written rounded down to four decimals: one "
            "written at the threshold reached it.",
        ),
    ] = 0.5,
    all_pairs: Annotated[bool, typer.Option("--all", help="Every pair above it.")] = False,
    no_relatives: Annotated[
        bool,
        typer.Option(
            "--no-relatives",
            help="The files cannot hold each other's relatives (one population against "
            "corrupted copies of itself): a differing first name at one address "
            "is then read as a typo where the files hold no households.",
        ),
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="local: in this process. spark: on Apache Spark (the spark extra), the "
            "same scores.",
        ),
    ] = Engine.local,
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master",
            help="With --engine spark: local[N], spark://host:port, or sc://host:port for "
            "Spark Connect (default: SPARK_REMOTE if set, else local[*]).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            help="With --engine local: this many more processes score pairs (and one reads "
            "the right file when both files are 2 MB or more), the same links (default: one "
            "per spare core, at most 3; 0: this process alone); each holds about 0.3 GB more "
            "at a million records a side. At most one per core this process may run on: "
            "more cannot score faster, and would only hold more memory.",
        ),
    ] = None,
) -> None:
    """Link LEFT and RIGHT: the best RIGHT record for each LEFT record above the threshold
    (every pair above it with --all), as left_id,right_id,score,band,matched_on."""
    from skiptrace.matching.workers import spare_cores, usable_cores
    from skiptrace.tables.columns import parse_map
    from skiptrace.tables.paths import check_paths

    output = Path(output_given) if output_given and output_given != "-" else None
    if spark_master and engine is not Engine.spark:
        err.print("skiptrace link: --spark-master needs --engine spark")
        raise typer.Exit(2)
    if workers and engine is Engine.spark:
        err.print("skiptrace link: --workers is for --engine local (Spark has its executors)")
        raise typer.Exit(2)
    if workers and workers > (cores := usable_cores()):
        err.print(f"skiptrace link: --workers {workers}: at most {cores}, one per core this "
                  "process may run on")  # fmt: skip
        raise typer.Exit(2)
    # run with stdout closed (>&-): said before the work (``main`` wraps it, ``unopened``)
    if output is None and (sys.stdout is None or getattr(sys.stdout, "unopened", False)):
        err.print("skiptrace link: cannot write stdout: it is closed")
        raise typer.Exit(2)
    try:
        overrides = parse_map(mapping or [])
        sides = [_Side(path, overrides) for path in (left, right)]
        unknown = {f"{k}={v}" for k, v in overrides.items()
                   if all(v not in side.header for side in sides)}  # fmt: skip
        if unknown:
            raise SkiptraceError(
                f"--map {', '.join(sorted(unknown))}: no such column in either file"
            )
    except SkiptraceError as exc:
        err.print(f"skiptrace link: {exc}")
        raise typer.Exit(2) from None
    try:
        for side in sides:
            if output:
                check_paths(side.path, output)
    except SkiptraceError as exc:
        err.print(f"skiptrace link: cannot write {output}: {exc}")
        raise typer.Exit(2) from None
    target = _Output(output, sides)
    try:
        with target:
            found = _run(engine, spark_master, sides, threshold, all_pairs, not no_relatives,
                         target.write, spare_cores() if workers is None else workers)  # fmt: skip
            for side in sides:  # a file of bad rows only is bad input, not "no links"
                if not side.ids:
                    raise InputError(f"{side.path}: no record could be read (each row is "
                                     "named above)")  # fmt: skip
    except SkiptraceError as exc:
        err.print(f"skiptrace link: {exc}")
        raise typer.Exit(2) from None
    except OSError as exc:
        err.print(f"skiptrace link: cannot write {output or 'stdout'}: {exc.strerror}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the partial file is already removed
        err.print(f"skiptrace link: stopped{_left_behind(output, target.started)}")
        raise typer.Exit(130) from None
    for oversized in found.oversized:
        err.print(f"skiptrace link: {oversized}")
    if found.unreached:
        err.print(f"skiptrace link: {left}: {found.unreached:,} records compared with none, "
                  "each block they are in left out for its size (records alike by the "
                  "thousand): not linked for that alone")  # fmt: skip
    writers: tuple[Callable[[str], str], ...] = (str, spreadsheet_cell)  # as write() does
    for side, written in zip(sides, writers, strict=True):
        if said := side.ids_note(written):
            err.print(f"skiptrace link: {side.path}: {said}")
    n_left, n_right = (len(side.ids) for side in sides)
    left_out = sum(side.bad.count for side in sides)
    told = "named above" if all(side.bad.all_named for side in sides) else "named or counted above"
    bad = f"; {left_out:,} bad row{'s' * (left_out != 1)} left out, {told}" if left_out else ""
    err.print(f"{target.written} links from {found.candidates} candidate pairs "
              f"({n_left} x {n_right} records{bad})")  # fmt: skip


def _left_behind(output: Path | None, started: bool) -> str:
    """What a stopped run leaves, said after 'stopped': ``output`` as it was, or the links
    already on stdout, which a shell's redirect keeps as a file like a complete one."""
    if output:
        return f"; {output} is as it was"
    return "; the links on stdout are incomplete" if started else ""


class _Output:
    """The links, written as they are scored (``--all`` on a large file holds none of them):
    to ``.OUTPUT.partial`` (0600, locked: ``tables.paths.Partial``, as enrich writes), renamed
    over OUTPUT once the run is complete (a run that fails or is stopped leaves OUTPUT as it
    was, and one killed leaves that one file, which the next run replaces: a name of its own
    each time had left one more file of links for every run killed), or to stdout, whose
    header is written with the first links or at the end (a run that fails before its first
    links writes nothing there)."""

    def __init__(self, output: Path | None, sides: list[_Side]) -> None:
        self._output, self._sides = output, sides
        self._files = contextlib.ExitStack()
        self._partial: Partial | None = None
        self._writer: Any = None
        self._screen = False
        """Whether the links go to a terminal (stdout), shown there as every message is: its
        controls (escape sequences, a window's title, C1 controls) replaced; a file or a pipe
        gets them as they are."""
        self.written = 0

    def __enter__(self) -> _Output:
        if self._output:
            from skiptrace.tables.paths import Partial

            self._partial = self._files.enter_context(Partial(self._output))
        return self

    def write(self, links: Sequence[Link]) -> None:
        if self._writer is None:
            if self._partial is not None:
                self._writer = self._partial
            else:
                self._writer, self._screen = Writer(sys.stdout), sys.stdout.isatty()
            self._writer.writerow(OUTPUT_COLUMNS)
        from skiptrace.matching.model import score_text

        left_ids, right_ids = (side.ids for side in self._sides)
        for pair in links:  # the right file's ids are a registry's text, as found_ values are
            row = [left_ids[pair.left], spreadsheet_cell(right_ids[pair.right]),
                   score_text(pair.score), pair.band, pair.matched_on]  # fmt: skip
            self._writer.writerow([terminal_text(cell) for cell in row] if self._screen else row)
        self.written += len(links)

    @property
    def started(self) -> bool:
        """Whether the header, and maybe links, went out (a stop may cut a chunk short)."""
        return self._writer is not None

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        with self._files:  # the partial file removed, unless complete
            if kind is None:
                self.write([])  # the header, when there was no link
                if self._partial is not None:
                    self._partial.complete()  # on disk (fsync) before it is renamed


def _run(
    engine: Engine,
    master: str | None,
    sides: list[_Side],
    threshold: float,
    all_pairs: bool,
    relatives: bool,
    sink: Callable[[Sequence[Link]], None],
    workers: int,
) -> Linkage:
    """Link on the chosen engine, telling each stage's progress on stderr; the links go to
    ``sink``. In this process, records are prepared as they are read, never all held as
    records at once, and links are handed over chunk by chunk."""
    from skiptrace.matching.link import link_tables
    from skiptrace.matching.prepare import prepare_both

    tell = _Stages()
    left, right = sides
    if engine is Engine.spark:
        from skiptrace.matching.spark import link_on_spark  # pyspark only when asked for

        found = link_on_spark(list(left.records()), list(right.records()), threshold=threshold,
                              all_pairs=all_pairs, relatives=relatives, master=master,
                              progress=tell)  # fmt: skip
        sink(found.links)
        return found
    # the right file read by a worker while this process reads the left one, when both are
    # large enough to gain from it; its bad rows named after the left file's
    aside = workers if min(left.size, right.size) >= ASIDE_FROM_BYTES else 0
    reader = right.again if aside else right.read_on
    left_table, right_table = prepare_both(left.batches(), reader, right.heard, aside)
    return link_tables(left_table, right_table, threshold=threshold, all_pairs=all_pairs,
                       relatives=relatives, progress=tell, sink=sink, workers=workers)  # fmt: skip


ASIDE_FROM_BYTES = 2_000_000
"""The size of both files (about 20,000 records) from which a worker reads the right one
(``prepare.prepare_both``) while this process reads the left one: for smaller ones, the fork
and sending the records back cost more than it saves."""


class _Stages:
    """Progress on stderr for a long run: once it has taken ``QUIET`` seconds, a line when a
    stage ends and every ``EVERY`` seconds within one (a small file's run prints none)."""

    QUIET = 5.0
    EVERY = 10.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._start = self._said = clock()

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self._clock()
        if now - self._start < self.QUIET or (done < total and now - self._said < self.EVERY):
            return
        self._said = now
        unit = "records" if stage == "prepare" else "pairs"
        err.print(f"{stage}: {done:,} of {total:,} {unit} ({now - self._start:.1f} s)")


def _an_identity_number(
    record_id: str, number: str, letters: Callable[[str], str], as_ssn: Callable[[str], bool]
) -> bool:
    """Whether a record's id is an identity number: written as an SSN is (``as_ssn``,
    ``prepare.written_as_ssn``: 123-45-6789, with spaces, dots or an en dash too), or the
    record's own identity number, compared as ``letters`` (``letters_and_digits``) reads both.
    (A nine-digit account number alone is not one.)"""
    own = bool(number.strip()) and letters(record_id) == letters(number)
    return own or as_ssn(record_id)


def _identity_in_ids(where: str, column: str) -> ColumnError:
    """The error of an id column that holds identity numbers (``where``: the file, or the
    file and record), naming the column, never a value."""
    return ColumnError(
        f"{where}: the id column {column!r} holds identity numbers, which link never writes "
        "out: choose another (--map id=COLUMN), or none for record numbers"
    )


class _Ids:
    """A file's record ids in order, kept a block at a time as one string and where each id
    ends in it. A million ids kept as strings lie among the million rows' freed cells, over
    hundreds of MB of pages: every link written touched two of them, so a forked worker's
    pages (``--workers``) were copied one by one as the run went on."""

    BLOCK = 65_536

    def __init__(self) -> None:
        self._blocks: list[tuple[str, array[int]]] = []
        self._pending: list[str] = []

    def append(self, record_id: str) -> None:
        self._pending.append(record_id)
        if len(self._pending) == self.BLOCK:
            self._pack()

    def _pack(self) -> None:
        ends = array("q", [0, *accumulate(len(i) for i in self._pending)])
        self._blocks.append(("".join(self._pending), ends))
        self._pending = []

    def __len__(self) -> int:
        return len(self._blocks) * self.BLOCK + len(self._pending)

    def __iter__(self) -> Iterator[str]:
        for text, ends in self._blocks:
            for k in range(len(ends) - 1):
                yield text[ends[k] : ends[k + 1]]
        yield from self._pending

    def __getitem__(self, k: int) -> str:
        if k < 0:
            raise IndexError(k)
        block, at = divmod(k, self.BLOCK)
        if block == len(self._blocks):
            return self._pending[at]
        text, ends = self._blocks[block]
        return text[ends[at] : ends[at + 1]]


class _BadRows:
    """A file's bad rows: the first ``NAMED`` named, on stderr as they are read or ``kept`` to
    be named once a worker has read the file, the rest counted. A file of 500,000 bad rows
    (the wrong file, or a wrong delimiter) was as many lines, and a worker held them all."""

    NAMED = 1_000

    def __init__(self, path: Path, *, kept: bool) -> None:
        self.path = path
        self.count = 0
        self.kept: list[str] | None = [] if kept else None

    @property
    def all_named(self) -> bool:
        return self.count <= self.NAMED

    def add(self, message: str) -> None:
        self.count += 1
        if self.all_named:
            if self.kept is None:
                err.print(message)
            else:
                self.kept.append(message)

    def told(self) -> None:
        """Those kept named, then the count of those not named: once, when the file is read."""
        for message in self.kept or []:
            err.print(message)
        if not self.all_named:
            err.print(f"skiptrace link: {self.path}: {self.count - self.NAMED:,} more bad "
                      f"rows not linked, not named (the first {self.NAMED:,} are)")  # fmt: skip


class _Side:
    """One input file: its header and column mapping, then its records, read once (``again``
    reads them afresh); ``ids`` fills as they are read (the id column, else record numbers,
    from 1)."""

    def __init__(self, path: Path, overrides: dict[str, str], *, quiet: bool = False) -> None:
        from skiptrace.tables.columns import (
            describe_columns,
            find_columns,
            identity_header,
            require_name,
        )

        self.path, self._overrides = path, overrides
        self.bad = _BadRows(path, kept=quiet)
        """The bad rows, left out: named (with ``quiet``, kept to be named), then counted."""
        try:
            found = os.stat(path)
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from None
        self.size = found.st_size
        self._identity = _identity(found)
        self.header, self._rows = read_rows(path)
        self.columns = find_columns(
            self.header, {k: v for k, v in overrides.items() if v in self.header}, link=True
        )
        require_name(self.columns, self.header, path)
        id_column = self.columns.get("id")
        if id_column and (id_column == self.columns.get("id_number") or identity_header(id_column)):
            raise _identity_in_ids(str(path), id_column)
        if not quiet:
            err.print(f"{path}: {describe_columns(self.header, self.columns)}")
        self._at: dict[str, int] = {}  # a column's cell position: a repeated name's first,
        for i, name in enumerate(self.header):  # as find_columns and enrich read it
            self._at.setdefault(name, i)
        self.ids = _Ids()

    def ids_note(self, written: Callable[[str], str]) -> str:
        """What the output's ids cannot tell apart, if anything: records sharing an id as
        ``written`` writes it (``'-42`` and ``-42`` are one once neutralised), and records
        with none (a file without an id column has record numbers, each its own). Counted
        from 64-bit hashes, 8 bytes a record: a million ids as a set would be ~60 MB."""
        import numpy as np

        if "id" not in self.columns:
            return ""
        hashes = np.fromiter((hash(written(i)) for i in self.ids), dtype=np.int64,
                             count=len(self.ids))  # fmt: skip
        none = hashes == hash(written(""))  # one pass over the ids: a blank is hashed too
        blank = int(none.sum())
        counts = np.unique(hashes[~none], return_counts=True)[1]
        shared = int(counts[counts > 1].sum())
        said = [f"{shared:,} records share an id with another"] if shared else []
        if blank:  # alone, the line says what none is of ("2 have none" had not)
            have, records = ("has", "record") if blank == 1 else ("have", "records")
            said.append(f"{blank:,} {have} none" if said else f"{blank:,} {records} {have} no id")
        return ", ".join(said) + (": their links name the id as written" if said else "")

    def _cells(self) -> Iterator[list[str]]:
        """The rows' cells. A row that cannot be read as it stands is named (on stderr, or in
        ``problems``), with why, and left out."""
        # once, not a row at a time
        from skiptrace.matching.prepare import letters_and_digits, written_as_ssn

        columns, at = self.columns, self._at
        id_column = at.get(columns["id"]) if "id" in columns else None
        number_column = at.get(columns["id_number"]) if "id_number" in columns else None
        for row in self._rows:
            problem = row.problem or HEADER_AGAIN * repeats_header(row.cells, self.header)
            if problem:
                # as enrich does with a bad row: a ragged row's values may sit in the wrong
                # columns, and a wrong link is worse than none
                said = f"skiptrace link: {self.path} record {row.index + 1} not linked: "
                self.bad.add(said + problem)
                continue
            cells = row.cells
            number = cells[number_column] if number_column is not None else ""
            if id_column is not None and _an_identity_number(
                cells[id_column], number, letters_and_digits, written_as_ssn
            ):
                raise _identity_in_ids(f"{self.path} record {row.index + 1}", columns["id"])
            self.ids.append(cells[id_column] if id_column is not None else str(row.index + 1))
            yield cells
        if self.bad.kept is None:
            self.bad.told()
        self._read_whole()

    def _read_whole(self) -> None:
        """InputError if the file was changed in place while it was read (written over, cut,
        added to): the reader met the new text where it stood, and an export written over
        the file, shorter, ended the read there, the rest of its records never linked. One
        renamed over it changes nothing: the file opened was read to its end."""
        try:
            now = _identity(os.stat(self.path))
        except OSError:  # removed, or renamed away: the file opened was read whole too
            return
        if now[:2] == self._identity[:2] and now != self._identity:
            raise _changed(self.path)

    def again(self) -> tuple[Iterator[Fields], Callable[[], tuple[_Ids, _BadRows]]]:
        """``prepare.Reader`` of the file: read afresh (by a worker, or here), its ids and bad
        rows told once it is read (``heard``). The file read again must be the one whose
        header was checked and described: a file changed meanwhile is an error."""
        side = _Side(self.path, self._overrides, quiet=True)
        if (side._identity, side.header, side.columns) != (
            self._identity, self.header, self.columns
        ):  # fmt: skip
            raise _changed(self.path)
        return side.batches(), lambda: (side.ids, side.bad)

    def read_on(self) -> tuple[Iterator[Fields], Callable[[], tuple[_Ids, _BadRows]]]:
        """``prepare.Reader`` of the file as first opened, read on here (its bad rows named
        as they are read): with no worker, it is read once."""
        return self.batches(), lambda: (self.ids, self.bad)

    def heard(self, told: tuple[_Ids, _BadRows]) -> None:
        """What reading the file ``again`` told: its ids, and its bad rows, named and counted
        now (read here by ``read_on``, they were as they were read)."""
        self.ids, self.bad = told
        if self.bad.kept is not None:
            self.bad.told()

    def _fields(self) -> list[tuple[str, int]]:
        """(canonical field, its cell's position) of the fields the file holds."""
        at = self._at
        return [(field, at[column]) for field, column in self.columns.items() if column in at]

    def records(self) -> Iterator[dict[str, str]]:
        """The records as canonical fields (bad rows left out, as ``_cells`` says)."""
        fields = self._fields()
        for cells in self._cells():
            yield {field: cells[i] for field, i in fields}

    def batches(self) -> Iterator[Fields]:
        """The records as ``prepare.Fields``, ``prepare.BATCH`` at a time (bad rows left out, as
        ``_cells`` says): columns straight from the cells, with no record built."""
        from skiptrace.matching.prepare import FIELDS, batched

        fields = [(name, i) for name, i in self._fields() if name in FIELDS]
        wanted = [i for _, i in fields]  # only these cells are held: a wide file's others not
        rows = ([cells[i] for i in wanted] for cells in self._cells())
        kept = [(name, k) for k, (name, _) in enumerate(fields)]
        return (_as_fields(batch, kept) for batch in batched(rows))


def _identity(found: os.stat_result) -> tuple[int, ...]:
    """What tells a file changed: its device and inode, size, modification and change times
    (a copy that keeps the size and sets the time back changes the latter)."""
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def _changed(path: Path) -> InputError:
    """The error of a file that changed while it was read: what was read of it is not the
    file the run was asked to link."""
    return InputError(f"{path} changed while it was being read: link it again")


def _as_fields(rows: list[list[str]], fields: list[tuple[str, int]]) -> Fields:
    """The rows' ``fields`` (name, cell position) as ``Fields``, each cut and stripped as
    ``prepare.texts`` does; a field no column holds is empty."""
    from skiptrace.matching.prepare import FIELDS, MAX_FIELD

    given = {name: [cells[i][:MAX_FIELD].strip() for cells in rows] for name, i in fields}
    return {name: given.get(name) or [""] * len(rows) for name in FIELDS}
