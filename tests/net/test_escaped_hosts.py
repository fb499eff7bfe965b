"""A host name written with %-escapes is judged by the rules as the name it spells, but the
socket would be asked for the escaped text: the network refuses to connect to it at all."""

from __future__ import annotations

import asyncio

import pytest

from skiptrace.audit import AuditLog
from skiptrace.errors import HardRuleRefusal
from skiptrace.net.client import guarded_client
from skiptrace.net.pinned import PinnedBackend
from skiptrace.policy import Policy


@pytest.mark.parametrize("host", ["hostile%2eexample", "b%C3%BCcher.example", "%31%32%37.0.0.1"])
def test_a_percent_escaped_host_is_never_resolved_or_connected(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    async def resolver(self: object, name: str, *args: object, **kw: object) -> list[object]:
        asked.append(name)
        return []

    monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", resolver)
    with pytest.raises(HardRuleRefusal) as refused:
        asyncio.run(PinnedBackend().checked_addresses(host, 443))
    assert refused.value.rule == "invalid-url" and asked == []


def test_the_synchronous_client_resolves_once_and_refuses_a_metadata_answer(
    policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """guarded_client (sync: the demo and the guard benchmark use it) pins its connections as
    the session stack does: a name answering a metadata address is refused, never connected."""
    import socket

    asked: list[str] = []

    def resolver(name: str, port: object, *args: object, **kw: object) -> list[object]:
        asked.append(name)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", 80))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with (
        guarded_client(purpose="tests", policy=policy, audit=audit) as client,
        pytest.raises(HardRuleRefusal) as refused,
    ):
        client.get("http://rebind.example/latest/meta-data/")
    assert refused.value.rule == "metadata-address" and asked == ["rebind.example"]
