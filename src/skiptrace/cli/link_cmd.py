"""``skiptrace link``: match the records of two files."""

from __future__ import annotations

import csv
import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from skiptrace.cli.common import err
from skiptrace.errors import SkiptraceError
from skiptrace.matching import link
from skiptrace.tables.columns import describe_columns, find_columns, parse_map, require_name
from skiptrace.tables.reader import read_rows

OUTPUT_COLUMNS = ["left_id", "right_id", "score", "band", "matched_on"]


def link_files(
    left: Annotated[
        Path, typer.Argument(metavar="LEFT", help="The first CSV file (e.g. the debtors).")
    ],
    right: Annotated[Path, typer.Argument(metavar="RIGHT", help="The second CSV file.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here (default: stdout).")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="FIELD=COLUMN, for a column the synonyms do not find."),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.0, max=1.0, help="Lowest score kept.")
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
            open(  # noqa: SIM115  # 0600, like every file skiptrace writes about people
                os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                "w",
                encoding="utf-8",
                newline="",
            )
            if output
            else nullcontext(sys.stdout)
        )
    except OSError as exc:
        err.print(f"skiptrace link: cannot write {output}: {exc.strerror}")
        raise typer.Exit(2) from None
    found = link(left_records, right_records, threshold=threshold, all_pairs=all_pairs,
                 relatives=not no_relatives)  # fmt: skip
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
    """The file's header, record ids (the id column, else record numbers, from 1) and records.
    A row that cannot be read as it stands is named on stderr, with why, and left out."""
    header, rows = read_rows(path)
    columns = find_columns(header, {k: v for k, v in overrides.items() if v in header})
    require_name(columns, header, path)
    err.print(f"{path}: {describe_columns(header, columns)}")
    ids, records = [], []
    for row in rows:
        if row.problem:
            # as enrich does with a bad row: a ragged row's values may sit in the wrong columns,
            # and a wrong link is worse than none
            err.print(f"skiptrace link: {path} record {row.index + 1} not linked: {row.problem}")
            continue
        values = dict(zip(header, row.cells, strict=True))
        ids.append(values.get(columns["id"], "") if "id" in columns else str(row.index + 1))
        records.append({field: values.get(column, "") for field, column in columns.items()})
    return header, ids, records
