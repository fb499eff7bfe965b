"""A response header beyond ASCII (a Latin-1 file name, a UTF-8 note: servers send them) is
passed on as the bytes the server sent. Decoded and made a header again, it raised
UnicodeEncodeError in the stack, and every request to that source failed as its error."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.stack import open_client
from skiptrace.policy import Policy
from skiptrace.testing.replay import ReplayServer, Reply


@pytest.mark.parametrize("value", ["inline; filename=caf\xe9.txt", "note=caf\xc3\xa9"])
def test_a_header_beyond_ascii_is_passed_on_as_sent(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path, value: str
) -> None:
    headers = {"Content-Type": "text/plain", "Content-Disposition": value}
    with ReplayServer({"/page": Reply(200, b"the page", headers)}) as site:

        async def run() -> tuple[bytes, bytes]:
            cache = HttpCache(tmp_path / "c.sqlite3", default_seconds=0, retention_days=30)
            policy = site.allow(fast_policy)
            async with open_client(policy, audit, purpose="tests", cache=cache) as client:
                response = await client.get(site.url("/page"))
                return response.content, dict(response.headers.raw)[b"Content-Disposition"]

        content, sent = asyncio.run(run())
    assert content == b"the page"
    assert sent == value.encode("latin-1")
