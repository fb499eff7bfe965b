"""What every command shares: the consoles, global options, the policy and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from skiptrace.audit import AuditLog
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import Registry, discover
from skiptrace.errors import PolicyError, SkiptraceError
from skiptrace.policy import Policy, load_policy

out = Console(soft_wrap=True, markup=False, highlight=False)
err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)

PolicyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--policy",
        help="A policy file or preset name (e.g. strict), merged on top of the default. "
        "Repeatable.",
    ),
]


@dataclass
class Settings:
    """The global options, kept on the typer context."""

    policies: list[str] = field(default_factory=list)
    connector_dirs: list[Path] = field(default_factory=list)


def settings(ctx: typer.Context) -> Settings:
    found = ctx.find_object(Settings)
    return found if found is not None else Settings()


def load(ctx: typer.Context, extra: list[str] | None = None) -> Policy:
    """The policy in force: the default, the global --policy files, then the command's own."""
    try:
        return load_policy([*settings(ctx).policies, *(extra or [])])
    except PolicyError as exc:
        err.print(f"policy error: {exc}")
        raise typer.Exit(2) from None


def load_registry(ctx: typer.Context) -> Registry:
    """Every connector found (built in, --connectors-dir, entry points); problems on stderr."""
    registry = discover(settings(ctx).connector_dirs)
    for problem in registry.problems:
        err.print(f"not loaded: {problem}")
    return registry


def pick_connectors(registry: Registry, ids: list[str]) -> list[Connector]:
    """The connectors named (all of them if none is), or exit 2 naming the unknown ones."""
    unknown = [i for i in ids if i not in registry.connectors]
    if unknown:
        known = ", ".join(sorted(registry.connectors))
        err.print(f"no connector {', '.join(unknown)} (known: {known})")
        raise typer.Exit(2)
    return [registry.connectors[i] for i in ids] if ids else list(registry.connectors.values())


def open_audit(policy: Policy | None = None) -> AuditLog:
    """The audit log in SKIPTRACE_HOME, or exit 2 saying why it cannot be opened."""
    try:
        return AuditLog.open_default(policy["redaction.fields"] if policy else ())
    except SkiptraceError as exc:
        err.print(f"audit log error: {exc}")
        raise typer.Exit(2) from None
