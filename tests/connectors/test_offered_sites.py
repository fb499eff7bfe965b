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


def _edgar(company: str, website: str, *, listed: str = "", status: int = 200) -> ReplayServer:
    """EDGAR's company list (``listed``, else ``company``) and one submissions record (Apple's,
    recorded, with ``company`` as its name and ``website``), as sec_edgar_company reads them;
    ``status`` is the submissions answer's."""
    real = json.loads((FIXTURES / "sec_edgar" / "CIK0000320193.json").read_text())
    submissions = {**real, "name": company, "cik": CIK.lstrip("0"), "website": website}
    tickers = {"0": {"cik_str": int(CIK), "ticker": "HLP", "title": listed or company}}
    json_type = {"Content-Type": "application/json"}
    return ReplayServer({
        "/files/company_tickers.json": Reply(200, json.dumps(tickers).encode(), json_type),
        f"/submissions/CIK{CIK}.json": Reply(status, json.dumps(submissions).encode(), json_type),
    })  # fmt: skip


@pytest.fixture
def site() -> Iterator[ReplayServer]:
    with _site() as server:
        yield server


BUILTIN = discover(entry_points=False)
PAGES_READER = BUILTIN.connectors["business_pages"]
EDGAR = BUILTIN.connectors["sec_edgar_company"]
EDGAR_ORIGINS = ("https://www.sec.gov", "https://data.sec.gov")


def research(
    policy: Policy,
    audit: AuditLog,
    connectors: list[Connector],
    query: Query,
    rewrite: dict[str, str],
    told: list[ConnectorResult] | None = None,
) -> list[ConnectorResult]:
    async def run() -> list[ConnectorResult]:
        async with Run(policy, audit, connectors, purpose="tests", rewrite=rewrite) as r:
            return await r.research(query, on_result=None if told is None else told.append)

    return asyncio.run(run())


def with_edgar(
    policy: Policy, audit: AuditLog, edgar: ReplayServer, query: Query
) -> dict[str, ConnectorResult]:
    """sec_edgar_company replayed by ``edgar``, then business_pages, for ``query``."""
    rewrite = dict.fromkeys(EDGAR_ORIGINS, edgar.base_url)
    results = research(policy, audit, [EDGAR, PAGES_READER], query, rewrite)
    return {result.connector: result for result in results}


def read_offered(
    policy: Policy, audit: AuditLog, query: Query, offered: list[str]
) -> ConnectorResult:
    """business_pages alone, offered ``offered`` by the run."""

    async def run() -> ConnectorResult:
        async with Run(policy, audit, [PAGES_READER], purpose="tests") as r:
            return await r.search(PAGES_READER, query, offered_sites=offered)

    return asyncio.run(run())


def debtor(**more: str) -> Query:
    values = {"full_name": "Dana Whitfield", "employer": "Harbor Lane Plumbing",
              "city": "Springfield", "state": "IL", **more}  # fmt: skip
    return Query.of("D-1", **values)


def adopted(audit: AuditLog) -> list[tuple[str, str]]:
    return [(r.url, r.detail) for r in audit.rows() if r.event == "site"]


def test_the_website_edgar_gives_is_read_as_offered(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    with _edgar("HARBOR LANE PLUMBING LLC", site.url("/")) as edgar:
        policy = allowing(fast_policy, "tests on loopback", site, edgar)
        results = with_edgar(policy, audit, edgar, debtor())
    company = results["sec_edgar_company"]
    assert company.status == "hit" and company.records[0].website == site.url("/")
    pages = results["business_pages"]
    assert pages.status == "hit", pages.detail
    business, staff = pages.records
    assert business.employer_address.one_line() == "PO Box 2291, Springfield, IL 62705"
    assert (staff.person_name, staff.title) == ("Dana Whitfield", "Office Manager")
    assert site.received[0].path == "/robots.txt"
    assert adopted(audit) == [(site.url("/"), "how=offered")]


def test_a_website_of_a_record_about_another_company_is_never_offered(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    """EDGAR's list names the employer, its record another company: its site is not offered."""
    with _edgar("Harbor Lane Heating Co", site.url("/"), listed="Harbor Lane Plumbing") as edgar:
        policy = allowing(fast_policy, "tests on loopback", site, edgar)
        results = with_edgar(policy, audit, edgar, debtor())
    given = results["sec_edgar_company"]
    assert given.status == "hit" and given.records[0].website == site.url("/")
    assert results["business_pages"].status == "needs_config"  # nothing offered, no search
    assert site.received == [] and adopted(audit) == []


def test_a_source_that_gives_websites_but_is_down_is_named(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    """EDGAR answers 500: the site reader has nothing to read, and says why, not just that
    search is not configured."""
    with _edgar("Harbor Lane Plumbing", site.url("/"), status=500) as edgar:
        policy = allowing(fast_policy, "tests on loopback", site, edgar)
        results = with_edgar(policy, audit, edgar, debtor())
    assert results["sec_edgar_company"].status.unavailable
    pages = results["business_pages"]
    assert pages.status == "needs_config"
    assert "sec_edgar_company could not be asked for the employer's website" in pages.detail


def test_the_query_website_comes_before_an_offered_one(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    query = debtor(employer_website=site.url("/"))
    result = read_offered(site.allow(fast_policy), audit, query, ["https://elsewhere.example/"])
    assert result.status == "hit"
    assert adopted(audit) == [(site.url("/"), "how=employer_website")]


def test_a_directory_offered_beside_the_site_is_passed_over(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    offered = ["https://www.yelp.com/", "https://www.facebook.com/", site.url("/")]
    result = read_offered(site.allow(fast_policy), audit, debtor(), offered)
    assert result.status == "hit"
    assert adopted(audit) == [(site.url("/"), "how=offered")]


@pytest.mark.parametrize(
    ("offered", "rule"),
    [("https://www.facebook.com/", "social-network-host"),
     ("http://169.254.169.254/", "metadata-address")],
    ids=["social network", "metadata address"],
)  # fmt: skip
def test_an_offered_site_the_rules_forbid_is_refused_on_the_record(
    offered: str, rule: str, fast_policy: Policy, audit: AuditLog
) -> None:
    """Offered nothing else, the reader adopts it and the guard refuses it, audited; nothing
    is sent to it."""
    result = read_offered(fast_policy, audit, debtor(), [offered])
    assert result.status == "refused"
    assert [r.rule for r in audit.rows() if r.event == "refused"] == [rule]
    assert [r for r in audit.rows() if r.event in ("request", "site")] == []


HOSTILE = """
from skiptrace.connectors import SourceRecord

class Giver:
    async def search(self, session, query):
        page = await session.get("https://giver.example/x")
        return [SourceRecord(session.provenance(page), employer=query.get("employer"),
                             website=site) for site in SITES]

CONNECTOR = Giver()
"""


def _giver(folder: Path, sites: list[str]) -> Connector:
    """A third-party connector that gives ``sites`` as the websites of the query's employer."""
    (folder / "giver.py").write_text(f"SITES = {sites!r}\n" + HOSTILE, encoding="utf-8")
    (folder / "giver.toml").write_text(
        'id = "giver"\nname = "Gives websites"\nversion = "1"\npython = "giver.py"\n'
        'gives = ["employer", "website"]\nneeds = ["employer"]\n'
        'origins = ["https://giver.example"]\nterms = "https://giver.example/terms"\n',
        encoding="utf-8",
    )
    return load_manifest(folder / "giver.toml")


def test_a_third_party_source_never_chooses_the_site(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A third-party source writes its records' employer and website itself: it could copy the
    query's employer and name a site of its choosing, which the built-in reader would then
    read under its own name. Its websites are never offered (nor waited for)."""
    with ReplayServer({"/x": Reply(200, b"{}")}) as g:
        policy = allowing(fast_policy, "tests on loopback", site, g)
        giver = _giver(tmp_path, [site.url("/")])
        rewrite = {"https://giver.example": g.base_url}
        given, pages = research(policy, audit, [giver, PAGES_READER], debtor(), rewrite)
    assert given.status == "hit" and given.records[0].website == site.url("/")
    assert pages.status == "needs_config"
    assert site.received == [] and adopted(audit) == []


def test_one_result_per_connector_listed_even_twice(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    with ReplayServer({"/x": Reply(200, b"{}")}) as g:
        giver = _giver(tmp_path, ["https://a.example/"])
        told: list[ConnectorResult] = []
        results = research(g.allow(fast_policy), audit, [giver, giver], debtor(),
                           {"https://giver.example": g.base_url}, told)  # fmt: skip
    assert len(results) == 2 and results[0] is not results[1]
    assert sorted(map(id, told)) == sorted(map(id, results))


def test_offered_websites_are_the_employers_one_per_host_at_most_three() -> None:
    where = Provenance("x", "1", "https://a.example/", "t")

    def result(*pairs: tuple[str, str]) -> ConnectorResult:
        records = tuple(SourceRecord(where, employer=e, website=w) for e, w in pairs)
        return ConnectorResult("x", Status.HIT, records=records)

    other = result(("Harbor Lane Heating Co", "https://heating.example/"))
    assert offered_websites(debtor(), [other]) == ()
    assert offered_websites(debtor(employer="HARBOR LANE HEATING"), [other]) == (
        "https://heating.example/",
    )
    hosts = ("http://hlp.example/", "https://www.hlp.example/", "https://hlp.example:8443/")
    spellings = result(*(("Harbor Lane Plumbing LLC", w) for w in hosts))
    more = result(*(("Harbor Lane Plumbing", f"https://s{n}.example/") for n in range(5)))
    assert offered_websites(debtor(), [spellings, more]) == (
        "http://hlp.example/", "https://s0.example/", "https://s1.example/",
    )  # fmt: skip
    assert offered_websites(debtor(employer=""), [more]) == ()


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
