"""A run's sandboxes fork their workers from one starter: it never runs connector code nor sees
a debtor, and one for each connector had cost a run some 0.3 s of CPU and 45 MB a connector
(twenty manifests reading pages: 22 s before the first row)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors import _sandbox
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._registry import PageManifest, load_manifest
from skiptrace.connectors._zygote import Zygote
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.replay import ReplayServer, Reply

pytestmark = pytest.mark.skipif(bool(unavailable()), reason=f"no sandbox here: {unavailable()}")

MANIFEST = """id = "{name}"
name = "a directory's search page"
version = "1"
gives = ["employer"]
needs = ["last_name"]
terms = "https://listed.example/terms"
[request]
url = "https://listed.example/search"
params = {{ q = "{{last_name}}" }}
[response]
format = "html"
records = "li.member"
[fields]
employer = "span.firm"
"""
PAGE = b"<ul><li class=member><span class=firm>Acme Plumbing</span></li></ul>"


def test_the_runs_sandboxes_share_one_starter_ended_with_the_run(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Zygote] = []
    real = Zygote.start.__func__  # type: ignore[attr-defined]

    async def counted(cls: type[Zygote]) -> Zygote:
        started.append(await real(cls))
        return started[-1]

    monkeypatch.setattr(_sandbox, "Zygote", Zygote)  # the run's own, not the tests' lent ones
    monkeypatch.setattr(Zygote, "start", classmethod(counted))
    connectors = []
    for name in ("one", "two", "three"):
        (tmp_path / f"{name}.toml").write_text(MANIFEST.format(name=name), encoding="utf-8")
        connectors.append(load_manifest(tmp_path / f"{name}.toml"))
    assert all(isinstance(c, PageManifest) and c.confined for c in connectors)
    with ReplayServer({"/search": Reply(200, PAGE), "/robots.txt": Reply(404)}) as site:

        async def research() -> list[str]:
            rewrite = {"https://listed.example": site.base_url}
            async with Run(site.allow(fast_policy), audit, connectors, purpose="tests",
                           rewrite=rewrite) as run:  # fmt: skip
                found = await asyncio.gather(*(run.search(c, Query.of("A-1", last_name="Roe"))
                                               for c in connectors))  # fmt: skip
            return [str(result.status) for result in found]

        assert asyncio.run(research()) == ["hit"] * 3
    assert len(started) == 1
    assert started[0]._process.returncode is not None  # ended with the run
