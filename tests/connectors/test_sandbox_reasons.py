"""A sandboxed Python connector's source out of reach is said as every source's is (issue 11's
one vocabulary): `unreachable`, not `error`, though the connector's own code sees only a failed
fetch and gives up (found by a newcomer's walk: offline, the EDGAR connectors said
`error: ConnectorError: ConnectError: unreachable`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors import NoResult, Session, SourceRecord
from skiptrace.connectors._model import Connector, ConnectorInfo
from skiptrace.connectors._registry import discover, load_manifest
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.replay import Refusing, ReplayServer, Reply, loopback_policy


def _searched(
    policy: Policy, tmp_path: Path, connector: Connector, base: str, employer: str = "Acme"
) -> tuple[str, str]:
    """(status, reason) of ``connector``'s search, its origins sent to ``base``."""
    rewrite = {origin: base for origin in connector.info.origins}
    allowed = loopback_policy(policy, "a source on loopback", base)
    with AuditLog(tmp_path / "audit.sqlite3") as audit:

        async def research() -> tuple[str, str]:
            async with Run(allowed, audit, [connector], purpose="tests", rewrite=rewrite) as run:
                result = await run.search(connector, Query.of("D-1", employer=employer))
                return result.status, result.reason

        return asyncio.run(research())


def _third_party(tmp_path: Path, name: str, code: str, origin: str) -> Connector:
    """A Python connector of ``code`` (sandboxed: not shipped, not trusted)."""
    (tmp_path / f"{name}.py").write_text(code, encoding="utf-8")
    (tmp_path / f"{name}.toml").write_text(
        f'id = "{name}"\nname = "{name}"\nversion = "1"\npython = "{name}.py"\n'
        f'gives = ["employer"]\nneeds = ["employer"]\norigins = ["{origin}"]\n'
        f'terms = "{origin}/terms"\n',
        encoding="utf-8",
    )
    return load_manifest(tmp_path / f"{name}.toml")


def test_a_sandboxed_connectors_unreachable_source_is_unreachable(
    policy: Policy, tmp_path: Path, refused: Refusing
) -> None:
    connector = discover(entry_points=False).connectors["sec_edgar_company"]
    assert _searched(policy, tmp_path, connector, refused.base_url, "Apple Inc.") == (
        "error", "unreachable"
    )  # fmt: skip


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
    policy: Policy, tmp_path: Path, refused: Refusing
) -> None:
    """A sandboxed connector that catches its source's outage and raises NoResult: the search
    is the outage (unreachable), never no_result."""
    connector = _third_party(tmp_path, "swallows", SWALLOWS, "https://down.example")
    assert _searched(policy, tmp_path, connector, refused.base_url) == ("error", "unreachable")


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
    connector = _third_party(tmp_path, "asks", ASKS, "https://list.example")

    def route(method: str, target: str) -> Reply | None:
        return Reply(200, b"{}") if target.startswith("/x") else None

    with ReplayServer(route) as server:
        assert _searched(policy, tmp_path, connector, server.base_url) == ("hit", "")
        assert [r.path for r in server.received if r.path.startswith("/x")] == ["/x?page=2"]


OUTAGE_THEN_REFUSAL = """
from skiptrace.connectors import NoResult

class Both:
    async def search(self, session, query):
        for url in ("https://down.example/x", "https://not-mine.example/y"):
            try:
                await session.get(url)
            except Exception:
                pass  # the outage, then a refusal, both caught
        raise NoResult("nothing here")

CONNECTOR = Both()
"""


def test_an_outage_is_not_overwritten_by_a_later_refusal(
    policy: Policy, tmp_path: Path, refused: Refusing
) -> None:
    connector = _third_party(tmp_path, "both", OUTAGE_THEN_REFUSAL, "https://down.example")
    assert _searched(policy, tmp_path, connector, refused.base_url) == ("error", "unreachable")


class InProcess:
    """A connector run in this process (as every Python connector is where the machine has
    no sandbox, and a trusted one always): it catches its source's outage, then ends with
    ``ends`` ("raise": NoResult, "return": no records), or reads ``ask``."""

    def __init__(self, ends: str, ask: str = "https://down.example/x") -> None:
        self.info = ConnectorInfo(
            id="in_process", name="in process", version="1", gives=("employer",),
            needs=("employer",), optional=(), terms="https://down.example/terms",
            origins=("https://down.example",),
        )  # fmt: skip
        self.ends, self.ask = ends, ask

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        try:
            page = await session.get(self.ask, {})
        except Exception:  # the outage, caught: what the tests are about
            if self.ends == "raise":
                raise NoResult("nothing here") from None
            return []
        return [SourceRecord(session.provenance(page), employer="Acme")]

    async def aclose(self) -> None:
        """Nothing held."""


@pytest.mark.parametrize("ends", ["raise", "return"])
def test_in_process_a_caught_outage_is_never_no_result(
    ends: str, policy: Policy, tmp_path: Path, refused: Refusing
) -> None:
    """The session keeps the first outage of a search, whoever caught it: a search that then
    found nothing is that outage, in process as in the sandbox."""
    assert _searched(policy, tmp_path, InProcess(ends), refused.base_url) == (
        "error", "unreachable"
    )  # fmt: skip


def test_in_process_a_get_keeps_the_query_its_url_holds(policy: Policy, tmp_path: Path) -> None:
    def route(method: str, target: str) -> Reply | None:
        return Reply(200, b"{}") if target.startswith("/x") else None

    with ReplayServer(route) as server:
        connector = InProcess("return", "https://down.example/x?page=2")
        assert _searched(policy, tmp_path, connector, server.base_url) == ("hit", "")
        assert [r.path for r in server.received if r.path.startswith("/x")] == ["/x?page=2"]


@pytest.mark.parametrize(("status", "reason"), [(500, "error"), (401, "error")])
def test_a_caught_failing_answer_is_never_no_result(
    status: int, reason: str, policy: Policy, tmp_path: Path
) -> None:
    """A 5xx, or a refused key, caught by the connector: the search could not be done, and
    one that then found nothing says so (the row is researched again), never "no result"."""
    with ReplayServer({"/x": Reply(status, b"")}) as server:
        got = _searched(policy, tmp_path, InProcess("return"), server.base_url)
    assert got == ("error", reason)
