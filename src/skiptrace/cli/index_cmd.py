"""``skiptrace index``: import public bulk files into the offline index, see what it holds,
search it, drop a source."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from skiptrace.cli.common import err, out, require_home
from skiptrace.errors import IndexBusy, InputError, ManifestError, WriteError
from skiptrace.safe_text import json_escaped, message_line

if TYPE_CHECKING:
    from skiptrace.index import Store
    from skiptrace.index.manifest import BulkSource

index_app = typer.Typer(
    no_args_is_help=True,
    help="The offline index of public bulk records (imported files; searched by the "
    "offline connector).",
)

BulkDirOption = Annotated[
    list[Path] | None,
    typer.Option("--bulk-dir", help="A folder of extra bulk source manifests. Repeatable."),
]


@index_app.command("sources")
def index_sources(bulk_dir: BulkDirOption = None) -> None:
    """The bulk sources skiptrace can import: id, what files it reads, licence; then the page
    each is downloaded from, a line each so its URL is never folded."""
    sources = _sources(bulk_dir)
    table = Table(show_edge=False, pad_edge=False)
    for column in ("id", "files", "licence"):
        table.add_column(column, overflow="fold")
    for source in sources.values():
        files = "\n".join(spec.member for spec in source.files)
        table.add_row(source.id, files, source.licence)
    out.print(table)
    pages = [(source.id, source.homepage) for source in sources.values() if source.homepage]
    if pages:
        out.print("\ndownloaded from:")
        width = max(len(source_id) for source_id, _ in pages)
        for source_id, page in pages:
            out.print(f"  {source_id:<{width}}  {page}")


@index_app.command("import")
def index_import(
    source_id: Annotated[str, typer.Argument(metavar="SOURCE", help="A bulk source's id.")],
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="Downloads (ZIP or plain files).")
    ],
    bulk_dir: BulkDirOption = None,
    file_date: Annotated[
        str,
        typer.Option(
            "--file-date",
            metavar="YYYY-MM-DD",
            help="The files' date, when their names do not say it.",
        ),
    ] = "",
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress line.")] = False,
    allow_shrink: Annotated[
        bool,
        typer.Option(
            "--allow-shrink",
            help="Let a full file remove more than half of its source's records (1,000 or "
            "more): the source really shrank, the download was not cut short.",
        ),
    ] = False,
) -> None:
    """Import downloads of SOURCE: streamed (memory stays flat), resumable after a kill (run
    the same command), idempotent (a file already imported is skipped). A full file replaces
    the source's older rows; a delta (NPPES weekly) updates them."""

    sources = _sources(bulk_dir)  # once: its problems are printed as it reads
    source = sources.get(source_id)
    if source is None:
        known = ", ".join(sorted(sources))
        err.print(f"skiptrace index import: no bulk source {source_id!r} (known: {known})")
        raise typer.Exit(2)
    require_home()
    with _opened("import") as store:
        for path in files:
            show = not no_progress and err.is_terminal
            _import_one(store, source, path, file_date, show, allow_shrink)


def _import_one(
    store: Store, source: BulkSource, path: Path, day: str, show: bool, allow_shrink: bool
) -> None:
    from skiptrace.index import import_file

    name = message_line(path.name)  # as text, one line: never markup nor a terminal's code
    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False),
                  TimeElapsedColumn(), console=err, disable=not show,
                  transient=True) as bar:  # fmt: skip
        task = bar.add_task(f"{name}: starting")

        def advance(rows: int) -> None:
            bar.update(task, description=f"{name}: {rows:,} rows read")

        try:
            summary = import_file(store, source, path, file_date=day, progress=advance,
                                  allow_shrink=allow_shrink)  # fmt: skip
        except InputError as exc:
            err.print(f"skiptrace index import: {exc}")
            raise typer.Exit(2) from None
        except IndexBusy as exc:
            err.print(f"skiptrace index import: {path.name}: {exc}")
            raise typer.Exit(2) from None
        except sqlite3.OperationalError as exc:  # "database is locked": another import
            err.print(f"skiptrace index import: {path.name}: the index is busy ({exc}); run "
                      "the same command again to resume")  # fmt: skip
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print(f"{path.name}: interrupted; run the same command to resume")
            raise typer.Exit(130) from None
    if summary.already:
        out.print(f"{source.id}: {name} ({summary.file_date}) was imported already: "
                  f"{summary.parties:,} records; nothing to do")  # fmt: skip
        return
    kind = "delta" if summary.delta else "full"
    resumed = ", resumed" if summary.resumed else ""
    out.print(
        f"{source.id}: {name} ({summary.file_date}, {kind}{resumed}): {summary.rows:,} rows "
        f"read, {summary.parties:,} records, {summary.bad:,} malformed rows skipped, "
        f"{summary.fixed:,} rows decoded with the fallback codec, {summary.removed:,} older "
        f"rows removed"
    )
    if day and day != summary.file_date:  # the name's date wins, or the one the import
        # resumed was started with: said, not dropped unseen
        why = "the import it resumes is dated" if summary.resumed else "its name dates it"
        err.print(f"note: {name}: --file-date {day} not used: {why} {summary.file_date}")
    for problem in summary.problems:
        err.print(f"  skipped: {problem}")
    if summary.bad > len(summary.problems):
        err.print(f"  ... and {summary.bad - len(summary.problems):,} more")
    for column in summary.missing_columns:
        err.print(f"  column not in the header (read as empty): {column}")


@index_app.command("stats")
def index_stats() -> None:
    """What the index holds: records by source and kind, and every file imported."""
    path = _index_file()
    if not path.is_file():
        out.print(f"no offline index at {path}: import files with `skiptrace index import`")
        return
    with _opened("stats") as store:
        table = Table(title=f"{path}", title_justify="left", show_edge=False, pad_edge=False)
        for column in ("source", "kind", "records"):
            table.add_column(column, justify="right" if column == "records" else "left")
        for source, kind, count in store.counts():
            table.add_row(source, kind, f"{count:,}")
        out.print(table)
        files = Table(title="files", title_justify="left", show_edge=False, pad_edge=False)
        for column in ("source", "file", "date", "kind", "rows", "malformed", "state"):
            files.add_column(column, overflow="fold")
        for run in store.files():
            state = f"done {run.finished}" if run.finished else "interrupted: import it again"
            files.add_row(run.source, run.name, run.file_date, "delta" if run.delta else "full",
                          f"{run.rows:,}", f"{run.bad:,}", state)  # fmt: skip
        out.print(files)
    out.print(f"size: {path.stat().st_size:,} bytes")


@index_app.command("search")
def index_search(
    name: Annotated[str, typer.Option("--name", help="A person's name.")] = "",
    employer: Annotated[str, typer.Option("--employer", help="An organisation's name.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """The records filed under a person's name (surname and first initial, nicknames
    included) or an organisation's, newest first. Not scored: `lookup --source offline`
    scores them against a debtor."""
    from skiptrace.records import Query

    if not (name or employer):
        err.print("skiptrace index search: give --name, --employer or both")
        raise typer.Exit(2)
    path = _index_file()
    if not path.is_file():
        err.print(f"no offline index at {path}: import files with `skiptrace index import`")
        raise typer.Exit(2)
    query = Query.of(full_name=name) if name else Query.of()
    first, last = query.get("first_name"), query.get("last_name")
    if first and not last:  # one word is read as a first name; here it is a surname
        first, last = "", first
    with _opened("search") as store:
        hits = store.search(first, last, employer)
    if as_json:
        for hit in hits:
            # a register's bidi or C1 character as an escape: the value kept, none acted on
            out.print(json_escaped(json.dumps(asdict(hit), ensure_ascii=False)))
        return
    table = Table(title=f"{len(hits)} records", title_justify="left", show_edge=False)
    for column in ("name", "kind", "employer / title", "addresses", "record date", "from"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        work = " / ".join(p for p in (hit.employer, hit.title) if p)
        places = "\n".join(f"{p.role}: {p.address().one_line()}" for p in hit.places)
        table.add_row(hit.name, hit.kind, work, places, hit.updated,
                      f"{hit.source} {hit.file_date} {hit.key}")  # fmt: skip
    out.print(table)


@index_app.command("drop")
def index_drop(
    source_id: Annotated[str, typer.Argument(metavar="SOURCE", help="A bulk source's id.")],
) -> None:
    """Remove one source's records and its import history from the index."""
    path = _index_file()
    if not path.is_file():
        out.print(f"no offline index at {path}: nothing to drop")
        return
    with _opened("drop") as store:
        try:
            with store.writing():
                removed = store.drop(source_id)
        except IndexBusy as exc:
            err.print(f"skiptrace index drop: {exc}")
            raise typer.Exit(2) from None
    out.print(f"{source_id}: {removed:,} records removed")


def _index_file() -> Path:
    """Where the index is, or exit 2 in one line if SKIPTRACE_HOME cannot be made (a file
    stands at its name): reading the index needs no home it can write."""
    from skiptrace.index import index_path

    require_home(writing=False)
    return index_path()


@contextmanager
def _opened(command: str) -> Iterator[Store]:
    """The index for ``command``: a file at its name that is no SQLite database (another
    program's, one cut short, a FIFO) is one line, exit 2, where it was a traceback."""
    from skiptrace.index import Store, index_path

    path = index_path()
    try:
        with Store(path) as store:
            yield store
    except WriteError as exc:  # from opening it
        err.print(f"skiptrace index {command}: {exc}")
        raise typer.Exit(2) from None
    except sqlite3.DatabaseError as exc:  # from reading it: damaged past its first pages
        err.print(f"skiptrace index {command}: cannot read {path}: {exc}")
        raise typer.Exit(2) from None


def _sources(extra: list[Path] | None) -> dict[str, BulkSource]:
    from skiptrace.index.manifest import bulk_sources

    for folder in extra or []:  # a usage error, as --connectors-dir: a mistyped folder had
        if not folder.is_dir():  # gone on without the sources it was given
            err.print(f"--bulk-dir {folder}: not a folder")
            raise typer.Exit(2)
    try:
        sources, problems = bulk_sources(extra or [])
    except ManifestError as exc:
        err.print(str(exc))
        raise typer.Exit(2) from None
    for problem in problems:
        err.print(f"not loaded: {problem}")
    return sources
