"""A loopback TCP server whose answers a test writes byte by byte.

For servers that misbehave below HTTP (that drip an answer, send a compression bomb, or lie in
their headers), which ``ReplayServer``, a well-behaved HTTP server, cannot play. It binds
127.0.0.1 only, reads each request's head, records its path and hands the connection to the
test's ``answer``. Its lifetime is bounded: every connection is closed ``lifetime`` seconds after
it starts, or when it is left, whatever the answer was doing, and leaving waits for its threads.
Like any loopback server, a run reaches it only if its policy lists its ``endpoint`` in
``hosts.allow_private``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable

Answer = Callable[["RawServer", str, socket.socket], bool]
"""(server, request target, connection) -> whether to keep the connection for another request.
An answer that writes for long should stop once ``server.over``."""


class RawServer:
    """``with RawServer(answer) as server: server.url("/page")``."""

    def __init__(self, answer: Answer, lifetime: float = 5.0) -> None:
        self._answer = answer
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._ends_at = time.monotonic() + lifetime
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._connections: list[socket.socket] = []
        self.paths: list[str] = []
        """The target of every request received (path and query), in order."""

    @property
    def base_url(self) -> str:
        return f"http://{self.endpoint}"

    @property
    def endpoint(self) -> str:
        """``127.0.0.1:PORT``, as ``hosts.allow_private`` lists it."""
        return f"127.0.0.1:{self._listener.getsockname()[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def over(self) -> bool:
        """Whether the server is being left or its lifetime has run out."""
        return self._stop.is_set() or time.monotonic() > self._ends_at

    def __enter__(self) -> RawServer:
        self._threads[0].start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):  # wakes the accept at once (Linux); else its poll
            self._listener.shutdown(socket.SHUT_RDWR)
        for connection in list(self._connections):
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for thread in list(self._threads):
            thread.join(timeout=1.0)
        self._listener.close()

    def _accept(self) -> None:
        while not self.over:
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                if self._stop.is_set():  # shut down: the server is being left
                    return
                raise  # a failure of its own is seen, not taken for the end
            self._connections.append(connection)
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(max(0.01, self._ends_at - time.monotonic()))
            with contextlib.suppress(OSError):  # the client hung up, or the lifetime ran out
                while not self.over:
                    head = b""
                    while b"\r\n\r\n" not in head:
                        data = connection.recv(4096)
                        if not data:
                            return
                        head += data
                    target = head.split(b" ", 2)[1].decode("latin-1")
                    self.paths.append(target)
                    if not self._answer(self, target, connection):
                        return
