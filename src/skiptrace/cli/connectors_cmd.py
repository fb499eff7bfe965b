"""``skiptrace connectors``: list, show and contract-test the connectors."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from skiptrace.cli.common import load, load_registry, out, pick_connectors
from skiptrace.safe_text import message_line

if TYPE_CHECKING:
    from skiptrace.connectors._model import Connector
    from skiptrace.policy import Policy
    from skiptrace.testing.contracts import Outcome

connectors_app = typer.Typer(no_args_is_help=True, help="List, show and test connectors.")


@connectors_app.command("list")
def connectors_list(ctx: typer.Context) -> None:
    """Every connector found: what it gives, what it needs, whether its key is set, its terms."""
    from skiptrace.connectors._registry import key_status

    registry = load_registry(ctx)
    # fits 80 columns: one field a line, no outer border; a cell too wide still folds, never cut
    table = Table(title=f"{len(registry.connectors)} connectors", title_justify="left",
                  show_edge=False, pad_edge=False)  # fmt: skip
    for column in ("id", "gives", "needs", "key", "runs"):
        table.add_column(column, overflow="fold")
    for connector in registry.connectors.values():
        info = connector.info
        table.add_row(info.id, "\n".join(info.gives), "\n".join(info.needs), key_status(info),
                      _runs(connector).partition(":")[0])  # fmt: skip
    out.print(table)
    out.print("terms:")  # below the table: a URL wraps there whole, not a few letters a line
    for connector in registry.connectors.values():
        out.print(message_line(f"  {connector.info.id}: {connector.info.terms}"))


@connectors_app.command("show")
def connectors_show(
    ctx: typer.Context,
    connector_id: Annotated[str, typer.Argument(metavar="ID", help="The connector's id.")],
) -> None:
    """One connector's whole declaration."""
    from skiptrace.connectors._registry import key_status

    [connector] = pick_connectors(load_registry(ctx), [connector_id])
    info = connector.info
    key = info.api_key
    lines = {
        "id": info.id,
        "name": info.name,
        "version": info.version,
        "gives": ", ".join(info.gives),
        "needs": ", ".join(info.needs),
        "optional": ", ".join(info.optional) or "(none)",
        "reaches": ", ".join(info.origins),
        "rate": info.rate or "(the policy's)",
        "api key": f"{key.env} for {key.host}: {key_status(info)}" if key else "not needed",
        "runs": _runs(connector),
        "terms": info.terms,
        "manifest": str(info.source),
        "examples": "; ".join(e.name for e in info.examples) or "(none)",
    }
    for name, value in lines.items():  # each one line: a manifest's line feed began another,
        out.print(message_line(f"{name:>9}: {value}"))  # its own "runs:" or "reaches:" line


@connectors_app.command("test")
def connectors_test(
    ctx: typer.Context,
    connector_ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ID", help="The connectors to test (default: all).", show_default=False
        ),
    ] = None,
) -> None:
    """Replay each connector's contract examples on 127.0.0.1 through the real guard and
    session stack. Exit 1 if any example fails, a connector has none, or a manifest found
    does not load."""
    from skiptrace.connectors._offline import OfflineConnector

    policy = load(ctx)
    registry = load_registry(ctx, policy)
    connectors = pick_connectors(registry, connector_ids or [])
    if not connector_ids:  # the offline index sends no request: it has no replies to replay
        connectors = [c for c in connectors if not isinstance(c, OfflineConnector)]
    outcomes = asyncio.run(_check_all(connectors, policy))
    table = Table(title="contract examples", title_justify="left")
    for column in ("connector", "example", "result", "detail"):
        table.add_column(column, overflow="fold")
    for outcome in outcomes:
        verdict = "pass" if outcome.passed else "FAIL"
        table.add_row(outcome.connector, outcome.example, verdict, outcome.detail)
    out.print(table)
    failed = sum(not o.passed for o in outcomes)
    broken = f", {len(registry.problems)} not loaded" if registry.problems else ""
    out.print(f"{len(outcomes) - failed} passed, {failed} failed{broken}")
    if failed or registry.problems:  # a manifest that does not load fails its contract
        raise typer.Exit(1)


def _runs(connector: Connector) -> str:
    """How a connector runs here: a manifest (one reading web pages parses them in a confined
    process where it can), or Python sandboxed / trusted / refused, why."""
    from skiptrace.connectors._offline import OfflineConnector
    from skiptrace.connectors._registry import PageManifest, PythonConnector

    if isinstance(connector, PythonConnector):
        return f"{connector.mode}: {connector.how}"
    if isinstance(connector, PageManifest):
        where = "in a confined process" if connector.confined else "in this process"
        return f"manifest: no code of its own; its answers read {where}"
    if isinstance(connector, OfflineConnector):
        return "built in: the local index (skiptrace index), no requests"
    return "manifest: no code of its own"


async def _check_all(connectors: list[Connector], policy: Policy) -> list[Outcome]:
    from skiptrace.testing.contracts import Outcome, check_example

    outcomes = []
    with tempfile.TemporaryDirectory(prefix="skiptrace-contracts-") as scratch:
        for connector in connectors:
            if not connector.info.examples:
                outcomes.append(Outcome(connector.info.id, "(none)", False, "no examples"))
            for example in connector.info.examples:
                outcomes.append(await check_example(connector, example, policy, Path(scratch)))
    return outcomes
