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
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.connectors._model import ConnectorInfo
from skiptrace.errors import PaceError, SourceUnavailable
from skiptrace.net.layers.ratelimit import BUCKETS, SharedTurns
from skiptrace.net.layers.retry import RetryTransport
from skiptrace.policy import Policy, merge
from skiptrace.records import Query, SourceRecord
from skiptrace.research.run import Run
from skiptrace.state import home
from skiptrace.testing.directory import MANIFEST as DEMO_MANIFEST
from skiptrace.testing.replay import ReplayServer, Reply, allowing, loopback_policy_text

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
        fifo.unlink()  # the same command again, the pace kept: each row researched
        again, done = _enrich(tmp_path, options, "Quartermain", "Nobody")
    assert again.exit_code == 0, again.output
    assert [r["status"] for r in done] == ["hit", "no_hit"]
    assert result.exit_code == 3, result.output
    assert [(r["status"], r["sources_checked"]) for r in rows] == [
        ("incomplete", "people_directory:error")
    ] * 2
    for row in rows:
        assert row["status_detail"].startswith("people_directory error: ")
        assert "not a regular file" in row["status_detail"]
    assert asked == []  # nothing sent
    assert _audit()[:4] == [  # each row asks robots.txt again: not kept as "unavailable"
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


def test_a_robots_txt_429_whose_retry_turn_is_not_kept_leaves_no_rules(
    tmp_path: Path, quick: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """robots.txt answers 429 and the retry's turn cannot be kept (once): that request's
    error, the host's robots.txt not kept as unavailable (which would refuse every later
    request of the run unsent); the next row asks for robots.txt again, and is answered."""
    failing: list[str] = []

    class Once(SharedTurns):
        async def take(self, key: str, wanted: float, interval: float) -> float:
            if failing:
                raise PaceError(failing.pop())
            return await super().take(key, wanted, interval)

    monkeypatch.setattr("skiptrace.net.stack.SharedTurns", Once)

    robots: list[str] = []

    def limiting(method: str, target: str) -> Reply | None:
        robots.extend([target] if target == "/robots.txt" else [])
        if robots == ["/robots.txt"] and target == "/robots.txt":  # the first one
            failing.append("another process has held the pace of 127.0.0.1")
            return Reply(429, b"slow down", {"Retry-After": "0"})
        return _people(method, target)

    with ReplayServer(limiting) as server:
        options = _options(tmp_path, server.base_url)
        result, rows = _enrich(tmp_path, options, "Nobody", "Quartermain")
    assert [r["status"] for r in rows] == ["incomplete", "hit"], result.output
    assert _audit() == [
        ("request", "robots.txt", "rate_limited"),
        ("error", "robots.txt", "error"),
        ("error", "people?last=Nobody&first=Pat", "error"),
        ("request", "robots.txt", ""),
        ("request", "people?last=Quartermain&first=Pat", ""),
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


class _TwoHosts:
    """A source whose connector asks two hosts (its origins)."""

    def __init__(self, *origins: str) -> None:
        self.info = ConnectorInfo(id="two_hosts", name="two hosts", version="1",
                                  gives=("employer",), needs=("last_name",), optional=(),
                                  terms="https://t.example/", origins=origins)  # fmt: skip

    async def search(self, session: object, query: Query) -> list[SourceRecord]:
        return []

    async def aclose(self) -> None:
        """Nothing held."""


def test_a_retry_stopped_at_its_turn_is_rate_limited_on_the_record(
    fast_policy: Policy, audit: AuditLog, quick: None
) -> None:
    """One host's 429 asks for a retry at once; while it waits for its turn, the source's
    other host answers 429 for an hour, which makes the source rate-limited for the run. The
    retry is not sent: the request is rate-limited, and the log holds the 429 it followed and
    the unsent retry's error row saying why, in the same word."""

    asked, limited = threading.Event(), threading.Event()

    def soon(method: str, target: str) -> Reply | None:
        if target != "/a":
            return None  # no robots.txt: no rules
        asked.set()
        limited.wait(5)
        time.sleep(0.1)  # answered once the other host's answer is on its way
        return Reply(429, b"slow down", {"Retry-After": "0"})

    def hour(method: str, target: str) -> Reply | None:
        if target != "/b":
            return None
        asked.wait(5)  # the hour's 429 before /a's first try would stop that try unsent
        limited.set()
        return Reply(429, b"slow down", {"Retry-After": "3600"})

    with ReplayServer(soon) as first, ReplayServer(hour, host="127.0.0.2") as second:
        connector = _TwoHosts(first.base_url, second.base_url)
        reason = "tests on loopback"
        fast = {"rate": {"hosts": {"127.0.0.2": "2000/s"}},
                "override": [{"key": "rate.hosts", "reason": reason}]}  # fmt: skip
        policy = allowing(merge(fast_policy, fast, reason), reason, first, second)

        async def both() -> list[object]:
            async with Run(policy, audit, [connector], purpose="tests") as run:
                session = run.session(connector, Query({"last_name": "Roe"}))
                gets = (session.get(f"{first.base_url}/a"), session.get(f"{second.base_url}/b"))
                return await asyncio.gather(*gets, return_exceptions=True)

        outcomes = asyncio.run(both())
        assert [r.path for r in first.received] == ["/robots.txt", "/a"]  # not retried
    assert all(isinstance(o, SourceUnavailable) and o.status == "rate_limited" for o in outcomes)
    kept = [(r.event, r.url.rsplit("/", 1)[-1], r.status, r.detail.split(":")[0], r.reason)
            for r in audit.rows() if r.url.endswith("/a")]  # fmt: skip
    assert kept == [
        ("request", "a", 429, "retried", "rate_limited"),
        ("error", "a", None, "SourceUnavailable", "rate_limited"),
    ]


def test_a_search_after_another_commands_429_is_rate_limited_at_once(tmp_path: Path) -> None:
    """A review: a 429's Retry-After (an hour: no retry waits for it) slowed the host for the
    command told it only, and the next command asked the host again at once. Made every
    process's, the next command's first request had waited for its turn, two minutes, with no
    deadline of its own, and its source said "timeout". The host's turn is further away than
    a request may wait (``limits.request_seconds``): each row is rate-limited at once, owed,
    and nothing is sent, robots.txt included."""
    searches: list[str] = []

    def limiting(method: str, target: str) -> Reply | None:
        if target.startswith("/people"):
            searches.append(target)
            if len(searches) == 1:
                return Reply(429, b"slow down", {"Retry-After": "3600"})
        return _people(method, target)

    with ReplayServer(limiting) as server:
        options = _options(tmp_path, server.base_url)
        looked = CliRunner().invoke(app, [*options, "lookup", "--name", "Pat Quartermain",
                                          "--json", "--source", "people_directory",
                                          "--purpose", PURPOSE])  # fmt: skip
        asked = len(server.received)
        started = time.monotonic()
        result, rows = _enrich(tmp_path, options, "Quartermain", "Nobody")
        took = time.monotonic() - started
        later = [r.path for r in server.received[asked:]]
    [source] = json.loads(looked.stdout)["sources"]
    assert source["reason"] == "rate_limited", source
    assert later == []
    assert took < 10, took
    assert result.exit_code == 3, result.output  # owed: the rerun asks again
    assert [(r["status"], r["sources_checked"]) for r in rows] == [
        ("incomplete", "people_directory:rate_limited")
    ] * 2
    for row in rows:
        assert row["status_detail"].startswith("people_directory rate_limited: 127.0.0.1's "
                                               "next turn is "), row  # fmt: skip
    assert _audit()[2:] == [  # each row's robots.txt fetch, and its search, not sent
        ("error", "robots.txt", "rate_limited"),
        ("error", "people?last=Quartermain&first=Pat", "rate_limited"),
        ("error", "robots.txt", "rate_limited"),
        ("error", "people?last=Nobody&first=Pat", "rate_limited"),
    ]


def test_a_lookup_waits_out_a_crawl_delay_its_source_has_time_for(tmp_path: Path) -> None:
    """A review: each command fetches robots.txt, taking the host's turn, and its Crawl-delay
    puts the search's turn that far after it. A Crawl-delay at or over what a request may wait
    (``limits.request_seconds``, 60 s; a Crawl-delay of 61 to 119 s) had every lookup's search
    rate-limited at once, never sent, though its source had the time to wait for it (120 s):
    the source could never be researched. Here the default policy's 90 s, 60 s and 120 s
    thirty times shorter: a Crawl-delay of 3 s, 2 s a request, 4 s a source."""

    def delaying(method: str, target: str) -> Reply | None:
        if target == "/robots.txt":
            return Reply(200, b"User-agent: *\nCrawl-delay: 3\n", {"Content-Type": "text/plain"})
        return _people(method, target)

    limits = "[limits]\nrequest_seconds = 2.0\nsource_seconds = 4.0\n"
    with ReplayServer(delaying) as server:
        options = _options(tmp_path, server.base_url, limits)
        started = time.monotonic()
        looked = CliRunner().invoke(app, [*options, "lookup", "--name", "Pat Quartermain",
                                          "--json", "--source", "people_directory",
                                          "--purpose", PURPOSE])  # fmt: skip
        took = time.monotonic() - started
        asked = [r.path for r in server.received]
    [source] = json.loads(looked.stdout)["sources"]
    assert source["status"] == "hit", source
    assert asked == ["/robots.txt", "/people?last=Quartermain&first=Pat"]
    assert 3.0 <= took < 10, took
