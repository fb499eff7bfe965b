"""A URL with no host that a connector asks for (``file:///etc/passwd``, ``data:...``,
``mailto:...``) is refused and audited as asked for: the guarded clients have no base URL, and
httpx's merge with the empty one dropped such a URL's scheme and host, so the refusal was
written ``:///etc/passwd``, naming neither the scheme refused nor anything it was asked."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from skiptrace.audit import AuditLog, AuditRow
from skiptrace.errors import HardRuleRefusal
from skiptrace.net.client import async_guarded_client
from skiptrace.policy import Policy

ASKED = [
    ("file:///etc/passwd", "file:"),
    ("data:text/plain,hi", "data:"),
    ("mailto:jo@example.org", "mailto:"),
    ("javascript:alert(1)", "javascript:"),
]


def _network(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"sent: {request.url}")


def _refused(audit: AuditLog) -> list[tuple[str, str]]:
    return [(row.rule, row.url) for row in audit.rows() if row.event == "refused"]


@pytest.mark.parametrize(("url", "scheme"), ASKED)
def test_a_url_with_no_host_is_audited_with_its_scheme(
    url: str, scheme: str, refused_unsent: Callable[[str], AuditRow]
) -> None:
    row = refused_unsent(url)
    assert row.rule == "scheme" and row.url.startswith(scheme)


def test_the_async_client_audits_it_alike(policy: Policy, audit: AuditLog) -> None:
    async def ask() -> None:
        client = async_guarded_client(
            purpose="tests", policy=policy, audit=audit, inner=httpx.MockTransport(_network)
        )
        async with client:
            await client.get("file:///etc/passwd")

    with pytest.raises(HardRuleRefusal):
        asyncio.run(ask())
    [(rule, written)] = _refused(audit)
    assert rule == "scheme" and written.startswith("file:")
