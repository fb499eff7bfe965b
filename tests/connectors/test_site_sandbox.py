"""A sandboxed Python connector reads one business site: it asks the parent to adopt the site,
to decline links, and for pages; the parent checks, audits and refuses. A refusal of one URL
reaches the connector as ``Refused``, which it may catch and go on; a refusal it invents is not
believed."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._registry import PythonConnector, load_manifest
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.connectors._sandbox import Mode, Sandbox, _Search
from skiptrace.policy import Policy, merge
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.replay import ReplayServer, Reply, allowing

CONNECTOR = """
from skiptrace.connectors import Query, Refused, Session, SourceRecord


class Site:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        plan = query.get("employer")
        notes = []
        if plan == "invent":  # a site it was never offered, however it claims to have found it
            for how in ("search", "offered", "employer_website"):
                try:
                    await session.adopt_site(query.get("address"), how)
                except Refused as refusal:
                    notes.append(refusal.rule)
        if plan == "refused-site":  # a refusal the guard made, not caught: the search's
            await session.adopt_site(query.get("address"), "offered")
        if plan == "search":
            answer = await session.get(session.search_api + "/search",
                                       {"q": f"{plan} company", "format": "json"})
            import json
            site = await session.adopt_site(json.loads(answer.content)["results"][0]["url"],
                                            "search")
        else:
            site = await session.adopt_site(query.get("employer_website"), "employer_website")
        home = await session.get(site)
        if plan == "again":
            await session.adopt_site(site, "employer_website")
        if plan == "refusals":
            for path in ("/staff/", "/moved", "/contact"):
                try:
                    page = await session.get(site.rstrip("/") + path)
                    notes.append(str(page.status))
                except Refused as refusal:
                    notes.append(refusal.rule)
        if plan == "decline":
            await session.decline("https://www.facebook.com/acme", "social")
            await session.decline(site.rstrip("/") + "/contact-form", "form")
        if plan == "bad-decline":
            await session.decline(site, "anything")
        if plan == "fake-refusal":
            raise Refused("robots-disallowed", site, "made up")
        return [SourceRecord(session.provenance(home), employer="Acme", title=" ".join(notes))]


CONNECTOR = Site()
"""
MANIFEST = """id = "site_reader"
name = "reads one business site"
version = "1"
gives = ["employer"]
needs = ["employer"]
optional = ["employer_website", "address"]
terms = "https://example.org/terms"
site = true
search_api = "searxng"
python = "site_reader.py"
"""


@pytest.fixture
def connector(tmp_path: Path) -> PythonConnector:
    folder = tmp_path / "connectors"
    folder.mkdir()
    (folder / "site_reader.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "site_reader.py").write_text(CONNECTOR, encoding="utf-8")
    loaded = load_manifest(folder / "site_reader.toml")
    assert isinstance(loaded, PythonConnector)
    if loaded.mode != Mode.SANDBOXED:
        pytest.skip(f"no sandbox here: {loaded.how}")
    return loaded


def html(text: str) -> Reply:
    return Reply(200, f"<html><body>{text}</body></html>".encode(), {"Content-Type": "text/html"})


@pytest.fixture
def away() -> Any:
    with ReplayServer({"/": html("another business")}) as server:
        yield server


@pytest.fixture
def site(away: ReplayServer) -> Any:
    with ReplayServer(
        {
            "/": html(f'<a href="{away.url("/")}">partner</a>'),
            "/robots.txt": Reply(200, b"User-agent: *\nDisallow: /staff/\n", {}),
            "/staff/": html("Jane Roe, bookkeeper"),
            "/moved": Reply(302, b"", {"Location": away.url("/")}),
            "/contact": html("PO Box 12"),
        }
    ) as server:
        yield server


def search(
    connector: PythonConnector, policy: Policy, audit: AuditLog, query: Query
) -> ConnectorResult:
    async def run() -> ConnectorResult:
        async with Run(policy, audit, [connector], purpose="tests") as research:
            return await research.search(connector, query)

    return asyncio.run(run())


def both(policy: Policy, site: ReplayServer, away: ReplayServer) -> Policy:
    return allowing(site.allow(policy), "another test server", away)


def plan(name: str, site: ReplayServer) -> Query:
    return Query.of("D-1", employer=name, employer_website=site.url("/"))


def test_it_adopts_the_employer_website_and_reads_it(
    connector: PythonConnector, site: ReplayServer, away: ReplayServer, fast_policy: Policy,
    audit: AuditLog,
) -> None:  # fmt: skip
    result = search(connector, both(fast_policy, site, away), audit, plan("read", site))
    assert (result.status, len(result.records)) == ("hit", 1)
    assert [r.path for r in site.received] == ["/robots.txt", "/"]
    assert any(r.event == "site" and r.detail == "how=employer_website" for r in audit.rows())


def test_a_second_adoption_ends_the_search_as_an_error(
    connector: PythonConnector, site: ReplayServer, away: ReplayServer, fast_policy: Policy,
    audit: AuditLog,
) -> None:  # fmt: skip
    result = search(connector, both(fast_policy, site, away), audit, plan("again", site))
    assert result.status == "error", result
    assert result.detail.startswith("one site per search: "), result.detail


def test_a_site_read_in_a_page_cannot_be_adopted(
    connector: PythonConnector, site: ReplayServer, away: ReplayServer, fast_policy: Policy,
    audit: AuditLog,
) -> None:  # fmt: skip
    query = Query.of("D-1", employer="invent", employer_website=site.url("/"),
                     address=away.url("/"))  # fmt: skip
    result = search(connector, both(fast_policy, site, away), audit, query)
    assert result.status == "hit", result.detail
    assert result.records[0].title == "site-not-offered site-not-offered site-not-offered"
    assert away.received == []
    assert ("refused", "site-not-offered", away.url("/")) in [
        (r.event, r.rule, r.url) for r in audit.rows()
    ]


def test_one_refused_url_is_caught_and_the_search_still_returns_its_records(
    connector: PythonConnector, site: ReplayServer, away: ReplayServer, fast_policy: Policy,
    audit: AuditLog,
) -> None:  # fmt: skip
    result = search(connector, both(fast_policy, site, away), audit, plan("refusals", site))
    assert result.status == "hit"
    assert result.records[0].title == "robots origin 200"
    assert "/staff/" not in [r.path for r in site.received]
    assert away.received == []  # the redirect off the site was refused, rule origin
    refused = [(r.rule, r.url) for r in audit.rows() if r.event == "refused"]
    assert ("origin", away.url("/")) in refused
    assert ("robots", site.url("/staff/")) in refused


def test_declined_links_are_audited_and_never_requested(
    connector: PythonConnector, site: ReplayServer, away: ReplayServer, fast_policy: Policy,
    audit: AuditLog,
) -> None:  # fmt: skip
    result = search(connector, both(fast_policy, site, away), audit, plan("decline", site))
    assert result.status == "hit"
    assert "/contact-form" not in [r.path for r in site.received]
    declined = [(r.rule, r.url) for r in audit.rows() if r.event == "refused"]
    assert declined == [
        ("social", "https://www.facebook.com/"),  # scheme and host only
        ("form", site.url("/")),
    ]
    bad = search(connector, both(fast_policy, site, away), audit, plan("bad-decline", site))
    assert bad.status == "error" and "social, form, login, off-site" in bad.detail


def test_a_refusal_the_connector_invents_is_not_believed(
    connector: PythonConnector, site: ReplayServer, away: ReplayServer, fast_policy: Policy,
    audit: AuditLog,
) -> None:  # fmt: skip
    result = search(connector, both(fast_policy, site, away), audit, plan("fake-refusal", site))
    assert result.status == "error" and "refusal the guard never made" in result.detail


def test_the_search_api_offers_the_site_and_needs_config_without_one(
    connector: PythonConnector, site: ReplayServer, away: ReplayServer, fast_policy: Policy,
    audit: AuditLog,
) -> None:  # fmt: skip
    query = Query.of("D-1", employer="search")
    needs = search(connector, both(fast_policy, site, away), audit, query)
    assert (needs.status, needs.records) == ("needs_config", ())
    answer = {"query": "Acme", "results": [{"url": site.url("/"), "title": "Acme"}],
              "unresponsive_engines": []}  # fmt: skip
    body = json.dumps(answer).encode()
    with ReplayServer({"/search": Reply(200, body, {"Content-Type": "application/json"})}) as searx:
        policy = allowing(both(fast_policy, site, away), "a SearxNG instance on loopback", searx)
        policy = merge(policy, {"search": {"searxng_url": searx.base_url}}, "test")
        result = search(connector, policy, audit, query)
    assert (result.status, len(result.records)) == ("hit", 1)
    assert any(r.event == "site" and r.detail == "how=search" for r in audit.rows())


def test_a_refusal_the_guard_made_and_the_connector_passed_on_is_believed(
    connector: PythonConnector, site: ReplayServer, away: ReplayServer, fast_policy: Policy,
    audit: AuditLog,
) -> None:  # fmt: skip
    query = Query.of("D-1", employer="refused-site", employer_website=site.url("/"),
                     address=away.url("/"))  # fmt: skip
    result = search(connector, both(fast_policy, site, away), audit, query)
    assert result.status == "refused", result.detail
    assert "site-not-offered" in result.detail and "never made" not in result.detail
    assert away.received == []


@pytest.mark.parametrize(
    "message",
    [{"op": "site", "search": 1, "id": 7}, {"op": "decline", "search": 1, "id": 7, "url": "x"},
     {"op": "site", "search": 1, "id": 7, "rule": "social", "url": "https://a.example/"}],
)  # fmt: skip
def test_a_malformed_site_message_is_answered_with_an_error(message: dict[str, Any]) -> None:
    sent: list[dict[str, Any]] = []

    class Nothing:
        search_api = ""

        async def adopt_site(self, url: str, how: str) -> str:
            raise AssertionError("never asked")

        async def decline(self, url: str, rule: str) -> None:
            raise AssertionError("never asked")

    async def run() -> None:
        sandbox = Sandbox(None, Path("/nowhere"), "x", alone=True)  # type: ignore[arg-type]  # never started

        async def send(answer: dict[str, Any]) -> None:
            sent.append(answer)

        sandbox._send = send  # type: ignore[method-assign]
        await asyncio.wait_for(sandbox._site(_Search(Nothing()), 7, message), 5)  # type: ignore[arg-type]

    asyncio.run(run())
    assert [(answer["op"], answer["id"]) for answer in sent] == [("error", 7)]
    assert "takes a URL and a word" in sent[0]["error"]["message"]
