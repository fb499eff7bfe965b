"""``skiptrace policy``: show the policy in force; check a URL against it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from skiptrace.cli.common import PolicyOption, load, out
from skiptrace.errors import Refused
from skiptrace.safe_text import message_line

policy_app = typer.Typer(no_args_is_help=True, help="Show the policy in force; check a URL.")


@policy_app.command("show")
def policy_show(ctx: typer.Context, policy: PolicyOption = None) -> None:
    """Print every policy setting in force, the hard rules, and any recorded overrides."""
    from skiptrace.net import categories
    from skiptrace.net.hardrules import HARD_RULES
    from skiptrace.policy import describe

    merged = load(ctx, policy)
    rows = list(describe(merged))
    table = Table(title="policy in force", title_justify="left")
    widest_key = max((len(row[0]) for row in rows), default=3)
    table.add_column("key", no_wrap=True, min_width=widest_key)  # a key is never cut short
    for column in ("value", "meaning"):
        table.add_column(column, overflow="fold")  # wraps; a long word folds, never cut
    for row in rows:
        table.add_row(*row)
    out.print(table)
    out.print("hard rules (code; no policy can change them):")
    for rule, meaning in HARD_RULES.items():
        out.print(f"  {rule}: {meaning}")
    sizes = ", ".join(f"{name} {count}" for name, count in categories.counts().items())
    out.print(f"host categories ({sizes} names): {categories.provenance()}")
    for override in merged.overrides:  # one line each: a reason's line feed began another,
        out.print(message_line(  # free to read as an override that is not there
            f"override {override.key} = {override.value!r} ({override.source}): {override.reason}"
        ))  # fmt: skip
    out.print(message_line("sources: " + ", ".join(merged.sources)))


@policy_app.command("check")
def policy_check(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The URL to check.")],
    method: Annotated[str, typer.Option("--method", "-m", help="HTTP method.")] = "GET",
    policy: PolicyOption = None,
) -> None:
    """Say whether skiptrace would send METHOD URL. Exit 0 allowed, 1 refused (rule printed)."""
    from skiptrace.net.guard import evaluate

    merged = load(ctx, policy)
    try:
        canonical = evaluate(method, url, merged)
    except Refused as refusal:
        # one line: a line feed in the URL or method typed, quoted back, had begun another,
        # free to read "allowed: ..." to a script that reads the lines
        out.print(message_line(f"refused: {refusal.rule}: {refusal.detail} [{refusal.url}]"))
        raise typer.Exit(1) from None
    out.print(f"allowed: {method.upper()} {canonical}")
