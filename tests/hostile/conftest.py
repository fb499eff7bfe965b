"""A starter kept for the session (``skiptrace.testing.starter``), lent to the sandboxes of the
tests that ask for ``lent_starter``: each search still forks a confined worker of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import pytest

from skiptrace.connectors import _sandbox
from skiptrace.testing.starter import SharedStarters


@pytest.fixture(scope="session")
def shared_starter() -> Iterator[SharedStarters]:
    """One: each run here searches with one Python connector."""
    with closing(SharedStarters()) as starter:
        yield starter


@pytest.fixture
def lent_starter(shared_starter: SharedStarters, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run's sandbox borrows the session's starter (Python's start and the starter's
    imports, most of the CPU of a run of one search), for the tests of what a worker can do;
    those of the starter's own life start their own."""
    monkeypatch.setattr(_sandbox, "Zygote", shared_starter)
