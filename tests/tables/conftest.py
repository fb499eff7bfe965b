"""Every test here lends its runs' sandboxes the session's starters (``lent_starters``, in the
tests' root conftest): a manifest skiptrace does not ship, as the tests' directory is, reads
its answers in a confined worker, and each search still forks one of its own."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _lent(lent_starters: None) -> None:
    """``lent_starters`` for every test of the folder."""
