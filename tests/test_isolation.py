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


def test_a_killed_runs_folder_is_swept_and_a_live_ones_kept(tmp_path: Path) -> None:
    """A run killed where it stood (Ctrl-C twice, a timeout, a pipe closed under it) left its
    folder on the RAM disk, up to ~350 MB of memory, for good: the next run removes those whose
    process is gone, and only those."""
    from tests import conftest

    gone = os.fork()
    if gone == 0:
        os._exit(0)
    os.waitpid(gone, 0)  # a process id nobody holds now
    dead = tmp_path / f"{conftest.RUN_FOLDER}{gone}-abc"
    live = tmp_path / f"{conftest.RUN_FOLDER}{os.getpid()}-def"
    other = tmp_path / "skiptrace-tests-abcdef"  # named before runs named their process
    for folder in (dead, live, other):
        (folder / "popen-gw0").mkdir(parents=True)
    conftest._sweep(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])
