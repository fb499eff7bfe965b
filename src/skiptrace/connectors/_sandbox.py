"""Python connectors, run where they cannot break skiptrace's promises.

A Python connector is code from whoever wrote it. Where the operating system can confine a
process (``_confine``: Linux with Landlock and seccomp), its code, loading included, runs in a
worker process of its own (``_worker``) with an empty environment, which can read only the
Python installation and its own folder, write nothing, and open no socket; it asks this
process for pages over a pipe, and this process, which alone holds an HTTP client, fetches
them through the guard and the session stack like any other request (origins enforced there).

Where the sandbox cannot be had, a connector runs in this process only if it is trusted: built
in (it ships with skiptrace), or named in the policy's ``connectors.trusted`` with a reason;
any other is refused with a message saying why.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import (
    AbstractAsyncContextManager,
    asynccontextmanager,
    contextmanager,
    nullcontext,
    suppress,
)
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path
from typing import Any

from skiptrace.connectors import Session
from skiptrace.connectors import _protocol as wire
from skiptrace.connectors._bounds import OverBound
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._model import ConnectorInfo
from skiptrace.connectors._zygote import (
    STDERR_KEPT,
    StarterGone,
    StarterKilled,
    Worker,
    Zygote,
    drain,
    tail,
)
from skiptrace.errors import (
    ConnectorError,
    Refused,
)
from skiptrace.records import CONTACT_DETAILS, Fetched, Provenance, Query, SourceRecord


class Mode(StrEnum):
    """How a Python connector runs here."""

    SANDBOXED = "sandboxed"
    TRUSTED = "trusted"
    """In this process, behind the import fence and the wall: built in, or trusted by policy."""
    REFUSED = "refused"


def mode_for(builtin: bool, trusted: bool) -> tuple[Mode, str]:
    """How a connector runs on this machine, and why."""
    why_not = unavailable()
    if not why_not:
        return Mode.SANDBOXED, "in a confined process"
    if builtin:
        return Mode.TRUSTED, f"built in; {why_not}"
    if trusted:
        return Mode.TRUSTED, f"named in connectors.trusted; {why_not}"
    return Mode.REFUSED, f"{why_not}; name it in the policy's connectors.trusted to run it"


MAX_VALUES = wire.MAX_VALUES
"""Values one worker (one search) may send in all its messages (``_protocol.MAX_VALUES``)."""
MAX_PAGES_IN_FLIGHT = 16
"""Pages one search may be waiting for at once; a worker asking for more is stopped."""
MAX_MESSAGES = 1000
"""Messages one worker (one search) may send: its asks, declines and shortfalls are bounded
at 200, 200 and 100 (``_bounds``, ``net.session``), and a flood of messages this process reads
and ignores (a finished search's, an unknown op) kept it busy 8 s a million."""
MAX_SENT = 2 * wire.MAX_LINE
"""Bytes one worker may send: its records' line and far more than its asks. Each line of
64 MiB of JSON (a list of empty objects) held this process's loop, every other search's with
it, for 2 s, and a worker could send one after another until its source's deadline."""


class _Search:
    """One search in flight: its session, the pages it read, the refusals it was answered
    with, and the fetches it has under way (cancelled when it ends)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.read: dict[str, Provenance] = {}
        self.refusals: set[tuple[str, str]] = set()
        """(rule, url) of every refusal its session answered the worker with: one reported
        back is one the guard made. A worker that went on without the page and then failed
        (or died) reports that failure: the search was not wholly asked, as in process."""
        self.fetching: set[asyncio.Task[None]] = set()
        self.result: asyncio.Future[list[SourceRecord]] = asyncio.get_running_loop().create_future()


class _Shared:
    """The starter every sandbox of one event loop (a run) forks its workers from. It never
    runs connector code nor sees a debtor, so one serves every connector as well as one each,
    and one each had cost a run some 0.3 s of CPU and 45 MB a connector (20 manifests reading
    pages: 22 s before the first row, 880 MB). Started with the first search that needs it,
    ended when the last sandbox holding it closes; one that cannot start is not tried again
    while any holds it (it would fail the same way), but one killed as it started is
    (``StarterKilled``: the kernel's doing at that moment)."""

    def __init__(self) -> None:
        self.zygote: Zygote | None = None
        self.room = _Room()
        self.holders = 0
        """Sandboxes holding it: counted as each is first asked for a worker (``hold``)."""
        self.broken = ""
        self.lock = asyncio.Lock()

    def hold(self) -> None:
        """One sandbox more, until it closes (``release``)."""
        self.holders += 1

    async def running(self) -> Zygote:
        """The starter each worker is forked from: the one running now, never one a sandbox
        forked from before (killed since, and started again by another sandbox, it left that
        sandbox's search only its retry to find the new one, failing if it was killed too)."""
        async with self.lock:
            return await self._started()

    async def restart(self, dead: Zygote) -> Zygote:
        """A starter in place of ``dead`` (killed: out of memory, say), unless another sandbox
        has started one already."""
        async with self.lock:
            if self.zygote is dead:
                self.zygote = None
                await dead.aclose()
            return await self._started()

    async def _started(self) -> Zygote:
        """The starter, started if there is none: the first, or in place of one whose start
        was cancelled (a search's deadline), which no sandbox would otherwise start again.
        Called with the lock held."""
        if self.broken:
            raise ConnectorError(self.broken)
        if self.zygote is None:
            try:
                self.zygote = await Zygote.start()
            except StarterKilled:
                raise
            except ConnectorError as exc:
                self.broken = str(exc)[:2000]
                raise
        return self.zygote

    async def release(self) -> None:
        """One sandbox fewer; the last one's leaving ends the starter, which kills any worker
        it started that still runs, and takes it out of the table (``_SHARED``): its lock,
        once waited on, holds the loop that is its key, so it was never let go of."""
        self.holders -= 1
        if self.holders:
            return
        loop = asyncio.get_running_loop()
        if _SHARED.get(loop) is self:
            del _SHARED[loop]
        async with self.lock:
            zygote, self.zygote = self.zygote, None
            if zygote is not None:
                await zygote.aclose()


_RESEARCHED: ContextVar[Query | None] = ContextVar("skiptrace_researched", default=None)


@contextmanager
def researching(debtor: Query) -> Iterator[None]:
    """Within this block, a search is part of ``debtor``'s research (``_Room``)."""
    token = _RESEARCHED.set(debtor)
    try:
        yield
    finally:
        _RESEARCHED.reset(token)


def _holding(holds: dict[str, Any], query: Query) -> str:
    """What a worker handed ``holds`` (``query``'s fields, the sites offered) holds, for the
    room: the debtor whose research it is part of (``researching``; else ``holds`` itself) and
    the contact details it was handed, which the policy may hand one connector and not
    another (``connectors.contact_details``)."""
    debtor = _RESEARCHED.get()
    if debtor is None:
        return wire.dump(holds)
    contact = {name: query.get(name) for name in CONTACT_DETAILS}
    return wire.dump({"debtor": wire.query_to(debtor), "contact": contact})


class _Room:
    """What the workers of code skiptrace does not ship hold while alive at once, whatever
    their connectors: one debtor's research (``_holding``). Two such workers, each confined,
    can still reach each other (a lock on a file both may read is a signal), so the values one
    holds could be sent by another holding another debtor's, and audited under that debtor;
    one connector's workers were alive one at a time, two connectors' were not. A worker
    waits until every one alive holds what it is to hold (one debtor's: nothing of another's
    to pass), or none is; and once one waits, those that come after it wait their turn: many
    searches holding what those inside hold had kept the room from another's until its
    deadline."""

    def __init__(self) -> None:
        self._holding: str | None = None
        self._in = 0
        self._waiting: deque[tuple[str, asyncio.Future[None]]] = deque()
        """Searches waiting, in the order they came: each let in by the last to leave."""

    @asynccontextmanager
    async def holding(self, values: str) -> AsyncIterator[None]:
        """In the room with ``values`` (a search's message, ``wire.dump``), until it ends."""
        if self._in and (self._holding != values or self._waiting):
            turn = (values, asyncio.get_running_loop().create_future())
            self._waiting.append(turn)
            try:
                await turn[1]  # let in (and counted) by the last to leave
            except BaseException:
                if turn[1].cancelled():  # still waiting, unless one leaving dropped it
                    with suppress(ValueError):
                        self._waiting.remove(turn)
                else:  # let in as it was cancelled: it leaves at once
                    self._leave()
                raise
        else:
            self._holding = values
            self._in += 1
        try:
            yield
        finally:  # no await: a search cancelled here (its deadline) leaves all the same
            self._leave()

    def _leave(self) -> None:
        """One search out; the last lets in the first waiting and every one waiting that
        holds what it holds."""
        self._in -= 1
        if self._in:
            return
        self._waiting = deque(turn for turn in self._waiting if not turn[1].done())  # cancelled
        self._holding = self._waiting[0][0] if self._waiting else None
        for turn in [turn for turn in self._waiting if turn[0] == self._holding]:
            self._waiting.remove(turn)
            self._in += 1
            turn[1].set_result(None)


_SHARED: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Shared] = weakref.WeakKeyDictionary()


def _shared() -> _Shared:
    """The running loop's shared starter."""
    loop = asyncio.get_running_loop()
    shared = _SHARED.get(loop)
    if shared is None:
        shared = _SHARED[loop] = _Shared()
    return shared


WORKERS_AT_ONCE = 4
"""Searches a connector skiptrace ships may run at once, each in a worker of its own: its code
is skiptrace's, and a page it reads cannot make two workers reach each other (another's code
could: its searches are one at a time, ``Sandbox``). Each worker may map
``_confine.MEMORY_BYTES``, so a bound, not one per debtor in flight (``enrich --jobs`` goes to
64)."""


class Workers:
    """A connector's sandboxes, each serving one search at a time, ``at_once`` of them at most:
    made as searches need them, kept until the run ends."""

    def __init__(self, make: Callable[[], Sandbox], at_once: int) -> None:
        self._make = make
        self._free = asyncio.Semaphore(at_once)
        self._idle: list[Sandbox] = []
        self._made: list[Sandbox] = []

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        async with self._free:
            sandbox = self._idle.pop() if self._idle else self._new()
            try:
                return await sandbox.search(session, query)
            finally:
                self._idle.append(sandbox)

    def _new(self) -> Sandbox:
        sandbox = self._make()
        self._made.append(sandbox)
        return sandbox

    async def aclose(self) -> None:
        """End every sandbox's worker, and let go of the starter."""
        for sandbox in self._made:
            await sandbox.aclose()


class Sandbox:
    """A connector's searches, one at a time, each in a worker process of its own, forked by
    the run's starter (``_Shared``) when the search begins and ended with it."""

    def __init__(
        self, info: ConnectorInfo, path: Path, load: dict[str, Any], *, alone: bool
    ) -> None:
        self._info, self._path = info, path
        self._load = load  # each worker's first message: what it runs (``_worker._load``)
        self._alone = alone
        """Code skiptrace does not ship: its worker alive only beside workers holding the same
        debtor's values (``_Room``)."""
        self._shared: _Shared | None = None
        """The run's starter, held from this connector's first search until it closes."""
        self._process: Worker | None = None
        self._searches: dict[int, _Search] = {}
        self._next = 0
        self._one_at_a_time = asyncio.Lock()
        self._stderr: deque[str] = deque(maxlen=STDERR_KEPT)
        self._tasks: set[asyncio.Task[None]] = set()
        """The running worker's reader: ended with it."""
        self._drains: set[asyncio.Task[None]] = set()
        """Each worker's stderr reader: each ends with its worker."""
        self._broken = ""

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        """Each search in a worker of its own, ended with it: a worker holding two debtors'
        searches at once could ask for one's data under the other's name, and one serving
        them in turn could keep the first's in memory and send it in the second's (each time
        audited under the wrong debtor)."""
        holds = {"query": wire.query_to(query), "search_api": session.search_api,
                 "offered_sites": list(session.offered_sites)}  # fmt: skip
        async with self._one_at_a_time, self._room(holds, query):
            await self._start()
            self._next += 1
            number = self._next
            search = self._searches[number] = _Search(session)
            try:
                await self._send({"op": "search", "id": number, **holds})
                return await search.result
            finally:
                self._searches.pop(number, None)
                for task in search.fetching:
                    task.cancel()
                await _whole(self._end())  # its worker gone before it leaves the room

    def _room(self, holds: dict[str, Any], query: Query) -> AbstractAsyncContextManager[None]:
        """Where the worker handed ``holds`` may be alive: beside workers holding the same
        (``_Room``), if it runs code skiptrace does not ship."""
        if not self._alone:
            return nullcontext()
        return self._held().room.holding(_holding(holds, query))

    async def aclose(self) -> None:
        """End the running worker, and let go of the starter (``_Shared``)."""
        await self._end()
        shared, self._shared = self._shared, None
        if shared is not None:
            await shared.release()
        await _cancelled(self._drains)

    async def _end(self) -> None:
        """End the running worker, if any, and its reader (before another starts: a reader
        left behind would fail the next search when its old worker's pipe closes)."""
        process, self._process = self._process, None
        if process is not None:
            await process.end()
        await _cancelled(self._tasks)

    async def _start(self) -> None:
        """A worker for the next search, forked once the one before has ended: two workers of
        code skiptrace does not ship, alive at once, could reach each other (a lock on a file
        both may read) while one holds a debtor, and a fork costs a few milliseconds (the code
        skiptrace ships has ``WORKERS_AT_ONCE`` sandboxes, ``Workers``)."""
        if self._broken:
            raise ConnectorError(f"{self._info.id}: {self._broken}")
        process = await self._launch()
        self._process = process
        task = asyncio.create_task(self._read(process))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _launch(self) -> Worker:
        """A worker started and ready (ConnectorError, kept for every later search, if it
        says it cannot start)."""
        info = self._info
        argv = [str(self._path), info.id, info.version]
        shared = self._held()
        zygote = await self._starter(shared)
        try:
            process = await zygote.spawn(argv)
        except StarterGone:  # a starter killed (out of memory, say) is started again, once
            process = await (await shared.restart(zygote)).spawn(argv)
        reading = asyncio.create_task(drain(process.stderr, self._stderr))
        self._drains.add(reading)
        reading.add_done_callback(self._drains.discard)
        try:
            with suppress(ConnectionError):  # one that died first says why on its first line
                process.stdin.write(wire.dump(self._load).encode("ascii"))
                await process.stdin.drain()
            first = await _line(process.stdout)
            hello = wire.load(first) if first else {"op": "broken", "why": self._died()}
        except BaseException:  # cancelled by a deadline, or a first line that is no message
            await process.end()
            raise
        if hello["op"] != "ready":
            await process.end()
            self._broken = str(hello.get("why", "did not start"))[:2000]
            raise ConnectorError(f"{info.id}: {self._broken}")
        return process

    def _held(self) -> _Shared:
        """The run's starter (``_Shared``), held from this connector's first search."""
        if self._shared is None:
            self._shared = _shared()
            self._shared.hold()
        return self._shared

    async def _starter(self, shared: _Shared) -> Zygote:
        """The run's running starter (ConnectorError, kept for every later search, if it
        cannot start: it would fail the same way again)."""
        try:
            return await shared.running()
        except StarterKilled as exc:
            raise ConnectorError(f"{self._info.id}: {exc}") from None
        except ConnectorError as exc:
            self._broken = str(exc)[:2000]
            raise ConnectorError(f"{self._info.id}: {self._broken}") from None

    async def _send(self, message: dict[str, Any]) -> None:
        process = self._process
        if process is None:
            raise ConnectorError(f"{self._info.id}: its process is not running")
        process.stdin.write(wire.dump(message).encode("ascii"))
        await process.stdin.drain()

    async def _read(self, process: Worker) -> None:
        messages = sent = values = 0
        try:
            while line := await _line(process.stdout):
                messages, sent = messages + 1, sent + len(line)
                values += wire.values_in(line)
                if messages > MAX_MESSAGES or sent > MAX_SENT or values > MAX_VALUES:
                    raise ValueError(f"more than {MAX_MESSAGES} messages, {MAX_VALUES:,} values "
                                     f"or {MAX_SENT >> 20} MiB in one search")  # fmt: skip
                self._handle(wire.load(line))
        except Exception as exc:  # a worker that lies: bad JSON, types, sizes, nesting...
            process.kill()
            self._fail_all(ConnectorError(f"{self._info.id} sent a bad message: {exc}"))
            return
        await process.wait()
        self._fail_all(ConnectorError(f"{self._info.id}: {self._died()}"))

    def _handle(self, message: dict[str, Any]) -> None:
        op = message["op"]
        if op in ("short", "unread"):  # said before the search ended, or not at all
            search = self._searches.get(int(message["search"]))
            if search is not None and not search.result.done():
                said = search.session.fell_short if op == "short" else search.session.left_unread
                said(wire.reason_from(message))
            return
        if op in ("get", "site", "decline"):
            search = self._searches.get(int(message["search"]))
            if search is not None:
                if len(search.fetching) >= MAX_PAGES_IN_FLIGHT:
                    raise ConnectorError(f"asked for more than {MAX_PAGES_IN_FLIGHT} pages at once")
                work = self._fetch if op == "get" else self._site
                task = asyncio.create_task(work(search, int(message["id"]), message))
                search.fetching.add(task)
                task.add_done_callback(search.fetching.discard)
            return
        search = self._searches.get(int(message["id"]))
        if search is None or search.result.done():
            return
        if op == "done":
            try:
                search.result.set_result(wire.records_from(message["records"], search.read))
            except ConnectorError as exc:
                search.result.set_exception(exc)
        elif op == "failed":  # an outage is the session's to report (``ConnectorSession.outage``)
            search.result.set_exception(_reported(message["error"], search.refusals))

    async def _fetch(self, search: _Search, request: int, message: dict[str, Any]) -> None:
        url, params = message.get("url"), message.get("params")
        try:
            if not isinstance(url, str) or not isinstance(params, dict):
                raise ConnectorError("get takes a URL and a mapping of parameters")
            wanted = {str(k): str(v) for k, v in params.items()}
            page: Fetched = await search.session.get(url, wanted)
        except OverBound as exc:
            _ended(search, exc)
            return
        except Refused as exc:
            search.refusals.add((exc.rule, exc.url))  # believed if the worker reports it
            await self._send({"op": "error", "id": request, "error": wire.error_to(exc)})
            return
        except Exception as exc:  # outages (kept by the session), a URL httpx cannot parse...
            await self._send({"op": "error", "id": request, "error": wire.error_to(exc)})
            return
        search.read[page.url] = search.session.provenance(page)
        await self._send({"op": "page", "id": request, "page": wire.fetched_to(page)})

    async def _site(self, search: _Search, request: int, message: dict[str, Any]) -> None:
        """A site to adopt or a link to decline, answered by the search's own session (which
        checks, audits and refuses): the worker only asks."""
        op = message.get("op")
        try:
            url = message.get("url")
            what = message.get("how") if op == "site" else message.get("rule")
            if not isinstance(url, str) or not isinstance(what, str):
                raise ConnectorError(f"{op} takes a URL and a word")
            if op == "site":
                answer = {"op": "site", "id": request,
                          "url": await search.session.adopt_site(url, what)}  # fmt: skip
            else:
                await search.session.decline(url, what)
                answer = {"op": "declined", "id": request}
        except OverBound as exc:
            _ended(search, exc)
            return
        except Exception as exc:  # refused, or misused: the connector is told, and may go on
            if isinstance(exc, Refused):
                search.refusals.add((exc.rule, exc.url))
            await self._send({"op": "error", "id": request, "error": wire.error_to(exc)})
            return
        await self._send(answer)

    def _died(self) -> str:
        said = tail(self._stderr)
        return f"its process ended{': ' + said if said else ''}"

    def _fail_all(self, error: ConnectorError) -> None:
        for search in self._searches.values():
            if not search.result.done():
                search.result.set_exception(error)


def _ended(search: _Search, error: OverBound) -> None:
    """End ``search`` for a bound it crossed (its worker is ended with it): told to its
    worker, a connector could catch it and go on asking."""
    if not search.result.done():
        search.result.set_exception(error)


async def _whole(work: Coroutine[Any, Any, None]) -> None:
    """``work`` awaited to its end, a cancellation (a search's deadline) raised only then. A
    deadline that came while a search's worker was being ended (its answer sent just before,
    its memory slow to free) had the search leave the room (``_Room``) at once, and another
    debtor's worker was forked while the first still held a lock on a file both could read."""
    task = asyncio.ensure_future(work)
    cancelled: asyncio.CancelledError | None = None
    while not task.done():
        try:
            await asyncio.wait([task])
        except asyncio.CancelledError as exc:
            cancelled = exc
    if cancelled is not None:
        if not task.cancelled():
            task.exception()  # retrieved: the cancellation is what is raised
        raise cancelled
    task.result()


async def _cancelled(tasks: set[asyncio.Task[None]]) -> None:
    """Cancel ``tasks`` and wait until each has ended."""
    running = list(tasks)
    for task in running:
        task.cancel()
    await asyncio.gather(*running, return_exceptions=True)


def _reported(error: Any, refusals: set[tuple[str, str]]) -> Exception:
    """The error a worker says ended its search. A refusal it reports is believed only when
    its session refused it that very request or site (``refusals``: rule and URL): a worker
    cannot make a source look refused."""
    raised = wire.error_from(error)
    if isinstance(raised, Refused) and (raised.rule, raised.url) not in refusals:
        return ConnectorError(f"its connector reported a refusal the guard never made: {raised}")
    return raised


async def _line(stream: asyncio.StreamReader) -> bytes:
    """The worker's next message ("" at its end); a line past ``MAX_LINE`` said so (asyncio
    says "Separator is not found, and chunk exceed the limit")."""
    try:
        return await stream.readline()
    except ValueError:  # its LimitOverrunError, as readline raises it
        raise ValueError(
            f"one line over {wire.MAX_LINE >> 20} MiB (more than a search's records may be)"
        ) from None
