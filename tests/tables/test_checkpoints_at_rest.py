"""Checkpoints keep only what resuming needs: a row's output columns, never the input's own
cells (SSNs, dates of birth...), bound to the cells they were researched from; a run's
checkpoints are gone, from the database and its write-ahead log, once its output is complete."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import signal
import sqlite3
import stat
import threading
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.connectors._registry import load_manifest
from skiptrace.policy import Policy
from skiptrace.research.enrich import enrich, run_options
from skiptrace.research.findings import OUTPUT_COLUMNS
from skiptrace.state import home
from skiptrace.tables.checkpoints import Checkpoints, run_identity
from skiptrace.testing.children import quiet_fork
from skiptrace.testing.directory import MANIFEST, directory_options
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy

FOUND = "Quartermain"
EMPLOYER = "Example Plumbing Co."
ROWS = 30
PURPOSE = "collection of a debt owed"


def _on_disk(path: Path) -> bytes:
    """Every byte of the store: the database, its write-ahead log and shared memory."""
    return b"".join(
        Path(f"{path}{suffix}").read_bytes()
        for suffix in ("", "-wal", "-shm")
        if Path(f"{path}{suffix}").exists()
    )


def _ssn(n: int) -> str:
    return f"7{n:02d}-{n + 31:02d}-{n + 4100:04d}"


def _dob(n: int) -> str:
    return f"19{50 + n}-{1 + n % 12:02d}-{1 + n % 28:02d}"


def _personal(n: int) -> list[str]:
    """What of row ``n``'s own cells must never be in the store: SSN (as written and as bare
    digits), date of birth, account number. (Not the name: an output column names where a
    finding came from, and that search URL holds the name the source was asked for.)"""
    return [_ssn(n), _ssn(n).replace("-", ""), _dob(n), f"ACC{n:05d}"]


def _debtors(path: Path, count: int = ROWS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Account", "First Name", "Last Name", "SSN", "DOB", "Address", "City",
                         "State", "Zip"])  # fmt: skip
        for n in range(count):
            last = FOUND if n % 3 == 0 else f"Nobody{n}"
            writer.writerow([f"ACC{n:05d}", f"Wilhelmina{n:03d}", last, _ssn(n), _dob(n),
                             "12 Harbour Rd", "Springfield", "IL", "62701"])  # fmt: skip
    return path


class _Directory:
    """A people directory that knows everyone called Quartermain; rows from ``hold_from`` on
    wait until it moves, so a run can be caught part of the way through."""

    def __init__(self) -> None:
        self._moved = threading.Condition()
        self._from: int | None = None

    def hold_from(self, row: int | None) -> None:
        with self._moved:
            self._from = row
            self._moved.notify_all()

    def __call__(self, method: str, target: str) -> Reply | None:
        url = urlsplit(target)
        if url.path != "/people":
            return None
        query = parse_qs(url.query)
        last, first = query.get("last", [""])[0], query.get("first", [""])[0]
        row = int(first.removeprefix("Wilhelmina") or 0)
        with self._moved:
            self._moved.wait_for(lambda: self._from is None or row < self._from, 60)
        people = []
        if last == FOUND:
            people.append({"name": f"{first} {last}", "street": "12 Harbour Rd",
                           "city": "Springfield", "state": "IL", "zip": "62701",
                           "employer": EMPLOYER})  # fmt: skip
        body = json.dumps({"people": people}).encode()
        return Reply(200, body, {"Content-Type": "application/json"})


def _arguments(tmp_path: Path, server: ReplayServer, source: Path, target: Path) -> list[str]:
    """The enrich command's arguments: ``source`` researched at ``server`` into ``target``."""
    return [*directory_options(tmp_path, server), "enrich", str(source),
            "-o", str(target), "--source", "demo_directory", "--purpose", PURPOSE,
            "--no-progress"]  # fmt: skip


def _kept(store: Path) -> int:
    db = sqlite3.connect(store)
    try:
        return int(db.execute("SELECT count(*) FROM finished").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        db.close()


def test_a_killed_run_leaves_no_input_cell_and_a_finished_run_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = _Directory()
    source = _debtors(tmp_path / "debtors.csv")
    target = tmp_path / "out.csv"
    home_dir = tmp_path / "home"
    store = home_dir / "checkpoints.sqlite3"
    monkeypatch.setenv("SKIPTRACE_HOME", str(home_dir))
    with ReplayServer(directory) as server:
        arguments = _arguments(tmp_path, server, source, target)
        directory.hold_from(20)  # rows from 20 on wait: the run cannot finish
        try:
            # the killed run in a process of its own with umask 0, a fork of this one (a fresh
            # Python and its imports had been most of the test's CPU)
            def run() -> None:  # pragma: no cover - the child, killed while it runs
                os.umask(0)
                CliRunner().invoke(app, arguments)

            child = quiet_fork(run)
            deadline = time.monotonic() + 60
            running = os.WEXITED | os.WNOHANG | os.WNOWAIT  # left to be reaped after the kill
            try:
                while time.monotonic() < deadline and os.waitid(os.P_PID, child, running) is None:
                    if store.exists() and _kept(store) >= 20:
                        break
                    time.sleep(0.005)
            finally:  # whatever the loop raised, the child never outlives it
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
        finally:
            directory.hold_from(None)
        assert not target.exists()
        assert Path(f"{store}-wal").exists()  # killed: what it kept is still in its WAL
        at_rest = _on_disk(store)
        assert _kept(store) >= 20
        assert EMPLOYER.encode() in at_rest  # what the run found is there, to resume from...
        for n in range(ROWS):  # ...and nothing of the input's own cells
            for value in _personal(n):
                assert value.encode() not in at_rest, value
        with closing(sqlite3.connect(store)) as db:
            [(run,)] = db.execute("SELECT DISTINCT run FROM finished").fetchall()

        umask = os.umask(0)  # the rerun, in this process, as the killed run had it
        try:
            done = CliRunner().invoke(app, arguments)
        finally:
            os.umask(umask)
        assert done.exit_code == 0, done.output
    files = [p for p in home_dir.rglob("*") if p.is_file()]  # the audit journal's included
    modes = {str(p.relative_to(tmp_path)): stat.S_IMODE(p.stat().st_mode) for p in files}
    assert {"home/audit.sqlite3", "home/cache.sqlite3", "home/checkpoints.sqlite3"} <= set(modes)
    assert modes == dict.fromkeys(modes, 0o600)  # with umask 0: none of it from the umask
    assert stat.S_IMODE(home_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["SSN"], r["DOB"]) for r in rows] == [(_ssn(n), _dob(n)) for n in range(ROWS)]
    assert [r["found_employer"] for r in rows] == [
        EMPLOYER if n % 3 == 0 else "" for n in range(ROWS)
    ]
    assert _kept(store) == 0, done.output  # "the output is complete, but ..." if not cleared
    left = _on_disk(store)
    for value in (run, EMPLOYER, "12 Harbour Rd", "demo_directory:hit"):
        assert value.encode() not in left, value
    for n in range(ROWS):
        for value in _personal(n):
            assert value.encode() not in left, value


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "checkpoints.sqlite3"


def test_a_row_is_kept_without_its_input_cells_and_only_for_them(store: Path) -> None:
    inputs = ["ACC00001", "Wilhelmina001", FOUND, _ssn(1), _dob(1)]
    kept = Checkpoints(store, "run-a", retention_days=30, seal=b"s" * 32)
    try:
        kept.put(1, ["hit", EMPLOYER], inputs)
        assert kept.get(1, inputs) == ["hit", EMPLOYER]
        for other in ([*inputs[:-1], _dob(2)], inputs[:-1], [], [*inputs, ""]):
            assert kept.get(1, other) is None, other  # another debtor's findings never given
        assert kept.get(2, inputs) is None  # nor another row's
        at_rest = _on_disk(store)
        assert EMPLOYER.encode() in at_rest
        for value in inputs:
            assert value.encode() not in at_rest, value
    finally:
        kept.close()
    other_seal = Checkpoints(store, "run-a", retention_days=30, seal=b"t" * 32)
    try:
        assert other_seal.get(1, inputs) is None  # the tag is keyed by the input's content
    finally:
        other_seal.close()


def test_the_seal_is_never_stored(tmp_path: Path, store: Path) -> None:
    source = _debtors(tmp_path / "debtors.csv", 3)
    identity = run_identity(source, ["source=x@1"])
    kept = Checkpoints(store, identity.key, retention_days=30, seal=identity.seal)
    try:
        kept.put(0, ["hit"], ["a"])
        at_rest = _on_disk(store)
        assert identity.key.encode() in at_rest
        assert identity.seal not in at_rest and identity.seal.hex().encode() not in at_rest
    finally:
        kept.close()
    assert run_identity(source, ["source=x@2"]).seal == identity.seal  # the content's alone
    source.write_text("Account,Last Name\n1,Roe\n")
    assert run_identity(source, ["source=x@1"]).seal != identity.seal


def test_clearing_a_run_leaves_nothing_of_it_on_disk(store: Path) -> None:
    mine = Checkpoints(store, "run-mine-0123456789", retention_days=30)
    other = Checkpoints(store, "run-other", retention_days=30)
    try:
        for row in range(200):
            mine.put(row, [f"found-mine-{row:03d}", "x" * 500])
        other.put(0, ["found-other"])
        mine.clear()
        assert mine.get(0) is None
        assert other.get(0) == ["found-other"]
        left = _on_disk(store)  # both still open: the WAL was emptied, the pages zeroed
        assert b"run-mine-0123456789" not in left
        assert b"found-mine-" not in left
        assert b"found-other" in left
    finally:
        mine.close()
        other.close()
    assert b"found-mine-" not in _on_disk(store)


def test_a_store_of_whole_input_rows_is_dropped_on_opening(store: Path) -> None:
    db = sqlite3.connect(store)  # what an older skiptrace wrote: the whole row, input included
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE finished (run TEXT NOT NULL, row INTEGER NOT NULL, cells TEXT NOT "
               "NULL, stored_at REAL NOT NULL, PRIMARY KEY (run, row))")  # fmt: skip
    for n in range(ROWS):
        whole = json.dumps([f"ACC{n:05d}", _ssn(n), _dob(n), "hit"])
        db.execute("INSERT INTO finished VALUES ('old', ?, ?, ?)", (n, whole, time.time()))
    db.commit()
    db.close()
    assert _ssn(1).encode() in _on_disk(store)
    kept = Checkpoints(store, "old", retention_days=365)
    try:
        assert kept.get(1) is None  # researched again if that run is resumed
        for n in range(ROWS):
            for value in _personal(n)[:3]:
                assert value.encode() not in _on_disk(store), value
    finally:
        kept.close()


def _enrich(source: Path, target: Path, server: ReplayServer, policy: Policy, folder: Path) -> None:
    (folder / "demo_directory.toml").write_text(MANIFEST.format(base=server.base_url))
    connector = load_manifest(folder / "demo_directory.toml")
    audit = AuditLog.open_default()
    try:
        fast = _fast(policy, server)
        asyncio.run(enrich(source, target, policy=fast, audit=audit, connectors=[connector],
                           purpose=PURPOSE, overrides={}, jobs=1))  # fmt: skip
    finally:
        audit.close()


def _fast(policy: Policy, server: ReplayServer) -> Policy:
    return loopback_policy(policy, "tests replay a directory on loopback", server)


def test_a_resumed_row_takes_its_cells_from_the_input_and_only_if_they_match(
    tmp_path: Path, policy: Policy
) -> None:
    """Row 0 was kept for other cells (the file changed between hashing and reading, say):
    researched again. Row 1 was kept for its own cells: its output is taken as it was kept and
    its cells are read from the input."""
    source = _debtors(tmp_path / "debtors.csv", 3)
    with source.open(encoding="utf-8", newline="") as handle:
        _, row0, row1, _ = list(csv.reader(handle))
    with ReplayServer(_Directory()) as server:
        connector = MANIFEST.format(base=server.base_url)
        (tmp_path / "demo_directory.toml").write_text(connector)
        loaded = load_manifest(tmp_path / "demo_directory.toml")
        identity = run_identity(source, run_options([loaded], {}, _fast(policy, server)))
        stale = ["kept"] * len(OUTPUT_COLUMNS)
        kept = Checkpoints(home() / "checkpoints.sqlite3", identity.key, 30, seal=identity.seal)
        kept.put(0, stale, [*row0[:3], _ssn(9), row0[4], *row0[5:]])  # another SSN
        kept.put(1, stale, row1)
        kept.close()
        target = tmp_path / "out.csv"
        _enrich(source, target, server, policy, tmp_path)
        researched = [r.path for r in server.received if r.path.startswith("/people")]
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][: len(row0)] == row0 and rows[1][len(row0)] != "kept"  # researched again
    assert rows[1][len(row0) :][8] == EMPLOYER  # row 0 is a Quartermain
    assert rows[2] == row1 + stale  # resumed: cells from the input, output as kept
    assert len(researched) == 2  # rows 0 and 2
    assert _kept(home() / "checkpoints.sqlite3") == 0
