"""The pace's failure paths, end to end through ``enrich`` and ``lookup`` on loopback: a turn
this machine cannot keep (PaceError) leaves its row ``incomplete`` (the source ``error``), never
"no result"; a robots.txt fetch it stops is that request's error, and the next row asks again;
a 429 whose retry cannot come in time is ``rate_limited``; each status_detail and the audit
row's ``reason`` say the same word."""

from __future__ import annotations

import asyncio
import csv
import fcntl
import functools
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from skiptrace.cli import app
from skiptrace.net.layers.ratelimit import BUCKETS, SharedTurns
from skiptrace.net.layers.retry import RetryTransport
from skiptrace.state import home
from skiptrace.testing.directory import MANIFEST as DEMO_MANIFEST
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_text

PURPOSE = "collection of a debt owed"


def _people(method: str, target: str) -> Reply | None:
    """A directory that knows every Quartermain (robots.txt: not there, so no rules)."""
    if not target.startswith("/people"):
        return None
    last = "Quartermain" if "last=Quartermain" in target else ""
    people = [{"name": f"Pat {last}", "street": "12 Harbour Rd", "city": "Springfield",
               "state": "IL", "zip": "62701"}] if last else []  # fmt: skip
    headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
    return Reply(200, json.dumps({"people": people}).encode(), headers)


def _options(tmp_path: Path, base: str, policy: str = "") -> list[str]:
    connectors = tmp_path / "connectors"
    connectors.mkdir(exist_ok=True)
    manifest = DEMO_MANIFEST.replace('id = "demo_directory"', 'id = "people_directory"')
    (connectors / "people_directory.toml").write_text(manifest.format(base=base))
    path = tmp_path / "policy.toml"
    path.write_text(policy + loopback_policy_text(base, reason="tests research on loopback"))
    return ["--connectors-dir", str(connectors), "--policy", str(path)]


def _enrich(tmp_path: Path, options: list[str], *lasts: str) -> tuple[Result, list[dict[str, str]]]:
    source = tmp_path / "debtors.csv"
    lines = ["Account,First Name,Last Name,Address,City,State,Zip"]
    lines += [f"A{n},Pat,{last},12 Harbour Rd,Springfield,IL,62701"
              for n, last in enumerate(lasts, 1)]  # fmt: skip
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(app, [*options, "enrich", str(source), "-o", str(target),
                                      "--source", "people_directory", "--jobs", "1",
                                      "--purpose", PURPOSE, "--no-progress"])  # fmt: skip
    with target.open(encoding="utf-8", newline="") as handle:
        return result, list(csv.DictReader(handle))


def _turn_file(host: str) -> Path:
    """The file ``host``'s shared turns are kept in (``ratelimit.SharedTurns``)."""
    digest = hashlib.sha256(host.encode()).digest()
    return home() / "pace" / f"{digest[0] % BUCKETS:02x}"


def _audit() -> list[tuple[str, str, str]]:
    """(event, url path, reason) of each audit row of a request."""
    db = sqlite3.connect(home() / "audit.sqlite3")
    rows = db.execute("SELECT event, url, reason FROM audit ORDER BY rowid").fetchall()
    return [(event, url.split("/", 3)[-1], reason) for event, url, reason in rows
            if url.startswith("http")]  # fmt: skip


@pytest.fixture
def held() -> Iterator[list[int]]:
    """Where a test holds the host's turn file locked, as a stopped process would."""
    fds: list[int] = []
    yield fds
    for fd in fds:
        os.close(fd)


def _hold(fds: list[int]) -> None:
    """Lock the host's turn file and keep it locked (another process, stopped with it)."""
    path = _turn_file("127.0.0.1")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    fds.append(fd)


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """A held turn given up on after 50 ms, and retries a tenth of a second apart."""
    turns = functools.partial(SharedTurns, lock_seconds=0.05)
    monkeypatch.setattr("skiptrace.net.stack.SharedTurns", turns)
    retries = functools.partial(RetryTransport, base_wait=0.05)
    monkeypatch.setattr("skiptrace.net.stack.RetryTransport", retries)


def test_a_turn_file_that_is_a_fifo_leaves_every_row_incomplete(tmp_path: Path) -> None:
    with ReplayServer(_people) as server:
        options = _options(tmp_path, server.base_url)
        fifo = _turn_file("127.0.0.1")
        fifo.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.mkfifo(fifo, 0o600)
        result, rows = _enrich(tmp_path, options, "Quartermain", "Nobody")
        asked = [r.path for r in server.received]
    assert result.exit_code == 3, result.output
    assert [(r["status"], r["sources_checked"]) for r in rows] == [
        ("incomplete", "people_directory:error")
    ] * 2
    for row in rows:
        assert row["status_detail"].startswith("people_directory error: ")
        assert "not a regular file" in row["status_detail"]
    assert asked == []  # nothing sent
    assert _audit() == [  # each row asks robots.txt again: nothing kept as "unavailable"
        ("error", "robots.txt", "error"),
        ("error", "people?last=Quartermain&first=Pat", "error"),
        ("error", "robots.txt", "error"),
        ("error", "people?last=Nobody&first=Pat", "error"),
    ]


def test_lookup_with_the_turn_held_by_another_process(
    tmp_path: Path, quick: None, held: list[int]
) -> None:
    with ReplayServer(_people) as server:
        options = _options(tmp_path, server.base_url)
        _hold(held)
        result = CliRunner().invoke(app, [*options, "lookup", "--name", "Pat Quartermain",
                                          "--json", "--source", "people_directory",
                                          "--purpose", PURPOSE])  # fmt: skip
        assert server.received == []
    assert result.exit_code == 3, result.output  # not asked: nothing found is not known
    [source] = json.loads(result.stdout)["sources"]
    assert (source["status"], source["reason"]) == ("error", "error")
    assert "another process has held the pace of 127.0.0.1" in source["detail"]
    assert {reason for _, _, reason in _audit()} == {"error"}


def test_a_429_then_the_retry_turn_held_leaves_the_answer_on_record(
    tmp_path: Path, quick: None, held: list[int]
) -> None:
    """The server answers 429 and, meanwhile, another process takes the host's turn file and
    holds it: the retry cannot take its turn, and is not sent. The attempt sent and answered
    429 is on the record (the request had one row, an error saying "request not sent"), then
    the retry's error; the row is the source's error (this machine's trouble), incomplete."""

    def limiting(method: str, target: str) -> Reply | None:
        if not target.startswith("/people"):
            return None
        _hold(held)
        return Reply(429, b"slow down", {"Retry-After": "0"})

    with ReplayServer(limiting) as server:
        options = _options(tmp_path, server.base_url)
        result, rows = _enrich(tmp_path, options, "Quartermain")
        asked = [r.path for r in server.received if r.path.startswith("/people")]
    assert result.exit_code == 3, result.output
    assert len(asked) == 1
    assert (rows[0]["status"], rows[0]["sources_checked"]) == (
        "incomplete",
        "people_directory:error",
    )
    assert rows[0]["status_detail"].startswith("people_directory error: another process has held")
    assert _audit()[1:] == [
        ("request", "people?last=Quartermain&first=Pat", "rate_limited"),
        ("error", "people?last=Quartermain&first=Pat", "error"),
    ]


def test_a_429_whose_retry_turn_another_process_pushed_past_the_deadline(
    tmp_path: Path, quick: None
) -> None:
    """Retry-After: 0, but another process takes the host's turns for the next 30 s: the retry
    would come past the source's deadline, so the 429 is the answer, rate-limited (not a
    timeout), and the next row does not ask the source again."""

    def limiting(method: str, target: str) -> Reply | None:
        if not target.startswith("/people"):
            return None
        turns = SharedTurns(home() / "pace")
        asyncio.run(turns.take("127.0.0.1", time.time() + 30, 1.0))
        return Reply(429, b"slow down", {"Retry-After": "0"})

    with ReplayServer(limiting) as server:
        options = _options(tmp_path, server.base_url, "[limits]\nsource_seconds = 5\n")
        started = time.monotonic()
        result, rows = _enrich(tmp_path, options, "Quartermain", "Nobody")
        took = time.monotonic() - started
        asked = [r.path for r in server.received if r.path.startswith("/people")]
    assert result.exit_code == 3, result.output
    assert took < 4  # not waited out to the deadline
    assert len(asked) == 1  # the second row's search is not sent
    assert [(r["status"], r["sources_checked"]) for r in rows] == [
        ("incomplete", "people_directory:rate_limited")
    ] * 2
    assert _audit()[1:] == [("request", "people?last=Quartermain&first=Pat", "rate_limited")]
