"""A site's names share one pace: ``www.acme.example``, ``acme.example`` and
``api.acme.example`` are one registrable domain, one operator's servers. Each name had a pace of
its own, so a connector declaring a site's hosts many ways (twenty subdomains of one domain)
asked it twenty times as fast as the policy's per-host rate."""

from __future__ import annotations

import asyncio
import fcntl
import itertools
import math
import multiprocessing
import os
import socket
import stat
import struct
import time
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.errors import PaceError, SourceError
from skiptrace.net import stack
from skiptrace.net.client import AsyncGuardedClient
from skiptrace.net.layers.deadline import watching
from skiptrace.net.layers.ratelimit import MAX_INTERVAL, QUEUED, HostLimiter, SharedTurns
from skiptrace.net.layers.retry import RetryTransport
from skiptrace.net.reasons import reason_of
from skiptrace.policy import load_policy
from skiptrace.state import home
from skiptrace.testing.clock import VirtualTime
from skiptrace.testing.raw import RawServer
from skiptrace.testing.replay import loopback_policy_file

RATES = {"api.acme.example": 4.0}
"""Requests per second by host; any other host 1 a second."""


def _sent_at(hosts: list[str]) -> list[float]:
    """When each request to ``hosts``, one after another, was let go."""
    time = VirtualTime()
    limiter = HostLimiter(lambda host: RATES.get(host, 1.0), 4,
                          clock=time.clock, sleep=time.sleep)  # fmt: skip
    started = time.now

    async def run() -> list[float]:
        sent = []
        for host in hosts:
            async with limiter.slot(host):
                sent.append(time.now - started)
        return sent

    return asyncio.run(run())


def test_the_names_of_one_domain_keep_one_pace() -> None:
    hosts = [f"h{n}.acme.example" for n in range(4)] + ["acme.example", "www.acme.example"]
    assert _sent_at(hosts) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


def test_a_faster_name_keeps_the_slower_pace_of_its_domain() -> None:
    """The domain goes at the slowest rate given to any of its names seen so far: from the
    turn after the slower name's first request on."""
    hosts = ["api.acme.example"] * 2 + ["www.acme.example"] * 2
    assert _sent_at(hosts) == [0.0, 0.25, 0.5, 1.5]


def test_other_domains_and_addresses_keep_their_own() -> None:
    """A public suffix's tenants (``github.io``), other domains and IP addresses are each their
    own: one operator's pace is no other's."""
    hosts = ["a.github.io", "b.github.io", "acme.example", "other.example", "127.0.0.1",
             "127.0.0.2", "localhost"]  # fmt: skip
    assert _sent_at(hosts) == [0.0] * 7


SLACK = 0.05
"""What a gap the loopback server measures may lose to its own threads on a busy machine (the
gaps were 2-20 ms when each process kept its own pace)."""


def _child(base: str, name: str, count: int, policy_file: Path, scratch: Path,
           ready: Connection, deadline: float | None = None) -> None:  # fmt: skip
    """A run of its own: its stack open on the shared SKIPTRACE_HOME, it says it is ready and,
    once told to go, sends ``count`` requests to ``base``, each within a source's ``deadline``
    if given; it says how each went (its status, or its error and reason) and how long it
    took. A 429 is an answer, not an error: the test's server says which it gives."""
    policy = load_policy([policy_file])
    audit = AuditLog(scratch / f"audit-{name}.sqlite3", policy["redaction.fields"])

    async def get(client: AsyncGuardedClient, url: str) -> str:
        try:
            if deadline is None:
                response = await client.get(url)
            else:
                async with asyncio.timeout(deadline) as source:
                    with watching(source):
                        response = await client.get(url)
        except SourceError as error:
            return f"{type(error).__name__} {reason_of(error)}"
        if response.status_code != 429:
            response.raise_for_status()
        return str(response.status_code)

    async def fetch() -> None:
        async with stack.open_client(policy, audit, purpose="tests") as client:
            ready.send("ready")
            ready.recv()
            outcomes = []
            for n in range(count):
                started = time.monotonic()
                said = await get(client, f"{base}/{name}/{n}")
                outcomes.append((said, time.monotonic() - started))
            ready.send(outcomes)

    asyncio.run(fetch())
    audit.close()


class _Host:
    """A loopback site that notes when each request came, and what it asked: ``busy`` pages
    are answered 429 with that Retry-After, the others 200."""

    def __init__(self, busy: dict[str, int] | None = None) -> None:
        self.arrivals: list[tuple[float, str]] = []
        self.server = RawServer(self._answer, lifetime=30)
        self._busy = busy or {}

    def _answer(self, server: RawServer, path: str, connection: socket.socket) -> bool:
        self.arrivals.append((time.monotonic(), path))
        status = "404 Not Found" if path == "/robots.txt" else "200 OK"
        if path in self._busy:
            status = f"429 Too Many Requests\r\nRetry-After: {self._busy[path]}"
        connection.sendall(f"HTTP/1.1 {status}\r\nContent-Length: 2\r\n\r\nok".encode())
        return True

    def page_gaps(self) -> list[float]:
        """The seconds between pages asked one after another, robots.txt left out: a process's
        first request, on a new connection, comes later after its turn than the next (some
        70 ms: connecting, the server's thread starting), which would shorten that gap."""
        pages = sorted(at for at, path in self.arrivals if path != "/robots.txt")
        return [round(b - a, 3) for a, b in itertools.pairwise(pages)]


_Child = tuple[multiprocessing.process.BaseProcess, Connection]


def _ready(host: _Host, counts: dict[str, int], scratch: Path, rate: float,
           deadline: float | None = None) -> list[_Child]:  # fmt: skip
    """A process of its own by name, started at once, each with its stack open on the shared
    SKIPTRACE_HOME, waiting to be told to send its count of requests to ``host`` at ``rate``
    a second. Forks of this process (a fresh Python and its imports had been most of the
    module's CPU): what they share is only what separate runs share, the files of the home."""
    policy = loopback_policy_file(scratch / "pace.toml", host.server.base_url, rate=f"{rate}/s")
    forks = multiprocessing.get_context("fork")
    children = []
    for name, count in counts.items():
        ours, theirs = forks.Pipe()
        child = forks.Process(target=_child, args=(host.server.base_url, name, count, policy,
                                                   scratch, theirs, deadline))  # fmt: skip
        child.start()
        children.append((child, ours))
    for _, said in children:
        assert said.poll(30) and said.recv() == "ready"
    return children


def _run(*children: _Child) -> list[list[tuple[str, float]]]:
    """Let ``children`` send, all at once, wait for them to end, and say how each of their
    requests went (``_child``)."""
    for _, said in children:
        said.send("go")
    outcomes = []
    for child, said in children:
        outcomes.append(said.recv() if said.poll(20) else [])
        child.join(timeout=20)
        said.close()
        assert child.exitcode == 0
    return outcomes


def test_two_processes_at_once_share_the_hosts_pace(tmp_path: Path) -> None:
    """Two runs on one machine and home ask a host no faster together than its rate: each kept
    its own pace, so N processes asked N times as fast (gaps of 2-20 ms every other page,
    0.2 s from first to last). A page that a busy machine held back shortens the gap after it
    only by lengthening the one before it: one gap may be short, the pages' span may not."""
    host = _Host()
    with host.server:
        _run(*_ready(host, {"a": 3, "b": 3}, tmp_path, rate=10))
    gaps = host.page_gaps()
    assert len(gaps) == 5
    assert sum(gap < 1 / 10 - SLACK for gap in gaps) <= 1, gaps
    assert sum(gaps) >= 4 / 10, gaps


def test_a_process_started_right_after_another_waits_its_turn(tmp_path: Path) -> None:
    """A shell loop of lookups: the next process's first request waits for the host's turn
    the last one left, instead of going at once. (A slower rate than above: the first process
    must end within a turn.)"""
    host = _Host()
    with host.server:
        first, second = _ready(host, {"a": 1, "b": 1}, tmp_path, rate=2)
        _run(first)
        first_ended = len(host.arrivals)
        _run(second)
    ended, started = host.arrivals[first_ended - 1][0], host.arrivals[first_ended][0]
    assert started - ended >= 1 / 2 - SLACK, [at for at, _ in host.arrivals]


def _turn_file(turns: SharedTurns, folder: Path) -> tuple[Path, bytes]:
    """The one file of ``folder``'s turns, made by a first request to 127.0.0.1, and the name
    that host's turn goes by in it."""
    asyncio.run(turns.take("127.0.0.1", time.time(), 1.0))
    (path,) = folder.iterdir()
    return path, path.read_bytes()[:16]


def test_turns_are_kept_private_and_only_while_to_come(tmp_path: Path) -> None:
    """The folder 0700, its files 0600; the hosts' names hashed, and a host's turn gone from
    the file once passed (nothing piles up, nothing says which hosts were asked)."""
    folder = tmp_path / "pace"
    turns = SharedTurns(folder)
    path, _ = _turn_file(turns, folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"127.0.0.1" not in path.read_bytes() and len(path.read_bytes()) == 32
    passed = b"\x01" * 16 + struct.pack("<dd", time.time() - 10, time.time() - 5)
    path.write_bytes(passed + path.read_bytes())
    asyncio.run(turns.take("127.0.0.1", time.time(), 1.0))
    assert len(path.read_bytes()) == 32 and passed[:16] not in path.read_bytes()


def _turn(name: bytes, written: float, free: float) -> bytes:
    return name + struct.pack("<dd", written, free)


@pytest.mark.parametrize(
    ("record", "waits"),
    [
        (lambda name, now: _turn(name, now, now + 1e9), QUEUED * MAX_INTERVAL),  # years ahead
        (lambda name, now: _turn(name, now + 3600, now + 3600), 0.0),  # the clock set back
        (lambda name, now: _turn(name, math.nan, math.inf), 0.0),
        (lambda name, now: _turn(name, now, now + 60)[:-8], 0.0),  # cut short
        (lambda name, now: b"\xff" * 7, 0.0),
        (lambda name, now: b"\x00" * (1 << 20), 0.0),
        # a crash before a rewrite was cut to length: the older turn after the newer
        (lambda name, now: _turn(name, now, now + 5) + _turn(name, now - 9, now + 1), 5.0),
    ],
)
def test_a_garbled_or_stale_turn_costs_one_bounded_wait(
    tmp_path: Path, record: Callable[[bytes, float], bytes], waits: float
) -> None:
    """What a file holds is trusted only as far as live processes can have reserved: a turn
    written after now (the clock was set back) or no whole turn is free, and one further ahead
    than the slowest pace a host is ever set to is taken as that far."""
    turns = SharedTurns(tmp_path)
    path, name = _turn_file(turns, tmp_path)
    now = time.time()
    path.write_bytes(record(name, now))
    wait = asyncio.run(turns.take("127.0.0.1", now, 0.1)) - now
    assert waits <= wait <= waits + 0.5
    assert len(path.read_bytes()) == 32  # rewritten: the garbage is gone


def test_a_turn_held_by_a_stopped_process_fails_the_request_unsent(tmp_path: Path) -> None:
    """A process stopped while it holds a host's turn (SIGSTOP, Ctrl-Z) neither hangs the
    others nor lets them send unpaced: each request fails in one line, after a bound, and the
    event loop runs meanwhile."""
    turns = SharedTurns(tmp_path, lock_seconds=0.2)
    path, _ = _turn_file(turns, tmp_path)
    limiter = HostLimiter(lambda host: 10.0, 1, shared=turns)
    sent, ticks = [], []

    async def request() -> None:
        async with limiter.slot("127.0.0.1"):
            sent.append(True)

    async def tick() -> None:
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    async def both() -> None:
        ticking = asyncio.create_task(tick())
        try:
            await request()
        finally:
            ticking.cancel()

    with path.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"held the pace of 127\.0\.0\.1 for over 0\.2 s"):
            asyncio.run(both())
    assert not sent
    assert time.monotonic() - started < 1.0
    assert len(ticks) >= 5


def test_a_turn_file_that_is_no_file_fails_the_request_at_once(tmp_path: Path) -> None:
    """A FIFO put at a turn's name is neither read (it would wait for a writer) nor trusted."""
    turns = SharedTurns(tmp_path)
    path, _ = _turn_file(turns, tmp_path)
    path.unlink()
    os.mkfifo(path, 0o600)
    with pytest.raises(SourceError, match="not a regular file"):
        asyncio.run(SharedTurns(tmp_path).take("127.0.0.1", time.time(), 0.1))


def test_a_shared_turn_stopped_when_it_comes_goes_back(tmp_path: Path) -> None:
    """As in one process: a request stopped at its turn (its source found rate-limited while
    it waited) gives the turn back, and the next request goes when it would have gone."""
    limiter = HostLimiter(lambda host: 10.0, 2, shared=SharedTurns(tmp_path))
    started = time.monotonic()

    def limited() -> Exception | None:
        return SourceError("rate-limited meanwhile") if time.monotonic() > started + 0.05 else None

    async def run() -> float:
        async with limiter.slot("127.0.0.1"):
            pass
        with pytest.raises(SourceError):
            async with limiter.slot("127.0.0.1", limited):
                pass
        async with limiter.slot("127.0.0.1"):
            return time.monotonic() - started

    assert asyncio.run(run()) < 0.18


def test_a_turn_whose_deadline_passes_before_it_comes_goes_back(tmp_path: Path) -> None:
    """A request cancelled while it waits for its turn (its source's deadline passed) sends
    nothing: its turn goes back, here and to the other processes, as a stopped one's does. It
    was left taken, so each timed-out wait kept the host's next requests a turn later."""
    limiter = HostLimiter(lambda host: 2.0, 2, shared=SharedTurns(tmp_path))

    async def run() -> tuple[float, float]:
        async with limiter.slot("127.0.0.1"):
            pass
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.025), limiter.slot("127.0.0.1"):
                pass
        now = time.time()
        elsewhere = await SharedTurns(tmp_path).take("127.0.0.1", now, 0.5) - now
        started = time.monotonic()
        async with limiter.slot("127.0.0.1"):
            return elsewhere, time.monotonic() - started

    elsewhere, here = asyncio.run(run())
    assert elsewhere < 0.5  # the turn after the first request's, not one after that
    assert here < 1.25  # after the other process's turn (0.975 s), not a turn after that


@pytest.mark.parametrize("interval", [MAX_INTERVAL, 360.0])
def test_turns_queue_past_the_slowest_pace(tmp_path: Path, interval: float) -> None:
    """A review: turns more than two minutes ahead were taken as two minutes ahead, so a third
    process at a host paced at 120 s went with the second, and a host at 10/h (360 s) was
    asked again after 120 s. Each process's turn comes an interval after the one before."""
    turns = SharedTurns(tmp_path)
    now = time.time()
    taken = [asyncio.run(turns.take("127.0.0.1", now, interval)) - now for _ in range(4)]
    assert [round(t / interval, 2) for t in taken] == [0.0, 1.0, 2.0, 3.0], taken


def test_a_turn_not_kept_for_robots_txt_leaves_the_host_to_the_next_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: a pace error while robots.txt waited its turn (another process holding the
    host's turns) was kept as "robots.txt unavailable", and every later request to the host in
    the run was refused with robots-unavailable, none sent. It is this request's error only."""
    monkeypatch.setattr(stack, "SharedTurns", partial(SharedTurns, lock_seconds=0.1))
    host = _Host()
    with host.server:
        policy = load_policy([loopback_policy_file(tmp_path / "p.toml", host.server.base_url)])
        path, _ = _turn_file(SharedTurns(home() / "pace"), home() / "pace")

        async def run() -> tuple[str, int]:
            async with stack.open_client(policy, audit, purpose="tests") as client:
                with path.open("rb") as held:
                    fcntl.flock(held, fcntl.LOCK_EX)  # another process, stopped meanwhile
                    with pytest.raises(PaceError) as failed:
                        await client.get(host.server.url("/0"))
                return str(failed.value), (await client.get(host.server.url("/1"))).status_code

        with AuditLog(tmp_path / "audit.sqlite3") as audit:
            said, status = asyncio.run(run())
    assert "held the pace of 127.0.0.1" in said and status == 200
    assert [path for _, path in host.arrivals] == ["/robots.txt", "/1"]


def test_a_retry_after_holds_off_every_process_sharing_the_hosts_turns(tmp_path: Path) -> None:
    """A review: a 429's Retry-After slowed only the process that was told it; another asked
    the host again at its own pace meanwhile. A retry takes its turn when the wait starts, so
    the others' turns come after it."""
    told, other = (HostLimiter(lambda host: 100.0, 1, shared=SharedTurns(tmp_path)) for _ in "ab")

    async def run() -> tuple[float, float]:
        started = time.monotonic()

        async def later_request() -> float:
            await asyncio.sleep(0.02)
            async with other.slot("127.0.0.1"):
                return time.monotonic() - started

        async def retried() -> float:
            await told.turn("127.0.0.1", 0.3)
            return time.monotonic() - started

        retry, request = await asyncio.gather(retried(), later_request())
        return retry, request

    retry, request = asyncio.run(run())
    assert 0.3 <= retry < request and request >= 0.3 + 0.01, (retry, request)


def test_a_429s_retry_after_holds_off_a_process_started_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: a slow-down was the told process's own. One told "Retry-After: 1", a wait too
    long for its retries (here half a second: its answer is the 429), slowed the host for
    itself, and a process started right after asked the host at once, at the policy's pace.
    The slow-down's start is every process's that shares the host's turns."""
    monkeypatch.setattr(stack, "RetryTransport", partial(RetryTransport, base_wait=0.2,
                                                         max_wait=0.5))  # fmt: skip
    host = _Host(busy={"/a/0": 1})
    with host.server:
        told, other = _ready(host, {"a": 1, "b": 1}, tmp_path, rate=10)
        ([(said, _)],) = _run(told)
        answered = len(host.arrivals)
        ([(then, _)],) = _run(other)
    assert (said, then) == ("429", "200")
    (busy,) = [at for at, path in host.arrivals if path == "/a/0"]
    assert host.arrivals[answered - 1][1] == "/a/0", host.arrivals  # not retried
    waited = host.arrivals[answered][0] - busy
    assert waited >= 1 - SLACK, [round(at - busy, 3) for at, _ in host.arrivals]


def test_a_turn_held_past_the_deadline_is_rate_limited_at_once(
    tmp_path: Path,
) -> None:
    """A review: the next process's first request waited for the host's turn with no deadline
    of its own, and the source's deadline ended it as a timeout. Told "Retry-After: 3600",
    one process holds the host off for the slowest pace (``MAX_INTERVAL``); another, whose
    source has 5 s, sends nothing, robots.txt included, and its request is rate-limited at
    once: never a timeout, nor a wait."""
    host = _Host(busy={"/a/0": 3600})
    with host.server:
        told, other = _ready(host, {"a": 1, "b": 2}, tmp_path, rate=10, deadline=5.0)
        ([(said, _)],) = _run(told)
        answered = len(host.arrivals)
        (outcomes,) = _run(other)
    assert said == "429"
    assert host.arrivals[answered:] == []
    assert [then for then, _ in outcomes] == ["HostSlowed rate_limited"] * 2, outcomes
    assert max(took for _, took in outcomes) < 1.0, outcomes
