"""A host name written with %-escapes is judged by the rules as the name it spells, but the
socket would be asked for the escaped text: the network refuses to connect to it at all."""

from __future__ import annotations

import asyncio

import pytest

from skiptrace.errors import HardRuleRefusal
from skiptrace.net.pinned import PinnedBackend


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
