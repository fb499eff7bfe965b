"""``skiptrace demo``: the offline demonstration."""

from __future__ import annotations

import typer
from rich.table import Table

from skiptrace.cli.common import load, open_audit, out
from skiptrace.demo import run_demo


def demo(ctx: typer.Context) -> None:
    """Offline demonstration: read a made-up business site on loopback through the guard."""
    merged = load(ctx)
    attempts, verification = run_demo(merged, open_audit(merged))
    table = Table(title="skiptrace demo: what the guard lets through", title_justify="left")
    for column in ("attempt", "outcome", "rule"):
        table.add_column(column)
    for attempt in attempts:
        table.add_row(attempt.what, attempt.outcome, attempt.rule)
    out.print(table)
    state = "intact" if verification.ok else f"BROKEN at row {verification.bad_seq}"
    out.print(f"audit log: {verification.rows} rows, chain {state}")
    if not verification.ok:
        raise typer.Exit(1)
