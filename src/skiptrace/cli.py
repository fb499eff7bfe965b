"""The command line. Thin: it parses, calls the library, prints, and picks the exit code.

Exit codes: 0 success, 1 refused or verification failed, 2 usage or input error.
Tables and results go to stdout; messages to stderr.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from skiptrace import __version__
from skiptrace.audit import COLUMNS, AuditLog
from skiptrace.demo import run_demo
from skiptrace.errors import PolicyError, Refused, SkiptraceError
from skiptrace.guard import evaluate
from skiptrace.hardrules import HARD_RULES
from skiptrace.policy import Policy, describe, load_policy

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Find a debtor's mailing address and employer in public business records, "
    "without ever contacting anyone.",
)
policy_app = typer.Typer(no_args_is_help=True, help="Show the policy in force; check a URL.")
audit_app = typer.Typer(no_args_is_help=True, help="Read, verify and export the audit log.")
app.add_typer(policy_app, name="policy")
app.add_typer(audit_app, name="audit")

out = Console(soft_wrap=True, markup=False)
err = Console(stderr=True, soft_wrap=True, markup=False)

PolicyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--policy",
        help="A policy file or preset name (e.g. strict), merged on top of the default. "
        "Repeatable.",
    ),
]


def _version(value: bool) -> None:
    if value:
        out.print(f"skiptrace {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    policy: PolicyOption = None,
) -> None:
    ctx.obj = policy or []


def _policy(ctx: typer.Context, extra: list[str] | None = None) -> Policy:
    """The policy in force: the default, the global --policy files, then the command's own."""
    try:
        return load_policy([*ctx.obj, *(extra or [])])
    except PolicyError as exc:
        err.print(f"policy error: {exc}")
        raise typer.Exit(2) from None


@policy_app.command("show")
def policy_show(ctx: typer.Context, policy: PolicyOption = None) -> None:
    """Print every policy setting in force, the hard rules, and any recorded overrides."""
    merged = _policy(ctx, policy)
    table = Table(title="policy in force", title_justify="left")
    for column in ("key", "value", "meaning"):
        table.add_column(column)
    for row in describe(merged):
        table.add_row(*row)
    out.print(table)
    out.print("hard rules (code; no policy can change them):")
    for rule, meaning in HARD_RULES.items():
        out.print(f"  {rule}: {meaning}")
    for override in merged.overrides:
        out.print(
            f"override {override.key} = {override.value!r} ({override.source}): {override.reason}"
        )
    out.print("sources: " + ", ".join(merged.sources))


@policy_app.command("check")
def policy_check(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The URL to check.")],
    method: Annotated[str, typer.Option("--method", "-m", help="HTTP method.")] = "GET",
    policy: PolicyOption = None,
) -> None:
    """Say whether skiptrace would send METHOD URL. Exit 0 allowed, 1 refused (rule printed)."""
    merged = _policy(ctx, policy)
    try:
        canonical = evaluate(method, url, merged)
    except Refused as refusal:
        out.print(f"refused: {refusal.rule}: {refusal.detail} [{refusal.url}]")
        raise typer.Exit(1) from None
    out.print(f"allowed: {method.upper()} {canonical}")


@audit_app.command("show")
def audit_show(
    last: Annotated[int, typer.Option("--last", "-n", min=1, help="Rows to show.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Print the last rows of the audit log."""
    rows = _open_audit().rows(last=last)
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
    result = _open_audit().verify(expect_head)
    if result.ok:
        out.print(f"ok: {result.rows} rows, chain intact, head {result.head}")
        return
    where = f"row {result.bad_seq}" if result.bad_seq is not None else "end of log"
    out.print(f"FAILED at {where}: {result.reason} ({result.rows} rows verified before it)")
    raise typer.Exit(1)


@audit_app.command("export")
def audit_export() -> None:
    """Write the whole audit log to stdout as CSV, hashes included, for archiving."""
    rows = _open_audit().rows()
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(asdict(row))


@app.command("demo")
def demo(ctx: typer.Context) -> None:
    """Offline demonstration: read a made-up business site on loopback through the guard."""
    merged = _policy(ctx)
    attempts, verification = run_demo(merged, _open_audit(merged))
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


def _open_audit(policy: Policy | None = None) -> AuditLog:
    try:
        return AuditLog.open_default(policy["redaction.fields"] if policy else ())
    except SkiptraceError as exc:
        err.print(f"audit log error: {exc}")
        raise typer.Exit(2) from None


def main() -> None:
    """Console-script entry point."""
    app()
