"""Where each search's worker comes from: a starter process that has imported the worker's code
and the libraries connectors use once, and forks a fresh copy of itself for every search.

Starting Python and importing those for every search cost 150-250 ms of CPU per debtor and
Python connector; a fork costs a few. The starter never runs connector code and never sees a
debtor: a child confines itself (``_confine``) and only then loads the connector, as a worker
started from scratch did, so every search still begins in a process that has seen neither.
The starter's environment is empty and its only channel is the socket it is started with
(each worker's pipes come over it, each worker's pidfd goes back); when that socket closes it
kills every worker it started that is still running, and ends. Killed itself, its workers die
with it (``_confine.die_with``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
import traceback
from collections import deque
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import BinaryIO, NoReturn

from skiptrace.connectors._confine import die_with
from skiptrace.connectors._protocol import MAX_LINE
from skiptrace.errors import ConnectorError

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from skiptrace.connectors._zygote import serve; sys.exit(serve(int(sys.argv[1])))"
)
_MESSAGE = 64 * 1024
STDERR_KEPT = 40
"""Lines of a process's stderr kept (the starter's, a worker's), to say why it ended."""
_STDERR_BLOCK = 64 * 1024
_STDERR_LINE_BYTES = 4 * 500
"""Bytes of a line of stderr read: its first 500 characters, however many bytes each takes."""


# --- the starter ------------------------------------------------------------------------------


def serve(channel_fd: int) -> int:
    """The starter's loop: one message per worker (its number, its argv and three fds for its
    standard streams), answered with the number, the pid and a pidfd."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's: it closes the socket
    channel = socket.socket(fileno=channel_fd)
    _preload()
    channel.sendall(b"ready")
    started: set[int] = set()
    starter = os.getpid()
    try:
        while True:
            data, fds, _, _ = socket.recv_fds(channel, _MESSAGE, 3)
            if not data:
                break
            number, argv = json.loads(data)
            pid = os.fork()
            if pid == 0:
                _child(starter, channel, fds, [str(a) for a in argv])
            for fd in fds:
                os.close(fd)
            started.add(pid)
            pidfd = os.pidfd_open(pid)  # not yet reaped (see _reap): the pid is still its
            try:
                socket.send_fds(channel, [json.dumps([number, pid]).encode()], [pidfd])
            finally:
                os.close(pidfd)
            _reap(started)
    except OSError:  # the run's end of the socket is gone
        pass
    finally:
        for pid in started:  # unreaped, so each pid is still the worker's own
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    return 0


def _preload() -> None:
    """What every worker would import again: skiptrace's own code and the libraries it ships
    with (the sandbox's, and those the built-in connectors use), never a connector's; the
    shipped host lists, which each worker read again as it sorted its first page's links (some
    150 ms of CPU a search); nameparser's vocabulary, which it builds as it reads its first
    name (some 5 ms of each search that reads one: a made-up name is read here, no debtor's);
    the interpreter's paths a worker may read (it reads no more: it is handed its connector)
    and the calls it may not make (``refused_calls``), which are no connector's either."""
    import xml.etree.ElementTree  # noqa: F401  (SEC EDGAR's: 2-3 ms of each of its searches)

    import landlock  # noqa: F401
    import pyseccomp  # noqa: F401
    import rapidfuzz  # noqa: F401
    from nameparser import HumanName

    import skiptrace.connectors._manifest
    import skiptrace.connectors._worker
    import skiptrace.normalize
    import skiptrace.pages  # noqa: F401
    from skiptrace.connectors._confine import interpreter_paths, refused_calls
    from skiptrace.net import categories

    categories.check()
    HumanName("Jane Q. Public")
    interpreter_paths()
    refused_calls()


def _reap(started: set[int]) -> None:
    """Collect the workers that have ended, so their pids can be used again."""
    while started:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        started.discard(pid)


def _child(starter: int, channel: socket.socket, fds: list[int], argv: list[str]) -> NoReturn:
    """A worker: it dies with ``starter`` (``die_with``), the three fds become its standard
    streams, every other fd is closed (the starter's socket and any pipe of another worker),
    then ``_worker.main``."""
    code = 1
    try:
        die_with(starter)
        channel.close()
        if len(fds) != 3:
            raise OSError(f"expected three streams, got {len(fds)}")
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from skiptrace.connectors._worker import main

        code = main(argv)
    except BaseException:  # said on its stderr, which the run keeps
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


# --- the run's side ---------------------------------------------------------------------------


class StarterKilled(ConnectorError):
    """The starter was killed by a signal before it was ready (out of memory, say): a fault of
    that moment, not of the starter, so the next search starts one again."""


class StarterGone(ConnectorError):
    """The running starter ended (killed: out of memory, say): started again, once. No other
    failure of a spawn is the starter's, and ending it ends every worker it started."""


class Worker:
    """A worker the starter forked: its pipes as streams, and its pidfd to end and await it by
    (it is the starter's child, not this process's)."""

    def __init__(
        self, pidfd: int, stdin: asyncio.StreamWriter, stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
    ) -> None:  # fmt: skip
        self._pidfd = pidfd
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self._ended: asyncio.Task[None] | None = None

    def kill(self) -> None:
        if self._pidfd >= 0:
            _kill(self._pidfd)

    async def wait(self) -> None:
        """Until the worker has ended (one wait shared by every caller, none of whom can cancel
        it for the others); its pidfd and stdin are then closed."""
        if self._pidfd >= 0 and self._ended is None:
            self._ended = asyncio.ensure_future(_readable(self._pidfd))
        if self._ended is not None:
            await asyncio.shield(self._ended)
        if self._pidfd >= 0:
            os.close(self._pidfd)
            self._pidfd = -1
            self.stdin.close()

    async def end(self) -> None:
        """Killed, if still running, and awaited."""
        self.kill()
        await self.wait()


class Zygote:
    """The starter, seen from the run: ``start`` it, ``spawn`` a worker per search,
    ``aclose`` it (which ends any worker still running)."""

    def __init__(self, process: asyncio.subprocess.Process, channel: socket.socket) -> None:
        self._process, self._channel = process, channel
        self._lock = asyncio.Lock()
        """Spawns one at a time, each answer read in the order it was asked."""
        self._next = 0
        self._owed: set[int] = set()
        """Workers asked for whose answer is not read yet (their spawn was cancelled)."""
        self.stderr: deque[str] = deque(maxlen=STDERR_KEPT)
        assert process.stderr is not None
        self._drain = asyncio.create_task(drain(process.stderr, self.stderr))

    @classmethod
    async def start(cls) -> Zygote:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-I", "-c", _BOOT, _PACKAGE_PARENT, str(theirs.fileno()),
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE, env={}, cwd="/", pass_fds=(theirs.fileno(),),
            )  # fmt: skip
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        ours.setblocking(False)
        zygote = cls(process, ours)
        try:
            hello, _ = await _receive(ours)
        except BaseException:
            await zygote.aclose()
            raise
        if hello != b"ready":
            await zygote.aclose()
            said = tail(zygote.stderr) or "no word"
            code = process.returncode or 0
            if code < 0:
                raise StarterKilled(f"the sandbox's worker starter was killed as it started "
                                    f"(signal {-code}): {said}")  # fmt: skip
            raise ConnectorError(f"the sandbox's worker starter did not start: {said}")
        return zygote

    async def spawn(self, argv: list[str]) -> Worker:
        """A new worker running ``_worker.main(argv)``: ConnectorError, the starter left
        alone, for arguments longer than it reads (the number a message adds included)."""
        if len(json.dumps([2**63, argv]).encode()) > _MESSAGE:
            raise ConnectorError(f"its worker's arguments are longer than {_MESSAGE} bytes")
        pipes = [os.pipe() for _ in range(3)]  # its stdin, stdout, stderr
        theirs = [pipes[0][0], pipes[1][1], pipes[2][1]]
        ours = [pipes[0][1], pipes[1][0], pipes[2][0]]
        try:
            async with self._lock:
                await self._settle()  # a worker whose spawn was cancelled: ended first
                self._next += 1
                number = self._next
                try:
                    socket.send_fds(self._channel, [json.dumps([number, argv]).encode()], theirs)
                except OSError as exc:
                    raise StarterGone(f"the sandbox's worker starter is gone ({exc})") from exc
                finally:
                    for fd in theirs:
                        os.close(fd)
                    theirs = []
                self._owed.add(number)
                pidfd = await self._answer(number)
        except BaseException:
            for fd in ours + theirs:
                os.close(fd)
            raise
        files = [os.fdopen(ours[0], "wb", 0), os.fdopen(ours[1], "rb", 0),
                 os.fdopen(ours[2], "rb", 0)]  # fmt: skip
        transports: list[asyncio.BaseTransport] = []
        try:
            return await self._connect(pidfd, files, transports)
        except BaseException:  # cancelled while its pipes were connected: nothing left open
            for transport in transports:
                transport.close()
            for file in files:
                file.close()
            await asyncio.shield(_ended(pidfd))  # ended before another can be forked
            raise

    @staticmethod
    async def _connect(
        pidfd: int, files: Sequence[BinaryIO], transports: list[asyncio.BaseTransport]
    ) -> Worker:
        """The worker's streams over its pipes (stdin, stdout, stderr), each transport made
        added to ``transports``."""
        loop = asyncio.get_running_loop()
        stdout, stderr = asyncio.StreamReader(limit=MAX_LINE), asyncio.StreamReader(limit=MAX_LINE)
        for reader, file in ((stdout, files[1]), (stderr, files[2])):
            made, _ = await loop.connect_read_pipe(partial(asyncio.StreamReaderProtocol, reader),
                                                   file)  # fmt: skip
            transports.append(made)
        writing = asyncio.StreamReaderProtocol(asyncio.StreamReader())
        transport, _ = await loop.connect_write_pipe(lambda: writing, files[0])
        transports.append(transport)
        return Worker(pidfd, asyncio.StreamWriter(transport, writing, None, loop), stdout, stderr)

    async def _answer(self, number: int) -> int:
        """The pidfd of worker ``number``; an answer for an earlier one (whose spawn was
        cancelled while the starter forked it) has that worker ended on the way."""
        while True:
            answered, pidfd = await self._next_answer()
            if answered == number:
                return pidfd
            await _ended(pidfd)

    async def _settle(self) -> None:
        """End every worker asked for whose answer was never read, before another is."""
        while self._owed:
            await _ended((await self._next_answer())[1])

    async def _next_answer(self) -> tuple[int, int]:
        """The next answer the starter sent: which worker, and its pidfd."""
        data, fds = await _receive(self._channel)
        if not data or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            raise StarterGone("the sandbox's worker starter ended")
        os.set_inheritable(fds[0], False)
        answered = int(json.loads(data)[0])
        self._owed.discard(answered)
        return answered, fds[0]

    async def aclose(self) -> None:
        """Close the socket: the starter kills what it started and ends."""
        self._channel.close()
        try:
            await asyncio.wait_for(self._process.wait(), 5)
        except TimeoutError:
            self._process.kill()
            await self._process.wait()
        await asyncio.gather(self._drain, return_exceptions=True)


async def _receive(channel: socket.socket) -> tuple[bytes, list[int]]:
    """One message and the fds it carries, from a non-blocking socket."""
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(channel, _MESSAGE, 1)
            return data, fds
        except BlockingIOError:
            await _readable(channel.fileno())
        except OSError as exc:  # the starter died (its end reset)
            raise StarterGone(f"the sandbox's worker starter is gone ({exc})") from None


async def _ended(pidfd: int) -> None:
    """Kill the worker ``pidfd`` names, wait until it has ended, and close ``pidfd``."""
    try:
        _kill(pidfd)
        await _readable(pidfd)
    finally:
        os.close(pidfd)


def _kill(pidfd: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # ended already
        signal.pidfd_send_signal(pidfd, signal.SIGKILL)


def tail(lines: deque[str]) -> str:
    """A process's last three lines of stderr, on one line."""
    return " | ".join(list(lines)[-3:])


async def _readable(fd: int) -> None:
    """Until ``fd`` can be read (or has ended: a pidfd, when its process has). The reader is
    removed as this returns or is cancelled, at once: removed later (a future's callback), it
    removed the reader the next wait on the same fd had put in its place, which then never
    woke."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, wake)
    try:
        await ready
    finally:
        loop.remove_reader(fd)


async def drain(stream: asyncio.StreamReader, kept: deque[str]) -> None:
    """A process's stderr, read to its end in blocks, its last lines kept (each cut to 500
    characters, from its first 2,000 bytes). Read line by line, a hostile worker's stderr held
    the run: a flood of short lines its loop (ten million took 8 s of its CPU), a 60 MB line
    300 MB of its memory and a second of its loop, and a line past the reader's limit ended
    the reading, the worker then stuck until its search's deadline."""
    line = b""
    while block := await stream.read(_STDERR_BLOCK):
        # only the last lines are kept, so only those are split off: split into every line,
        # a block of line feeds was 65,536 of them (2 GiB took the run 25 s of CPU)
        *ended, line = (line + block).rsplit(b"\n", STDERR_KEPT)
        if len(ended) == STDERR_KEPT:  # the first holds the block's older lines too
            ended[0] = ended[0].rpartition(b"\n")[2]
        kept.extend(map(_said, ended))
        line = line[:_STDERR_LINE_BYTES]
    if line:
        kept.append(_said(line))


def _said(line: bytes) -> str:
    """One line of stderr as kept: its first 500 characters."""
    return line[:_STDERR_LINE_BYTES].decode("utf-8", "replace").rstrip()[:500]
