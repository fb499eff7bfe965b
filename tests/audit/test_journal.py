"""The audit journal: rows written ahead survive a killed process and keep their chain."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skiptrace.audit import AuditEvent, AuditLog, storer
from skiptrace.audit import log as log_module
from skiptrace.errors import AuditError

KilledWriter = Callable[..., Path]
"""The ``killed_writer`` fixture (tests/audit/conftest.py)."""


def _python(script: str, *args: object) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a Python process of its own; what it printed and how it ended."""
    command = [sys.executable, "-c", script, *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _stored_urls(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [url for (url,) in db.execute("SELECT url FROM audit ORDER BY seq")]


def _rewrite_line(journal: Path, number: int, edit: str) -> None:
    """Change line ``number`` of a journal: 'url' edits its URL, 'rehash' also fixes its hash."""
    lines = journal.read_bytes().split(b"\n")
    digest, _, payload = lines[number - 1].partition(b" ")
    payload = payload.replace(b"x.example", b"y.example")
    if edit == "rehash":
        digest = hashlib.sha256(payload).hexdigest().encode()
    lines[number - 1] = digest + b" " + payload
    journal.write_bytes(b"\n".join(lines))


def test_the_rows_of_a_killed_process_are_recovered_by_the_next_log(
    tmp_path: Path, killed_writer: KilledWriter
) -> None:
    path = tmp_path / "audit.sqlite3"
    journal = killed_writer(path, 5)
    assert _stored_urls(path) == []
    with AuditLog(path) as log:
        assert [row.url for row in log.rows()] == [f"https://x.example/{n}" for n in range(5)]
        assert log.verify().ok
    assert not journal.exists()


def test_rows_stored_before_the_kill_are_not_stored_twice(
    tmp_path: Path, killed_writer: KilledWriter
) -> None:
    path = tmp_path / "audit.sqlite3"
    killed_writer(path, 5, flush_after=3)
    assert len(_stored_urls(path)) == 3
    with AuditLog(path) as log:
        assert [row.url for row in log.rows()] == [f"https://x.example/{n}" for n in range(5)]
        assert log.verify().ok


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        ("url", "line 3 is not an intact journal row"),
        ("rehash", "line 4 does not follow the line before it"),
    ],
)
def test_an_edited_journal_is_kept_and_its_damage_logged(
    tmp_path: Path, edit: str, problem: str, killed_writer: KilledWriter
) -> None:
    path = tmp_path / "audit.sqlite3"
    journal = killed_writer(path, 5)
    _rewrite_line(journal, 3, edit)
    with AuditLog(path) as log:
        rows = log.rows()
        result = log.verify()
    assert result.intact  # the chain holds; the damage row makes verification fail
    assert (result.ok, result.damage, result.bad_seq) == (False, (rows[-1].seq,), rows[-1].seq)
    assert problem in result.reason
    assert [row.url for row in rows[:2]] == ["https://x.example/0", "https://x.example/1"]
    assert len(rows) == (3 if edit == "url" else 4)  # a re-hashed line is found by the next one
    assert (rows[-1].event, rows[-1].rule) == ("error", "journal")
    assert problem in rows[-1].detail
    assert journal.with_suffix(".damaged").exists()


def test_a_removed_journal_line_is_found(tmp_path: Path, killed_writer: KilledWriter) -> None:
    path = tmp_path / "audit.sqlite3"
    journal = killed_writer(path, 5)
    lines = journal.read_bytes().split(b"\n")
    journal.write_bytes(b"\n".join(lines[:1] + lines[2:]))
    with AuditLog(path) as log:
        rows = log.rows()
    assert [row.url for row in rows[:1]] == ["https://x.example/0"]
    assert "line 2 does not follow the line before it" in rows[-1].detail


def test_a_write_a_kill_cut_short_after_the_sealed_lines_is_no_damage(
    tmp_path: Path, killed_writer: KilledWriter
) -> None:
    # a SIGKILL during write() ends it at a page boundary (a journal found cut at 16,384
    # bytes): that write never returned, so its row was never written, as if the kill had come
    # just before it; it had been damage, and every later verify failed for it
    path = tmp_path / "audit.sqlite3"
    journal = killed_writer(path, 5)
    journal.write_bytes(journal.read_bytes() + b'0123 ["partial')
    with AuditLog(path) as log:
        rows = log.rows()
        result = log.verify()
    assert result.ok and result.damage == ()
    assert [row.url for row in rows] == [f"https://x.example/{n}" for n in range(5)]
    assert not journal.exists() and not journal.with_suffix(".damaged").exists()


def test_a_cut_inside_a_sealed_line_is_still_damage(
    tmp_path: Path, killed_writer: KilledWriter
) -> None:
    path = tmp_path / "audit.sqlite3"
    journal = killed_writer(path, 5)
    data = journal.read_bytes()
    journal.write_bytes(data[: data.rstrip(b"\n").rfind(b"\n") + 40])  # line 5 cut short
    with AuditLog(path) as log:
        rows = log.rows()
        result = log.verify()
    assert result.intact and result.damage == (5,)
    assert [row.url for row in rows[:-1]] == [f"https://x.example/{n}" for n in range(4)]
    assert "it has 4 whole lines, but 5 were written" in rows[-1].detail


def test_the_journal_of_an_open_log_is_left_to_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    first = AuditLog(path)
    for number in range(3):
        first.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{number}"))
    second = AuditLog(path)
    assert second.rows() == []
    assert second.pending_elsewhere() == 3
    first.close()
    assert len(second.rows()) == 3
    assert second.pending_elsewhere() == 0
    second.close()


def test_rows_reach_the_store_by_count_and_by_age(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    by_count = AuditLog(path, flush_rows=2, flush_seconds=3600)
    event = AuditEvent(event="request", method="GET", url="https://x.example/")
    by_count.append(event)
    assert _stored_urls(path) == []
    by_count.append(event)
    assert len(_stored_urls(path)) == 2
    by_age = AuditLog(path, flush_rows=1000, flush_seconds=0.05)
    by_age.append(event)
    deadline = time.monotonic() + 10
    while len(_stored_urls(path)) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)  # the background thread stores it, with no further call on the log
    assert len(_stored_urls(path)) == 3
    by_count.close()
    by_age.close()


def test_a_log_dropped_without_closing_still_stores_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    log = AuditLog(path)
    log.append(AuditEvent(event="request", method="GET", url="https://x.example/"))
    del log
    assert _stored_urls(path) == ["https://x.example/"]


def test_an_interrupted_store_keeps_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = AuditLog(tmp_path / "audit.sqlite3", flush_seconds=3600)
    for number in range(3):
        log.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{number}"))

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(AuditLog, "_store", interrupted)
    with pytest.raises(KeyboardInterrupt):
        log.flush()
    monkeypatch.undo()
    assert [row.url for row in log.rows()] == [f"https://x.example/{n}" for n in range(3)]
    log.close()


def test_a_store_interrupted_after_its_commit_stores_its_rows_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: a Ctrl-C that comes while COMMIT runs is raised as it returns, the rows in the
    log; put back to be stored again, each was stored twice, and the log claimed every request
    of the batch two times (its chain intact). A row already in the log is not stored again."""
    path = tmp_path / "audit.sqlite3"
    log = AuditLog(path, flush_seconds=3600)
    for number in range(3):
        log.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{number}"))
    commit = AuditLog._commit

    def committed_then_interrupted(self: AuditLog, *args: Any) -> None:
        commit(self, *args)
        raise KeyboardInterrupt

    monkeypatch.setattr(AuditLog, "_commit", committed_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        log.flush()
    monkeypatch.undo()
    log.append(AuditEvent(event="request", method="GET", url="https://x.example/after"))
    expected = [f"https://x.example/{n}" for n in (0, 1, 2, "after")]
    assert [row.url for row in log.rows()] == expected
    log.close()
    with AuditLog(path) as again:
        assert [row.url for row in again.rows()] == expected
        assert again.verify().ok


FULL_DISK_WRITER = """
import os, resource, signal, sys
from pathlib import Path
from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.errors import AuditError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
log = AuditLog(Path(sys.argv[1]), flush_seconds=3600)
def row(name):
    log.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{name}"))
for number in range(3):
    row(number)
size = sum(p.stat().st_size for p in Path(sys.argv[1] + ".journal").glob("*.jsonl"))
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 100, hard))  # the disk fills mid-line
try:
    row("failed")
except AuditError as error:
    print("refused:", error, flush=True)
resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
for number in range(3, 6):
    row(number)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_line_cut_short_by_a_full_disk_is_removed_before_the_next(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    done = _python(FULL_DISK_WRITER, path)
    assert done.returncode == -signal.SIGKILL
    assert done.stdout.startswith("refused:")
    with AuditLog(path) as log:
        assert [row.url for row in log.rows()] == [f"https://x.example/{n}" for n in range(6)]
    assert not list(path.with_name(path.name + ".journal").iterdir())


FORKING_WRITER = """
import os, sqlite3, sys, threading, time
from pathlib import Path
from skiptrace.audit import AuditEvent, AuditLog
path = Path(sys.argv[1])
log = AuditLog(path, flush_seconds=0.01)
blocker = sqlite3.connect(path, isolation_level=None)
blocker.execute("BEGIN IMMEDIATE")  # another process storing: the storer thread waits
log.append(AuditEvent(event="request", method="GET", url="https://x.example/parent"))

def storing():
    for ident, frame in sys._current_frames().items():
        while ident != threading.get_ident() and frame is not None:
            if frame.f_code.co_name == "_store":
                return True
            frame = frame.f_back
    return False

deadline = time.monotonic() + 30
while not storing():  # fork while the storer thread waits for the blocker (outside SQLite)
    assert time.monotonic() < deadline, "the storer thread never began to store"
    time.sleep(0.005)
child = os.fork()
if child == 0:
    own = AuditLog(path.with_name("child.sqlite3"))
    own.append(AuditEvent(event="request", method="GET", url="https://x.example/child"))
    sys.exit(0)  # a normal exit: the parent's log must not be closed (or waited for) here
blocker.execute("COMMIT")
_, status = os.waitpid(child, 0)
log.close()
print(os.waitstatus_to_exitcode(status))
"""


def test_a_forked_child_leaves_its_parents_log_alone(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    done = _python(FORKING_WRITER, path)
    assert done.stdout.strip() == "0", done.stderr
    assert _stored_urls(path) == ["https://x.example/parent"]
    assert _stored_urls(tmp_path / "child.sqlite3") == ["https://x.example/child"]


FORK_DURING_A_STORE = """
import os, sys, threading, time
from pathlib import Path
from skiptrace.audit import AuditEvent, AuditLog
log = AuditLog(Path(sys.argv[1]), flush_seconds=0.01)
inside, left = threading.Event(), []

def slow(_calls=[]):  # the storer thread, inside SQLite's own code (a statement being run)
    if not _calls:
        _calls.append(1)
        inside.set()
        time.sleep(0.3)
        left.append(time.monotonic())
    return 0

log._db.set_progress_handler(slow, 1)
log.append(AuditEvent(event="request", method="GET", url="https://x.example/parent"))
assert inside.wait(30), "the storer never stored"
child = os.fork()
if child == 0:
    os._exit(0)
forked = time.monotonic()
os.waitpid(child, 0)
log.close()
print("after" if left and forked >= left[0] else "inside")
"""


def test_a_fork_waits_until_no_thread_is_inside_sqlite(tmp_path: Path) -> None:
    """A child forked while a thread was inside SQLite inherits SQLite's process-wide mutexes
    as that thread held them: its first ``sqlite3.connect`` can hang for ever (seen 1 run in
    ~45 of the test above). So a fork waits until the storer is out of SQLite."""
    done = _python(FORK_DURING_A_STORE, tmp_path / "audit.sqlite3")
    assert done.stdout.strip() == "after", done.stderr


def test_a_journal_being_created_is_not_taken_for_an_orphan(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    AuditLog(path).close()
    starting = path.with_name(path.name + ".journal") / "1-abc.jsonl.new"
    starting.touch()
    AuditLog(path).close()
    assert starting.exists()
    os.utime(starting, (time.time() - 3600, time.time() - 3600))
    AuditLog(path).close()
    assert not starting.exists()


def test_a_journal_shorter_than_what_was_stored_is_reported(
    tmp_path: Path, killed_writer: KilledWriter
) -> None:
    path = tmp_path / "audit.sqlite3"
    journal = killed_writer(path, 5, flush_after=3)
    journal.write_bytes(journal.read_bytes().split(b"\n", 1)[0] + b"\n")
    with AuditLog(path) as log:
        rows = log.rows()
    assert len(rows) == 4
    assert "1 whole lines, fewer than the 3 already stored" in rows[-1].detail


def test_a_journal_row_that_could_never_be_stored_does_not_block_the_log(
    tmp_path: Path, killed_writer: KilledWriter
) -> None:
    path = tmp_path / "audit.sqlite3"
    journal = killed_writer(path, 5)
    lines = journal.read_bytes().split(b"\n")
    payload = lines[1].partition(b" ")[2].replace(b'"GET"', b"null")  # no method: NOT NULL
    lines[1] = hashlib.sha256(payload).hexdigest().encode() + b" " + payload
    journal.write_bytes(b"\n".join(lines))
    with AuditLog(path) as log:
        rows = log.rows()
    assert [row.url for row in rows[:1]] == ["https://x.example/0"]
    assert "line 2 is not an intact journal row" in rows[-1].detail


def test_text_utf8_cannot_carry_is_escaped_not_refused(tmp_path: Path) -> None:
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        log.append(
            AuditEvent(event="error", method="GET", url="https://x.example/", detail="\udcff")
        )
        [row] = log.rows()
        assert row.detail == "\\udcff"
        assert log.verify().ok


def test_a_long_run_moves_to_fresh_journals_and_removes_stored_ones(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    directory = path.with_name(path.name + ".journal")
    log = AuditLog(path, flush_rows=5, flush_seconds=3600, journal_lines=10)
    for number in range(47):
        log.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{number}"))
        files = list(directory.glob("*.jsonl"))
        assert len(files) <= 2
        assert all(file.read_bytes().count(b"\n") <= 15 for file in files)
    assert [row.url for row in log.rows()] == [f"https://x.example/{n}" for n in range(47)]
    assert log.verify().ok
    log.close()
    assert list(directory.iterdir()) == []


def test_long_rows_move_to_fresh_journals_by_their_bytes_too(tmp_path: Path) -> None:
    """A review: journals moved on by their lines alone, so rows of 64,000-character URLs
    (what a connector may ask for) grew one past a gigabyte before its 10,000th line."""
    path = tmp_path / "audit.sqlite3"
    directory = path.with_name(path.name + ".journal")
    log = AuditLog(path, flush_rows=5, flush_seconds=3600, journal_bytes=8_192)
    long = "https://x.example/" + "a" * 1_000
    for number in range(47):
        log.append(AuditEvent(event="request", method="GET", url=f"{long}{number}"))
        files = list(directory.glob("*.jsonl"))
        assert len(files) <= 2
        assert all(file.stat().st_size <= 8_192 + 5 * 1_400 for file in files)
    assert [row.url for row in log.rows()] == [f"{long}{n}" for n in range(47)]
    assert log.verify().ok
    log.close()


ROTATING_WRITER = """
import os, signal, sqlite3, sys
from pathlib import Path
from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.errors import AuditError
path = Path(sys.argv[1])
log = AuditLog(path, flush_rows=10_000, flush_seconds=3600, journal_lines=10)
broken = sqlite3.connect(path)
broken.execute("CREATE TRIGGER broken BEFORE INSERT ON audit BEGIN SELECT RAISE(FAIL, 'x'); END")
broken.commit()
for number in range(47):
    try:  # once storing has failed, each append says so, after journaling its row
        log.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{number}"))
        if number == 11:
            log.flush()  # moves on to a fresh journal, then fails to store: both are kept
    except AuditError:
        pass
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_long_run_is_recovered_from_all_its_journals_in_order(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    done = _python(ROTATING_WRITER, path)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert len(list(path.with_name(path.name + ".journal").glob("*.jsonl"))) == 2
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER broken")
    with AuditLog(path) as log:
        assert [row.url for row in log.rows()] == [f"https://x.example/{n}" for n in range(47)]
        assert log.verify().ok


@pytest.mark.parametrize("kind", ["fifo", "link", "folder"])
def test_something_not_a_journal_file_in_the_journal_folder_is_damage_not_a_hang(
    tmp_path: Path, kind: str
) -> None:
    """A FIFO named as a journal blocked every open of the log (reading it waits for a
    writer); a link could point at /dev/zero. Neither is read: each is recorded as damage and
    put aside, the way an edited journal is, and the log opens."""
    path = tmp_path / "audit.sqlite3"
    with AuditLog(path) as log:
        log.append(AuditEvent(event="request", method="GET", url="https://x.example/0"))
    folder = path.with_name(path.name + ".journal")
    planted = folder / "1-abc.jsonl"
    if kind == "fifo":
        os.mkfifo(planted)
    elif kind == "link":
        planted.symlink_to("/dev/zero")
    else:
        planted.mkdir()
    probe = (
        "import sys\nfrom pathlib import Path\nfrom skiptrace.audit import AuditLog\n"
        "with AuditLog(Path(sys.argv[1])) as log:\n"
        "    print(log.verify().reason)\n"
    )
    done = _python(probe, path)  # a process of its own: a hang is a timeout, not a stuck suite
    assert done.returncode == 0, done.stderr
    assert "not a regular file" in done.stdout
    assert not planted.exists() and not planted.is_symlink()
    assert planted.with_suffix(".damaged").exists() or planted.with_suffix(".damaged").is_symlink()


def test_a_journal_whose_name_is_not_utf8_is_damage_not_a_traceback(tmp_path: Path) -> None:
    """A name of bytes that are not UTF-8 (no journal skiptrace writes has one) reached SQLite
    as lone surrogates: every open of the log, ``audit verify`` too, ended in a traceback."""
    path = tmp_path / "audit.sqlite3"
    with AuditLog(path) as log:
        log.append(AuditEvent(event="request", method="GET", url="https://x.example/0"))
    folder = path.with_name(path.name + ".journal")
    planted = Path(os.fsdecode(os.path.join(os.fsencode(folder), b"1-ab\xff.jsonl")))
    planted.write_bytes(b"junk\n")
    with AuditLog(path) as log:
        result = log.verify()
        damage = [row.detail for row in log.rows() if row.rule == "journal"]
    assert not result.ok and result.intact and len(result.damage) == 1, result
    assert damage == ["journal 1-ab\\udcff.jsonl kept as .damaged: its name is not UTF-8"]
    assert not planted.exists() and planted.with_suffix(".damaged").exists()
    with AuditLog(path) as log:  # put aside: not damage again
        assert len(log.verify().damage) == 1


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_seal_that_is_not_a_file_keeps_its_journals_rows(
    tmp_path: Path, kind: str, killed_writer: KilledWriter
) -> None:
    """The rows of the requests a killed process made are stored; only the seal's word on its
    end is missing, which the damage row says (review: all rows were dropped)."""
    path = tmp_path / "audit.sqlite3"
    journal = killed_writer(path, 5)
    seal = journal.with_name(journal.name + ".seal")
    seal.unlink()
    if kind == "fifo":
        os.mkfifo(seal)
    else:
        seal.mkdir()
    with AuditLog(path) as log:
        rows = log.rows()
    assert [row.url for row in rows[:5]] == [f"https://x.example/{n}" for n in range(5)]
    assert (rows[-1].rule, len(rows)) == ("journal", 6) and "seal" in rows[-1].detail


def test_a_second_damaged_journal_of_one_name_is_kept_beside_the_first(
    tmp_path: Path, killed_writer: KilledWriter
) -> None:
    """Putting a journal aside never replaces an earlier one of the same name (review)."""
    path = tmp_path / "audit.sqlite3"
    journal = killed_writer(path, 5)
    _rewrite_line(journal, 1, "url")
    with AuditLog(path):
        pass  # put aside as NAME.damaged
    os.mkfifo(journal)  # the same name again: not a file this time
    with AuditLog(path) as log:
        assert [row.rule for row in log.rows()] == ["journal", "journal"]
    folder = journal.parent
    assert sorted(p.name for p in folder.glob("*.damaged")) == [
        f"{journal.stem}.2.damaged",
        f"{journal.stem}.damaged",
    ]


def test_a_folder_named_as_an_orphan_seal_does_not_stop_the_log(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    with AuditLog(path) as log:
        log.append(AuditEvent(event="request", method="GET", url="https://x.example/0"))
    (path.with_name(path.name + ".journal") / "9-orphan.jsonl.seal").mkdir()
    with AuditLog(path) as log:
        assert log.verify().ok and len(log.rows()) == 1


def _gate_is_free() -> bool:
    """Whether a fork could pass the gate within 0.2 s (as another thread would)."""
    if storer._in_sqlite.acquire(timeout=0.2):
        storer._in_sqlite.release()
        return True
    return False


def test_a_store_waits_for_another_writer_then_fails_in_one_line_and_keeps_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Waiting for another process's write is done outside SQLite (see above), as long as
    SQLite's own wait was: a short write is waited for, a long one is an AuditError naming the
    lock, and the rows are stored by a later flush."""
    monkeypatch.setattr(log_module, "BUSY_SECONDS", 0.3)
    path = tmp_path / "audit.sqlite3"
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    with AuditLog(path, flush_seconds=3600) as log:
        log.append(AuditEvent(event="request", method="GET", url="https://x.example/0"))
        blocker.execute("BEGIN IMMEDIATE")
        threading.Timer(0.1, blocker.execute, ["COMMIT"]).start()
        log.flush()
        assert _stored_urls(path) == ["https://x.example/0"]
        log.append(AuditEvent(event="request", method="GET", url="https://x.example/1"))
        blocker.execute("BEGIN IMMEDIATE")
        free: list[bool] = []
        probe = threading.Timer(0.05, lambda: free.append(_gate_is_free()))
        probe.start()
        started = time.monotonic()
        locked = r"^cannot write the audit log .*: database is locked$"
        with pytest.raises(AuditError, match=locked):
            log.flush()
        assert 0.3 <= time.monotonic() - started < 3
        probe.join()
        assert free == [True]  # the store waited outside SQLite: a fork would not have waited
        blocker.execute("COMMIT")
    assert _stored_urls(path) == ["https://x.example/0", "https://x.example/1"]


COLLECTED_MID_STORE = """
import faulthandler, gc, sys
from pathlib import Path
from skiptrace.audit import AuditEvent, AuditLog
faulthandler.dump_traceback_later(20, exit=True)
folder = Path(sys.argv[1])
storing = AuditLog(folder / "a.sqlite3", flush_seconds=3600)
lost = AuditLog(folder / "b.sqlite3", flush_seconds=3600)
lost.append(AuditEvent(event="request", method="GET", url="https://x.example/b"))
lost.cycle = lost  # reachable from cyclic garbage only
del lost
storing.append(AuditEvent(event="request", method="GET", url="https://x.example/a"))
collected = []

def collect():  # a collection falling due while the other log stores
    if not collected:
        collected.append(gc.collect())
    return 0

storing._db.set_progress_handler(collect, 1)
storing.flush()
print("stored")
"""


def test_a_log_collected_while_another_stores_closes_without_waiting_for_itself(
    tmp_path: Path,
) -> None:
    """The collected log closes, so stores, re-entering the fork gate the storing thread holds:
    a plain lock waited for itself for ever (a review)."""
    done = _python(COLLECTED_MID_STORE, tmp_path)
    assert done.stdout.strip() == "stored", done.stderr
    assert _stored_urls(tmp_path / "b.sqlite3") == ["https://x.example/b"]


RECOVERING = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1] + "-shm", os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 120)  # the WAL's write lock
fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 122)  # and its recovery lock
os.pwrite(fd, bytes(136), 0)  # the WAL index's header not valid yet, as after a crash
print("ready", flush=True)
time.sleep(0.2)
"""


def test_a_store_waits_while_another_process_recovers_the_wal(tmp_path: Path) -> None:
    """SQLITE_BUSY_RECOVERY is a busy answer too: it failed at once (a review)."""
    path = tmp_path / "audit.sqlite3"
    with AuditLog(path, flush_seconds=3600) as log:
        log.append(AuditEvent(event="request", method="GET", url="https://x.example/0"))
        log.flush()
        log.append(AuditEvent(event="request", method="GET", url="https://x.example/1"))
        command = [sys.executable, "-c", RECOVERING, str(path)]
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as other:
            assert other.stdout is not None and other.stdout.readline().strip() == "ready"
            log.flush()
    assert _stored_urls(path) == ["https://x.example/0", "https://x.example/1"]
