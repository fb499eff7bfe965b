"""Checkpoints: finished rows kept in SQLite per run, found again after a restart, purged
when older than the retention period."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from skiptrace.tables import checkpoints
from skiptrace.tables.checkpoints import Checkpoints, changed, file_sha256, file_state, run_identity


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "checkpoints.sqlite3"


@pytest.fixture
def store(store_path: Path) -> Iterator[Checkpoints]:
    kept = Checkpoints(store_path, "run-a", retention_days=30)
    yield kept
    kept.close()


def _stored(path: Path) -> list[tuple[str, int, str]]:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT run, row, cells FROM finished ORDER BY run, row").fetchall()
    finally:
        db.close()


def test_a_row_put_is_got_back_as_it_was(store: Checkpoints) -> None:
    cells = ["A0001", "Zoë", "Łódź", "東京", "", 'say "hi", then\nleave', "hit"]
    store.put(7, cells)
    assert store.get(7) == cells
    assert store.get(6) is None
    assert store.get(8) is None


def test_putting_a_row_again_replaces_it(store: Checkpoints, store_path: Path) -> None:
    store.put(0, ["first"])
    store.put(0, ["second"])
    assert store.get(0) == ["second"]
    assert len(_stored(store_path)) == 1


def test_a_row_is_committed_before_put_returns(store: Checkpoints, store_path: Path) -> None:
    """Another connection sees it at once: a process killed after put loses nothing."""
    store.put(3, ["Renée", "no_hit"])
    assert _stored(store_path) == [("run-a", 3, '["Renée", "no_hit"]')]  # readable UTF-8


def test_rows_of_another_run_are_not_seen(store: Checkpoints, store_path: Path) -> None:
    store.put(0, ["from run a"])
    other = Checkpoints(store_path, "run-b", retention_days=30)
    try:
        assert other.get(0) is None
        other.put(0, ["from run b"])
        assert other.get(0) == ["from run b"]
    finally:
        other.close()
    assert store.get(0) == ["from run a"]


def test_a_row_kept_survives_closing_and_reopening(store_path: Path) -> None:
    first = Checkpoints(store_path, "run-a", retention_days=30)
    first.put(0, ["A0000", "hit"])
    first.put(1, ["A0001", "no_hit"])
    first.close()
    again = Checkpoints(store_path, "run-a", retention_days=30)
    try:
        assert again.get(0) == ["A0000", "hit"]
        assert again.get(1) == ["A0001", "no_hit"]
    finally:
        again.close()


def test_rows_older_than_the_retention_period_are_purged_on_opening(store_path: Path) -> None:
    first = Checkpoints(store_path, "run-a", retention_days=30)
    for row in range(3):
        first.put(row, [f"row {row}"])
    first.close()
    day = 86400
    db = sqlite3.connect(store_path)
    db.execute("UPDATE finished SET stored_at = ? WHERE row = 0", (time.time() - 31 * day,))
    db.execute("UPDATE finished SET stored_at = ? WHERE row = 1", (time.time() - 29 * day,))
    db.commit()
    db.close()
    again = Checkpoints(store_path, "run-b", retention_days=30)  # any run's opening purges
    again.close()
    assert [(run, row) for run, row, _ in _stored(store_path)] == [("run-a", 1), ("run-a", 2)]


def test_a_runs_key_follows_the_content_and_the_options(tmp_path: Path) -> None:
    source = tmp_path / "debtors.csv"
    source.write_bytes(b"Id,Name\n1,Roe\n")
    options = ["source=nppes@1.0", "source=gleif@2.1", "map=last_name=Surname"]
    key = run_identity(source, options).key
    assert len(key) == 64 and int(key, 16) >= 0  # a sha256 in hex

    assert run_identity(source, list(reversed(options))).key == key  # order does not matter
    copy = tmp_path / "elsewhere" / "renamed.csv"
    copy.parent.mkdir()
    copy.write_bytes(source.read_bytes())
    assert run_identity(copy, options).key == key  # the content counts, not the file's name

    assert run_identity(source, options[:2]).key != key
    assert run_identity(source, [*options[:2], "map=last_name=Family"]).key != key
    assert run_identity(source, []).key != key
    source.write_bytes(b"Id,Name\n1,Roe\n2,Doe\n")
    assert run_identity(source, options).key != key


def test_a_file_rewritten_in_place_with_its_size_and_time_kept_is_seen_to_change(
    tmp_path: Path,
) -> None:
    """A rewrite of the same size whose modification time is set back passed the check at
    the end of a run (302 rows of two contents put in place as one output): the change time
    moves however the modification time is set."""
    path = tmp_path / "debtors.csv"
    path.write_bytes(b"Id,Name\nA1,Roe\n")
    before = path.stat()
    state, content = file_state(path), file_sha256(path)
    time.sleep(0.01)
    with path.open("r+b") as handle:  # in place: same inode, same size
        handle.write(b"Id,Name\nA1,Poe\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert changed(path, state, content)


def test_a_file_whose_mode_or_links_alone_changed_is_the_same_file(tmp_path: Path) -> None:
    """A sync tool's chmod or a hard-link backup moves the change time only: the run's
    finished output was thrown away as "changed while it was read"."""
    path = tmp_path / "debtors.csv"
    path.write_bytes(b"Id,Name\nA1,Roe\n")
    state, content = file_state(path), file_sha256(path)
    time.sleep(0.01)
    path.chmod(0o640)
    os.link(path, tmp_path / "backup.csv")
    assert file_state(path) != state and not changed(path, state, content)


def test_clearing_a_big_run_lets_another_run_write_between_batches(
    store: Checkpoints, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finished run's checkpoints are deleted a batch a transaction: one DELETE of a whole
    run held the store's write lock for all its rows (1.6 million: 4.4 s), and another run
    sharing SKIPTRACE_HOME, whose next put waits at most 5 s, stopped with "database is
    locked". Each batch is committed before the next: here a run that may not wait at all
    writes between two of them."""
    monkeypatch.setattr(checkpoints, "CLEAR_BATCH", 10)
    for row in range(25):
        store.put(row, [f"found-{row}"])
    other = sqlite3.connect(store_path, timeout=0, isolation_level=None)
    deletes: list[str] = []
    written: list[int] = []

    def statement(sql: str) -> None:  # called as each statement starts
        if sql.startswith("DELETE FROM finished"):
            deletes.append(sql)
            if len(deletes) == 2:  # the first has run: was it committed?
                with contextlib.suppress(sqlite3.OperationalError):  # busy: it was not
                    other.execute("INSERT INTO runs (run, input, stored_at) VALUES ('b', '', 0)")
                    written.append(len(_stored(store_path)))

    store._db.set_trace_callback(statement)
    try:
        store.clear()
    finally:
        store._db.set_trace_callback(None)
        other.close()
    assert written == [15]  # after the first batch of 10, while 15 rows were still kept
    assert _stored(store_path) == []
