"""A loopback HTTP server that answers recorded responses.

Tests, the offline demo and connector contract checks replay real recorded responses through a
real socket, so the whole client stack (guard included) runs exactly as against the internet.
It binds 127.0.0.1 only and records every request it receives, so a test can show that a
refused request never arrived. Loopback is a private address, which the guard refuses, so a run
reaches a replay server only if its policy lists the server's ``127.0.0.1:PORT`` in
``hosts.allow_private``, on the record, as any policy file would (``allowing``,
``ReplayServer.allow``, ``loopback_policy``, ``loopback_policy_file``): no code path of their own.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from skiptrace.net.hardrules import endpoint
from skiptrace.net.urls import DEFAULT_PORTS, canonicalize
from skiptrace.policy import Policy, merge


@dataclass(frozen=True)
class Reply:
    """One recorded response."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})


@dataclass(frozen=True)
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes


Router = Callable[[str, str], Reply | None]
"""(method, path with query) -> the reply, or None for 404."""


class Refusing:
    """A loopback port that refuses every connection: bound and never listened on, and held
    until ``release``, so that no other server (another worker's, any process's) takes it
    meanwhile, as it could a port merely closed."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"

    def release(self) -> None:
        """Let the port go (to a server about to listen on it)."""
        self._socket.close()


class ReplayServer:
    """``with ReplayServer(routes) as server: server.url("/page")``."""

    def __init__(self, routes: Mapping[str, Reply] | Router, host: str = "127.0.0.1") -> None:
        self._route: Router = routes if callable(routes) else _table_router(dict(routes))
        self.received: list[Received] = []
        self._server = ThreadingHTTPServer((host, 0), self._handler_class())
        self._server.daemon_threads = True
        poll_seconds = 0.05  # how long shutdown waits for a loop it cannot wake (_wake)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(poll_seconds,), daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def endpoint(self) -> str:
        """``127.0.0.1:PORT``, as ``hosts.allow_private`` lists it."""
        return _endpoint(self.base_url)

    def url(self, path: str) -> str:
        return self.base_url + path

    def allow(self, policy: Policy, reason: str = "a replay server on loopback") -> Policy:
        """``policy`` with this server allowed (``hosts.allow_private``), on the record."""
        return allowing(policy, reason, self)

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _wake(self._server.socket)
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16  # one write per response: no Nagle and delayed-ACK stalls
            disable_nagle_algorithm = True

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                replay.received.append(
                    Received(self.command, self.path, dict(self.headers.items()), body)
                )
                reply = replay._route(self.command, self.path) or Reply(404, b"not recorded")
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply.body)

            do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

            def log_message(self, format: str, *args: object) -> None:
                """Silent: tests read ``received`` instead."""

        return Handler


@contextmanager
def replay_in_subprocess(routes: Mapping[str, Reply]) -> Iterator[str]:
    """A ReplayServer in a process of its own, yielding its base URL. Benchmarks use it so
    that the server does not share the measured client's interpreter lock."""
    context = multiprocessing.get_context("spawn")
    ports: multiprocessing.Queue[int] = context.Queue()
    server = context.Process(target=_serve, args=(dict(routes), ports), daemon=True)
    server.start()
    try:
        yield f"http://127.0.0.1:{ports.get(timeout=30)}"
    finally:
        server.terminate()


def _serve(routes: dict[str, Reply], ports: multiprocessing.Queue[int]) -> None:
    with ReplayServer(routes) as server:
        ports.put(int(server.base_url.rsplit(":", 1)[1]))
        threading.Event().wait()


def _wake(listener: socket.socket) -> None:
    """Wake a loop waiting on ``listener`` at once: shut down (Linux), a listening socket is
    readable and its accept fails, so the loop sees it is being left without waiting out its
    poll. Where that cannot be done, the poll still ends it."""
    with contextlib.suppress(OSError):
        listener.shutdown(socket.SHUT_RDWR)


def _table_router(table: dict[str, Reply]) -> Router:
    def route(method: str, path: str) -> Reply | None:
        return table.get(path) or table.get(path.partition("?")[0])

    return route


def loopback_policy(
    policy: Policy, reason: str, *servers: ReplayServer | str, rate: str = "2000/s"
) -> Policy:
    """``policy`` with loopback allowed a fast pace (``rate``) and ``servers`` (replay servers or
    their base URLs) allowed at all, on the record (as any loosening must be): for replays of
    recorded responses, which are checks, benchmarks and demonstrations, not research."""
    fast = merge(
        policy,
        {
            "rate": {"hosts": {"127.0.0.1": rate}},
            "override": [{"key": "rate.hosts", "reason": reason}],
        },
        reason,
    )
    return allowing(fast, reason, *servers) if servers else fast


def allowing(policy: Policy, reason: str, *servers: ReplayServer | str) -> Policy:
    """``policy`` whose ``hosts.allow_private`` also lists ``servers`` (replay servers or their
    base URLs, ``http://127.0.0.1:PORT``), with ``reason`` recorded as its override."""
    listed = set(policy["hosts.allow_private"])
    listed |= _endpoints(servers)
    return merge(
        policy,
        {
            "hosts": {"allow_private": sorted(listed)},
            "override": [{"key": "hosts.allow_private", "reason": reason}],
        },
        reason,
    )


def loopback_policy_file(
    path: Path,
    *servers: ReplayServer | str,
    rate: str = "2000/s",
    reason: str = "tests replay a directory on loopback",
) -> Path:
    """Write to ``path``, and return it, the policy file that ``loopback_policy`` amounts to:
    loopback at ``rate`` and ``servers`` (replay servers or their base URLs) in
    ``hosts.allow_private``, each loosening with ``reason`` as its override.

    For what takes a policy FILE, not a Policy object: tests of the command line
    (``--policy``), of the Python API (``policies=``), of a child process, and users' tests of
    their own connectors run the way the command line runs them."""
    path.write_text(loopback_policy_text(*servers, rate=rate, reason=reason), encoding="utf-8")
    return path


def loopback_policy_text(
    *servers: ReplayServer | str,
    rate: str = "2000/s",
    reason: str = "tests replay a directory on loopback",
) -> str:
    """The TOML ``loopback_policy_file`` writes, for a test that adds keys of its own."""
    listed = sorted(_endpoints(servers))
    quoted = json.dumps  # a JSON string is a TOML basic string
    text = f'[rate.hosts]\n"127.0.0.1" = {quoted(rate)}\n'
    text += f'[[override]]\nkey = "rate.hosts"\nreason = {quoted(reason)}\n'
    if listed:
        text = f"[hosts]\nallow_private = [{', '.join(map(quoted, listed))}]\n" + text
        text += f'[[override]]\nkey = "hosts.allow_private"\nreason = {quoted(reason)}\n'
    return text


def _endpoints(servers: tuple[ReplayServer | str, ...]) -> set[str]:
    return {s.endpoint if isinstance(s, ReplayServer) else _endpoint(s) for s in servers}


def _endpoint(base_url: str) -> str:
    url = canonicalize(base_url)
    return endpoint(url.host, url.port or DEFAULT_PORTS[url.scheme])
