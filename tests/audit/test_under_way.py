"""A request under way is in the journal before it leaves: a process killed (or a log closed)
before its answer was recorded still leaves a row for it, exactly one, in an intact chain."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from skiptrace.audit import AuditEvent, AuditLog, AuditRow
from skiptrace.audit.journal import _SLOT
from skiptrace.testing.children import quiet_fork
from skiptrace.testing.raw import RawServer
from skiptrace.testing.replay import loopback_policy_file

UNDER_WAY = "interrupted"

Forked = Callable[..., tuple[int, str]]
"""``run_forked`` (tests/audit/conftest.py): a script's exit code and output, run in a fork."""

KILLED_SENDER = """
import os, signal, sys
from pathlib import Path
from skiptrace.audit import AuditEvent, AuditLog
log = AuditLog(Path(sys.argv[1]), flush_rows=10_000, flush_seconds=3600,
               journal_lines=int(sys.argv[3]))
def event(n):
    return AuditEvent(event="request", method="GET", url=f"https://x.example/{n}",
                      connector="demo", debtor_ref="ACCT-1")
tokens = [log.begin(event(n)) for n in range(3)]
log.append(AuditEvent(event="request", method="GET", url="https://x.example/1", status=200,
                      connector="demo", debtor_ref="ACCT-1"), ends=tokens[1])
for n in range(int(sys.argv[2])):  # other requests, answered, while 0 and 2 are under way
    token = log.begin(event(100 + n))
    log.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{100 + n}",
                          status=200), ends=token)
    if n % 7 == 6:
        log.flush()
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture
def kill_a_sender(forked: Forked) -> Callable[..., None]:
    """``kill_a_sender(path, answered=0, journal_lines=10_000)``: ``KILLED_SENDER`` run on the
    log at ``path`` in a process of its own (a fork: ``run_forked``), SIGKILLed."""

    def killed(path: Path, answered: int = 0, journal_lines: int = 10_000) -> None:
        code, said = forked(KILLED_SENDER, str(path), str(answered), str(journal_lines))
        assert code == -signal.SIGKILL, said

    return killed


def _under_way(rows: list[AuditRow]) -> list[AuditRow]:
    return [row for row in rows if row.detail.startswith(UNDER_WAY)]


def test_requests_under_way_when_the_process_is_killed_get_a_row_each(
    tmp_path: Path, kill_a_sender: Callable[..., None]
) -> None:
    path = tmp_path / "audit.sqlite3"
    kill_a_sender(path)
    rows = _recovered(path)
    for row in rows[1:]:  # the reference masked as in the answered request's row
        assert (row.event, row.reason, row.connector) == ("error", "error", "demo")
        assert row.debtor_ref == rows[0].debtor_ref != "ACCT-1"
        assert row.detail.startswith(UNDER_WAY) and "may have reached" in row.detail
    assert rows[1].ts < rows[0].ts  # the time it was begun


def test_a_row_a_kill_cut_short_leaves_its_request_interrupted_and_no_damage(
    tmp_path: Path, kill_a_sender: Callable[..., None]
) -> None:
    path = tmp_path / "audit.sqlite3"
    kill_a_sender(path)
    (journal,) = path.with_name(path.name + ".journal").glob("*.jsonl")
    with journal.open("ab") as cut:  # the row's write, ended by the kill part-way
        cut.write(b'4f2a ["0000", 3, "2026-01-01T00:00:00.000000+00:00", "request", "GE')
    assert len(_under_way(_recovered(path))) == 2


def _recovered(path: Path) -> list[AuditRow]:
    """The rows of the log ``kill_a_sender`` left at ``path``, opened again (its chain
    intact): the answered request's, then one for each of the two under way."""
    with AuditLog(path) as log:
        rows = log.rows()
        assert log.verify().ok
    assert [(row.url, row.status) for row in rows] == [
        ("https://x.example/1", 200),
        ("https://x.example/0", None),
        ("https://x.example/2", None),
    ]
    return rows


def test_a_request_under_way_across_journals_is_recorded_once(
    tmp_path: Path, kill_a_sender: Callable[..., None]
) -> None:
    """Journals of 10 lines, 40 answered requests and flushes while 0 and 2 are under way: the
    journals they were begun in are stored and removed long before the kill."""
    path = tmp_path / "audit.sqlite3"
    kill_a_sender(path, answered=40, journal_lines=10)
    with AuditLog(path) as log:
        rows = log.rows()
        assert log.verify().ok
    assert len(rows) == 1 + 40 + 2
    assert [row.url for row in _under_way(rows)] == [
        "https://x.example/0",
        "https://x.example/2",
    ]


def test_a_recovery_cut_short_does_not_record_them_twice(
    tmp_path: Path, kill_a_sender: Callable[..., None]
) -> None:
    """A recovery killed after storing a journal's rows, before removing it: the next one
    finds the rows stored and the requests under way already recorded."""
    path = tmp_path / "audit.sqlite3"
    kill_a_sender(path)
    journals = path.with_name(path.name + ".journal")
    kept = tmp_path / "kept"
    shutil.copytree(journals, kept)
    with AuditLog(path) as log:
        first = log.rows()
    shutil.rmtree(journals)
    shutil.copytree(kept, journals)  # as if the recovery had stopped before removing them
    with AuditLog(path) as log:
        assert log.rows() == first
        assert log.verify().ok
    assert len(_under_way(first)) == 2


def test_a_removed_begin_line_is_damage(tmp_path: Path, kill_a_sender: Callable[..., None]) -> None:
    path = tmp_path / "audit.sqlite3"
    kill_a_sender(path)
    [journal] = path.with_name(path.name + ".journal").glob("*.jsonl")
    lines = journal.read_bytes().split(b"\n")
    assert b'["begin"' in lines[0]
    journal.write_bytes(b"\n".join(lines[1:]))  # hide request 0
    with AuditLog(path) as log:
        rows = log.rows()
        assert not log.verify().ok
    assert [row.rule for row in rows if row.event == "error"].count("journal") == 1


def test_a_begin_line_cut_from_the_end_is_damage(tmp_path: Path, forked: Forked) -> None:
    path = tmp_path / "audit.sqlite3"
    script = KILLED_SENDER.replace("for n in range(int(sys.argv[2])):", "for n in []:")
    script = script.replace("os.kill(", "log.begin(event(9)); os.kill(")
    code, said = forked(script, str(path), "0", "10000")
    assert code == -signal.SIGKILL, said
    [journal] = path.with_name(path.name + ".journal").glob("*.jsonl")
    journal.write_bytes(journal.read_bytes().rsplit(b"\n", 2)[0] + b"\n")  # request 9's line
    with AuditLog(path) as log:
        rows = log.rows()
    [damage] = [row for row in rows if row.rule == "journal"]
    assert "removed from its end" in damage.detail


def test_closing_the_log_with_a_request_under_way_records_it(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    log = AuditLog(path)
    log.begin(AuditEvent(event="request", method="GET", url="https://x.example/slow"))
    answered = log.begin(AuditEvent(event="request", method="GET", url="https://x.example/"))
    log.append(AuditEvent(event="request", method="GET", url="https://x.example/", status=200),
               ends=answered)  # fmt: skip
    log.close()
    with AuditLog(path) as again:
        rows = again.rows()
        assert again.verify().ok
    assert [row.url for row in rows] == ["https://x.example/", "https://x.example/slow"]
    assert "closed" in rows[1].detail and rows[1].detail.startswith(UNDER_WAY)


def test_answered_requests_leave_one_row_each_and_the_journal_holds_no_row_twice(
    tmp_path: Path,
) -> None:
    path = tmp_path / "audit.sqlite3"
    with AuditLog(path, flush_seconds=3600) as log:
        for n in range(5):
            token = log.begin(AuditEvent(event="request", method="GET", url=f"https://x/{n}"))
            log.append(AuditEvent(event="request", method="GET", url=f"https://x/{n}",
                                  status=200), ends=token)  # fmt: skip
        assert log.pending_elsewhere() == 0
        assert [row.url for row in log.rows()] == [f"https://x/{n}" for n in range(5)]
        assert log.verify().ok


def test_a_row_that_ends_an_unknown_request_is_written_all_the_same(tmp_path: Path) -> None:
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        with pytest.raises(ValueError, match="not begun"):
            log.append(AuditEvent(event="request", method="GET", url="https://x/"), ends=12345)
        assert [row.url for row in log.rows()] == ["https://x/"]


KEY = b"k" * 32


def _seal_slots(journal: Path) -> tuple[Path, list[int]]:
    """A journal's seal and the line count in each of its two slots."""
    seal = journal.with_name(journal.name + ".seal")
    raw = seal.read_bytes()
    return seal, [int(raw[n * _SLOT : n * _SLOT + 20]) for n in (0, 1)]


def _tear(seal: Path, slot: int) -> None:
    """Spoil one slot of a seal, as a kill while it was being marked would (no key needed)."""
    raw = bytearray(seal.read_bytes())
    raw[slot * _SLOT] ^= 1
    seal.write_bytes(bytes(raw))


KEYED_SENDER = """
import os, signal, sys
from pathlib import Path
from skiptrace.audit import AuditEvent, AuditLog
path = Path(sys.argv[1])
log = AuditLog(path, flush_seconds=3600, key=b"k" * 32)
def event(n, status=None):
    return AuditEvent(event="request", method="GET", url=f"https://x.example/{n}", status=status)
for n, status in ((1, 200), (2, 451)):
    token = log.begin(event(n))
    if sys.argv[2] == "unsealed" and n == 2:  # killed after the row's write, before its marks
        [journal] = path.with_name(path.name + ".journal").glob("*.jsonl")
        seal = journal.with_name(journal.name + ".seal")
        before = seal.read_bytes()
        log.append(event(n, status), ends=token)
        seal.write_bytes(before)
    else:
        log.append(event(n, status), ends=token)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _keyed_kill(forked: Forked, path: Path, how: str) -> Path:
    code, said = forked(KEYED_SENDER, str(path), how)
    assert code == -signal.SIGKILL, said
    [journal] = path.with_name(path.name + ".journal").glob("*.jsonl")
    return journal


def test_a_torn_seal_slot_cannot_hide_a_cut_answer(tmp_path: Path, forked: Forked) -> None:
    """Without the key: spoil the newest slot, then cut the last row (the line that also ends
    its request), so that the answer (451) would read as a request interrupted. The older slot
    is one line behind the newest, never more, so the cut shows."""
    path = tmp_path / "audit.sqlite3"
    journal = _keyed_kill(forked, path, "sealed")
    seal, counts = _seal_slots(journal)
    assert sorted(counts) == [3, 4]
    _tear(seal, counts.index(4))
    lines = journal.read_bytes().split(b"\n")[:-1]
    journal.write_bytes(b"\n".join(lines[:3]) + b"\n")
    with AuditLog(path, key=KEY) as log:
        rows = log.rows()
        assert not log.verify().ok
    assert any(row.rule == "journal" for row in rows)


@pytest.mark.parametrize("moment", ["before its mark", "marking it"])
def test_a_kill_between_a_rows_write_and_its_seal_is_no_damage(
    tmp_path: Path, moment: str, forked: Forked
) -> None:
    """Killed after the row that ends the second request was written (line 4), before the
    seal counted it, or while it was marking it (that slot torn): the rows are stored and
    nothing is called damage."""
    path = tmp_path / "audit.sqlite3"
    journal = _keyed_kill(forked, path, "unsealed")
    seal, counts = _seal_slots(journal)
    assert counts == [2, 3]  # the seal as it was before the row: slot 0 is marked next
    if moment == "marking it":
        _tear(seal, 0)
    with AuditLog(path, key=KEY) as log:
        rows = log.rows()
        assert log.verify().ok, [row.detail for row in rows]
    assert [row.status for row in rows] == [200, 451]


CLIENT = """
import asyncio, sys
from pathlib import Path
from skiptrace.audit import AuditLog
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.stack import open_client
from skiptrace.policy import load_policy

url, scratch = sys.argv[1], Path(sys.argv[2])
policy = load_policy([Path(sys.argv[3])])
audit = AuditLog(scratch / "audit.sqlite3", policy["redaction.fields"])
cache = HttpCache(scratch / "cache.sqlite3", default_seconds=3600, retention_days=30)

async def fetch():
    async with open_client(policy, audit, purpose="collection of a debt owed",
                           cache=cache) as client:
        await client.get(url)

asyncio.run(fetch())
"""


def _holding(server: RawServer, target: str, connection: socket.socket) -> bool:
    """No robots.txt; a page that is never answered."""
    if target == "/robots.txt":
        connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        return True
    while not server.over:
        time.sleep(0.02)
    return False


def test_a_client_killed_while_its_request_waits_leaves_a_row_for_it(tmp_path: Path) -> None:
    """Through the real stack, in a process of its own: the server has the request and holds
    it; the process is killed; the next log opened on the file has the request's row."""
    scratch = tmp_path / "run"
    scratch.mkdir()
    with RawServer(_holding, lifetime=30) as server:
        url = server.url("/staff")
        policy = loopback_policy_file(scratch / "loopback.toml", url)

        # the client in a process of its own, a fork of this one (a fresh Python and the
        # network stack's imports had been most of the test's CPU)
        def client() -> None:  # pragma: no cover - the child, killed while it waits
            sys.argv = ["-c", url, str(scratch), str(policy)]
            exec(compile(CLIENT, "<client>", "exec"), {"__name__": "__main__"})

        child = quiet_fork(client)
        running = os.WEXITED | os.WNOHANG | os.WNOWAIT  # left to be reaped after the kill
        try:
            deadline = time.monotonic() + 30
            while "/staff" not in server.paths and os.waitid(os.P_PID, child, running) is None:
                assert time.monotonic() < deadline, "the request never reached the server"
                time.sleep(0.01)
        finally:  # whatever the loop raised, the child never outlives it
            os.kill(child, signal.SIGKILL)
            ended = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
        assert ended == -signal.SIGKILL, "the client ended before it was killed"
    with AuditLog(scratch / "audit.sqlite3") as log:
        rows = [row for row in log.rows() if row.event != "override"]
        assert log.verify().ok
    assert [(row.event, row.url.rsplit("/", 1)[1], row.status) for row in rows] == [
        ("request", "robots.txt", 404),
        ("error", "staff", None),
    ]
    assert rows[1].detail.startswith(UNDER_WAY)
    assert rows[1].purpose == "collection of a debt owed"
