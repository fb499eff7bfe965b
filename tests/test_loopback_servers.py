"""Leaving a loopback server of the tests (``ReplayServer``, ``RawServer``) is prompt: most tests
that read pages leave one or more, and each leave had waited out what was left of its serving
loop's poll (up to 50 ms): 636 replay servers, 25 s of the suite's tests' time summed."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from skiptrace.net.wall import inside_guard
from skiptrace.testing.raw import RawServer
from skiptrace.testing.replay import ReplayServer, Reply

LEAVES = 20
POLL_SECONDS = 0.05  # what each server's loop waits at most before it sees it is being left


def _asked(base_url: str) -> int:
    """One request to the server (its loop is then back in its wait), and its status."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        with inside_guard():  # the wall may be up: a test of a command installs it
            connection.request("GET", "/page")
        return connection.getresponse().status
    finally:
        connection.close()


def _leaving(make: Callable[[], AbstractContextManager[Any]]) -> float:
    """Seconds to leave ``LEAVES`` servers, each left just after it answered."""
    took = 0.0
    for _ in range(LEAVES):
        with make() as server:
            assert _asked(server.base_url) == 200
            started = time.monotonic()
        took += time.monotonic() - started
    return took


def _answer(server: RawServer, target: str, connection: socket.socket) -> bool:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    return False


def test_leaving_a_replay_server_does_not_wait_out_its_poll() -> None:
    took = _leaving(lambda: ReplayServer({"/page": Reply(200, b"ok")}))
    assert took < LEAVES * POLL_SECONDS / 4, took


def test_leaving_a_raw_server_does_not_wait_out_its_poll() -> None:
    took = _leaving(lambda: RawServer(_answer))
    assert took < LEAVES * POLL_SECONDS / 4, took
