"""A sandboxed Python connector's source out of reach is said as every source's is (issue 11's
one vocabulary): `unreachable`, not `error`, though the connector's own code sees only a failed
fetch and gives up (found by a newcomer's walk: offline, the EDGAR connectors said
`error: ConnectorError: ConnectError: unreachable`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.connectors._registry import discover, load_manifest
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy


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


SWALLOWS = """
from skiptrace.connectors import NoResult

class Swallows:
    async def search(self, session, query):
        try:
            await session.get("https://down.example/x")
        except Exception:
            pass  # the outage, caught: the connector then says it found nothing
        raise NoResult("nothing here")

CONNECTOR = Swallows()
"""


def test_no_result_never_hides_an_outage_the_connector_caught(
    policy: Policy, tmp_path: Path
) -> None:
    """A sandboxed connector that catches its source's outage and raises NoResult: the search
    is the outage (unreachable), never no_result."""
    (tmp_path / "swallows.py").write_text(SWALLOWS, encoding="utf-8")
    (tmp_path / "swallows.toml").write_text(
        'id = "swallows"\nname = "Swallows outages"\nversion = "1"\npython = "swallows.py"\n'
        'gives = ["employer"]\nneeds = ["employer"]\norigins = ["https://down.example"]\n'
        'terms = "https://down.example/terms"\n',
        encoding="utf-8",
    )
    connector = load_manifest(tmp_path / "swallows.toml")
    with ReplayServer(lambda method, target: None) as gone:
        base = gone.base_url
    closed = loopback_policy(policy, "a source that is down", base)
    with AuditLog(tmp_path / "audit.sqlite3") as audit:

        async def research() -> tuple[str, str]:
            rewrite = {"https://down.example": base}
            async with Run(closed, audit, [connector], purpose="tests", rewrite=rewrite) as run:
                result = await run.search(connector, Query.of("D-1", employer="Acme"))
                return result.status, result.reason

        assert asyncio.run(research()) == ("error", "unreachable")


ASKS = """
from skiptrace.connectors import SourceRecord

class Asks:
    async def search(self, session, query):
        page = await session.get("https://list.example/x?page=2")
        return [SourceRecord(session.provenance(page), employer="Acme")]

CONNECTOR = Asks()
"""


def test_a_sandboxed_get_keeps_the_query_its_url_holds(policy: Policy, tmp_path: Path) -> None:
    """A URL's own query string reaches the server from the sandbox as it does in process
    (httpx drops it when handed empty params)."""
    (tmp_path / "asks.py").write_text(ASKS, encoding="utf-8")
    (tmp_path / "asks.toml").write_text(
        'id = "asks"\nname = "Asks with a query"\nversion = "1"\npython = "asks.py"\n'
        'gives = ["employer"]\nneeds = ["employer"]\norigins = ["https://list.example"]\n'
        'terms = "https://list.example/terms"\n',
        encoding="utf-8",
    )
    connector = load_manifest(tmp_path / "asks.toml")

    def route(method: str, target: str) -> Reply | None:
        return Reply(200, b"{}") if target.startswith("/x") else None

    with ReplayServer(route) as server, AuditLog(tmp_path / "a.db") as audit:
        allowed = loopback_policy(policy, "a list on loopback", server.base_url)

        async def research() -> str:
            rewrite = {"https://list.example": server.base_url}
            async with Run(allowed, audit, [connector], purpose="tests", rewrite=rewrite) as run:
                return (await run.search(connector, Query.of("D-1", employer="Acme"))).status

        assert asyncio.run(research()) == "hit"
        assert [r.path for r in server.received if r.path.startswith("/x")] == ["/x?page=2"]
