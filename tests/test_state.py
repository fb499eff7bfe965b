"""SKIPTRACE_HOME and its files: folders 0700, files 0600 (SQLite's -wal and -shm included)
whatever the umask, and a home open to other users warned about once, never chmod-ed."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace import state
from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.state import home, open_store, secret

SCHEMA = "CREATE TABLE IF NOT EXISTS t (v TEXT);"


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(params=[0o022, 0o000, 0o002], ids=["umask022", "umask000", "umask002"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "_warned", set())


def test_a_store_its_wal_and_shm_are_0600_whatever_the_umask(umask: int) -> None:
    path = home() / "store.sqlite3"
    db = open_store(path, SCHEMA)
    try:
        db.execute("INSERT INTO t VALUES ('x')")
        for suffix in ("", "-wal", "-shm"):
            assert _mode(Path(f"{path}{suffix}")) == 0o600, suffix
    finally:
        db.close()
    assert _mode(path) == 0o600


def test_a_store_left_wider_by_an_older_skiptrace_is_made_0600(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.execute("PRAGMA journal_mode=WAL")
    old.execute(SCHEMA)
    old.execute("INSERT INTO t VALUES ('x')")
    old.commit()  # left open: its -wal and -shm stay behind, as after a kill
    for suffix in ("", "-wal", "-shm"):
        os.chmod(f"{path}{suffix}", 0o644)
    db = open_store(path, SCHEMA)
    try:
        for suffix in ("", "-wal", "-shm"):
            assert _mode(Path(f"{path}{suffix}")) == 0o600, suffix
        assert db.execute("SELECT v FROM t").fetchall() == [("x",)]
    finally:
        db.close()
        old.close()


def test_the_home_and_missing_folders_on_the_way_are_0700(
    umask: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.chmod(tmp_path, 0o755)
    target = tmp_path / "a" / "b" / "home"
    monkeypatch.setenv("SKIPTRACE_HOME", str(target))
    assert home() == target
    for folder in (tmp_path / "a", tmp_path / "a" / "b", target):
        assert _mode(folder) == 0o700, folder
    assert _mode(tmp_path) == 0o755  # what existed is not touched


@pytest.mark.parametrize("name", ["shared", "sha\nred"])  # one line, whatever the name
def test_a_home_open_to_others_is_warned_about_once_and_left_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    shared = tmp_path / name
    shared.mkdir()
    os.chmod(shared, 0o755)
    monkeypatch.setenv("SKIPTRACE_HOME", str(shared))
    with caplog.at_level(logging.WARNING, logger="skiptrace"):
        for _ in range(3):
            assert home() == shared
        open_store(shared / "store.sqlite3", SCHEMA).close()
    [record] = [r for r in caplog.records if "SKIPTRACE_HOME" in r.getMessage()]
    assert str(shared).replace("\n", "\\n") in record.getMessage()
    assert "0755" in record.getMessage()
    assert "\n" not in record.getMessage()
    assert _mode(shared) == 0o755  # not silently chmod-ed: it may be shared on purpose
    assert _mode(shared / "store.sqlite3") == 0o600


@pytest.mark.parametrize("mode", [0o750, 0o705, 0o720, 0o711])
def test_any_access_for_group_or_others_is_warned_about(
    mode: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, mode)
    monkeypatch.setenv("SKIPTRACE_HOME", str(shared))
    with caplog.at_level(logging.WARNING, logger="skiptrace"):
        home()
    assert any(f"{mode:04o}" in r.getMessage() for r in caplog.records)


def test_a_private_home_is_not_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="skiptrace"):
        home()
        home()
    assert not caplog.records
    assert _mode(home()) == 0o700


def test_a_command_on_a_shared_home_prints_one_warning_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole offline demo (audit log, cache, checkpoints, an enrich run) writes every
    SQLite file 0600 in its own private home; a command on a shared home (audit show, as
    the demo no longer uses yours: issue 11) prints one line on stderr, the mode kept (in a
    child process: a first warning in a process of its own, printed as a user sees it)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    monkeypatch.setenv("SKIPTRACE_HOME", str(shared))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the demo makes its folder
    done = CliRunner().invoke(app, ["demo"])
    assert done.exit_code == 0, done.output
    assert list(shared.iterdir()) == []  # the demo leaves your home alone
    [demo_home] = tmp_path.glob("skiptrace-demo-*/home")
    assert _mode(demo_home) == 0o700 and _mode(demo_home.parent) == 0o700
    stores = sorted(p.name for p in demo_home.glob("*.sqlite3*") if p.is_file())
    assert {"audit.sqlite3", "cache.sqlite3", "checkpoints.sqlite3"} <= set(stores)
    assert {name: _mode(demo_home / name) for name in stores} == dict.fromkeys(stores, 0o600)
    AuditLog.open_default().close()  # the log a first lookup there opens
    env = {**os.environ, "SKIPTRACE_HOME": str(shared)}
    shown = subprocess.run([sys.executable, "-m", "skiptrace", "audit", "show"], env=env,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    warned = [line for line in shown.stderr.splitlines() if "SKIPTRACE_HOME" in line]
    assert warned == [
        f"warning: SKIPTRACE_HOME {shared} is open to other users (mode 0755) and holds "
        "research about people: chmod 700 it unless it is shared on purpose"
    ], shown.stderr
    assert _mode(shared) == 0o755
    stores = sorted(p.name for p in shared.glob("*.sqlite3*") if p.is_file())
    assert "audit.sqlite3" in stores
    assert {name: _mode(shared / name) for name in stores} == dict.fromkeys(stores, 0o600)


def test_a_secret_is_made_once_0600_and_kept(umask: int) -> None:
    key = secret("test.key")
    assert len(key) == 32
    assert _mode(home() / "test.key") == 0o600
    assert secret("test.key") == key
    assert [p.name for p in home().iterdir()] == ["test.key"]  # no draft left behind
