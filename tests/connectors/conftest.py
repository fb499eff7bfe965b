"""Every test here lends its runs' sandboxes the session's starters (``lent_starters``, in the
tests' root conftest): each search still forks a confined worker of its own."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _lent(lent_starters: None) -> None:
    """``lent_starters`` for every test of this folder."""
