"""``skiptrace enrich``: research every debtor of a CSV file."""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from skiptrace.cli.common import (
    PurposeOption,
    SourceOption,
    connectors_for,
    err,
    load,
    open_audit,
    purpose_or_exit,
    require_writable_folder,
)
from skiptrace.errors import SkiptraceError
from skiptrace.net import wall
from skiptrace.tables.reader import count_rows

if TYPE_CHECKING:
    from skiptrace.research.enrich import Summary


def enrich_file(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(metavar="INPUT", help="The debtor CSV file.")],
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", metavar="PATH", help="Default: INPUT.enriched.csv"),
    ] = None,
    mapping: Annotated[list[str] | None, typer.Option("--map", help="FIELD=COLUMN.")] = None,
    sources: SourceOption = None,
    purpose: PurposeOption = "",
    jobs: Annotated[int, typer.Option("--jobs", min=1, max=64, help="Debtors at once.")] = 4,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar.")] = False,
    refresh: Annotated[
        bool,
        typer.Option("--refresh", help="Research every row afresh, ignoring an earlier run's."),
    ] = False,
    evidence: Annotated[
        Path | None,
        typer.Option(
            "--evidence",
            metavar="FILE.jsonl",
            help="Append, per row researched, every candidate with its per-field "
            "comparison and provenance (for review and disputes).",
        ),
    ] = None,
) -> None:
    """Research every row; write it back with the found_* columns, in input order. Resumes a
    run that was stopped: rerun the same command.

    Exit codes: 0 every row researched; 1 an unexpected error; 2 a usage, file or state
    problem; 3 finished, but some rows are incomplete (a source could not be asked): rerun the
    same command later to research those rows, and only those, again."""
    from skiptrace.tables.columns import columns_line, parse_map
    from skiptrace.tables.paths import check_paths, default_output

    wall.install()
    policy = load(ctx)
    chosen = purpose_or_exit(policy, purpose)
    if output == "-":
        err.print("skiptrace enrich: -o - (stdout) cannot be resumed into: name a file "
                  "(./- for a file named '-')")  # fmt: skip
        raise typer.Exit(2)
    target = Path(output) if output else default_output(source)
    show = not no_progress and err.is_terminal
    finished: list[Summary] = []
    try:
        overrides = parse_map(mapping or [])
        check_paths(source, target, evidence)  # before the progress bar counts the input
        require_writable_folder("enrich", target)
        columns = columns_line(source, overrides)  # which column is which field
        from skiptrace.research.enrich import enrich  # after the input: a typo is said at once

        # after the input: its problem is said first
        connectors = connectors_for(ctx, sources, policy)
        with _progress(show, source) as bar, open_audit(policy) as audit:
            asyncio.run(
                _kept(enrich(source, target, policy=policy, audit=audit, connectors=connectors,
                             purpose=chosen, overrides=overrides, jobs=jobs, progress=bar,
                             refresh=refresh, evidence=evidence,
                             started=lambda: err.print(columns)), finished)
            )  # fmt: skip
    except SkiptraceError as exc:
        err.print(f"skiptrace enrich: {exc}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:  # Ctrl-C: the rows finished so far are checkpointed
        if not finished:  # else it came once the output was in place: the run is done
            err.print(f"stopped; the rows finished so far are kept: to resume, run the same "
                      f"command again: {_same_command()}")  # fmt: skip
            raise typer.Exit(130) from None
    summary = finished[0]
    _report(summary, target)
    for note in summary.notes:
        err.print(f"note: {note}")
    if summary.incomplete:
        err.print(f"{summary.incomplete} rows incomplete (a source could not be asked): rerun "
                  "the same command later to research them again")  # fmt: skip
        raise typer.Exit(3)


async def _kept(run: Awaitable[Summary], finished: list[Summary]) -> None:
    """``run``'s summary put in ``finished`` as soon as it returns. Its last steps (the output
    renamed into place, its checkpoints deleted) do not wait, so a stop that comes then is
    only taken, by asyncio's cancelling of the task, as the run returns: no stop of a run
    whose output is complete (said as one, its rerun researched every row again)."""
    finished.append(await run)


def _same_command() -> str:
    """This command line, as a shell would take it back."""
    return shlex.join(["skiptrace", *sys.argv[1:]])


class _progress:
    """A progress bar on stderr (rows, hits, rate-limited sources, ETA), or nothing."""

    def __init__(self, show: bool, source: Path) -> None:
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                             TextColumn("{task.completed}/{task.total} rows"),
                             TimeRemainingColumn(), console=err) if show else None  # fmt: skip
        self._total = count_rows(source) if show else 0
        self._task = TaskID(0)

    def __enter__(self) -> _progress:
        if self._bar is not None:
            self._bar.start()
            self._task = self._bar.add_task("enriching", total=max(self._total, 1))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, summary: Summary) -> None:
        from skiptrace.records import Status
        from skiptrace.research.findings import RowStatus

        if self._bar is not None:
            limited = sum(
                c[Status.RATE_LIMITED] + c[Status.BLOCKED] for c in summary.sources.values()
            )
            hits = summary.statuses[RowStatus.HIT]
            description = f"hits {hits}, rate-limited/blocked {limited}"
            self._bar.update(self._task, completed=summary.rows, description=description)


def _report(summary: Summary, target: Path) -> None:
    from skiptrace.research.findings import OUTPUT_COLUMNS, RowStatus

    rows = max(summary.rows, 1)
    resumed = f" ({summary.resumed} from an earlier run)" if summary.resumed else ""
    err.print(f"wrote {target}: {summary.rows} rows in {summary.seconds:.1f} s{resumed}")
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(summary.statuses.items()))
    researched = max(summary.researched, 1)  # flagged, error, incomplete rows: not in the rate
    hits = summary.statuses[RowStatus.HIT]
    err.print(f"rows: {statuses}; rows matched (hit) {hits / researched:.1%} of the "
              f"{summary.researched} researched")  # fmt: skip
    found = [c for c in OUTPUT_COLUMNS if c.startswith("found_")]
    fills = ", ".join(f"{c} {summary.filled[c] / rows:.1%}" for c in found
                      if not c.endswith(("_source", "_score")))  # fmt: skip
    err.print(f"fill rate: {fills}")
    err.print("sources (per row asked; 'hit' = the source returned records for it):")
    for connector, counts in sorted(summary.sources.items()):
        shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        err.print(f"  {connector}: {shown}")
