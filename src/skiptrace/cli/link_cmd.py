"""``skiptrace link``: match the records of two files."""

from __future__ import annotations

import csv
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from skiptrace.cli.common import err
from skiptrace.columns import find_columns, parse_map
from skiptrace.csvio import read_table
from skiptrace.errors import SkiptraceError
from skiptrace.matching import link
from skiptrace.pipeline import NAME_FIELDS

OUTPUT_COLUMNS = ["left_id", "right_id", "score", "band", "matched_on"]


def link_files(
    left: Annotated[Path, typer.Argument(help="The first CSV file (e.g. the debtors).")],
    right: Annotated[Path, typer.Argument(help="The second CSV file.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="FIELD=COLUMN, for a column the synonyms do not find."),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.0, max=1.0, help="Lowest score kept.")
    ] = 0.5,
    all_pairs: Annotated[bool, typer.Option("--all", help="Every pair above it.")] = False,
) -> None:
    """Link LEFT and RIGHT: the best RIGHT record for each LEFT record above the threshold
    (every pair above it with --all), as left_id,right_id,score,band,matched_on."""
    try:
        overrides = parse_map(mapping or [])
        sides = [_records(path, overrides) for path in (left, right)]
        unknown = {f"{k}={v}" for k, v in overrides.items() if all(v not in h for h, *_ in sides)}
        if unknown:
            raise SkiptraceError(
                f"--map {', '.join(sorted(unknown))}: no such column in either file"
            )
    except SkiptraceError as exc:
        err.print(f"skiptrace link: {exc}")
        raise typer.Exit(2) from None
    (_, left_ids, left_records), (_, right_ids, right_records) = sides
    try:
        target = (
            output.open("w", encoding="utf-8", newline="") if output else nullcontext(sys.stdout)
        )
    except OSError as exc:
        err.print(f"skiptrace link: cannot write {output}: {exc.strerror}")
        raise typer.Exit(2) from None
    found = link(left_records, right_records, threshold=threshold, all_pairs=all_pairs)
    with target as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        for pair in found.links:
            writer.writerow([left_ids[pair.left], right_ids[pair.right], f"{pair.score:.4f}",
                             pair.band, pair.matched_on])  # fmt: skip
    err.print(f"{len(found.links)} links from {found.candidates} candidate pairs "
              f"({len(left_records)} x {len(right_records)} records)")  # fmt: skip


def _records(
    path: Path, overrides: dict[str, str]
) -> tuple[list[str], list[str], list[dict[str, str]]]:
    """The file's header, record ids (the id column, else row numbers) and records."""
    header, rows = read_table(path)
    columns = find_columns(header, {k: v for k, v in overrides.items() if v in header})
    if not (set(NAME_FIELDS) & set(columns)):
        raise SkiptraceError(
            f"{path}: no name column found (headers: {', '.join(header)}); "
            "use --map last_name=COLUMN or --map full_name=COLUMN"
        )
    ids = [row.get(columns["id"], "") if "id" in columns else str(n) for n, row in
           enumerate(rows, start=1)]  # fmt: skip
    records = [{field: row.get(column, "") for field, column in columns.items()} for row in rows]
    return header, ids, records
