"""The tests' own fence holds for fixtures of every scope, not only inside a test."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from skiptrace.state import home


@pytest.fixture(scope="module")
def seen_by_a_module_fixture() -> tuple[str, str]:
    """What a module-scoped fixture (set up before any test's own fence) sees."""
    try:
        socket.getaddrinfo("example.com", 443)
    except socket.gaierror as refused:
        dns = str(refused)
    else:
        dns = "resolved"
    return str(home()), dns


def test_a_module_fixture_has_a_private_home_and_no_internet(
    seen_by_a_module_fixture: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    where, dns = seen_by_a_module_fixture
    assert "tests never resolve outside names" in dns
    assert Path(where).is_relative_to(tmp_path_factory.getbasetemp()), where  # not the user's
    assert Path(where) != Path(os.environ["SKIPTRACE_HOME"])  # each test has its own again
