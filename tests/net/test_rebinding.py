"""DNS rebinding: the connection goes to the address that was checked, and only to it.

The resolver is patched where resolution happens (the event loop's getaddrinfo, and
socket.getaddrinfo for anything blocking), not at the socket: it answers 127.0.0.1 (where the
test's server listens, and which the test's policy lists for this name) the first time it is
asked, and 169.254.169.254 every time after. skiptrace must connect to the first answer only, or
refuse; never to the second. Every address a socket is asked to connect to is recorded.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from skiptrace.audit import AuditLog
from skiptrace.net import wall
from skiptrace.net.pinned import PinnedSyncTransport, PinnedTransport
from skiptrace.policy import Policy, merge
from skiptrace.testing.replay import ReplayServer, Reply

NAME = "rebind.example"
METADATA = "169.254.169.254"

GetAll = Callable[..., list[int | str]]
"""The ``get_all`` fixture (tests/conftest.py)."""


class Rebinding:
    """Answers 127.0.0.1 for NAME the first time, 169.254.169.254 every time after; other
    names (and every address written as such) as the conftest's fenced resolver does."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, always: str | None = None) -> None:
        self.asked: list[str] = []
        self.connected: list[str] = []
        fenced_resolve, fenced_connect = socket.getaddrinfo, socket.socket.connect

        def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            name = host.decode() if isinstance(host, bytes) else str(host)
            if name != NAME and always is None:
                return fenced_resolve(host, port, *args, **kwargs)
            self.asked.append(name)
            address = always or ("127.0.0.1" if len(self.asked) == 1 else METADATA)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port or 0)))]

        async def loop_resolve(loop: object, host: Any, port: Any, *args: Any, **kw: Any) -> Any:
            return resolve(host, port, *args, **kw)

        def connect(sock: socket.socket, address: Any) -> None:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                self.connected.append(str(address[0]))
            fenced_connect(sock, address)

        monkeypatch.setattr(socket, "getaddrinfo", resolve)
        monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", loop_resolve)
        monkeypatch.setattr(socket.socket, "connect", connect)


def _allowing(policy: Policy, endpoint: str) -> Policy:
    return merge(
        policy,
        {
            "hosts": {"allow_private": [endpoint]},
            "override": [{"key": "hosts.allow_private", "reason": "the rebinding test's server"}],
        },
        "rebinding test",
    )


def test_one_connection_is_resolved_once_and_connected_to_that_answer(
    fast_policy: Policy,
    audit: AuditLog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    get_all: GetAll,
) -> None:
    """Kept alive, one connection carries robots.txt and both pages: one answer, 127.0.0.1."""
    with ReplayServer({"/a": Reply(200, b"a"), "/b": Reply(200, b"b")}) as server:
        port = server.base_url.rsplit(":", 1)[1]
        rebinding = Rebinding(monkeypatch)
        policy = _allowing(fast_policy, f"{NAME}:{port}")
        urls = [f"http://{NAME}:{port}/a", f"http://{NAME}:{port}/b"]
        outcomes = get_all(policy, audit, tmp_path, urls)
    assert outcomes == [200, 200]
    assert rebinding.asked == [NAME]
    assert rebinding.connected == ["127.0.0.1"]
    assert [r.path for r in server.received] == ["/robots.txt", "/a", "/b"]
    assert {r.headers["Host"] for r in server.received} == {f"{NAME}:{port}"}


def test_a_new_connection_that_rebinds_to_metadata_is_refused_never_made(
    fast_policy: Policy,
    audit: AuditLog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    get_all: GetAll,
) -> None:
    """Each answer closes its connection, so each request resolves anew: the second answer
    (169.254.169.254) is checked and refused; no socket is ever pointed at it."""
    close = {"Connection": "close"}

    def route(method: str, path: str) -> Reply:
        return Reply(200 if path == "/a" else 404, b"x", close)

    with ReplayServer(route) as server:
        port = server.base_url.rsplit(":", 1)[1]
        rebinding = Rebinding(monkeypatch)
        policy = _allowing(fast_policy, f"{NAME}:{port}")
        outcomes = get_all(policy, audit, tmp_path, [f"http://{NAME}:{port}/a"])
    assert outcomes == ["metadata-address"]
    assert METADATA not in rebinding.connected
    assert rebinding.connected == ["127.0.0.1"]  # robots.txt, on the first answer
    assert [r.path for r in server.received] == ["/robots.txt"]
    refused = [row for row in audit.rows() if row.event == "refused"]
    assert [row.rule for row in refused] == ["metadata-address"]
    assert refused[0].url == f"http://{NAME}:{port}/a"
    assert METADATA in refused[0].detail


def test_a_request_never_resolves_twice(
    fast_policy: Policy,
    audit: AuditLog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    get_all: GetAll,
) -> None:
    """Without robots.txt there is one request and one connection: the resolver is asked once,
    so the second answer is never even seen."""
    no_robots = merge(
        fast_policy,
        {"robots": {"honour": False},
         "override": [{"key": "robots.honour", "reason": "one request, to count resolutions"}]},
        "test",
    )  # fmt: skip
    with ReplayServer({"/a": Reply(200, b"a")}) as server:
        port = server.base_url.rsplit(":", 1)[1]
        rebinding = Rebinding(monkeypatch)
        policy = _allowing(no_robots, f"{NAME}:{port}")
        outcomes = get_all(policy, audit, tmp_path, [f"http://{NAME}:{port}/a"])
    assert outcomes == [200]
    assert (rebinding.asked, rebinding.connected) == ([NAME], ["127.0.0.1"])


def test_an_address_in_the_url_is_connected_to_without_asking_the_resolver(
    fast_policy: Policy,
    audit: AuditLog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    get_all: GetAll,
) -> None:
    """A resolver that answers 169.254.169.254 for everything, addresses included, is never
    asked about an address: the guard checked that address, and it is the one connected to."""
    with ReplayServer({"/a": Reply(200, b"a")}) as server:
        rebinding = Rebinding(monkeypatch, always=METADATA)
        outcomes = get_all(server.allow(fast_policy), audit, tmp_path, [server.url("/a")])
    assert outcomes == [200]
    assert rebinding.asked == []
    assert rebinding.connected == ["127.0.0.1"]


# --- TLS: the name stays the server name and the certificate's name -------------------------

TLS_NAME = "pinned.example"


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Self-signed certificates: one for TLS_NAME, one for 127.0.0.1 only (no name)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make the test certificates")
    folder = tmp_path_factory.mktemp("certificates")
    made = {}
    for label, subject, san in (("name", TLS_NAME, f"DNS:{TLS_NAME}"),
                                ("address", "127.0.0.1", "IP:127.0.0.1")):  # fmt: skip
        cert, key = folder / f"{label}.pem", folder / f"{label}.key"
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
             "-subj", f"/CN={subject}", "-addext", f"subjectAltName={san}"],
            check=True, capture_output=True,
        )  # fmt: skip
        made[label] = (cert, key)
    return made


class _TLSServer:
    """An HTTPS server on 127.0.0.1 that records the SNI and Host of what it is sent."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.server_names: list[str | None] = []
        self.hosts: list[str] = []
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        context.sni_callback = lambda sock, name, ctx: self.server_names.append(name)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                outer.hosts.append(self.headers["Host"])
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.port = int(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def tls_server(certificates: dict[str, tuple[Path, Path]]) -> Iterator[_TLSServer]:
    server = _TLSServer(*certificates["name"])
    yield server
    server.close()


def _get_over_tls(port: int, trusted: Path | None) -> httpx.Response:
    """GET https://TLS_NAME:port/ on the pinned network alone, trusting the test's certificate
    (the guard's clients verify with certifi's roots, which do not know it), or, for None,
    with the guard's own context."""

    async def run() -> httpx.Response:
        allowed = frozenset({f"{TLS_NAME}:{port}"})
        if trusted is None:
            network = PinnedTransport(allowed)
        else:
            verify = ssl.create_default_context(cafile=str(trusted))
            network = PinnedTransport(allowed, verify=verify)
        async with httpx.AsyncClient(transport=network) as client:
            with wall.inside_guard():  # the wall may be up: another test installs it
                return await client.get(f"https://{TLS_NAME}:{port}/")

    return asyncio.run(run())


def test_tls_keeps_the_name_for_sni_the_certificate_and_the_host_header(
    tls_server: _TLSServer,
    certificates: dict[str, tuple[Path, Path]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rebinding = Rebinding(monkeypatch, always="127.0.0.1")
    response = _get_over_tls(tls_server.port, certificates["name"][0])
    assert (response.status_code, response.content) == (200, b"ok")
    assert tls_server.server_names == [TLS_NAME]
    assert tls_server.hosts == [f"{TLS_NAME}:{tls_server.port}"]
    assert rebinding.asked == [TLS_NAME]
    assert rebinding.connected == ["127.0.0.1"]


def test_tls_verifies_the_certificate_against_the_name_not_the_address(
    certificates: dict[str, tuple[Path, Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A certificate valid for 127.0.0.1, the address connected to, is not one for the name."""
    server = _TLSServer(*certificates["address"])
    try:
        Rebinding(monkeypatch, always="127.0.0.1")
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            _get_over_tls(server.port, certificates["address"][0])
        assert server.hosts == []
    finally:
        server.close()


def test_every_pool_shares_one_verifying_context_that_knows_only_real_roots(
    tls_server: _TLSServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default context is made once per process (loading the CA bundle took ~30 ms a
    client) and still verifies: the test's own certificate is not trusted by it."""
    pools = [PinnedTransport()._pool, PinnedSyncTransport()._pool]
    context = pools[0]._ssl_context
    assert context is pools[1]._ssl_context
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    Rebinding(monkeypatch, always="127.0.0.1")
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        _get_over_tls(tls_server.port, None)
    assert tls_server.hosts == []
