"""The Python API behind ``skiptrace.lookup`` and ``skiptrace.enrich``: what the CLI does, for
a collector's own code. Each call loads the policy (the default, then ``policies`` on top),
finds the connectors (built in, ``connectors_dirs``, installed entry points), records every
request in the audit log in ``SKIPTRACE_HOME`` and returns what was found.

Both run their own event loop: call them from synchronous code; called in a running loop
(async code, a notebook) they refuse at once, naming ``asyncio.to_thread``, the way to run them
from there.

The CLI also installs the wall (``skiptrace.net.wall.install()``), which refuses any TCP
connection made outside the guard for the rest of the process. A library cannot decide that for
its host program: call it yourself when your process does nothing else on the network.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import discover, grants_of
from skiptrace.errors import ManifestError
from skiptrace.policy import Policy, load_policy
from skiptrace.records import Query
from skiptrace.research import enrich as batch
from skiptrace.research import lookup as single
from skiptrace.research.enrich import Progress, Summary
from skiptrace.research.lookup import Lookup
from skiptrace.tables.columns import field_named
from skiptrace.tables.paths import default_output


def lookup(
    query: Query,
    *,
    purpose: str = "",
    sources: Sequence[str] = (),
    policies: Sequence[str | Path] = (),
    connectors_dirs: Sequence[str | Path] = (),
) -> Lookup:
    """Research one debtor: ``Query.of(full_name="Jane Q. Roe", state="IL")``. Every connector
    whose key is set (or those named in ``sources``) that can use the fields given."""
    _no_running_loop("lookup")
    policy, connectors = _setup(policies, sources, connectors_dirs)
    purpose = policy.purpose(purpose)
    with AuditLog.open_default(policy["redaction.fields"], writing=True) as audit:
        return asyncio.run(
            single.lookup(query, connectors, policy=policy, audit=audit, purpose=purpose)
        )


def enrich(
    source: str | Path,
    target: str | Path | None = None,
    *,
    purpose: str = "",
    mapping: Mapping[str, str] | None = None,
    sources: Sequence[str] = (),
    jobs: int = 4,
    progress: Progress | None = None,
    policies: Sequence[str | Path] = (),
    connectors_dirs: Sequence[str | Path] = (),
    refresh: bool = False,
    evidence: str | Path | None = None,
) -> Summary:
    """Research every row of the debtor file ``source`` into ``target`` (default
    ``INPUT.enriched.csv``), as ``skiptrace enrich`` does; resumes a run stopped midway, and
    researches again only the rows a run left ``incomplete`` (``summary.incomplete`` counts
    them), unless ``refresh`` (``--refresh``: every row afresh).
    ``mapping`` is ``--map``: {field: column} for headers the synonyms do not find (a field
    named by any of its synonyms too, ``name`` for ``full_name``);
    ``evidence`` is ``--evidence``: a JSON-lines file each researched row's candidates are
    appended to."""
    _no_running_loop("enrich")
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    source = Path(source)
    target = Path(target) if target else default_output(source)
    policy, connectors = _setup(policies, sources, connectors_dirs)
    purpose = policy.purpose(purpose)
    with AuditLog.open_default(policy["redaction.fields"], writing=True) as audit:
        return asyncio.run(
            batch.enrich(source, target, policy=policy, audit=audit, connectors=connectors,
                         purpose=purpose, overrides=_fields(mapping or {}), jobs=jobs,
                         progress=progress, refresh=refresh,
                         evidence=Path(evidence) if evidence else None)
        )  # fmt: skip


def _no_running_loop(name: str) -> None:
    """RuntimeError, before anything is opened, if called in a running event loop: asyncio.run
    would refuse it only after the audit log was opened and the coroutine built (a "never
    awaited" warning besides)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        f"skiptrace.{name} runs its own event loop and cannot be called in a running one "
        f"(async code, a notebook): run it in a worker thread, "
        f"await asyncio.to_thread(skiptrace.{name}, ...)"
    )


def _fields(mapping: Mapping[str, str]) -> dict[str, str]:
    """``mapping`` with each key read as ``--map`` reads a field: by any of its synonyms."""
    return {field_named(field): column for field, column in mapping.items()}


def _setup(
    policies: Sequence[str | Path], sources: Sequence[str], connectors_dirs: Sequence[str | Path]
) -> tuple[Policy, list[Connector]]:
    policy = load_policy(policies)
    folders = [Path(folder) for folder in connectors_dirs]  # a str had been an AttributeError
    for folder in folders:  # as --connectors-dir: a mistyped one had asked the built-ins alone
        if not folder.is_dir():
            raise ManifestError(f"connectors_dirs: {folder}: not a folder")
    registry = discover(folders, grants=grants_of(policy))
    for problem in registry.problems:
        warnings.warn(f"connector not loaded: {problem}", stacklevel=3)
    return policy, registry.usable(sources)
