"""Every test here lends its runs' sandboxes the session's starters (``lent_starters``, in the
tests' root conftest): each search still forks a confined worker of its own.

Modules of many variants of a site's pages (``test_staff_precision``, ``test_business_pages``,
``test_realistic_sites``) search each variant through ``TwoWays``: in this process, and a
representative set (the first variant of each test: ``end_to_end``) in a sandbox's worker as
well."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from skiptrace.connectors import _sandbox
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import PythonConnector, load_manifest
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.connectors._sandbox import Mode
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.testing.replay import ReplayServer
from skiptrace.testing.runs import OneRun, Search, shared_run


@pytest.fixture(autouse=True)
def _lent(lent_starters: None) -> None:
    """``lent_starters`` for every test of this folder."""


@pytest.fixture(scope="module")
def one_run(tmp_path_factory: pytest.TempPathFactory) -> OneRun:
    """A run shared by a module's cases, as ``enrich`` runs a file of debtors: one session
    stack, page cache and audit log (in a folder of the module's own), robots.txt read once a
    site (``testing.runs``)."""

    @contextmanager
    def run(policy: Policy, connector: Connector) -> Iterator[Search]:
        with shared_run(policy, connector, tmp_path_factory.mktemp("run")) as search:
            yield search

    return run


@pytest.fixture(params=[Mode.SANDBOXED, Mode.TRUSTED])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Mode:
    """A test both ways: in a sandbox's worker (skipped where there is no sandbox), and in this
    process, as where there is none."""
    if request.param == Mode.TRUSTED:
        monkeypatch.setattr(_sandbox, "unavailable", lambda: "no sandbox on testos")
    elif _sandbox.unavailable():
        pytest.skip(f"no sandbox here: {_sandbox.unavailable()}")
    return Mode(request.param)


def in_process(manifest: Path) -> PythonConnector:
    """The Python connector of ``manifest`` loaded to search in this process, as it does where
    there is no sandbox (``Mode.TRUSTED``): the same source, checked by the same fence, whose
    ``search`` is called with the same session (guard, robots.txt, audit log, the loopback
    server). Only the worker process is left out: its fork, confinement and loading, some
    30 ms of CPU a search (three quarters of a search of a few small pages), and the wire
    between it and the session, whose answers ``TwoWays`` checks are the same."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_sandbox, "unavailable", lambda: "searched in this process by a test")
        connector = load_manifest(manifest)
    assert isinstance(connector, PythonConnector) and connector.mode == Mode.TRUSTED
    return connector


def end_to_end(request: pytest.FixtureRequest) -> bool:
    """The case is its test's first variant (or its test has but one): searched in a sandbox's
    worker too (``TwoWays``)."""
    callspec = getattr(request.node, "callspec", None)
    return callspec is None or not any(callspec.indices.values())


@dataclass(frozen=True)
class TwoWays:
    """A module's two runs of one connector on its loopback servers: in a sandbox's worker
    (the connector as loaded) and in this process (``in_process``), each with its own page
    cache, audit log and robots.txt reading (``two_ways``)."""

    sandboxed: Search
    here: Search

    def search(
        self, query: Query, server: ReplayServer, pages: Iterable[str], *, also_sandboxed: bool
    ) -> ConnectorResult:
        """``query`` searched in this process and, ``also_sandboxed`` (a test's first variant:
        ``end_to_end``), in the worker too, which must answer the same and whose result is
        then the case's: every rule a test's variants hold is held end to end by one of them
        at least, and a worker answering otherwise than this process fails it. Each search
        must ask ``server`` for each of ``pages`` (paths): a page kept from another case's
        search never passes."""
        result = _asking(self.here, query, server, pages)
        if not also_sandboxed:
            return result
        sandboxed = _asking(self.sandboxed, query, server, pages)
        assert _undated(sandboxed) == _undated(result), (sandboxed, result)
        return sandboxed


@contextmanager
def two_ways(
    one_run: OneRun, policy: Policy, connector: Connector, manifest: Path
) -> Iterator[TwoWays]:
    """``TwoWays`` under ``policy``: ``connector`` as loaded, and ``manifest``'s ``in_process``.
    Given the module's own ``connector``, its other tests' runs fork from the starter its
    sandbox was lent (``lent_starters``) instead of each starting one (0.5 s of CPU)."""
    with one_run(policy, connector) as sandboxed, one_run(policy, in_process(manifest)) as here:
        yield TwoWays(sandboxed, here)


def _asking(
    search: Search, query: Query, server: ReplayServer, pages: Iterable[str]
) -> ConnectorResult:
    asked = len(server.received)
    result = search(query)
    unread = set(pages) - {r.path for r in server.received[asked:]}
    assert not unread, f"not asked of the server by this search: {sorted(unread)}"
    return result


def _undated(result: ConnectorResult) -> ConnectorResult:
    """``result`` but for when each record's page was fetched, which two searches differ in."""
    records = tuple(
        replace(r, provenance=replace(r.provenance, fetched_at="")) for r in result.records
    )
    return replace(result, records=records)
