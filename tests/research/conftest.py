"""A starter kept for the session (``skiptrace.testing.starter``), lent to the sandboxes of the
tests that ask for ``lent_starters``: each search still forks a confined worker of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import pytest

from skiptrace.connectors import _sandbox
from skiptrace.testing.starter import SharedStarters


@pytest.fixture(scope="session")
def shared_starters() -> Iterator[SharedStarters]:
    """One: the runs here search with one Python connector each (business_pages, or EDGAR and
    Companies House replayed alone); a run that wanted a second would start its own."""
    with closing(SharedStarters()) as starters:
        yield starters


@pytest.fixture
def lent_starters(shared_starters: SharedStarters, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run's sandboxes borrow the session's starter instead of starting one each (Python's
    start and the starter's imports: most of the CPU of a run of one search)."""
    monkeypatch.setattr(_sandbox, "Zygote", shared_starters)
