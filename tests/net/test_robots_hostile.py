"""A hostile review of robots.txt: what its fetch writes in the audit log, and a file longer
than the part of it that is read."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.errors import PolicyRefusal
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.session import ConnectorSession, SourceHealth
from skiptrace.net.stack import Pace, open_client
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.testing.clock import VirtualTime
from skiptrace.testing.replay import ReplayServer, Reply


def _get_all(policy: Policy, audit: AuditLog, tmp_path: Path, urls: list[str]) -> list[str]:
    """What each GET of ``urls`` came to (virtual time): its status, or the refusal's rule."""

    async def run() -> list[str]:
        time = VirtualTime()
        cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=3600, retention_days=30)
        pace = Pace(clock=time.clock, sleep=time.sleep)
        async with open_client(policy, audit, purpose="tests", cache=cache, pace=pace) as client:
            session = ConnectorSession(client, "probe", Query.of("ACCT-1"), SourceHealth())
            outcomes = []
            for url in urls:
                try:
                    outcomes.append(str((await session.get(url)).status))
                except PolicyRefusal as refusal:
                    outcomes.append(refusal.rule)
            return outcomes

    return asyncio.run(run())


@pytest.mark.parametrize(("status", "reason"), [(503, "error"), (500, "error"),
                                                (429, "rate_limited")])  # fmt: skip
def test_a_robots_txt_that_could_not_be_read_says_why_in_each_of_its_rows(
    status: int, reason: str, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """The robots.txt fetch is audited like any request, and a request's row that got no
    usable answer carries its reason word: its retried attempts' rows did, its last one
    (the answer that made everything disallowed) carried none."""
    routes = {"/robots.txt": Reply(status, b"", {}), "/page": Reply(200, b"ok")}
    with ReplayServer(routes) as site:
        outcomes = _get_all(site.allow(fast_policy), audit, tmp_path, [site.url("/page")])
    assert outcomes == ["robots-unavailable"]
    fetches = [row for row in audit.rows() if row.url.endswith("/robots.txt")]
    assert fetches and all(row.status == status for row in fetches)
    assert [row.reason for row in fetches] == [reason] * len(fetches)


def test_a_robots_txt_cut_at_its_limit_drops_the_line_it_cut(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """Only ``robots.max_bytes`` of a robots.txt are read; cut there, its last line was read
    as far as it went: ``Allow: /welcome.html`` cut to ``Allow: /`` allowed the whole site,
    which ``Disallow: /`` closed but for that page. A line the limit cuts is left out."""
    limit = int(fast_policy["robots.max_bytes"])
    head = b"User-agent: *\nDisallow: /\n"
    padding = b"#" * (limit - len(head) - len(b"Allow: /") - 1) + b"\n"
    robots = head + padding + b"Allow: /welcome.html\n"
    assert robots[:limit].endswith(b"\nAllow: /")
    routes = {"/robots.txt": Reply(200, robots, {"Content-Type": "text/plain"}),
              "/our-team": Reply(200, b"staff")}  # fmt: skip
    with ReplayServer(routes) as site:
        outcomes = _get_all(site.allow(fast_policy), audit, tmp_path, [site.url("/our-team")])
        received = [r.path for r in site.received]
    assert outcomes == ["robots"]
    assert received == ["/robots.txt"]
