"""A website another source gave for the employer (issue 13, "finding the site" (a)): EDGAR's
submissions carry one; the run hands it to business_pages, which adopts it as ``offered`` and
still reads nothing until the site names the employer. Both connectors run for real (sandboxed)
through the guard against loopback servers: one replays EDGAR, one is the business's site."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import discover, load_manifest
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.errors import ConnectorError
from skiptrace.policy import Policy
from skiptrace.records import Provenance, Query, SourceRecord, Status, home_page
from skiptrace.research.run import Run, offered_websites
from skiptrace.state import builtin_dir
from skiptrace.testing.replay import ReplayServer, Reply, allowing

FIXTURES = builtin_dir("connectors") / "fixtures"
PAGES = {"/": "index.html", "/contact": "contact.html", "/our-team": "our-team.html",
         "/about": "about.html", "/robots.txt": "robots.txt"}  # fmt: skip
CIK = "0001234567"


def _site() -> ReplayServer:
    def route(method: str, target: str) -> Reply | None:
        name = PAGES.get(target.partition("?")[0])
        if name is None:
            return None
        kind = "text/plain" if name.endswith(".txt") else "text/html"
        return Reply(200, (FIXTURES / "business_pages" / name).read_bytes(), {"Content-Type": kind})

    return ReplayServer(route)


def _edgar(company: str, website: str) -> ReplayServer:
    """EDGAR's company list and one submissions record (Apple's, recorded, with another name
    and a website), as sec_edgar_company reads them."""
    real = json.loads((FIXTURES / "sec_edgar" / "CIK0000320193.json").read_text())
    submissions = {**real, "name": company, "cik": CIK.lstrip("0"), "website": website}
    tickers = {"0": {"cik_str": int(CIK), "ticker": "HLP", "title": company}}
    json_type = {"Content-Type": "application/json"}
    return ReplayServer({
        "/files/company_tickers.json": Reply(200, json.dumps(tickers).encode(), json_type),
        f"/submissions/CIK{CIK}.json": Reply(200, json.dumps(submissions).encode(), json_type),
    })  # fmt: skip


@pytest.fixture
def site() -> Iterator[ReplayServer]:
    with _site() as server:
        yield server


BUILTIN = discover(entry_points=False)


def research(
    policy: Policy, audit: AuditLog, edgar: ReplayServer, query: Query, *more: Connector
) -> dict[str, ConnectorResult]:
    connectors = [BUILTIN.connectors["sec_edgar_company"], *more,
                  BUILTIN.connectors["business_pages"]]  # fmt: skip
    rewrite = {o: edgar.base_url for o in ("https://www.sec.gov", "https://data.sec.gov")}

    async def run() -> list[ConnectorResult]:
        async with Run(policy, audit, connectors, purpose="tests", rewrite=rewrite) as r:
            return await r.research(query)

    return {result.connector: result for result in asyncio.run(run())}


def debtor(**more: str) -> Query:
    values = {"full_name": "Dana Whitfield", "employer": "Harbor Lane Plumbing",
              "city": "Springfield", "state": "IL", **more}  # fmt: skip
    return Query.of("D-1", **values)


def test_the_website_edgar_gives_is_read_as_offered(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    with _edgar("HARBOR LANE PLUMBING LLC", site.url("/")) as edgar:
        policy = allowing(fast_policy, "tests on loopback", site, edgar)
        results = research(policy, audit, edgar, debtor())
    company = results["sec_edgar_company"]
    assert company.status == "hit" and company.records[0].website == site.url("/")
    pages = results["business_pages"]
    assert pages.status == "hit", pages.detail
    business, staff = pages.records
    assert business.employer_address.one_line() == "PO Box 2291, Springfield, IL 62705"
    assert (staff.person_name, staff.title) == ("Dana Whitfield", "Office Manager")
    assert site.received[0].path == "/robots.txt"
    adopted = [r for r in audit.rows() if r.event == "site"]
    assert [r.detail for r in adopted] == ["how=offered"]


def test_a_website_of_a_record_about_another_company_is_never_offered(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A source can name another company (EDGAR's insider search names the issuer the person
    filed for): its website is not the employer's, and is never offered."""
    with ReplayServer({"/x": Reply(200, b"{}")}) as g:
        policy = allowing(fast_policy, "tests on loopback", site, g)
        giver = _giver(tmp_path, [site.url("/")], employer="Harbor Lane Heating Co")
        given, pages = run_with(policy, audit, giver, g)
    assert given.status == "hit" and given.records[0].website == site.url("/")
    assert pages.status == "needs_config"  # nothing offered, and no search configured
    assert site.received == []
    where = Provenance("x", "1", "https://a.example/", "t")
    fake = SourceRecord(
        where, employer="Harbor Lane Heating Co", website="https://heating.example/"
    )
    other = ConnectorResult("x", Status.HIT, records=(fake,))
    assert offered_websites(debtor(), [other]) == ()
    assert offered_websites(debtor(employer="HARBOR LANE HEATING"), [other]) == (
        "https://heating.example/",
    )


def test_the_query_website_comes_before_an_offered_one(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    with _edgar("Harbor Lane Plumbing", "https://elsewhere.example/") as edgar:
        policy = allowing(fast_policy, "tests on loopback", site, edgar)
        results = research(policy, audit, edgar, debtor(employer_website=site.url("/")))
    assert results["business_pages"].status == "hit"
    assert [r.detail for r in audit.rows() if r.event == "site"] == ["how=employer_website"]
    assert not any("elsewhere.example" in r.url for r in audit.rows())


HOSTILE = """
from skiptrace.connectors import SourceRecord

class Giver:
    async def search(self, session, query):
        page = await session.get("https://giver.example/x")
        return [SourceRecord(session.provenance(page), employer=EMPLOYER or query.get("employer"),
                             website=site) for site in SITES]

CONNECTOR = Giver()
"""


def _giver(folder: Path, sites: list[str], employer: str = "") -> Connector:
    """A third-party connector that gives ``sites`` as the websites of ``employer`` (else of
    the query's employer)."""
    code = f"SITES = {sites!r}\nEMPLOYER = {employer!r}\n" + HOSTILE
    (folder / "giver.py").write_text(code, encoding="utf-8")
    (folder / "giver.toml").write_text(
        'id = "giver"\nname = "Gives websites"\nversion = "1"\npython = "giver.py"\n'
        'gives = ["employer", "website"]\nneeds = ["employer"]\n'
        'origins = ["https://giver.example"]\nterms = "https://giver.example/terms"\n',
        encoding="utf-8",
    )
    return load_manifest(folder / "giver.toml")


def run_with(
    policy: Policy, audit: AuditLog, giver: Connector, server: ReplayServer
) -> list[ConnectorResult]:
    """The giver, then business_pages, researched for the debtor in one run."""
    connectors = [giver, BUILTIN.connectors["business_pages"]]
    rewrite = {"https://giver.example": server.base_url}

    async def run() -> list[ConnectorResult]:
        async with Run(policy, audit, connectors, purpose="tests", rewrite=rewrite) as r:
            return await r.research(debtor())

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("sites", "rule"),
    [
        (["https://www.facebook.com/"], "social-network-host"),
        (["http://169.254.169.254/"], "metadata-address"),
    ],
    ids=["social network", "metadata address"],
)
def test_an_offered_site_the_rules_forbid_is_never_requested(
    sites: list[str], rule: str, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A third-party source gives a social profile or the cloud metadata address as the
    employer's website: the guard refuses either at adoption, on the record, and nothing is
    sent to it."""
    with ReplayServer({"/x": Reply(200, b"{}")}) as g:
        policy = allowing(fast_policy, "tests on loopback", g)
        given, pages = run_with(policy, audit, _giver(tmp_path, sites), g)
    assert given.status == "hit" and given.records[0].website == sites[0]
    requested = [r.url for r in audit.rows() if r.event == "request"]
    assert not any("facebook" in u or "169.254" in u for u in requested)
    assert pages.status == "refused"
    assert rule in [r.rule for r in audit.rows() if r.event == "refused"]


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "https://user@bank.example/",
        "https://a.example/\nx",
        "ftp://a.example/",
        "www.a.example",
        "https://a.example/deeper",
    ],
)
def test_a_record_website_must_be_a_home_page_as_home_page_writes_it(website: str) -> None:
    with pytest.raises(ConnectorError, match="website"):
        SourceRecord(Provenance("x", "1", "https://a.example/", "t"), website=website)


def test_websites_become_home_pages() -> None:
    assert home_page("www.apple.com") == "https://www.apple.com/"
    assert home_page("HTTP://Example.COM") == "http://example.com/"
    assert home_page(" https://a.example:8443/ ") == "https://a.example:8443/"
    for deeper in ("https://a.example/careers", "https://a.example/?q=1", "https://a.example?",
                   "a b.example", "mailto:x@a.example", "https://a.example:99999/",
                   "https://u@a.example/", "javascript:alert(1)", ""):  # fmt: skip
        assert home_page(deeper) == ""


MANIFEST = """
id = "sites_directory"
name = "A directory that prints websites (test)"
version = "1"
gives = ["employer", "website"]
needs = ["employer"]
terms = "https://directory.example/terms"

[request]
url = "https://directory.example/api"
params = { q = "{employer}" }

[response]
format = "json"
records = "items"

[fields]
employer = "name"
website = "site"
"""


def test_a_manifest_website_is_written_as_a_home_page_or_dropped(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A page's website values, hostile ones included: a home page is kept as ``home_page``
    writes it, anything else is dropped, and no value loses the record or the search."""
    (tmp_path / "sites.toml").write_text(MANIFEST, encoding="utf-8")
    connector = load_manifest(tmp_path / "sites.toml")
    sites = ["www.harborlane.example", "https://harborlane.example/careers?x=1",
             "javascript:alert(1)", "https://u@bank.example/", "a\nb.example", ""]  # fmt: skip
    items = [{"name": "Harbor Lane Plumbing", "site": s} for s in sites]
    body = json.dumps({"items": items}).encode()
    with ReplayServer({"/api": Reply(200, body, {"Content-Type": "application/json"})}) as d:

        async def run() -> ConnectorResult:
            rewrite = {"https://directory.example": d.base_url}
            async with Run(d.allow(fast_policy), audit, [connector], purpose="t",
                           rewrite=rewrite) as r:  # fmt: skip
                return await r.search(connector, debtor())

        result = asyncio.run(run())
    assert result.status == "hit", result.detail
    assert [r.website for r in result.records] == ["https://www.harborlane.example/"] + [""] * 5
