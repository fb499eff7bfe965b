"""A path robots.txt disallows is refused when a server reads it after folding what the
lenient readings left in: repeated slashes (nginx's ``merge_slashes``, on by default, folds the
``//`` a decoded ``%2F`` makes: ``/%2Fprivate/x`` is ``/private/x`` to it, as ``//private/x``
already was to the check) and a segment's trailing dots and spaces (Windows drops them from a
name, as the hard rules' reading of a path does). Read without folding them, ``/%2Fprivate/x``
was ``//private/x``, which ``Disallow: /private/`` does not match, and the page was read."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.errors import PolicyRefusal
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.session import ConnectorSession, SourceHealth
from skiptrace.net.stack import open_client
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.testing.replay import ReplayServer, Reply

ROBOTS = b"User-agent: *\nDisallow: /private/\nDisallow: /*.cgi$\n"


def _get_all(policy: Policy, audit: AuditLog, tmp_path: Path, urls: list[str]) -> list[str]:
    """What each GET of ``urls`` came to: its status, or the rule that refused it."""

    async def run() -> list[str]:
        cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=3600, retention_days=30)
        async with open_client(policy, audit, purpose="tests", cache=cache) as client:
            session = ConnectorSession(client, "probe", Query.of("ACCT-1"), SourceHealth())
            outcomes = []
            for url in urls:
                try:
                    outcomes.append(str((await session.get(url)).status))
                except PolicyRefusal as refusal:
                    outcomes.append(refusal.rule)
            return outcomes

    return asyncio.run(run())


@pytest.mark.parametrize(
    "path",
    [
        "/%2Fprivate/staff.html",
        "/%2F%2Fprivate/staff.html",
        "/%252Fprivate/staff.html",
        "/\\private/staff.html",
        "/private%2F%2Fstaff.html",
        "/private./staff.html",
        "/private%20/staff.html",
        "/search.cgi.",
    ],
)
def test_a_disallowed_path_a_server_folds_into_it_is_refused(
    path: str, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    with ReplayServer({"/robots.txt": Reply(200, ROBOTS, {})}) as site:
        outcomes = _get_all(site.allow(fast_policy), audit, tmp_path, [site.url(path)])
    assert outcomes == ["robots"]
    assert [r.path for r in site.received] == ["/robots.txt"]


def test_a_path_that_folds_into_an_allowed_one_is_still_read(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """Folding only adds readings: ``/privately/`` and ``/about/`` are not ``/private/``."""
    paths = ["/privately/x.html", "/%2Fabout.html", "/about./team.html", "/search.cgi/x"]
    routes = {"/robots.txt": Reply(200, ROBOTS, {})}
    routes |= {path: Reply(200, b"ok", {}) for path in paths}
    with ReplayServer(routes) as site:
        urls = [site.url(path) for path in paths]
        assert _get_all(site.allow(fast_policy), audit, tmp_path, urls) == ["200"] * 4
