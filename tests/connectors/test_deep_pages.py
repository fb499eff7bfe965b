"""A page built to make the HTML parser slow (deep nesting: lexbor's time grows with the page's
length times its depth) cannot stall a run. The source's deadline ended its search on time, as
`timeout`, but the parse ran on in its thread (no deadline stops one), minutes of CPU for a
2 MB page: such a page is now refused before it is parsed, in one line."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.connectors._registry import load_manifest
from skiptrace.pages import MAX_DEPTH
from skiptrace.policy import Policy, merge
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.replay import ReplayServer, Reply

MANIFEST = """id = "deep"
name = "a directory whose page is a parser bomb"
version = "1"
gives = ["employer"]
needs = ["last_name"]
terms = "https://deep.example/terms"
[request]
url = "https://deep.example/search"
params = { q = "{last_name}" }
[response]
format = "html"
records = "li.member"
[fields]
employer = "span.firm"
"""
DEEP = "<div>" * 400_000 + "<li class=member><span class=firm>x</span></li>"
"""2 MB nested 400,000 deep (``pages.MAX_DEPTH`` is 512): 80,000 levels took lexbor 12 s."""


def test_a_parser_bomb_is_refused_before_it_is_parsed(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    (tmp_path / "deep.toml").write_text(MANIFEST, encoding="utf-8")
    connector = load_manifest(tmp_path / "deep.toml")
    with ReplayServer(
        {"/search": Reply(200, DEEP.encode(), {"Content-Type": "text/html"})}
    ) as site:
        policy = merge(site.allow(fast_policy), {"limits": {"source_seconds": 0.3}}, "test")

        async def research() -> tuple[str, str]:
            rewrite = {"https://deep.example": site.base_url}
            async with Run(policy, audit, [connector], purpose="tests", rewrite=rewrite) as run:
                result = await run.search(connector, Query.of("A-1", last_name="Roe"))
            return result.status, result.detail

        started = time.process_time()
        status, detail = asyncio.run(research())
        cpu = time.process_time() - started
    assert status == "error" and f"nested more than {MAX_DEPTH} deep" in detail, detail
    assert cpu < 2.0, cpu  # refused before lexbor saw it (room for a loaded machine)
