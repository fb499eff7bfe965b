"""Per-host politeness: requests spaced by the policy's rate, a cap on requests in flight, and
intervals that grow when a host says "later" (a 429, a 503, a timeout: each doubles it) and
shrink back as it answers again (each answer halves it), never below its floor: the policy's
rate and its Crawl-delay, which are for good. A host's pace is its registrable domain's,
shared by all its names (``www.acme.example``, ``api.acme.example``): one operator's servers,
which a connector naming them many ways would otherwise ask as many times as fast.

A request may wait long for its host's turn (behind another's retries), and its source may be
found rate-limited or blocked for the run meanwhile: the caller says, with ``still_asked``,
what would stop it, and it is checked again when its turn comes.

Turns are also kept for every process on the machine that shares the state directory
(``SharedTurns``): two runs at once, or one started right after another, ask a host no faster
together than its rate, and a slow-down's start is theirs too (a 429's or a 503's Retry-After
holds them all off). In-flight caps and the slower intervals stay each process's own.

A request's turn is waited for only as long as it may wait (``RateLimitTransport``): a turn
further away (the host slowed down, here or by another process) is not taken, and the request
fails unsent at once, rate-limited (``HostSlowed``), never waited into its source's deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import math
import os
import stat
import struct
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from skiptrace.errors import HostSlowed, PaceError
from skiptrace.net.categories import registrable_domain
from skiptrace.net.layers.deadline import seconds_left
from skiptrace.net.reasons import RATE_LIMITED, mark
from skiptrace.net.urls import canonical_host
from skiptrace.state import private_dir, private_file

MAX_INTERVAL = 120.0
"""Seconds: the slowest pace a slow-down or a Crawl-delay sets a host to (its policy's rate may
be slower)."""
LOCK_SECONDS = 1.0
"""The longest a request waits for another process to let go of a host's shared turn (it holds
it for microseconds; longer, it is stopped or hung): past it, the request fails unsent."""
BUCKETS = 256
"""Files the shared turns are spread over: a bounded number, whatever the hosts asked."""
_TURN = struct.Struct("<16sdd")
"""One host's shared turn in its bucket: its name's hash, when the turn was written, and the
next free turn (``time.time()``)."""
QUEUED = 64
"""Processes whose turns at one host a shared turn may be behind, at most: a turn further
ahead than this many of its intervals is garbage (a fixed horizon, two minutes, had let a
third process at a host paced at 120 s go with the second, and a host at 10/h go at +120 s)."""
HOSTS_KEPT = 4096
"""Hosts a limiter holds before it forgets those a fresh pace would treat alike (``_forgotten``):
a run over a million employers' sites had kept every one's pace, ~1 KB each, to its end."""
_MOST_TURNS = 1024
"""Turns a bucket is read for: more hosts waiting for a turn at once is garbage."""

Stop = Callable[[str], Exception | None]
"""What would stop a request to a URL now (its source rate-limited for the run), or None."""
_STOP: ContextVar[Stop | None] = ContextVar("skiptrace_stop", default=None)


@contextmanager
def still_asked(stop: Stop) -> Iterator[None]:
    """Within this block, a request is sent when its host's turn comes only if ``stop`` of its
    URL is None; else ``stop``'s error is raised in its place, and nothing is sent."""
    token = _STOP.set(stop)
    try:
        yield
    finally:
        _STOP.reset(token)


def stop_for(url: str) -> Callable[[], Exception | None]:
    """What would stop a request to ``url`` when its turn comes (``still_asked``)."""
    stop = _STOP.get()
    return (lambda: stop(url)) if stop is not None else (lambda: None)


@dataclass
class _Host:
    key: str
    """The name its turns are shared under."""
    interval: float
    gate: asyncio.Semaphore
    floor: float = 0.0
    """The interval it is never asked faster than: its names' rates and its Crawl-delay."""
    setbacks: int = 0
    """Times its interval grew: an answer to a request sent before the last says nothing of
    the server since (``answered``)."""
    next_at: float = 0.0
    last_at: float = float("-inf")
    """When the last turn taken came (or comes): a slow-down spaces the next from it."""
    slowed: int = 0
    """Slow-downs so far: a turn given before one, not yet come, is taken again after it."""
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    names: set[str] = field(default_factory=set)
    """The host names seen keeping this pace."""
    users: int = 0
    """Requests waiting for or holding one of its places or turns: while any does, it stays."""


class SharedTurns:
    """Each host's next free turn, for all the processes on the machine that share ``folder``:
    ``BUCKETS`` 0600 files at most, each read and rewritten under ``flock``, and keeping only
    the turns still to come (a host's is gone once it has passed: nothing piles up, and
    nothing says which hosts were asked longer than their next turn).

    On ``time.time()``, the one clock every process reads and that goes on across a reboot
    (a monotonic or boot clock starts again at boot, so a file from before one would hold
    turns hours ahead). What a file holds is trusted only as far as live processes can have
    reserved: a turn written "later" than now (the clock was set back, or garbage) counts for
    nothing, one further ahead than ``QUEUED`` of the host's intervals (or of ``MAX_INTERVAL``,
    if longer) is taken as that far, and what is no whole turn is dropped. So a garbled file
    costs a host at most that one wait; a file that is no regular file, or cannot be written,
    fails the request."""

    def __init__(self, folder: Path, lock_seconds: float = LOCK_SECONDS) -> None:
        self._folder = folder
        self._lock_seconds = lock_seconds

    async def take(self, key: str, wanted: float, interval: float) -> float:
        """The turn (``time.time()``) a request to pace ``key`` wanted at ``wanted`` gets: the
        later of it and the host's next free one, which it moves ``interval`` after it."""

        def turn(free: float) -> tuple[float, float]:
            start = max(wanted, min(free, _horizon(interval)))
            return start, start + interval

        return await self._update(key, turn)

    async def hold(self, key: str, until: float, interval: float) -> None:
        """No turn of pace ``key`` before ``until`` (a slow-down's start), for any process: its
        next free turn moved there if sooner, what it was and ``until`` both trusted only as
        far as ``take`` trusts a turn (``interval`` the host's). Not kept (the file held by a
        stopped process, or not writable: the next ``take`` says so), the slow-down is this
        process's own."""

        def held(free: float) -> tuple[float, float]:
            horizon = _horizon(interval)
            return until, max(min(free, horizon), min(until, horizon))

        with contextlib.suppress(PaceError):
            await self._update(key, held)

    async def give_back(self, key: str, start: float, taken: float) -> None:
        """The turn at ``start`` was not used: the next free one goes back to it, unless
        another request has taken one after it (``taken`` is no longer the next free)."""

        def back(free: float) -> tuple[float, float]:
            return start, start if free == taken else free

        with contextlib.suppress(PaceError):  # held elsewhere: the turn stays taken
            await self._update(key, back)

    async def _update(self, key: str, change: Callable[[float], tuple[float, float]]) -> float:
        """``change(free)`` applied to ``key``'s next free turn under its bucket's lock: its
        result's first half returned, its second kept as the next free turn."""
        digest = hashlib.sha256(key.encode()).digest()
        path = self._folder / f"{digest[0] % BUCKETS:02x}"
        name = digest[:16]
        fd = self._open(key, path)
        try:
            await self._lock(key, fd)
            now = time.time()
            turns = _turns(os.pread(fd, _TURN.size * _MOST_TURNS, 0), now)
            result, turns[name] = change(turns.get(name, now))
            kept = b"".join(_TURN.pack(n, now, free) for n, free in turns.items() if free > now)
            os.pwrite(fd, kept, 0)
            os.ftruncate(fd, len(kept))
            return result
        except OSError as exc:
            raise PaceError(f"cannot keep the pace of {key} in {path}: {exc}") from None
        finally:
            os.close(fd)  # the lock goes with it

    def _open(self, key: str, path: Path) -> int:
        flags = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            try:
                fd = os.open(path, flags)
            except FileNotFoundError:  # first use, or removed meanwhile: made 0600, umask or not
                private_dir(self._folder)
                private_file(path)
                fd = os.open(path, flags)
        except OSError as exc:
            raise PaceError(f"cannot keep the pace of {key} in {path}: {exc}") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO, a device: never read or waited on
            os.close(fd)
            raise PaceError(f"cannot keep the pace of {key} in {path}: not a regular file")
        return fd

    async def _lock(self, key: str, fd: int) -> None:
        """``fd`` locked, never blocking the event loop: tried again every millisecond or so,
        ``lock_seconds`` at most."""
        ends = time.monotonic() + self._lock_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > ends:
                    raise PaceError(
                        f"another process has held the pace of {key} for over "
                        f"{self._lock_seconds:g} s (stopped?): request not sent"
                    ) from None
                await asyncio.sleep(0.001)


def _horizon(interval: float) -> float:
    """The furthest ahead (``time.time()``) a turn at a host paced ``interval`` apart is
    trusted: ``QUEUED`` of its intervals, or of ``MAX_INTERVAL`` if longer."""
    return time.time() + QUEUED * max(interval, MAX_INTERVAL)


def _turns(data: bytes, now: float) -> dict[bytes, float]:
    """The next free turns ``data`` holds, as far as they can be trusted at ``now``. A host
    found twice (a crash between rewriting a shorter bucket and cutting it to length left old
    turns after the new) keeps the later turn."""
    turns: dict[bytes, float] = {}
    for name, written, free in _TURN.iter_unpack(data[: len(data) - len(data) % _TURN.size]):
        if math.isfinite(written) and math.isfinite(free) and written <= now + 1.0:
            turns[name] = max(free, turns.get(name, free))  # else: written after now (the
            # clock set back); how far ahead a turn is trusted, its host's ``take`` says
    return turns


class HostLimiter:
    """Hands out request slots per host. ``rate_for(host)`` gives requests per second; turns
    are also ``shared`` with other processes when given (real time only)."""

    def __init__(
        self,
        rate_for: Callable[[str], float],
        concurrency: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        shared: SharedTurns | None = None,
    ) -> None:
        self._rate_for = rate_for
        self._concurrency = concurrency
        self._clock = clock
        self._sleep = sleep
        self._shared = shared
        self._hosts: dict[str, _Host] = {}
        self._sweep_at = HOSTS_KEPT

    def _host(self, host: str) -> _Host:
        """The pace ``host`` keeps: its registrable domain's (an IP address, a public suffix
        or a one-label name its own), at the slowest rate any name of it seen was given."""
        key = registrable_domain(host) or host
        state = self._hosts.get(key)
        if state is None:
            if len(self._hosts) >= self._sweep_at:
                self._forget_idle()
            state = _Host(key=key, interval=0.0, gate=asyncio.Semaphore(self._concurrency))
            self._hosts[key] = state
        if host not in state.names:
            state.names.add(host)
            state.floor = max(state.floor, 1.0 / self._rate_for(host))
            state.interval = max(state.interval, state.floor)
        return state

    def _forget_idle(self) -> None:
        """Drop the hosts a fresh pace would keep alike: none of its requests waiting or in
        flight, its next turn come, and its interval its every name's rate (not slowed, or
        back to its rate; no name paced slower than another, no Crawl-delay slower than its
        rate: those stay). Then again only once the hosts kept have doubled, so each new host
        costs O(1) on average."""
        now = self._clock()
        for key in [key for key, state in self._hosts.items() if self._forgotten(state, now)]:
            del self._hosts[key]
        self._sweep_at = max(HOSTS_KEPT, 2 * len(self._hosts))

    def _forgotten(self, state: _Host, now: float) -> bool:
        return (
            not state.users
            and state.next_at <= now
            and all(1.0 / self._rate_for(name) == state.interval for name in state.names)
        )

    @contextmanager
    def _used(self, state: _Host) -> Iterator[None]:
        state.users += 1
        try:
            yield
        finally:
            state.users -= 1

    @asynccontextmanager
    async def slot(
        self,
        host: str,
        stop: Callable[[], Exception | None] = lambda: None,
        within: Callable[[], float | None] = lambda: None,
    ) -> AsyncIterator[None]:
        """Wait for ``host``'s turn, and hold one of its in-flight places meanwhile. ``stop``'s
        error, if it has one when a place is free or when the turn comes, is raised instead
        (no turn is taken: one waited for goes back, unless a later one was taken after it, so
        another source's request to the host is not kept waiting for a request never sent).
        So does the turn of a request cancelled while it waits (its source's deadline).

        A turn that would come ``within()`` seconds or later (asked once a place is free; None:
        no bound) is not taken: ``HostSlowed`` is raised at once, marked ``rate_limited``. So
        is a request whose host's next free turn is that far off already before it waits for
        a place: the places' holders wait for earlier turns, and it had queued behind them
        into its source's deadline, "timeout", never sent."""
        state = self._host(host)
        with self._used(state):
            ahead = within()
            if ahead is not None and state.next_at - self._clock() >= ahead:
                _raise(stop())  # what stops it says why first, as at its turn
                raise _slowed(state, state.next_at - self._clock(), ahead)
            await _place(state, ahead)
            try:
                _raise(stop())
                bound = within()
                away = await self._turn(state, stop, within=bound, bounded_again=True)
                if away is not None:
                    raise _slowed(state, away, bound)
                yield
            finally:
                state.gate.release()

    async def turn(
        self,
        host: str,
        after: float,
        within: float | None = None,
        taken: Callable[[], None] = lambda: None,
        stop: Callable[[], Exception | None] = lambda: None,
    ) -> bool:
        """Wait for ``host``'s next turn at least ``after`` seconds from now, for a request that
        holds its in-flight place already: a retry, a request to the host as much as its first
        try was, stopped as one when its turn comes (``stop``, as ``slot``'s). The turn is
        taken at once, so the host's other requests, in every process sharing turns, come
        after it (a Retry-After is the host's, not one request's), and ``taken`` is called
        before the wait. False, no turn taken, if it would come ``within`` seconds or later
        (the request's deadline): the host's other requests may have pushed it past the wait
        its server asked for."""
        state = self._host(host)
        with self._used(state):
            return await self._turn(state, stop, after, within, taken) is None

    async def _turn(
        self,
        state: _Host,
        stop: Callable[[], Exception | None],
        after: float = 0.0,
        within: float | None = None,
        taken: Callable[[], None] = lambda: None,
        bounded_again: bool = False,
    ) -> float | None:
        """Take the host's next turn, ``after`` seconds from now or later, and wait for it:
        None once it has come, or the seconds it was away, not taken, if that is not before
        ``within`` seconds. A turn the host was slowed down before (a 503's Retry-After, a
        Crawl-delay) is taken again, from the slow-down's spacing: it had been kept, and went
        as given (0.8 s after a Retry-After of 3 s, a request queued at 1/s). Taken again, it
        is still bounded by ``within`` if ``bounded_again`` (a first try: it had waited for a
        turn the slow-down put two minutes on, into its source's deadline), else not (a
        retry: it was on the record as retried when its wait began)."""
        deadline = None if within is None else self._clock() + within
        while True:
            again = await self._turn_once(state, stop, after, deadline, taken)
            if isinstance(again, float):
                return again
            if not again:
                return None
            # its stop is still looked at
            after, taken = 0.0, lambda: None
            deadline = deadline if bounded_again else None

    async def _turn_once(
        self,
        state: _Host,
        stop: Callable[[], Exception | None],
        after: float,
        deadline: float | None,
        taken: Callable[[], None],
    ) -> bool | float:
        """``_turn``'s turn, once: the seconds it was away if none was taken (past
        ``deadline``), else whether it is to be taken again (the host was slowed down while it
        waited)."""
        async with state.lock:
            now = self._clock()
            within = None if deadline is None else deadline - now
            start = max(now + after, state.next_at)
            shared = await self._shared_turn(state, now, start)
            if shared is not None:
                start = now + shared[0]
            if within is not None and start - now >= within:
                if self._shared is not None and shared is not None:
                    await self._shared.give_back(state.key, *shared[1:])
                return float(start - now)
            state.next_at = next_at = start + state.interval
            last_at, state.last_at = state.last_at, start
            slowed = state.slowed
        try:
            taken()
            if start > now:
                await self._sleep(start - self._clock())
                _raise(stop())
        except BaseException:  # stopped, cancelled (its source's deadline), unaudited: unsent
            if state.next_at == next_at:
                state.next_at, state.last_at = start, last_at
            if self._shared is not None and shared is not None:
                await self._shared.give_back(state.key, *shared[1:])
            raise
        return state.slowed != slowed

    async def _shared_turn(
        self, state: _Host, now: float, start: float
    ) -> tuple[float, float, float] | None:
        """With ``shared`` turns, the one ``start`` gets: seconds after ``now``, and its start
        and end on the shared clock (read at once with ``now``); else None."""
        if self._shared is None:
            return None
        wall_now = time.time()
        wall = await self._shared.take(state.key, wall_now + start - now, state.interval)
        return wall - wall_now, wall, wall + state.interval

    async def slow_down(self, host: str, interval: float, *, lasting: bool = False) -> None:
        """Space ``host``'s requests at least ``interval`` seconds apart from now on, that
        ``MAX_INTERVAL`` at most: the cap is on the slow-down, never on the policy's own pace
        (a host at 10/h, 360 s, had been asked every 120 s once slowed down). ``lasting`` (a
        Crawl-delay): for good, the host's floor; else (a Retry-After) until it answers again.

        With ``shared`` turns, the next turn it moves later is every process's (``hold``): a
        Retry-After asks every client to wait, and another process sharing the host's turns
        had asked it again at once. Only that start is shared, not the longer interval: the
        shared file holds a host's next free turn and nothing else, and that is what a
        Retry-After is about (not before then); a Crawl-delay is for good, but every process
        reads robots.txt and slows itself by it; and the doubling after a 429 or a 503 is
        this process's caution (each turn it takes still moves the shared turn its longer
        interval on). A turn another process was given before the slow-down came, and waits
        for, goes as given; one it asks for after, further away than its request may wait,
        is not waited for (``slot``)."""
        state = self._host(host)
        was = state.next_at
        if lasting:
            state.floor = max(state.floor, min(interval, MAX_INTERVAL))
        else:
            state.setbacks += 1
        _slower(state, interval)
        # the next turn too, given before (a request waiting for its place in flight as the
        # 503 came had gone at once): from the last one's start
        state.next_at = max(state.next_at, state.last_at + state.interval)
        if state.next_at > was:  # turns given and not yet come are taken again; a slow-down
            # that slows nothing (a Crawl-delay, said again for each request) leaves them
            state.slowed += 1
            ahead = state.next_at - self._clock()
            if self._shared is not None and ahead > 0:
                await self._shared.hold(state.key, time.time() + ahead, state.interval)

    def back_off(self, host: str) -> None:
        """After an error from ``host``: double its interval (until it answers again), from
        the turn after the next (a retry's turn is the wait its server asked for)."""
        state = self._host(host)
        state.setbacks += 1
        _slower(state, state.interval * 2)

    def setbacks(self, host: str) -> int:
        """How often ``host`` was slowed down or backed off: read as a request is sent, for
        ``answered``."""
        return self._host(host).setbacks

    def answered(self, host: str, setbacks: int) -> None:
        """``host`` answered a request sent after its last slow-down (``setbacks`` unchanged
        since): halve its interval, as each error doubled it, never below its floor. The
        slow-down is for a server in trouble: one 503's Retry-After of 30 s had spaced a host
        asked at 1/s a minute apart for the rest of the run, and a batch's later rows, their
        turns further off than their sources' time, were rate-limited. The next turn, given
        already, stays."""
        state = self._host(host)
        if state.setbacks == setbacks:
            state.interval = max(state.floor, state.interval / 2)


def _slower(state: _Host, interval: float) -> None:
    """``state``'s interval, ``interval`` if longer, ``MAX_INTERVAL`` at most: the cap is on the
    slow-down, never on the policy's own pace."""
    state.interval = max(state.interval, min(interval, MAX_INTERVAL))


async def _place(state: _Host, within: float | None) -> None:
    """One of ``state``'s places in flight, waited for ``within`` seconds at most (None: no
    bound): its holders' turns, further off, had kept a request queued into its source's
    deadline, "timeout", never sent. Not come by then: ``HostSlowed``, rate-limited."""
    if within is None:
        await state.gate.acquire()
        return
    try:
        async with asyncio.timeout(within):
            await state.gate.acquire()
    except TimeoutError:
        raise mark(HostSlowed(
            f"no place in flight at {state.key} came within {within:.1f} s, what the request "
            "may wait: not sent (the host's other requests wait for its turns or are answered "
            "slowly)"
        ), RATE_LIMITED) from None  # fmt: skip


def _slowed(state: _Host, away: float, bound: float | None) -> HostSlowed:
    """A request not sent: ``state``'s next turn ``away`` seconds off, ``bound`` or later."""
    return mark(HostSlowed(
        f"{state.key}'s next turn is {away:.1f} s away, later than the request may wait "
        f"({bound or 0.0:.1f} s): not sent (the host's pace, or a slow-down its Retry-After or "
        "Crawl-delay asked of this process or another sharing its turns)"
    ), RATE_LIMITED)  # fmt: skip


def _raise(error: Exception | None) -> None:
    if error is not None:
        raise error


TURN_MARGIN = 0.25
"""The share of ``limits.request_seconds`` (or of its source's time left, if less) a first
try's turn must leave before its source's deadline to be waited for (15 s of the default
60 s): time to ask and be answered."""
_DUE = 0.001
"""A turn due now is taken however little of its source's time is left: the request's own
deadline then says whether that was enough."""


class RateLimitTransport(httpx.AsyncBaseTransport):
    """Every request waits for its host's slot, as long as its source has time for it: a first
    try's turn that would leave less than ``TURN_MARGIN`` of ``request_seconds`` (of the time
    left, if less) before its source's deadline (``deadline.seconds_left``) is not waited
    for, and the request fails unsent, rate-limited (``HostLimiter.slot``). A wait into the
    source's deadline had ended the source as a timeout: a host held off for two minutes by
    another process's Retry-After left its turn just before the deadline of a source started
    after it, and no time to ask. Not ``request_seconds`` itself: a search's turn a Crawl-delay
    of 60 to 119 s after its robots.txt fits in its source's 120 s. Outside a search, a turn is
    waited for."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        limiter: HostLimiter,
        request_seconds: float = 0.0,
    ) -> None:
        self._inner = inner
        self._limiter = limiter
        self._request_seconds = request_seconds

    def _within(self) -> float | None:
        left = seconds_left()
        if left is None:
            return None
        return max(left - TURN_MARGIN * min(self._request_seconds, left), _DUE)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        stopped = stop_for(str(request.url))
        host = canonical_host(request.url.host)
        async with self._limiter.slot(host, stopped, self._within):  # per host
            return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
