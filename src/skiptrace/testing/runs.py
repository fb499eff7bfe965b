"""One research Run shared by a test module's searches, as ``enrich`` shares one over a file.

A Run's setup, its session stack and its end had been most of what a test of one search cost,
beside the worker each search still forks. ``shared_run`` opens one on an event loop kept for
the run's life and hands out its searches as plain calls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.connectors._model import Connector
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.net.stack import policy_cache
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.run import Run

Search = Callable[[Query], ConnectorResult]
"""One search of a shared run for a debtor, and its result."""
OneRun = Callable[[Policy, Connector], AbstractContextManager[Search]]
"""A shared run of a connector under a policy (a test module's ``one_run`` fixture)."""


@contextmanager
def shared_run(policy: Policy, connector: Connector, folder: Path) -> Iterator[Search]:
    """``connector``'s searches through one Run (its audit log and page cache in ``folder``),
    on an event loop kept for the run's life."""
    audit = AuditLog(folder / "audit.sqlite3", policy["redaction.fields"])
    cache = policy_cache(folder / "cache.sqlite3", policy)
    research = Run(policy, audit, [connector], purpose="tests", cache=cache)
    try:
        with asyncio.Runner() as loop:
            loop.run(research.__aenter__())
            try:
                yield lambda query: loop.run(research.search(connector, query))
            finally:
                loop.run(research.__aexit__(None, None, None))
    finally:
        cache.close()
        audit.close()
