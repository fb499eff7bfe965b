"""A connector that caught a refused page and went on, then failed (its own bug, or its worker
killed) was not wholly asked: the search is that failure, researched again, never the final
refusal of a page it had gone on without. So was one that met an outage, went on, then had a
page refused: the search is that outage, never the final refusal of the later page."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors import _sandbox
from skiptrace.connectors._model import Connector, Grants
from skiptrace.connectors._registry import load_manifest
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.connectors._zygote import Zygote
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.clock import VirtualTime
from skiptrace.testing.replay import ReplayServer, Reply

MANIFEST = (Path(__file__).parent / "fixtures" / "third_party.toml").read_text("utf-8")
SOURCE = """
from skiptrace.connectors import Query, Refused, Session, SourceRecord


class GoesOn:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        try:
            await session.get("https://third.example/private", {{}})
        except Refused:
            pass  # one page it may not read: the others are still asked
        await session.get("https://third.example/people", {{"q": query.get("employer")}})
{after}
        return []


CONNECTOR = GoesOn()
"""
FALLS_BACK = """
from skiptrace.connectors import Query, Session, SourceError, SourceRecord


class FallsBack:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        try:
            await session.get("https://third.example/people", {"q": query.get("employer")})
        except SourceError:
            pass  # the API is down: try the page robots.txt keeps it from
        await session.get("https://third.example/private", {})
        return []


CONNECTOR = FallsBack()
"""
ROBOTS = Reply(200, b"User-agent: *\nDisallow: /private\n", {"Content-Type": "text/plain"})
PEOPLE = Reply(200, b'{"people": []}', {"Content-Type": "application/json"})


def _connector(folder: Path, source: str) -> Connector:
    folder.mkdir()
    (folder / "third_party.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "third_party.py").write_text(source, encoding="utf-8")
    return load_manifest(folder / "third_party.toml", Grants(trusted=frozenset({"third_party"})))


def _search(
    connector: Connector, policy: Policy, audit: AuditLog, people: Reply = PEOPLE
) -> ConnectorResult:
    routes = {"/robots.txt": ROBOTS, "/people": people, "/people?q=Acme": people}
    with ReplayServer(routes) as origin:

        async def research() -> ConnectorResult:
            rewrite = {"https://third.example": origin.base_url}
            async with Run(origin.allow(policy), audit, [connector], purpose="a test",
                           rewrite=rewrite, pace=VirtualTime().pace()) as run:  # fmt: skip
                return await run.search(connector, Query.of("A-1", employer="Acme"))

        return asyncio.run(research())


@pytest.mark.usefixtures("mode")
def test_a_connector_failing_after_a_refused_page_is_not_wholly_asked(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """In process it was an error; in the sandbox the refusal, final: the row was called done."""
    connector = _connector(
        tmp_path / "conn", SOURCE.format(after="        raise RuntimeError('a bug of its own')")
    )
    result = _search(connector, fast_policy, audit)
    assert (result.status, result.reason) == ("error", "error"), result.detail
    assert "a bug of its own" in result.detail and not result.asked


@pytest.mark.skipif(bool(_sandbox.unavailable()), reason="no sandbox here")
def test_a_worker_killed_after_a_refused_page_is_not_wholly_asked(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed (out of memory) while its next page was fetched: the refusal was its status."""
    monkeypatch.setattr(_sandbox, "Zygote", Zygote)  # a starter of its own, whose workers to kill
    starters: list[int] = []
    real = Zygote.start.__func__  # type: ignore[attr-defined]

    async def start(cls: type[Zygote]) -> Zygote:
        zygote: Zygote = await real(cls)
        starters.append(zygote._process.pid)
        return zygote

    monkeypatch.setattr(Zygote, "start", classmethod(start))

    def people(method: str, target: str) -> Reply:
        children = Path(f"/proc/{starters[0]}/task/{starters[0]}/children").read_text().split()
        for pid in children:  # the worker asking for this page
            os.kill(int(pid), signal.SIGKILL)
        return PEOPLE

    routes = {"/robots.txt": ROBOTS}
    connector = _connector(tmp_path / "conn", SOURCE.format(after=""))
    with ReplayServer(lambda m, t: routes.get(t) or people(m, t)) as origin:

        async def research() -> ConnectorResult:
            rewrite = {"https://third.example": origin.base_url}
            async with Run(origin.allow(fast_policy), audit, [connector], purpose="a test",
                           rewrite=rewrite) as run:  # fmt: skip
                return await run.search(connector, Query.of("A-1", employer="Acme"))

        result = asyncio.run(asyncio.wait_for(research(), 60))
    assert (result.status, result.reason) == ("error", "error"), result.detail
    assert "its process ended" in result.detail and not result.asked


@pytest.mark.usefixtures("mode")
def test_a_refused_page_after_an_outage_leaves_the_source_owed(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """It was robots_disallowed, final: the row was called done with the API never asked."""
    connector = _connector(tmp_path / "conn", FALLS_BACK)
    down = Reply(503, b"down for maintenance", {"Content-Type": "text/plain"})
    result = _search(connector, fast_policy, audit, down)
    assert not result.asked, (result.status, result.reason, result.detail)
    assert "503" in result.detail
