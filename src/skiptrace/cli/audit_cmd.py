"""``skiptrace audit``: read, verify and export the audit log."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

from skiptrace.audit import COLUMNS
from skiptrace.cli.common import err, open_audit, out

audit_app = typer.Typer(no_args_is_help=True, help="Read, verify and export the audit log.")


@audit_app.command("show")
def audit_show(
    last: Annotated[int, typer.Option("--last", "-n", min=1, help="Rows to show.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Print the last rows of the audit log."""
    with open_audit() as audit:
        rows = audit.rows(last=last)
        pending = audit.pending_elsewhere()
    if pending:
        err.print(
            f"{pending} rows of running processes are still in their journals: they are "
            "stored within a second, or when those processes end"
        )
    if as_json:
        for row in rows:
            out.print(json.dumps(asdict(row)))
        return
    table = Table(title=f"audit log: last {len(rows)} rows", title_justify="left")
    for column in ("seq", "time", "event", "method", "url", "status/rule", "connector", "purpose"):
        table.add_column(column, overflow="fold")
    for row in rows:
        outcome = str(row.status) if row.status is not None else row.rule
        table.add_row(
            str(row.seq),
            row.ts[:19],
            row.event,
            row.method,
            row.url,
            outcome,
            row.connector,
            row.purpose,
        )
    out.print(table)


@audit_app.command("verify")
def audit_verify(
    expect_head: Annotated[
        str | None,
        typer.Option("--expect-head", help="A head hash recorded earlier; detects a cut tail."),
    ] = None,
) -> None:
    """Check the hash chain. Exit 1 and name the first bad row if anything was altered."""
    with open_audit() as audit:
        result = audit.verify(expect_head)
    if result.ok:
        out.print(f"ok: {result.rows} rows, chain intact, head {result.head}")
        return
    where = f"row {result.bad_seq}" if result.bad_seq is not None else "end of log"
    out.print(f"FAILED at {where}: {result.reason} ({result.rows} rows verified before it)")
    raise typer.Exit(1)


@audit_app.command("export")
def audit_export() -> None:
    """Write the whole audit log to stdout as CSV, hashes included, for archiving."""
    with open_audit() as audit:
        rows = audit.rows()
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(asdict(row))
