"""The network under the session stack: every connection goes to an address that was checked.

httpx resolves a host name when it connects, apart from any check made before, so a name can
answer a harmless address to the check and a private or metadata one to the connection (DNS
rebinding). Here the one resolution is the connection's own: the network backend that httpcore
asks for a socket resolves the name once, refuses if ANY answer is a link-local or metadata
address (``metadata-address``) or a private, loopback or reserved one (``private-address``)
that ``hosts.allow_private`` does not list for this very host and port, and then connects to
those checked addresses by number, resolving nothing more. httpcore still takes the TLS server
name (SNI, and the name the certificate is verified against) and the Host header from the URL,
so both keep the host's name. A kept-alive connection stays with the address it was opened to.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import socket
import ssl
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Any

import httpcore
import httpx

from skiptrace.errors import HardRuleRefusal
from skiptrace.net.hardrules import address_rule, endpoint, is_ip_address
from skiptrace.net.urls import canonical_host

SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class AddressRefusal(HardRuleRefusal):
    """A connection refused for the address its host resolved to. Its ``url`` is only
    ``host:port``: the resolution check layer names the request's URL instead."""


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network, resolving each host once and connecting only to checked addresses."""

    def __init__(self, private_allowed: AbstractSet[str] = frozenset()) -> None:
        self._private_allowed = frozenset(private_allowed)
        self._network = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        # by number: given an address, AnyIOBackend (anyio, asyncio) resolves nothing more
        *others, last = await self.checked_addresses(host, port)
        for address in others:
            with contextlib.suppress(httpcore.ConnectError):
                return await self._network.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
        return await self._network.connect_tcp(last, port, timeout, local_address, socket_options)

    async def checked_addresses(self, host: str, port: int) -> list[str]:
        """Every address ``host`` resolves to, once; AddressRefusal if any is refused."""
        addresses = _literal(host, port) or await _resolve(host, port)
        return _checked(host, port, addresses, self._private_allowed)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("skiptrace connects over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._network.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (HTTP/1.1, no retries, no proxy) on a connection pool whose network
    is a PinnedBackend. httpx takes no network backend of its own; its transport's whole state
    is this pool (``_pool``, httpx 0.28), built here instead of by its ``__init__``."""

    def __init__(
        self,
        private_allowed: AbstractSet[str] = frozenset(),
        *,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            **_pool_options(verify), network_backend=PinnedBackend(private_allowed)
        )


async def _resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, each once, in the resolver's order."""
    try:
        answers = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:  # socket.gaierror: the name does not resolve
        raise httpcore.ConnectError(f"{host}: {error}") from error
    return _usable(host, answers)


def _canonical(host: str) -> str:
    try:
        return canonical_host(host)
    except (ValueError, UnicodeError):  # httpx has already encoded it: not expected
        return host.lower()


def _literal(host: str, port: int) -> list[str]:
    """``[host]`` if it is an address already (nothing to resolve), else ``[]``."""
    if is_ip_address(host):
        return [host]
    if "%" in host:  # the rules judged the unescaped name; this one is another
        raise AddressRefusal(
            "invalid-url", endpoint(host, port), "a host name written with %-escapes"
        )
    return []


def _checked(
    host: str, port: int, addresses: list[str], private_allowed: AbstractSet[str]
) -> list[str]:
    """``addresses``, if none is refused for ``host:port``; else AddressRefusal for the first."""
    name = _canonical(host)
    allowed = endpoint(name, port) in private_allowed
    for address in addresses:
        refused = address_rule(address.split("%", 1)[0])
        if refused and not (refused[0] == "private-address" and allowed):
            rule, detail = refused
            where = detail if address == host else f"{host} resolves to {address}: {detail}"
            raise AddressRefusal(rule, endpoint(name, port), where)
    return addresses


def _usable(host: str, answers: list[tuple[Any, ...]]) -> list[str]:
    """The IPv4 and IPv6 addresses among ``getaddrinfo`` answers, each once, in order."""
    addresses = [str(sockaddr[0]) for family, *_, sockaddr in answers
                 if family in (socket.AF_INET, socket.AF_INET6)]  # fmt: skip
    if not addresses:
        raise httpcore.ConnectError(f"{host} has no address")
    return list(dict.fromkeys(addresses))


class PinnedSyncBackend(httpcore.NetworkBackend):
    """PinnedBackend for synchronous clients: the same check, the same one resolution."""

    def __init__(self, private_allowed: AbstractSet[str] = frozenset()) -> None:
        self._private_allowed = frozenset(private_allowed)
        self._network = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _literal(host, port)
        if not addresses:
            try:
                answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError as error:
                raise httpcore.ConnectError(f"{host}: {error}") from error
            addresses = _usable(host, answers)
        *others, last = _checked(host, port, addresses, self._private_allowed)
        for address in others:
            with contextlib.suppress(httpcore.ConnectError):
                return self._network.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
        return self._network.connect_tcp(last, port, timeout, local_address, socket_options)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("skiptrace connects over TCP only")


class PinnedSyncTransport(httpx.HTTPTransport):
    """PinnedTransport for synchronous clients."""

    def __init__(
        self,
        private_allowed: AbstractSet[str] = frozenset(),
        *,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self._pool = httpcore.ConnectionPool(
            **_pool_options(verify), network_backend=PinnedSyncBackend(private_allowed)
        )


@functools.cache
def _verifying_context() -> ssl.SSLContext:
    """httpx's default context (certifi's CAs, or ``SSL_CERT_FILE``/``SSL_CERT_DIR`` as set when
    the first pool is made), made once per process: loading the CA bundle takes ~30 ms, and a
    context is made to be shared. The one setting httpcore writes to it, per connection, is
    ALPN: HTTP/1.1 for every pool here."""
    return httpx.create_ssl_context(verify=True)


def _pool_options(verify: ssl.SSLContext | bool) -> dict[str, Any]:
    """What httpx's own transport gives its pool: its default limits, HTTP/1.1, no retries."""
    return {
        "ssl_context": _verifying_context()
        if verify is True
        else httpx.create_ssl_context(verify=verify),
        "max_connections": 100,
        "max_keepalive_connections": 20,
        "keepalive_expiry": 5.0,
        "http1": True,
        "http2": False,
        "retries": 0,
    }
