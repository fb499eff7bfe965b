"""A manifest reading web pages searches, where the machine has a sandbox, in a worker of its
own: it must search with the manifest the run loaded, checked and showed, whatever has
happened to the file since, and wherever a link to it points."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import PageManifest, load_manifest
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.directory import listing_manifest
from skiptrace.testing.replay import ReplayServer, Reply

pytestmark = pytest.mark.skipif(bool(unavailable()), reason=f"no sandbox here: {unavailable()}")

MANIFEST = listing_manifest(
    "listed",
    top='record_url = "https://listed.example/member/{source_id}"',
    fields='source_id = "@data-id"',
)
PAGE = b"""<ul><li class=member data-id=7><span class=firm>Acme Plumbing</span>
<span class=other>Other Co</span></li></ul>"""
Outcome = tuple[str, str, list[tuple[str, str]]]
"""A search's status, detail, and each record's employer and page."""
ROUTES = {"/search": Reply(200, PAGE), "/other": Reply(200, PAGE), "/robots.txt": Reply(404)}


def _search(connector: Connector, policy: Policy, audit: AuditLog, site: ReplayServer) -> Outcome:
    async def research() -> Outcome:
        rewrite = {"https://listed.example": site.base_url}
        async with Run(policy, audit, [connector], purpose="tests", rewrite=rewrite) as run:
            result = await run.search(connector, Query.of("A-1", last_name="Roe"))
        found = [(r.employer, r.record_url) for r in result.records]
        return str(result.status), result.detail, found

    return asyncio.run(research())


def test_it_searches_with_the_manifest_loaded_not_the_file_as_changed_since(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """The file rewritten after the run loaded it (another path, another field, a record page
    at a host it never declared) had been read by each search's worker and searched with, as
    no check, no ``connectors show`` and no version in its records said; then such a search
    failed. The worker is now handed the text the run loaded: it searches as loaded."""
    path = tmp_path / "listed.toml"
    path.write_text(MANIFEST, encoding="utf-8")
    connector = load_manifest(path)
    assert isinstance(connector, PageManifest) and connector.confined
    changed = MANIFEST.replace("/search", "/other").replace("span.firm", "span.other")
    changed = changed.replace("listed.example/member", "elsewhere.example/member")
    path.write_text(changed, encoding="utf-8")
    with ReplayServer(ROUTES) as site:
        found = _search(connector, site.allow(fast_policy), audit, site)
        asked = [r.path for r in site.received if r.path != "/robots.txt"]
    assert found == ("hit", "", [("Acme Plumbing", "https://listed.example/member/7")])
    assert asked == ["/search?q=Roe"]


def test_a_manifest_linked_from_its_folder_searches_as_it_loaded(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A manifest that is a link to a file in another folder loaded and showed, and every
    search of it failed: its worker could read the link's folder only, not the file's."""
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "listed.toml").write_text(MANIFEST, encoding="utf-8")
    (tmp_path / "connectors").mkdir()
    (tmp_path / "connectors" / "listed.toml").symlink_to(tmp_path / "kept" / "listed.toml")
    connector = load_manifest(tmp_path / "connectors" / "listed.toml")
    assert isinstance(connector, PageManifest) and connector.confined
    with ReplayServer(ROUTES) as site:
        found = _search(connector, site.allow(fast_policy), audit, site)
    assert found == ("hit", "", [("Acme Plumbing", "https://listed.example/member/7")])
