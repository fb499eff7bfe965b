"""Lookups and batch enrichment: debtor rows in, researched rows out, in input order.

One session stack serves the whole run, so every host keeps to its policy rate however many
debtors are in flight. Rows are read lazily and at most ``jobs`` are researched at once (and
only a bounded window may wait for a slow earlier row), so memory stays flat. Each finished
row is checkpointed before it is written; the output goes to a temporary file that replaces
the target only when complete.

A row a source could not be asked about (``incomplete``: unreachable, timed out, rate-limited,
blocked, robots.txt unavailable, source error) is written but never checkpointed: the next run
of the same command researches it again, and only it, taking the finished rows from the
checkpoints. ``refresh`` forgets a run's checkpoints first, so every row is researched afresh.

Checkpoints keep a row's output columns only, never the input's own cells: a resumed run reads
those again from the input (the run key proves it is the same file, and each kept row is bound
to the cells it was researched from). A run's checkpoints are deleted once its output is in
place with every row finished; while rows are incomplete they are kept (for ``retention.days``)
for the run that finishes them.

Before anything is researched, the paths are checked (``check_paths``): the input must be a
regular file, and the output neither the input (however spelled), nor a directory, nor in a
folder that does not exist. The input is then read from start to end twice (its hash, which
names the run for resuming, and its rows), plus its first 64 KiB for the dialect; the CLI's
progress bar reads its rows once more when it is drawn.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skiptrace._version import code_digest
from skiptrace.audit import AuditLog
from skiptrace.audit.redact import made_by_skiptrace
from skiptrace.connectors._model import Connector, Stateful
from skiptrace.connectors._registry import key_missing
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.errors import InputError, WriteError
from skiptrace.policy import Policy
from skiptrace.records import MATCH_ONLY_FIELDS, QUERY_FIELDS, Query, most_bytes
from skiptrace.research.evidence import EvidenceFile
from skiptrace.research.findings import (
    OUTPUT_COLUMNS,
    Candidate,
    RowStatus,
    candidates,
    output_row,
)
from skiptrace.research.run import Run
from skiptrace.state import home
from skiptrace.tables.checkpoints import Checkpoints, changed, file_state, run_identity
from skiptrace.tables.columns import find_columns, require_name, split_suffix
from skiptrace.tables.flags import flag_columns, raised_flags
from skiptrace.tables.paths import Partial, check_paths
from skiptrace.tables.reader import HEADER_AGAIN, Row, read_rows, repeats_header


@dataclass
class Summary:
    """What a run did, for the closing report."""

    rows: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    filled: Counter[str] = field(default_factory=Counter)
    sources: dict[str, Counter[str]] = field(default_factory=dict)
    resumed: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    """What to say once the run is over: an input column written under another name, what
    went wrong after the output was in place (said, not failed)."""

    def add(self, output: Mapping[str, str], results: Sequence[ConnectorResult]) -> None:
        self.rows += 1
        self.statuses[str(output["status"])] += 1
        for column in OUTPUT_COLUMNS:
            if column.startswith("found_") and output.get(column):
                self.filled[column] += 1
        for result in results:
            said = result.reason or str(result.status)  # the reason words, as status_detail
            self.sources.setdefault(result.connector, Counter())[said] += 1
        if not results:  # a row kept from an earlier run: its sources as that run wrote them
            for checked in filter(None, output.get("sources_checked", "").split(";")):
                connector, _, said = checked.partition(":")
                self.sources.setdefault(connector, Counter())[said] += 1

    @property
    def researched(self) -> int:
        """Rows whose research is final: flagged rows are left out (no request is made), so
        are error rows (``not researched``: unreadable, no name, no source could search) and
        incomplete ones (a source could not be asked: researched again by the next run)."""
        left_out = (RowStatus.SKIPPED_FLAG, RowStatus.ERROR, RowStatus.INCOMPLETE)
        return self.rows - sum(self.statuses[status] for status in left_out)

    @property
    def incomplete(self) -> int:
        """Rows left ``incomplete``: a rerun of the same command researches them again."""
        return self.statuses[RowStatus.INCOMPLETE]


Progress = Callable[[Summary], None]


def _given_as(field: str, columns: Mapping[str, str]) -> str:
    """The input column(s) a query's ``field`` was read from, and "is/are longer", for a
    message: a name made of its parts names them ("Given and Family together are longer"),
    never a ``full_name`` the file does not have."""
    if field in columns:
        return f"{columns[field]} is longer"
    if field == "full_name":
        parts = [columns[f] for f in ("first_name", "middle_name", "last_name") if f in columns]
        if len(parts) > 1:
            return f"{' and '.join(parts)} together are longer"
    return f"{columns.get('full_name') or columns.get('last_name') or field} is longer"


def query_of(row: Mapping[str, str], columns: Mapping[str, str], reference: str) -> Query:
    fields = {f: row.get(column, "") for f, column in columns.items()
              if f in QUERY_FIELDS or f in MATCH_ONLY_FIELDS}  # fmt: skip
    return Query.of(reference, **split_suffix(fields))  # "Smith Jr" is sent as Smith, suffix Jr


async def enrich(
    source: Path,
    target: Path,
    *,
    policy: Policy,
    audit: AuditLog,
    connectors: Sequence[Connector],
    purpose: str,
    overrides: Mapping[str, str],
    jobs: int = 4,
    progress: Progress | None = None,
    refresh: bool = False,
    evidence: Path | None = None,
    started: Callable[[], None] | None = None,
) -> Summary:
    """Research every row of ``source`` into ``target``; resumes a run stopped midway, or one
    that left rows ``incomplete`` (only those are researched again), unless ``refresh``.
    ``evidence`` names a JSON-lines file each researched row's candidates are appended to
    (``skiptrace.research.evidence``); ``started`` is called once the files are checked and
    research begins. InputError before any research for paths ``check_paths`` refuses, a file
    with no header or rows, or a partial output that is not a leftover of ours; and at the end,
    with no output put in place, for an input file that changed while it was read. WriteError
    for a file that could not be written (a full disk): what was finished is kept."""
    check_paths(source, target, evidence)
    before = file_state(source)
    header, rows = read_rows(source)
    columns = find_columns(header, overrides)
    require_name(columns, header, source)
    flags = flag_columns(header)
    options = run_options(connectors, overrides, policy)
    summary, began = Summary(), time.monotonic()
    with contextlib.ExitStack() as stack:
        partial = stack.enter_context(Partial(target))  # before the input is hashed
        proof = None
        if evidence is not None:
            others = (source, target, partial.path)
            proof = stack.enter_context(EvidenceFile(evidence, others))
        identity = run_identity(source, options)
        checkpoints = Checkpoints(home() / "checkpoints.sqlite3", identity.key,
                                  float(policy["retention.days"]), seal=identity.seal,
                                  input_tag=identity.input_tag)  # fmt: skip
        try:
            if refresh:
                checkpoints.clear()  # every row is researched afresh
            elif unused := checkpoints.others():
                summary.notes.append(_not_reused(unused))
            async with Run(policy, audit, connectors, purpose=purpose) as run:

                async def one(row: Row) -> list[str]:
                    kept = checkpoints.get(row.index, row.cells)  # the output columns only
                    if kept is not None and _found_for_a_flagged_row(row, header, flags, kept):
                        kept = None
                    if kept is not None and len(kept) == len(OUTPUT_COLUMNS):
                        summary.resumed += 1
                        summary.add(dict(zip(OUTPUT_COLUMNS, kept, strict=True)), [])
                        return row.cells + kept
                    reference = _reference(row, header, columns)
                    output, results, people = await _research_row(
                        row, header, reference, columns, flags, run
                    )
                    if proof is not None:
                        proof.write(row.index + 2, reference, output, results, people)
                    found = [output[c] for c in OUTPUT_COLUMNS]
                    if output["status"] != RowStatus.INCOMPLETE:  # researched again next run
                        checkpoints.put(row.index, found, row.cells)  # the cells are not stored
                    summary.add(output, results)
                    return row.cells + found

                kept, renamed = output_header(header)
                summary.notes += renamed
                partial.writerow([*kept, *OUTPUT_COLUMNS])
                if started is not None:
                    started()
                await _in_order(rows, one, partial.writerow, jobs, lambda: _tick(progress, summary))
            # even the same bytes again may have been cut while they were read (rewritten in
            # place), so a new modification time counts (a change time alone, only if the
            # bytes differ: a chmod is no change); rows kept stay kept, each bound to its
            # cells, so a file only touched costs a rerun that takes them from the checkpoints
            if changed(source, before, identity.content):
                raise InputError(
                    f"{source} changed while it was read (still being written, or replaced?): "
                    "no output written; run again once the file is complete"
                )
            partial.complete()
            if not summary.incomplete:
                try:  # the output is in place: nothing is kept for resuming
                    checkpoints.clear()
                except WriteError as exc:  # purged by retention.days, or by the next clear
                    summary.notes.append(f"the output is complete, but {exc}")
        finally:
            checkpoints.close()
    summary.seconds = time.monotonic() - began
    return summary


def _not_reused(rows: int) -> str:
    """Why a rerun researches rows an earlier run of the same input kept."""
    said = f"{rows} rows kept by earlier runs of this input are"
    if rows == 1:
        said = "1 row kept by an earlier run of this input is"
    return (
        f"{said} not reused: another skiptrace version, source, --map or policy names "
        "another run, so every row is researched again"
    )


def _found_for_a_flagged_row(
    row: Row, header: list[str], flags: Mapping[str, str], kept: list[str]
) -> bool:
    """Whether ``kept`` holds what a search found for a row that raises a flag now: a row kept
    before its flag column was read (another build's run) is never given findings."""
    if row.problem or kept[OUTPUT_COLUMNS.index("status")] == RowStatus.SKIPPED_FLAG:
        return False
    return bool(raised_flags(zip(header, row.cells, strict=True), flags))


def run_options(
    connectors: Sequence[Connector], overrides: Mapping[str, str], policy: Policy
) -> list[str]:
    """What changes a run's results besides its input: with the input's content, they name
    the run whose kept rows a resumed run may reuse (``run_identity``)."""
    options = [f"source={c.info.id}@{c.info.version}:{_state(c)}" for c in connectors]
    options += [f"map={k}={v}" for k, v in overrides.items()]
    options.append(f"columns={','.join(OUTPUT_COLUMNS)}")  # what a kept row's cells are
    options.append(f"policy={policy.scope()}")  # rows found under a looser policy are not kept
    options.append(f"code={code_digest()}")  # nor rows another build found: one release's
    # checkouts differ (which flag columns are read, how a name is scored)
    return options


def _state(connector: Connector) -> str:
    """What a connector's answers depend on besides its id and version: its manifest and code
    as loaded (``ConnectorInfo.loaded``: a fixed field mapping), the data it holds
    (``Stateful``: the offline index's files), and whether its API key is set (without it, a
    row is final on the other sources' answers). A resumed run reused rows found before any
    of them changed."""
    state = connector.state() if isinstance(connector, Stateful) else ""
    keyless = key_missing(connector.info)  # set or not: the key itself is never in a run's name
    text = f"{connector.info.loaded}\0{state}\0{keyless}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def output_header(header: Sequence[str]) -> tuple[list[str], list[str]]:
    """The output's names for the input's columns, and a note for each renamed: a column named
    as one of ``OUTPUT_COLUMNS`` ("status" in a collection export, or every one in an enriched
    file enriched again) is written as ``input_NAME`` (more ``input_`` while that is taken),
    never beside skiptrace's under the same name, where a tool reading the first would take the
    file's value for skiptrace's. A name the input repeats is renamed once, its repeats kept
    under one name as the input kept them (each ``input_`` more than the last made a header
    repeating one name thousands of times cost time and room by the square)."""
    names = {*header, *OUTPUT_COLUMNS}
    renamed: dict[str, str] = {}
    for name in dict.fromkeys(header):
        new = name
        while new in OUTPUT_COLUMNS or (new != name and new in names):
            new = f"input_{new}"
        if new != name:
            renamed[name] = new
    notes = [f"the input's column {name} is written as {new} ({name} is skiptrace's)"
             for name, new in renamed.items()]  # fmt: skip
    return [renamed.get(name, name) for name in header], notes


def _tick(progress: Progress | None, summary: Summary) -> None:
    if progress is not None:
        progress(summary)


async def _in_order(
    rows: Iterator[Row],
    work: Callable[[Row], Awaitable[list[str]]],
    write: Callable[[list[str]], object],
    jobs: int,
    tick: Callable[[], None],
) -> None:
    """Run ``work`` on up to ``jobs`` rows at once and write the results in input order.

    At most ``4 * jobs`` rows are held at a time: a slow row makes the later ones wait
    instead of piling up in memory.
    """
    slots = asyncio.Semaphore(jobs)

    async def limited(row: Row) -> list[str]:
        async with slots:
            return await work(row)

    queue: deque[asyncio.Task[list[str]]] = deque()
    try:
        for row in rows:
            queue.append(asyncio.ensure_future(limited(row)))
            while queue and (queue[0].done() or len(queue) >= 4 * jobs):
                write(await queue.popleft())
                tick()
        while queue:
            write(await queue.popleft())
            tick()
    finally:  # one row failed the run (a full disk, say): the others stop before it ends
        for task in queue:
            task.cancel()
        await asyncio.gather(*queue, return_exceptions=True)


async def _research_row(
    row: Row,
    header: list[str],
    reference: str,
    columns: Mapping[str, str],
    flags: Mapping[str, str],
    run: Run,
) -> tuple[dict[str, str], list[ConnectorResult], list[Candidate]]:
    """The row's output columns, each source's answer and the candidates, best first
    (``reference``: the row's account id, or ``row N``)."""
    output = dict.fromkeys(OUTPUT_COLUMNS, "")
    if row.problem:
        output.update(status=RowStatus.ERROR, status_detail=f"row {row.index + 2}: {row.problem}")
        return output, [], []
    if repeats_header(row.cells, header):
        detail = f"not researched: {HEADER_AGAIN}"
        output.update(status=RowStatus.ERROR, status_detail=detail)
        return output, [], []
    values = _by_header(header, row.cells)
    raised = raised_flags(zip(header, row.cells, strict=True), flags)
    if raised:
        detail = f"do not research: {', '.join(raised)}"
        output.update(status=RowStatus.SKIPPED_FLAG, status_detail=detail)
        return output, [], []
    query = query_of(values, columns, reference)
    if overlong := query.overlong():
        detail = (
            f"not researched: {_given_as(overlong, columns)} than {most_bytes(overlong):,} bytes"
        )
        output.update(status=RowStatus.ERROR, status_detail=f"{detail} of text")
        return output, [], []
    if not query.has("last_name") and not query.has("full_name"):
        output.update(status=RowStatus.ERROR, status_detail="the row has no name")
        return output, [], []
    results = await run.research(query)
    people = candidates(dict(query.values), results)
    return output_row(dict(query.values), results, people), results, people


def _reference(row: Row, header: list[str], columns: Mapping[str, str]) -> str:
    """The row's account id when the file has one and the row's cell is not blank, else
    ``row N``: the audit log and the evidence file must name the row either way. An id that
    reads as a reference skiptrace makes (``row 3``, ``lookup``) is written ``id: row 3``: as
    it stood, the log kept it as its own, and a row read as another row's."""
    if "id" in columns and not row.problem:
        found = _by_header(header, row.cells).get(columns["id"], "")
        if found.strip():
            return f"id: {found}" if made_by_skiptrace(found) else found
    return f"row {row.index + 2}"


def _by_header(header: list[str], cells: list[str]) -> dict[str, str]:
    """A row's cells by column name, the first column of a name read where the header
    repeats one, as ``find_columns`` picks it ("last_name" twice: the debtor's, not a
    co-signer's after it)."""
    values: dict[str, str] = {}
    for name, cell in zip(header, cells, strict=True):
        values.setdefault(name, cell)
    return values
