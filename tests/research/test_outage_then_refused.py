"""A connector that met an outage, went on, then had a page refused was not wholly asked: the
search is that outage, researched again, never the final refusal of a later page (the row
would be called done though the source never answered)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors import _sandbox
from skiptrace.connectors._model import Connector, Grants
from skiptrace.connectors._registry import load_manifest
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.connectors._sandbox import Mode
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.replay import ReplayServer, Reply

MANIFEST = """id = "third_party"
name = "a third party's connector"
version = "1"
gives = ["employer"]
needs = ["employer"]
terms = "https://third.example/terms"
origins = ["https://third.example"]
python = "third_party.py"
"""
SOURCE = """
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
TEXT = {"Content-Type": "text/plain"}
ROUTES = {
    "/robots.txt": Reply(200, b"User-agent: *\nDisallow: /private\n", TEXT),
    "/people?q=Acme": Reply(503, b"down for maintenance", TEXT),
}


def _connector(folder: Path) -> Connector:
    folder.mkdir()
    (folder / "third_party.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "third_party.py").write_text(SOURCE, encoding="utf-8")
    return load_manifest(folder / "third_party.toml", Grants(trusted=frozenset({"third_party"})))


@pytest.mark.parametrize("mode", [Mode.SANDBOXED, Mode.TRUSTED])
def test_a_refused_page_after_an_outage_leaves_the_source_owed(
    mode: Mode, tmp_path: Path, fast_policy: Policy, audit: AuditLog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """It was robots_disallowed, final: the row was called done with the API never asked."""
    if mode == Mode.TRUSTED:
        monkeypatch.setattr(_sandbox, "unavailable", lambda: "no sandbox on testos")
    elif _sandbox.unavailable():
        pytest.skip(f"no sandbox here: {_sandbox.unavailable()}")
    connector = _connector(tmp_path / "conn")
    with ReplayServer(ROUTES) as origin:

        async def research() -> ConnectorResult:
            rewrite = {"https://third.example": origin.base_url}
            async with Run(origin.allow(fast_policy), audit, [connector], purpose="a test",
                           rewrite=rewrite) as run:  # fmt: skip
                return await run.search(connector, Query.of("A-1", employer="Acme"))

        result = asyncio.run(research())
    assert not result.asked, (result.status, result.reason, result.detail)
    assert "503" in result.detail
