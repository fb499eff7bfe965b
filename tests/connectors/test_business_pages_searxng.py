"""business_pages reads a SearXNG answer as a real instance gives it (issue 13): the recorded
`q=python` response, served on loopback through the guard, offers python.org, which is
adopted (audited, once) and is the only site the search tries to reach."""

from __future__ import annotations

import asyncio
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.connectors._registry import load_manifest
from skiptrace.policy import Policy, merge
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.state import builtin_dir
from skiptrace.testing.replay import ReplayServer, Reply

ANSWER = Path(__file__).parent / "fixtures" / "searxng" / "search_python.json"


def test_the_recorded_answer_offers_the_employers_own_site(
    fast_policy: Policy, audit: AuditLog
) -> None:
    connector = load_manifest(builtin_dir("connectors") / "business_pages.toml")
    answer = Reply(200, ANSWER.read_bytes(), {"Content-Type": "application/json"})
    with ReplayServer({"/search": answer}) as searx:
        policy = merge(searx.allow(fast_policy), {"search": {"searxng_url": searx.base_url}},
                       "test")  # fmt: skip

        async def research() -> tuple[str, str]:
            async with Run(policy, audit, [connector], purpose="tests") as run:
                query = Query.of("D-1", full_name="Pat Example", employer="Python")
                result = await run.search(connector, query)
                return result.status, result.detail

        status, detail = asyncio.run(research())
        asked = [r.path for r in searx.received]
    assert asked == ["/search?q=Python&format=json"]  # the operator's own: robots.txt not read
    sites = [r for r in audit.rows() if r.event == "site"]
    assert [(r.url, r.detail) for r in sites] == [("https://www.python.org/", "how=search")]
    # tests never leave loopback: the adopted site cannot be reached, and says so
    assert status == "error" and "python.org" in detail, detail
    reached = {r.url.split("/")[2] for r in audit.rows() if r.event == "request"}
    assert reached <= {searx.base_url.split("/")[2], "www.python.org"}
