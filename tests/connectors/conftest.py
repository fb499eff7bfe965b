"""Every test here lends its runs' sandboxes the session's starters (``lent_starters``, in the
tests' root conftest): each search still forks a confined worker of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from skiptrace.connectors import _sandbox
from skiptrace.connectors._model import Connector
from skiptrace.connectors._sandbox import Mode
from skiptrace.policy import Policy
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
