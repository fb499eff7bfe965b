"""Lookups and batch enrichment: debtor rows in, researched rows out, in input order.

One session stack serves the whole run, so every host keeps to its policy rate however many
debtors are in flight. Rows are read lazily and at most ``jobs`` are researched at once (and
only a bounded window may wait for a slow earlier row), so memory stays flat. Each finished
row is checkpointed before it is written; the output goes to a temporary file that replaces
the target only when complete.
"""

from __future__ import annotations

import asyncio
import csv
import os
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.connectors._model import Connector
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.policy import Policy
from skiptrace.records import QUERY_FIELDS, Query
from skiptrace.research.findings import OUTPUT_COLUMNS, RowStatus, output_row
from skiptrace.research.run import Run
from skiptrace.state import home
from skiptrace.tables.checkpoints import Checkpoints, run_key
from skiptrace.tables.columns import find_columns, require_name
from skiptrace.tables.flags import flag_columns, raised_flags
from skiptrace.tables.reader import Row, read_rows


@dataclass
class Summary:
    """What a run did, for the closing report."""

    rows: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    filled: Counter[str] = field(default_factory=Counter)
    sources: dict[str, Counter[str]] = field(default_factory=dict)
    resumed: int = 0
    seconds: float = 0.0

    def add(self, output: Mapping[str, str], results: Sequence[ConnectorResult]) -> None:
        self.rows += 1
        self.statuses[str(output["status"])] += 1
        for column in OUTPUT_COLUMNS:
            if column.startswith("found_") and output.get(column):
                self.filled[column] += 1
        for result in results:
            self.sources.setdefault(result.connector, Counter())[str(result.status)] += 1


Progress = Callable[[Summary], None]


def query_of(row: Mapping[str, str], columns: Mapping[str, str], reference: str) -> Query:
    fields = {f: row.get(column, "") for f, column in columns.items() if f in QUERY_FIELDS}
    return Query.of(reference, **fields)


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
) -> Summary:
    """Research every row of ``source`` into ``target``; resumes a run stopped midway."""
    header, rows = read_rows(source)
    columns = find_columns(header, overrides)
    require_name(columns, header, source)
    flags = flag_columns(header)
    options = [f"source={c.info.id}@{c.info.version}" for c in connectors]
    options += [f"map={k}={v}" for k, v in overrides.items()]
    checkpoints = Checkpoints(home() / "checkpoints.sqlite3", run_key(source, options),
                              float(policy["retention.days"]))  # fmt: skip
    partial = target.with_name(f".{target.name}.partial")
    summary, started = Summary(), time.monotonic()
    try:
        async with Run(policy, audit, connectors, purpose=purpose) as run:

            async def one(row: Row) -> list[str]:
                kept = checkpoints.get(row.index)
                if kept is not None:
                    summary.resumed += 1
                    summary.add(dict(zip(OUTPUT_COLUMNS, kept[len(header) :], strict=False)), [])
                    return kept
                output, results = await _research_row(row, header, columns, flags, run)
                cells = row.cells + [output[c] for c in OUTPUT_COLUMNS]
                checkpoints.put(row.index, cells)
                summary.add(output, results)
                return cells

            with partial.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow([*header, *OUTPUT_COLUMNS])
                await _in_order(rows, one, writer.writerow, jobs, lambda: _tick(progress, summary))
        os.replace(partial, target)
    finally:
        checkpoints.close()
    summary.seconds = time.monotonic() - started
    return summary


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
    for row in rows:
        queue.append(asyncio.ensure_future(limited(row)))
        while queue and (queue[0].done() or len(queue) >= 4 * jobs):
            write(await queue.popleft())
            tick()
    while queue:
        write(await queue.popleft())
        tick()


async def _research_row(
    row: Row,
    header: list[str],
    columns: Mapping[str, str],
    flags: Mapping[str, str],
    run: Run,
) -> tuple[dict[str, str], list[ConnectorResult]]:
    output = dict.fromkeys(OUTPUT_COLUMNS, "")
    if row.problem:
        output.update(status=RowStatus.ERROR, status_detail=f"row {row.index + 2}: {row.problem}")
        return output, []
    values = dict(zip(header, row.cells, strict=True))
    raised = raised_flags(values, flags)
    if raised:
        detail = f"do not research: {', '.join(raised)}"
        output.update(status=RowStatus.SKIPPED_FLAG, status_detail=detail)
        return output, []
    reference = values.get(columns["id"], "") if "id" in columns else f"row {row.index + 2}"
    query = query_of(values, columns, reference)
    if not query.has("last_name") and not query.has("full_name"):
        output.update(status=RowStatus.ERROR, status_detail="the row has no name")
        return output, []
    results = await run.research(query)
    return output_row(dict(query.values), results), results
