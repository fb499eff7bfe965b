"""The wall behind the fences: once installed, this process opens network connections only
from inside the guard.

The guard checks every request a skiptrace client sends, and Python connectors are checked
before they load; but Python code can always find some way to a socket. So the commands that
run connectors install an audit hook (PEP 578) that refuses any connection made, or datagram
sent to an address, while no guarded transport is sending a request. Audit hooks cannot be
removed, so it is installed only by those commands, never on import.
"""

from __future__ import annotations

import contextvars
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_INSIDE_GUARD: contextvars.ContextVar[bool] = contextvars.ContextVar("inside_guard", default=False)
_installed: list[bool] = []


def install() -> None:
    """Refuse connections made and datagrams sent outside the guard, from now on, in this
    process."""
    if not _installed:
        sys.addaudithook(_hook)
        _installed.append(True)


@contextmanager
def inside_guard() -> Iterator[None]:
    """Mark the current context as a guarded transport sending an admitted request."""
    token = enter()
    try:
        yield
    finally:
        leave(token)


def enter() -> contextvars.Token[bool]:
    """``inside_guard`` without a context manager, for the per-request hot path."""
    return _INSIDE_GUARD.set(True)


def leave(token: contextvars.Token[bool]) -> None:
    _INSIDE_GUARD.reset(token)


_SENDING = {"socket.connect": "a connection", "socket.sendto": "a datagram",
            "socket.sendmsg": "a message"}  # fmt: skip
"""The audit events that reach an address: a connection, or a datagram sent to one without
any (UDP needs none). A socket connected inside the guard sends without one: no address."""


def _hook(event: str, args: tuple[object, ...]) -> None:
    what = _SENDING.get(event)
    if what is None or _INSIDE_GUARD.get() or args[1] is None:
        return
    sock = args[0]
    # SocketType is the C module's socket, which socket.socket extends: a bare _socket.socket
    # connected and sent past an isinstance check for socket.socket
    if isinstance(sock, socket.SocketType) and sock.family in (socket.AF_INET, socket.AF_INET6):
        raise PermissionError(f"skiptrace: {what} to {args[1]!r} outside the guard")
