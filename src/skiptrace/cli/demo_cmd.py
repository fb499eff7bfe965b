"""``skiptrace demo``: the offline demonstration."""

from __future__ import annotations

import typer
from rich.table import Table

from skiptrace.cli.common import load, open_audit, out
from skiptrace.demo.enrich import run_enrich_demo
from skiptrace.demo.guard_tour import run_demo
from skiptrace.net import wall


def demo(ctx: typer.Context) -> None:
    """Offline demonstration: enrich a made-up debtor file from a made-up directory, then try
    every kind of contact against a made-up business site. All on loopback, all audited."""
    wall.install()
    merged = load(ctx)
    with open_audit(merged) as audit:
        rows = run_enrich_demo(merged, audit)
        attempts, verification = run_demo(merged, audit)
    table = Table(title="skiptrace demo: enriching a made-up debtor file", title_justify="left")
    for column in ("account", "status", "found mailing address", "found employer", "band",
                   "matched on"):  # fmt: skip
        table.add_column(column)
    for row in rows:
        table.add_row(row["account"], row["status"], row["found_mailing_address"],
                      row["found_employer"], row["match_band"],
                      row["matched_on"] or row["status_detail"])  # fmt: skip
    out.print(table)
    table = Table(title="skiptrace demo: what the guard lets through", title_justify="left")
    for column in ("attempt", "outcome", "rule"):
        table.add_column(column)
    for attempt in attempts:
        table.add_row(attempt.what, attempt.outcome, attempt.rule)
    out.print(table)
    state = (
        "intact"
        if verification.ok
        else f"FAILED at row {verification.bad_seq}: " + (verification.reason)
    )
    out.print(f"audit log: {verification.rows} rows, chain {state}")
    if not verification.ok:
        raise typer.Exit(1)
