"""Private, loopback and reserved addresses: refused by default, in any spelling, in a redirect
and through DNS, each refusal audited with its rule; ``hosts.allow_private`` lets through
exactly the host and port a policy lists, on the record, and nothing else."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.errors import PolicyError, Refused
from skiptrace.net.client import guarded_client
from skiptrace.net.guard import evaluate
from skiptrace.net.urls import canonicalize
from skiptrace.policy import Policy, merge
from skiptrace.testing.replay import ReplayServer, Reply

PRIVATE = [
    # RFC 1918, in the spellings urls.py canonicalises
    "http://10.0.0.1/",
    "http://10.255.255.255/admin",
    "http://0xa000001/",
    "http://167772161/",
    "http://10.1/",
    "http://172.16.0.1/",
    "http://172.31.255.254/",
    "http://192.168.1.1:8080/",
    "http://192.168.0.1./",
    "http://%31%39%32.168.0.1/",
    # loopback
    "http://127.0.0.1/",
    "http://127.1/",
    "http://127.255.255.254:8080/",
    "http://0x7f000001/",
    "http://0x7f.1/",
    "http://2130706433/",
    "http://017700000001/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]:8080/",
    "http://localhost/",
    "http://LOCALHOST.:8080/",
    "http://anything.localhost/",
    "http://localhost.localdomain/",
    # "this network", shared address space, IETF assignments, benchmarking
    "http://0.0.0.0/",
    "http://0/",
    "http://0.1.2.3/",
    "http://100.64.0.1/",
    "http://100.127.255.254/",
    "http://192.0.0.1/",
    "http://192.0.0.170/",
    "http://198.18.0.1/",
    "http://198.19.255.254/",
    # IPv6 unique local, site-local, unspecified
    "http://[fc00::1]/",
    "http://[fd12:3456:789a::1]/",
    "http://[fec0::1]/",
    "http://[::]/",
    # multicast, reserved, broadcast, documentation
    "http://224.0.0.1/",
    "http://239.255.255.250:1900/",
    "http://[ff02::1]/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://192.0.2.1/",
    "http://[2001:db8::1]/",
    # IPv4 inside IPv6: mapped, compatible, NAT64, 6to4
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::10.0.0.1]/",
    "http://[64:ff9b::a00:1]/",
    "http://[2002:c0a8:101::]/",
]
METADATA = [
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://192.0.0.192/opc/v2/instance/",  # Oracle Cloud's metadata address
    "http://100.100.100.200/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/",
    "http://metadata.google.internal/",
    "http://168.63.129.16/machine?comp=goalstate",  # Azure's WireServer, its settings' keys
]
PUBLIC = [
    "http://11.0.0.1/",
    "http://172.15.255.255/",
    "http://172.32.0.1/",
    "http://100.63.255.255/",
    "http://100.128.0.1/",
    "http://192.169.0.1/",
    "http://198.20.0.1/",
    "http://168.63.129.17/",
    "http://[2606:4700::1111]/",
    "http://[::ffff:8.8.8.8]/",
    "http://10.0.0.1.example.com/",
    "http://localhost.example.com/",
    "http://my-localhost/",
]

GetAll = Callable[..., list[int | str]]
"""The ``get_all`` fixture (tests/conftest.py)."""


def _rule(url: str, policy: Policy, method: str = "GET") -> str | None:
    try:
        evaluate(method, url, policy)
    except Refused as refusal:
        return refusal.rule
    return None


def _allowing(policy: Policy, *endpoints: str) -> Policy:
    return merge(
        policy,
        {
            "hosts": {"allow_private": list(endpoints)},
            "override": [{"key": "hosts.allow_private", "reason": "a test of the exception"}],
        },
        "allow.toml",
    )


@pytest.mark.parametrize("url", PRIVATE)
def test_private_addresses_are_refused_in_every_spelling(url: str, policy: Policy) -> None:
    assert _rule(url, policy) == "private-address"


@pytest.mark.parametrize("url", METADATA)
def test_link_local_and_metadata_keep_their_own_rule(url: str, policy: Policy) -> None:
    assert _rule(url, policy) == "metadata-address"


@pytest.mark.parametrize("url", PUBLIC)
def test_public_lookalikes_are_not_refused(url: str, policy: Policy) -> None:
    assert _rule(url, policy) is None


ALLOWED = ["127.0.0.1:8080", "[::1]:8443", "192.168.1.1:80", "LOCALHOST.:9000"]


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("http://127.0.0.1:8080/page", None),
        ("https://127.0.0.1:8080/page", None),
        ("http://0x7f000001:8080/page", None),  # the same host and port, spelled otherwise
        ("http://[::ffff:127.0.0.1]:8080/page", None),
        ("http://[2002:7f00:1::]:8080/page", "private-address"),  # 6to4 of it: not its host
        ("http://[64:ff9b::7f00:1]:8080/page", "private-address"),  # NAT64: not its host
        ("http://[::127.0.0.1]:8080/page", "private-address"),
        ("http://127.0.0.1:8081/page", "private-address"),
        ("http://127.0.0.1/page", "private-address"),
        ("http://127.0.0.2:8080/page", "private-address"),
        ("http://localhost:8080/page", "private-address"),
        ("http://[::1]:8443/", None),
        ("http://[::1]:8080/", "private-address"),
        ("http://192.168.1.1/", None),
        ("http://192.168.1.1:80/", None),
        ("https://192.168.1.1/", "private-address"),  # 443
        ("http://192.168.1.1:8080/", "private-address"),
        ("http://localhost:9000/", None),
        ("http://sub.localhost:9000/", "private-address"),
        ("http://127.0.0.1:9000/", "private-address"),
        # the exception is to private-address only: every other rule still holds
        ("http://127.0.0.1:8080/account/login", "account-area"),
        ("http://user:pw@127.0.0.1:8080/", "userinfo"),
        ("http://169.254.169.254:8080/", "metadata-address"),
    ],
)
def test_the_exception_is_exact_host_and_port(url: str, rule: str | None, policy: Policy) -> None:
    assert _rule(url, _allowing(policy, *ALLOWED)) == rule


def test_the_exception_does_not_open_writing_methods(policy: Policy) -> None:
    assert _rule("http://127.0.0.1:8080/", _allowing(policy, *ALLOWED), "POST") == "method"


# --- the policy key -------------------------------------------------------------------------


def test_allow_private_is_empty_by_default(policy: Policy) -> None:
    assert policy["hosts.allow_private"] == []
    assert policy.private_allowed == frozenset()


def test_listing_an_address_needs_an_override_with_a_reason(policy: Policy) -> None:
    with pytest.raises(PolicyError, match=r"loosens.*\[\[override\]\]"):
        merge(policy, {"hosts": {"allow_private": ["127.0.0.1:8080"]}}, "quiet.toml")
    allowed = _allowing(policy, "127.0.0.1:8080")
    [override] = allowed.overrides
    assert (override.key, override.reason) == ("hosts.allow_private", "a test of the exception")


def test_a_later_file_may_shorten_the_list_but_not_lengthen_it(policy: Policy) -> None:
    allowed = _allowing(policy, "127.0.0.1:8080", "10.0.0.5:443")
    shorter = merge(allowed, {"hosts": {"allow_private": ["10.0.0.5:443"]}}, "tighter.toml")
    assert shorter["hosts.allow_private"] == ["10.0.0.5:443"]
    with pytest.raises(PolicyError, match="loosens"):
        merge(allowed, {"hosts": {"allow_private": ["10.0.0.6:443"]}}, "sneaky.toml")


def test_entries_are_spelled_as_the_guard_compares_them(policy: Policy) -> None:
    allowed = _allowing(
        policy, "LOCALHOST.:8080", "0x7f.1:8080", "[::FFFF:127.0.0.1]:80", "[::1]:443",
        "Search.Internal:443",
    )  # fmt: skip
    assert allowed["hosts.allow_private"] == [
        "127.0.0.1:80", "127.0.0.1:8080", "[::1]:443", "localhost:8080", "search.internal:443",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "entry",
    ["127.0.0.1", "localhost", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:http",
     "*:8080", "10.0.0.0/8:80", "http://127.0.0.1:8080", "::1:8080", ":8080", "a b:80"],
)  # fmt: skip
def test_malformed_entries_are_errors(entry: str, policy: Policy) -> None:
    with pytest.raises(PolicyError, match="allow_private"):
        _allowing(policy, entry)


@pytest.mark.parametrize(
    "entry",
    ["169.254.169.254:80", "[fe80::1]:80", "metadata.google.internal:80", "0xa9fea9fe:80",
     "168.63.129.16:80", "[::ffff:a83f:8110]:80"],  # Azure's WireServer had been listable
)  # fmt: skip
def test_metadata_addresses_can_never_be_listed(entry: str, policy: Policy) -> None:
    with pytest.raises(PolicyError, match="metadata-address"):
        _allowing(policy, entry)


def test_policy_check_on_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    refused = runner.invoke(app, ["policy", "check", "http://10.0.0.1/"])
    assert refused.exit_code == 1
    assert refused.output.startswith("refused: private-address:")
    assert runner.invoke(app, ["policy", "check", "http://192.168.1.1:8080/"]).exit_code == 1
    mine = tmp_path / "lab.toml"
    mine.write_text(
        '[hosts]\nallow_private = ["192.168.1.1:8080"]\n\n[[override]]\n'
        'key = "hosts.allow_private"\nreason = "our own search instance on the lab network"\n',
        encoding="utf-8",
    )
    allowed = runner.invoke(
        app, ["--policy", str(mine), "policy", "check", "http://192.168.1.1:8080/"]
    )
    assert allowed.exit_code == 0, allowed.output
    assert allowed.output.startswith("allowed: GET http://192.168.1.1:8080/")
    other_port = runner.invoke(
        app, ["--policy", str(mine), "policy", "check", "http://192.168.1.1:8081/"]
    )
    assert other_port.exit_code == 1
    assert other_port.output.startswith("refused: private-address:")


# --- redirects and DNS, through the session stack -------------------------------------------


class _Connections:
    """Records every address a socket is asked to connect to (the conftest fence still holds)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.addresses: list[str] = []
        fenced = socket.socket.connect

        def connect(sock: socket.socket, address: Any) -> None:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                self.addresses.append(str(address[0]))
            fenced(sock, address)

        monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> _Connections:
    return _Connections(monkeypatch)


class _Resolver:
    """A resolver patched where asyncio asks (the loop's getaddrinfo) and where blocking code
    asks (socket.getaddrinfo): ``names`` answer what they map to, the rest as before."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, names: dict[str, list[str]]) -> None:
        self.asked: list[str] = []
        fenced = socket.getaddrinfo

        def answer(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            name = host.decode() if isinstance(host, bytes) else str(host)
            if name not in names:
                return fenced(host, port, *args, **kwargs)
            self.asked.append(name)
            return [
                (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, int(port or 0), 0, 0) if ":" in a else (a, int(port or 0)))
                for a in names[name]
            ]  # fmt: skip

        async def loop_answer(loop: object, host: Any, port: Any, *args: Any, **kw: Any) -> Any:
            return answer(host, port, *args, **kw)

        monkeypatch.setattr(socket, "getaddrinfo", answer)
        monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", loop_answer)


def _refusals(audit: AuditLog) -> list[tuple[str, str]]:
    return [(row.rule, row.url) for row in audit.rows() if row.event == "refused"]


def _requested_hosts(audit: AuditLog) -> set[str]:
    return {httpx.URL(row.url).host for row in audit.rows() if row.event == "request"}


REDIRECT_TARGETS = [
    ("http://127.0.0.1/x", "private-address"),
    ("http://localhost:{port}/x", "private-address"),  # the same server by another name
    ("http://127.0.0.2:{port}/x", "private-address"),
    ("http://[::1]:{port}/x", "private-address"),
    ("http://[::ffff:127.0.0.1]:{other}/x", "private-address"),  # its address, another port
    ("http://0x7f000001:{other}/x", "private-address"),
    ("http://0.0.0.0:{port}/x", "private-address"),
    ("http://10.0.0.1/x", "private-address"),
    ("http://172.20.1.1/x", "private-address"),
    ("http://192.168.1.1/x", "private-address"),
    ("http://100.64.0.1/x", "private-address"),
    ("http://198.18.0.1/x", "private-address"),
    ("http://168.63.129.16/machine?comp=goalstate", "metadata-address"),
    ("http://[fd00::1]/x", "private-address"),
    ("http://224.0.0.1/x", "private-address"),
    ("http://192.0.0.192/opc/v2/instance/", "metadata-address"),
    ("http://169.254.169.254/latest/meta-data/", "metadata-address"),
]


def _spelled(target: str, server: ReplayServer) -> str:
    """``target`` with {port} the server's port and {other} another one."""
    port = int(server.base_url.rsplit(":", 1)[1])
    return target.format(port=port, other=port + 1 if port < 65535 else port - 1)


@pytest.fixture
def redirecting() -> Iterator[tuple[ReplayServer, list[str]]]:
    targets: list[str] = []

    def route(method: str, path: str) -> Reply | None:
        if path == "/go":
            return Reply(302, b"", {"Location": targets[-1]})
        return None

    with ReplayServer(route) as server:
        yield server, targets


@pytest.mark.parametrize(("target", "rule"), REDIRECT_TARGETS)
def test_a_redirect_to_a_private_address_is_refused_and_audited_in_the_stack(
    target: str,
    rule: str,
    redirecting: tuple[ReplayServer, list[str]],
    fast_policy: Policy,
    audit: AuditLog,
    tmp_path: Path,
    connections: _Connections,
    get_all: GetAll,
) -> None:
    server, targets = redirecting
    targets.append(_spelled(target, server))
    outcomes = get_all(server.allow(fast_policy), audit, tmp_path, [server.url("/go")])
    assert outcomes == [rule]
    assert [r.path for r in server.received] == ["/robots.txt", "/go"]
    refusals = _refusals(audit)
    assert refusals and all(found == rule for found, _ in refusals)
    assert _requested_hosts(audit) == {"127.0.0.1"}
    assert set(connections.addresses) == {"127.0.0.1"}  # the server's, and nothing else


@pytest.mark.parametrize(("target", "rule"), REDIRECT_TARGETS)
def test_a_redirect_to_a_private_address_is_refused_by_the_plain_guarded_client(
    target: str, rule: str, redirecting: tuple[ReplayServer, list[str]], policy: Policy,
    audit: AuditLog,
) -> None:  # fmt: skip
    server, targets = redirecting
    targets.append(_spelled(target, server))
    with (
        guarded_client(purpose="tests", policy=server.allow(policy), audit=audit) as client,
        pytest.raises(Refused) as refused,
    ):
        client.get(server.url("/go"))
    assert refused.value.rule == rule
    assert [r.path for r in server.received] == ["/go"]
    assert _refusals(audit) == [(rule, str(canonicalize(targets[-1])))]


@pytest.mark.parametrize(
    ("answers", "rule"),
    [
        (["10.0.0.7"], "private-address"),
        (["127.0.0.1"], "private-address"),
        (["::1"], "private-address"),
        (["::ffff:10.0.0.7"], "private-address"),
        (["100.64.1.1"], "private-address"),
        (["fd00::7"], "private-address"),
        (["0.0.0.0"], "private-address"),
        (["168.63.129.16"], "metadata-address"),
        (["93.184.215.14", "10.1.2.3"], "private-address"),  # any answer, not only the first
        (["2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::1"], "private-address"),
        (["192.0.0.192"], "metadata-address"),
        (["93.184.215.14", "169.254.169.254"], "metadata-address"),
    ],
)
def test_a_name_resolving_to_a_private_address_is_refused_before_any_connection(
    answers: list[str],
    rule: str,
    fast_policy: Policy,
    audit: AuditLog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    connections: _Connections,
    get_all: GetAll,
) -> None:
    resolver = _Resolver(monkeypatch, {"intranet.example": answers})
    outcomes = get_all(fast_policy, audit, tmp_path, ["http://intranet.example/payroll"])
    assert outcomes == [rule]
    assert connections.addresses == []
    assert resolver.asked == ["intranet.example"]  # robots.txt's fetch; the page is refused
    assert [found for found, _ in _refusals(audit)] == [rule, rule]  # robots.txt, then the page
    assert all(httpx.URL(url).host == "intranet.example" for _, url in _refusals(audit))
    assert _requested_hosts(audit) == set()


def test_a_listed_name_reaches_its_private_address_by_name(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    connections: _Connections, get_all: GetAll,
) -> None:  # fmt: skip
    with ReplayServer({"/search": Reply(200, b"found")}) as server:
        port = server.base_url.rsplit(":", 1)[1]
        _Resolver(monkeypatch, {"search.internal": ["127.0.0.1"], "other.internal": ["127.0.0.1"]})
        policy = _allowing(fast_policy, f"search.internal:{port}")
        outcomes = get_all(policy, audit, tmp_path, [
            f"http://search.internal:{port}/search",
            f"http://other.internal:{port}/search",  # the same address, by a name not listed
            f"http://127.0.0.1:{port}/search",  # the address itself, not listed either
        ])  # fmt: skip
    assert outcomes == [200, "private-address", "private-address"]
    assert [(r.path, r.headers["Host"]) for r in server.received] == [
        ("/robots.txt", f"search.internal:{port}"),
        ("/search", f"search.internal:{port}"),
    ]
    assert set(connections.addresses) == {"127.0.0.1"}


def test_a_listed_name_is_still_refused_a_metadata_answer(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    connections: _Connections, get_all: GetAll,
) -> None:  # fmt: skip
    _Resolver(monkeypatch, {"search.internal": ["127.0.0.1", "169.254.169.254"]})
    policy = _allowing(fast_policy, "search.internal:80")
    outcomes = get_all(policy, audit, tmp_path, ["http://search.internal/search"])
    assert outcomes == ["metadata-address"]
    assert connections.addresses == []
