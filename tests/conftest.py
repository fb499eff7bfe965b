"""Shared fixtures. No test may reach beyond loopback: sockets and DNS are fenced here."""

from __future__ import annotations

import asyncio
import collections
import copy
import functools
import importlib.util
import ipaddress
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import typer.testing

from skiptrace.audit import AuditLog
from skiptrace.connectors import _sandbox
from skiptrace.errors import Refused
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.stack import open_client
from skiptrace.policy import Policy, load_policy, merge
from skiptrace.testing.clock import VirtualTime
from skiptrace.testing.replay import Refusing, loopback_policy
from skiptrace.testing.starter import SharedStarters

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
RAM_DISK = Path("/dev/shm")
RAM_NEEDED = 2 << 30
"""Free bytes the RAM disk must have to hold a run's folders (a run writes ~350 MB)."""


TERMINAL_VARIABLES = ("FORCE_COLOR", "PY_COLORS", "TTY_COMPATIBLE", "GITHUB_ACTIONS", "TERM",
                      "COLUMNS", "TERMINAL_WIDTH")  # fmt: skip
"""What a CI or a shell may set that rich, and typer's help, take as the terminal's: colour
codes, boxes and a hidden cursor written to a pipe, a dumb terminal that shows none, widths
other than the 80 columns the tests read (``FORCE_COLOR=1`` failed 7 tests, ``TERM=dumb`` 3,
``COLUMNS=40`` 6, ``TERMINAL_WIDTH=40`` 3, GitHub's runners 4). Gone before any module is
collected: a console made at import, and typer as it is first imported, read them once."""


@pytest.hookimpl(tryfirst=True)  # before pytest reads --basetemp
def pytest_configure(config: pytest.Config) -> None:
    """Output to a pipe as a pipe's (``TERMINAL_VARIABLES``), and the tests' folders on the RAM
    disk when there is one with room (Linux's /dev/shm) and no ``--basetemp`` was given: the
    suite opens some 1,900 SQLite stores, and each new one is synced to disk while it is made
    (26 ms on a disk here, 0.7 ms on tmpfs). A folder of this run's own (pytest empties a
    ``--basetemp`` it is given, another run's too), removed when the run ends; xdist's workers
    are handed a folder inside it; a killed run's is removed by the next run (``_sweep``)."""
    for name in TERMINAL_VARIABLES:
        os.environ.pop(name, None)
    if config.option.basetemp or not _room(RAM_DISK):
        return
    _sweep(RAM_DISK)
    prefix = f"{RUN_FOLDER}{os.getpid()}-"
    config.option.basetemp = ours = tempfile.mkdtemp(prefix=prefix, dir=RAM_DISK)
    config.add_cleanup(functools.partial(shutil.rmtree, ours, ignore_errors=True))


RUN_FOLDER = "skiptrace-tests-"
"""A run's folder on the RAM disk: this, the run's process id, a dash and a random part."""


def _sweep(folder: Path) -> None:
    """Remove the folders of runs whose process is gone: killed (Ctrl-C twice, a timeout, a
    pipe closed under it), a run left up to ~350 MB of memory in the RAM disk for good."""
    for left in folder.glob(f"{RUN_FOLDER}*-*"):
        pid = left.name.removeprefix(RUN_FOLDER).partition("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(left, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


FIRST = "tests/matching/test_spark.py"
"""The module xdist hands out first: its JVM's start and links make it the longest a worker runs
(~35 s); handed out in its turn (by number of tests), it began at 52 s and was the run's last
38 s while the other worker was done."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules in the order xdist's ``--dist loadscope`` hands them out (its own reordering is
    off): ``FIRST``, then by number of tests, most first, so the short ones fill the end."""
    tests = collections.Counter(item.nodeid.split("::")[0] for item in items)

    def turn(item: pytest.Item) -> tuple[bool, int]:
        module = item.nodeid.split("::")[0]
        return module != FIRST, -tests[module]

    items.sort(key=turn)


def _room(disk: Path) -> bool:
    try:
        found = os.statvfs(disk)
    except OSError:
        return False
    return os.access(disk, os.W_OK | os.X_OK) and found.f_bavail * found.f_frsize >= RAM_NEEDED


def load_benchmark(name: str) -> ModuleType:
    """A script of benchmarks/ (not a package: its generators and field mappings) as a module,
    loaded once under its own name (its dataclasses look their module up while building)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(autouse=True, scope="session")
def _one_click_command_per_app() -> Iterator[None]:
    """typer's CliRunner builds the app's click command again on every invoke: 15 ms of
    annotation evaluation, ~400 times. Each app is built once instead: an invocation leaves
    the command as it found it, but for ``readable_help`` rewriting help texts when they are
    shown, which gives the same text when done again."""
    built = functools.cache(typer.testing._get_command)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", built)
        yield


@pytest.fixture(scope="session")
def benchmark_script() -> Callable[[str], ModuleType]:
    """``load_benchmark``, for tests."""
    return load_benchmark


@functools.cache
def _default_policy() -> Policy:
    """``load_policy()``, read once a run: the shipped default.toml parsed and each of its
    values checked (its hosts made canonical), some 3 ms, had been done again for each of
    ~900 tests. It reads no environment and no home, so every test's was the same."""
    return load_policy()


@pytest.fixture
def policy() -> Policy:
    """The default policy: a copy of the run's (``_default_policy``) for each test, so that
    nothing a test does to its lists reaches another's."""
    return copy.deepcopy(_default_policy())


@pytest.fixture
def loosened_policy() -> Policy:
    """The default policy with both loosenable host categories (social networks, dating
    sites) switched off, each with a written reason: what the hard contact rules still hold."""
    return merge(
        copy.deepcopy(_default_policy()),
        {
            "hosts": {"deny_social_networks": False, "deny_dating_sites": False},
            "override": [
                {"key": "hosts.deny_social_networks", "reason": "a written permission, ref 1"},
                {"key": "hosts.deny_dating_sites", "reason": "a written permission, ref 2"},
            ],
        },
        "test",
    )


_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


def _loopback(host: object) -> bool:
    if host in ("localhost", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _fenced_connect(self: socket.socket, address: Any) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
        raise ConnectionRefusedError(f"tests never leave loopback (tried {address!r})")
    _real_connect(self, address)


def _fenced_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _loopback(host.decode() if isinstance(host, bytes) else host):
        raise socket.gaierror(f"tests never resolve outside names (tried {host!r})")
    return _real_getaddrinfo(host, *args, **kwargs)


def _fence(patch: pytest.MonkeyPatch, home: Path) -> None:
    """No internet, no proxy, and ``home`` as SKIPTRACE_HOME."""
    patch.setattr(socket.socket, "connect", _fenced_connect)
    patch.setattr(socket, "getaddrinfo", _fenced_getaddrinfo)
    patch.setenv("SKIPTRACE_HOME", str(home))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        patch.delenv(name, raising=False)


@pytest.fixture(autouse=True, scope="session")
def offline_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The whole run, fixtures of every scope included, fenced with a home of its own: a
    module's fixture, set up before any test's own fence, had fetched through the stack with
    the user's real data folder as its home (a 50 MB page cache left there, and a port reused
    by a later run read its pages from that cache, so the server saw no request)."""
    with pytest.MonkeyPatch.context() as patch:
        _fence(patch, tmp_path_factory.mktemp("home"))
        yield


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test: no internet, and a private SKIPTRACE_HOME."""
    _fence(monkeypatch, tmp_path / "home")


@pytest.fixture(scope="session")
def shared_starters() -> Iterator[SharedStarters]:
    """Sandbox starters kept for the session (``skiptrace.testing.starter``), lent by
    ``lent_starters``. One: a run's sandboxes share their starter (``_sandbox._Shared``),
    a run wanting another (one killed) starts its own."""
    with closing(SharedStarters(count=1)) as starters:
        yield starters


@pytest.fixture
def lent_starters(shared_starters: SharedStarters, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test's runs borrow the session's starters instead of starting one each (Python's
    start and the starter's imports: most of the CPU of a run of one search). Each search
    still forks a confined worker of its own; tests of a starter's own life start their own."""
    monkeypatch.setattr(_sandbox, "Zygote", shared_starters)


@pytest.fixture
def fast_policy(policy: Policy) -> Policy:
    """The default policy with loopback allowed a fast pace (on the record), so tests run
    quickly against the replay server. Loopback is still a private address: a test reaches its
    replay server only with the server listed in ``hosts.allow_private``, as any run would,
    ``site.allow(fast_policy)``."""
    return loopback_policy(policy, "tests on loopback")


@pytest.fixture
def audit(tmp_path: Path, policy: Policy) -> Iterator[AuditLog]:
    log = AuditLog(tmp_path / "audit.sqlite3", policy["redaction.fields"])
    yield log
    log.close()


@pytest.fixture
def refused() -> Iterator[Refusing]:
    """A ``Refusing`` port, held for the test."""
    port = Refusing()
    yield port
    port.release()


GetAll = Callable[[Policy, AuditLog, Path, list[str]], list[int | str]]


@pytest.fixture
def get_all() -> GetAll:
    """A function fetching each URL through a fresh session stack (virtual time, no cache
    kept): its status, or the rule that refused it."""

    def fetch(policy: Policy, audit: AuditLog, tmp_path: Path, urls: list[str]) -> list[int | str]:
        async def run() -> list[int | str]:
            cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=0, retention_days=1)
            outcomes: list[int | str] = []
            pace = VirtualTime().pace()
            async with open_client(
                policy, audit, purpose="tests", pace=pace, cache=cache
            ) as client:
                for url in urls:
                    try:
                        outcomes.append((await client.get(url)).status_code)
                    except Refused as refusal:
                        outcomes.append(refusal.rule)
            cache.close()
            return outcomes

        return asyncio.run(run())

    return fetch
