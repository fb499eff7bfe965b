"""Every test here lends its runs' sandboxes a starter kept for the session
(``skiptrace.testing.starter``): each search still forks a confined worker of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import pytest

from skiptrace.connectors import _sandbox
from skiptrace.testing.starter import SharedStarters


@pytest.fixture(scope="session")
def shared_starters() -> Iterator[SharedStarters]:
    """Two: a run may search with two Python connectors (EDGAR, then business_pages on the site
    it offers), each holding its starter until the run closes."""
    with closing(SharedStarters(count=2)) as starters:
        yield starters


@pytest.fixture(autouse=True)
def _lent_starters(shared_starters: SharedStarters, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_sandbox, "Zygote", shared_starters)
