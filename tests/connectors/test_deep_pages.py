"""A page built to make the HTML parser slow (deep nesting: lexbor's time grows faster than
its square) cannot stall a run: the source's deadline ends its search on time, as `timeout`,
and nothing goes on parsing it after that."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._registry import load_manifest
from skiptrace.policy import Policy, merge
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.directory import listing_manifest
from skiptrace.testing.replay import ReplayServer, Reply

MANIFEST = listing_manifest("deep", "deep.example")
# 30,000 levels: some 1.1 s of parsing (it grows faster than the square: 60,000 took 5.1 s),
# past the 0.3 s deadline on a machine twice as fast
DEEP = "<div>" * 30_000 + "<li class=member><span class=firm>x</span></li>" + "</div>" * 30_000


def test_a_parser_bomb_ends_at_the_source_deadline(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    (tmp_path / "deep.toml").write_text(MANIFEST, encoding="utf-8")
    connector = load_manifest(tmp_path / "deep.toml")
    with ReplayServer(
        {"/search": Reply(200, DEEP.encode(), {"Content-Type": "text/html"})}
    ) as site:
        policy = merge(site.allow(fast_policy), {"limits": {"source_seconds": 0.3}}, "test")

        async def research() -> tuple[str, float]:
            started = time.monotonic()
            rewrite = {"https://deep.example": site.base_url}
            async with Run(policy, audit, [connector], purpose="tests", rewrite=rewrite) as run:
                result = await run.search(connector, Query.of("A-1", last_name="Roe"))
            return result.status, time.monotonic() - started

        status, took = asyncio.run(research())
        # the search is over: no thread of this process goes on parsing (none can be stopped),
        # and the worker that parsed in a process of its own is gone with its search
        parsing = [t for t in threading.enumerate() if t.name == "skiptrace-parse"]
        spent = time.process_time()
        time.sleep(0.3)
        spent = time.process_time() - spent
    assert status == "timeout"
    assert took < 10, took  # ended at the deadline (room for a loaded machine)
    if not unavailable():  # without a sandbox, a thread is all there is (see _off_the_loop)
        assert not parsing
        assert spent < 0.15, spent
