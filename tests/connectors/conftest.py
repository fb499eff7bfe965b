"""Every test here lends its runs' sandboxes the session's starters (``lent_starters``, in the
tests' root conftest): each search still forks a confined worker of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._model import Connector
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.net.layers.cache import HttpCache
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.run import Run

Search = Callable[[Query], ConnectorResult]
"""One search of a module's run (``one_run``) for a debtor, and its result."""
OneRun = Callable[[Policy, Connector], AbstractContextManager[Search]]


@pytest.fixture(autouse=True)
def _lent(lent_starters: None) -> None:
    """``lent_starters`` for every test of this folder."""


@pytest.fixture(scope="module")
def one_run(tmp_path_factory: pytest.TempPathFactory) -> OneRun:
    """A run shared by a module's cases, as ``enrich`` runs a file of debtors: one session
    stack, page cache and audit log (in a folder of the module's own), robots.txt read once a
    site. A Run's setup, its stack and its end had been most of what a test of one search
    cost here, beside its worker, which each search still forks."""

    @contextmanager
    def run(policy: Policy, connector: Connector) -> Iterator[Search]:
        folder = tmp_path_factory.mktemp("run")
        with _run(policy, connector, folder) as search:
            yield search

    return run


@contextmanager
def _run(policy: Policy, connector: Connector, folder: Path) -> Iterator[Search]:
    """``connector``'s searches through one Run, on an event loop kept for the run's life."""
    audit = AuditLog(folder / "audit.sqlite3", policy["redaction.fields"])
    cache = HttpCache(folder / "cache.sqlite3", default_seconds=float(policy["cache.hours"]) * 3600,
                      retention_days=float(policy["retention.days"]))  # fmt: skip
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
