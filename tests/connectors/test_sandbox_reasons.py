"""A sandboxed Python connector's source out of reach is said as every source's is (issue 11's
one vocabulary): `unreachable`, not `error`, though the connector's own code sees only a failed
fetch and gives up (found by a newcomer's walk: offline, the EDGAR connectors said
`error: ConnectorError: ConnectError: unreachable`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.connectors._registry import discover
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.replay import ReplayServer, loopback_policy


def test_a_sandboxed_connectors_unreachable_source_is_unreachable(
    policy: Policy, tmp_path: Path
) -> None:
    with ReplayServer(lambda method, target: None) as gone:  # closed once left: nothing listens
        base = gone.base_url
    connector = discover(entry_points=False).connectors["sec_edgar_company"]
    rewrite = {origin: base for origin in connector.info.origins}
    closed = loopback_policy(policy, "a source that is down", base)
    with AuditLog(tmp_path / "audit.sqlite3") as audit:

        async def research() -> tuple[str, str]:
            async with Run(closed, audit, [connector], purpose="tests", rewrite=rewrite) as run:
                result = await run.search(connector, Query.of("D-1", employer="Apple Inc."))
                return result.status, result.reason

        assert asyncio.run(research()) == ("error", "unreachable")
