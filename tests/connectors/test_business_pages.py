"""business_pages for real: the built-in connector, sandboxed, through the real guard, against a
small business's site served on loopback (connectors/fixtures/business_pages)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import load_manifest
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.net.stack import Pace
from skiptrace.policy import Policy, load_policy, merge
from skiptrace.records import Address, Query
from skiptrace.research.findings import output_row
from skiptrace.research.run import Run
from skiptrace.state import builtin_dir
from skiptrace.testing.clock import VirtualTime
from skiptrace.testing.raw import RawServer
from skiptrace.testing.replay import (
    ReplayServer,
    Reply,
    Router,
    allowing,
    loopback_policy,
    loopback_policy_file,
)
from skiptrace.testing.runs import OneRun

from .conftest import TwoWays, end_to_end, two_ways

FIXTURES = builtin_dir("connectors") / "fixtures" / "business_pages"
COLLEAGUES = ("Oyelaran", "Venkataraman")
PAGES = {"/": "index.html", "/contact": "contact.html", "/our-team": "our-team.html",
         "/about": "about.html", "/robots.txt": "robots.txt",
         "/staff/": "private/staff-list.html"}  # fmt: skip


def _site(pages: dict[str, str]) -> ReplayServer:
    def route(method: str, target: str) -> Reply | None:
        name = pages.get(target.partition("?")[0])
        if name is None:
            return None
        kind = "text/plain" if name.endswith(".txt") else "text/html"
        return Reply(200, (FIXTURES / name).read_bytes(), {"Content-Type": kind})

    return ReplayServer(route)


@pytest.fixture
def site() -> Iterator[ReplayServer]:
    with _site(PAGES) as server:
        yield server


@pytest.fixture(scope="module")
def connector() -> Connector:
    """Loaded once for the module (its manifest and examples read, its source checked):
    each test's Run still starts the connector's own sandbox and ends it as it closes."""
    return load_manifest(builtin_dir("connectors") / "business_pages.toml")


def search(
    connector: Connector, policy: Policy, audit: AuditLog, query: Query, pace: Pace | None = None
) -> ConnectorResult:
    async def run() -> ConnectorResult:
        async with Run(policy, audit, [connector], purpose="tests", pace=pace) as research:
            return await research.search(connector, query)

    return asyncio.run(run())


def debtor(**more: str) -> Query:
    values = {"full_name": "Dana Whitfield", "employer": "Harbor Lane Plumbing",
              "city": "Springfield", "state": "IL", **more}  # fmt: skip
    return Query.of("D-1", **values)


@dataclass(frozen=True)
class Shared:
    """The module's runs (``TwoWays``) on a server whose pages each case sets: for the cases
    about what one site's pages say, which need no policy, log or state of their own (a run's
    start and end had been most of what such a case cost beside its search). Each case is
    searched by the connector in this process, through the run's session, guard and server
    as in a sandbox, and its test's first variant in a sandbox's worker too, which must
    answer the same (``conftest.TwoWays``): a worker's fork and confinement had been most of
    the CPU of each of some 150 cases."""

    runs: TwoWays
    server: ReplayServer
    routes: dict[str, Reply]
    request: pytest.FixtureRequest

    def read(self, pages: dict[str, Reply], **more: str) -> ConnectorResult:
        """The debtor's search (``more``: her other values) of the site ``pages`` make. Each
        of its pages, and the home page, must be asked for by this search: a page kept from
        another case's never passes."""
        self.routes.clear()
        self.routes.update(pages)
        query = debtor(employer_website=self.server.url("/"), **more)
        return self.runs.search(query, self.server, {"/", *pages},
                                also_sandboxed=end_to_end(self.request))  # fmt: skip


@pytest.fixture(scope="module")
def _shared_runs(
    one_run: OneRun, connector: Connector
) -> Iterator[tuple[TwoWays, ReplayServer, dict[str, Reply]]]:
    routes: dict[str, Reply] = {}
    with ReplayServer(lambda _method, path: routes.get(path.partition("?")[0])) as server:
        policy = loopback_policy(load_policy(), "tests on loopback", server)
        manifest = builtin_dir("connectors") / "business_pages.toml"
        with two_ways(one_run, policy, connector, manifest) as runs:
            yield runs, server, routes


@pytest.fixture
def shared(
    _shared_runs: tuple[TwoWays, ReplayServer, dict[str, Reply]], request: pytest.FixtureRequest
) -> Shared:
    return Shared(*_shared_runs, request)


def test_the_employer_website_gives_the_po_box_and_the_debtor_only(
    connector: Connector, site: ReplayServer, fast_policy: Policy, audit: AuditLog,
    capfd: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    result = search(connector, site.allow(fast_policy), audit,
                    debtor(employer_website=site.url("/")))  # fmt: skip
    assert result.status == "hit", result.detail
    business, staff = result.records
    assert business.employer == "Harbor Lane Plumbing, LLC"
    assert business.employer_address.one_line() == "PO Box 2291, Springfield, IL 62705"
    assert business.provenance.source_url == site.url("/contact")
    assert (staff.person_name, staff.title) == ("Dana Whitfield", "Office Manager")
    assert staff.employer == "Harbor Lane Plumbing, LLC"
    assert staff.snippet == "Dana Whitfield - Office Manager"  # the line, as evidence
    assert business.snippet == "location: 418 Dockside Ave, Springfield, IL 62703"  # the shop
    assert staff.provenance.source_url == site.url("/our-team")
    paths = [r.path for r in site.received]
    assert paths[0] == "/robots.txt" and "/staff/" not in paths
    assert "/contact-submit" not in paths and "/login" not in paths
    rows = audit.rows()
    refused = {(r.rule, r.url) for r in rows if r.event == "refused"}
    assert ("social", "https://www.facebook.com/") in refused  # declined: scheme and host only
    assert ("form", site.url("/")) in refused
    assert ("robots", site.url("/staff/")) in refused  # the staff list robots.txt keeps out
    out, err = capfd.readouterr()
    told = repr(result.records) + " ".join(f"{r.url} {r.detail}" for r in rows) + out + err
    for name in COLLEAGUES:
        assert name not in told


def test_which_pages_are_read_never_depends_on_who_the_debtor_is(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A review: a home page linking /about-sam-lee, /about-dana-whitfield... had every one
    read but the debtor's (its path holds her name: never sent), so the site could tell from
    its log which of its people was looked for. A page is now followed only when its path is
    written in words that name no one (contact, about-us, our-team...) or the business's own
    name (/about-harbor-lane): which pages are asked for depends on the site and the employer,
    never on the debtor. Nor on a debtor whose name is a word of those paths (Dana Lane at
    Harbor Lane, Jo Contact): the page is asked for every debtor, so it tells the site nothing
    of hers, and refusing it for her alone (a debtor value in the path) did."""
    home = (FIXTURES / "index.html").read_text("utf-8")
    people = ("sam-lee", "dana-whitfield", "marcus-oyelaran", "priya-venkataraman")
    links = "".join(f'<a href="/about-{who}">{who}</a>' for who in people)
    home = home.replace("</body>", f'{links}<a href="/about-harbor-lane">Story</a></body>')

    def route(method: str, target: str) -> Reply | None:
        path = target.partition("?")[0]
        if path == "/":
            return Reply(200, home.encode(), {"Content-Type": "text/html"})
        name = PAGES.get(path) or ("about.html" if path.startswith("/about-") else None)
        if name is None:
            return None
        kind = "text/plain" if name.endswith(".txt") else "text/html"
        return Reply(200, (FIXTURES / name).read_bytes(), {"Content-Type": kind})

    asked = []
    for full_name in ("Dana Whitfield", "Sam Lee", "Dana Lane", "Jo Contact"):
        with ReplayServer(route) as server:
            search(connector, server.allow(fast_policy), audit,
                   debtor(full_name=full_name, employer_website=server.url("/")))  # fmt: skip
            asked.append(sorted(r.path for r in server.received))
    assert asked[1:] == asked[:1] * 3
    assert "/about-harbor-lane" in asked[0] and "/contact" in asked[0]
    assert not any(path.startswith(f"/about-{who}") for path in asked[0] for who in people)


def test_a_messenger_apps_link_is_declined_on_the_record(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """whatsapp://send?phone=... on the home page is declined as wa.me is (rule social), its
    scheme only: the phone it would message is not written."""
    home = HOME.replace("</body>", '<a href="whatsapp://send?phone=15555550143">Chat</a></body>')
    with ReplayServer({"/": _html(home), "/our-team": _html(TEAM)}) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
    assert result.status == "hit", result.detail
    declined = [(r.rule, r.url) for r in audit.rows() if r.event == "refused"]
    assert ("social", "whatsapp:") in declined, declined
    assert "15555550143" not in repr(audit.rows())


def test_a_messenger_apps_link_naming_a_colleague_is_declined_by_its_scheme_alone(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A review: an app's link keeps no network's domain where a web link's host goes, but
    the app's argument: Skype's callto://<user name>, a FaceTime number. Its "host" was
    written in the audit log (callto://marcus.oyelaran/, facetime://+15551234567/): a
    colleague's user name or phone. Such a link is written as its scheme alone."""
    links = ('<a href="callto://marcus.oyelaran">Call</a><a href="skype://priya.venkataraman?call">'
             'Skype</a><a href="facetime://+15551234567">FaceTime</a>')  # fmt: skip
    home = HOME.replace("</body>", f"{links}</body>")
    with ReplayServer({"/": _html(home), "/our-team": _html(TEAM)}) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
    assert result.status == "hit", result.detail
    declined = {(r.rule, r.url) for r in audit.rows() if r.event == "refused"}
    assert {("social", "callto:"), ("social", "skype:"), ("social", "facetime:")} <= declined
    told = repr(audit.rows()).lower()
    assert "oyelaran" not in told and "venkataraman" not in told and "5551234567" not in told


def test_a_site_that_is_another_business_gives_nothing(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    with _site({"/": "other_business.html"}) as other:
        result = search(connector, other.allow(fast_policy), audit,
                        debtor(employer_website=other.url("/")))  # fmt: skip
        assert (result.status, result.records) == ("no_result", ())
        assert result.detail == ("127.0.0.1 does not name itself as the employer (title, site "
                                 "name, schema.org name or copyright notice): nothing read from "
                                 "it")  # fmt: skip
        assert [r.path for r in other.received] == ["/robots.txt", "/"]


@pytest.mark.parametrize("home", [
    "<html><head><title>Springfield Plumbers Directory | Harbor Lane Plumbing | Acme Plumbing | "
    "Bob's Drains</title></head><body><p>PO Box 9, Springfield, IL 62705</p></body></html>",
    "<html><head><title>Springfield Trades Guide</title><script type='application/ld+json'>"
    '{"@type":"ItemList","itemListElement":[{"@type":"Plumber","name":"Harbor Lane Plumbing",'
    '"telephone":"217-555-0143"},{"@type":"Plumber","name":"Acme Plumbing"}]}</script></head>'
    "<body><p>PO Box 9, Springfield, IL 62705</p></body></html>",
    # a review: the page says whose site it is, another's; its title alone had been taken
    "<html><head><title>Harbor Lane Plumbing</title><meta property='og:site_name' "
    "content='Springfield Plumbers Directory'></head>"
    "<body><p>PO Box 9, Springfield, IL 62705</p></body></html>",
    "<html><head><title>Harbor Lane Plumbing</title><meta property='og:site_name' "
    "content='SpringfieldPlumbers.com'></head>"
    "<body><p>PO Box 9, Springfield, IL 62705</p></body></html>",
    # a domain one digit from the employer's name is another's name (scored 97)
    "<html><head><title>Harbor Lane Plumbing</title><meta property='og:site_name' "
    "content='HarborLanePlumbing2.com'></head>"
    "<body><p>PO Box 9, Springfield, IL 62705</p></body></html>",
])  # fmt: skip
def test_a_directory_naming_the_employer_among_others_is_not_its_site(
    home: str, shared: Shared
) -> None:
    """Each title part, and each organisation on the page, was scored alone: a directory
    listing the employer among others was adopted as its site, its address and phone kept."""
    result = shared.read({"/": Reply(200, home.encode(), {"Content-Type": "text/html"})})
    assert (result.status, result.records) == ("no_result", ()), result


@pytest.mark.parametrize(
    "site_name",
    [
        "Harbor Lane",
        "Harbor Lane Plumbing Co",
        "",
        "HarborLanePlumbing.com",
        "www.harbor-lane-plumbing.com",
    ],
)
def test_a_site_named_by_part_of_the_employers_name_is_still_its_site(
    site_name: str, shared: Shared
) -> None:
    """A business's own short name for its site does not make its title another's, nor does
    its domain, the employer's name written as one word (a review: that site was refused)."""
    meta = f"<meta property='og:site_name' content='{site_name}'>" if site_name else ""
    home = (f"<html><head><title>Harbor Lane Plumbing | Springfield</title>{meta}</head>"
            "<body><p>PO Box 9, Springfield, IL 62705</p></body></html>")  # fmt: skip
    result = shared.read({"/": Reply(200, home.encode(), {"Content-Type": "text/html"})})
    assert result.status == "hit", result.detail
    assert result.records[0].employer_address.one_line() == "PO Box 9, Springfield, IL 62705"


@pytest.mark.parametrize(("employer", "site_name", "status"), [
    ("Harbor Lane Plumbing and Heating", "Harbor Lane Plumbing & Heating Supply", "no_result"),
    ("Springfield Family Dental Associates", "Springfield Family Dental Associates West",
     "no_result"),
    ("Springfield Family Dental Associates", "Springfeld Family Dental Associates, P.C.", "hit"),
    ("Harborlane Plumbing", "Harbor Lane Plumbing", "hit"),
    ("Springfield Dental", "Springfield Dental Den", "no_result"),  # "den" is in its letters
    ("Springfield Dental", "Springfield Dental, DDS", "hit"),  # a practice's designation
    ("Whitfield Tax Services", "Whitfield Tax Services, CPA", "hit"),
    ("Westside Dental", "Eastside Dental", "no_result"),
    ("A1 Plumbing", "A2 Plumbing", "no_result"),
    ("Harbor Lane Plumbing", "Harbor Lake Plumbing", "no_result"),
    ("Northside Dental Care", "Southside Dental Care", "no_result"),
    ("Johnson Law Group", "Johnston Law Group", "hit"),  # one letter more: a misspelling
    ("Allen Electric", "Allan Electric", "hit"),  # one letter other, in five
    ("Springfield Medical Center", "Springfield Medical Centre", "hit"),
    ("Harbor Lane Plumbing", "Harbor Lane Plumbnig", "hit"),  # two letters swapped
    ("Smith Plumbing", "Smith's Plumbing", "hit"),
    ("Saint Marys Family Clinic", "St. Mary's Family Clinic", "hit"),  # a short form
    ("Mount Vernon Dental", "Mt Vernon Dental", "hit"),
    ("Smith Brothers Construction", "Smith Bros. Construction", "hit"),
])  # fmt: skip
def test_a_name_with_a_word_more_or_another_is_another_business(
    employer: str, site_name: str, status: str, shared: Shared,
) -> None:  # fmt: skip
    """The supply house next door, or another branch, named as the employer plus a word: a
    long name's spelling scored past the threshold with a whole word more, and its address was
    written as the employer's; so did the dentist across town, or the plumber whose name
    differs by a digit (91-95). A misspelt or shortened word, or two words run together, is
    still its name."""
    home = (f"<html><head><title>{site_name}</title></head>"
            "<body><p>PO Box 9, Springfield, IL 62705</p></body></html>")  # fmt: skip
    result = shared.read(
        {"/": Reply(200, home.encode(), {"Content-Type": "text/html"})}, employer=employer
    )
    assert result.status == status, result.detail
    assert [r.employer for r in result.records] == ([site_name] if status == "hit" else [])


def test_an_obituary_is_never_employment(shared: Shared, tmp_path: Path) -> None:
    page = tmp_path / "memoriam.html"
    page.write_text(
        "<html><head><title>Harbor Lane Plumbing | In memoriam</title></head><body>"
        "<p>In loving memory of Dana Whitfield, who passed away in March.</p></body></html>"
    )
    result = shared.read({"/": Reply(200, page.read_bytes(), {"Content-Type": "text/html"})})
    assert result.status == "hit"
    (gone,) = [r for r in result.records if r.person_name]
    assert gone.title == "obituary" and not gone.employer and not gone.employer_address


FUNERAL_HOME = (
    "<html><head><title>Oakwood Funeral Home | Springfield, IL</title></head><body>"
    '<a href="/our-staff">Our staff</a><p>Oakwood Funeral Home, 12 Elm St, Springfield, IL '
    "62701</p><h2>Recent obituaries</h2><p>In loving memory of Priya Oyelaran</p></body></html>"
)


@pytest.mark.parametrize(
    ("staff", "expected"),
    [
        ("<h2>Our staff</h2><p>Dana Whitfield - Office Manager</p>",
         ("Office Manager", "Oakwood Funeral Home")),
        ("<h2>In memoriam</h2><p>Dana Whitfield - Office Manager</p>", ("obituary", "")),
        ("<h2>Our staff</h2><p>Dana Whitfield - Licensed Funeral Director</p>",
         ("Licensed Funeral Director", "Oakwood Funeral Home")),
        ('<div class="h-card"><span class="p-name">Dana Whitfield</span> '
         '<span class="p-job-title">Funeral Director</span></div>',
         ("Funeral Director", "Oakwood Funeral Home")),
        ('<script type="application/ld+json">{"@type": "Person", "name": "Dana Whitfield", '
         '"jobTitle": "Funeral Director and Embalmer"}</script>',
         ("Funeral Director", "Oakwood Funeral Home")),
        ("<h2>Our staff</h2><p>Dana Whitfield - Funeral Director, who died in 2023</p>",
         ("obituary", "")),
        # a colleague's title beside hers: what he does, not that anyone died
        ("<h2>Meet our staff</h2><ul><li>Dana Whitfield - Office Manager</li>"
         "<li>Marcus Lee - Funeral Director</li></ul>", ("Office Manager", "Oakwood Funeral Home")),
        ('<div class="h-card"><span class="p-name">Dana Whitfield</span> '
         '<span class="p-job-title">Office Manager</span> and Marcus Lee, '
         "Licensed Funeral Service Director</div>", ("Office Manager", "Oakwood Funeral Home")),
        ("<h2>Meet our staff</h2><ul><li>Dana Whitfield - Office Manager</li>"
         "<li>Funeral arrangements: call us</li></ul>", ("obituary", "")),
    ],
)  # fmt: skip
def test_a_funeral_homes_own_name_makes_no_one_on_its_pages_dead(
    shared: Shared, staff: str, expected: tuple[str, str]
) -> None:
    """A review: the words that make a whole page a memorial were read in its URL and title,
    the business's own name and domain among them, so every person on every page of a
    funeral home's site ("Our Staff | Oakwood Funeral Home") was an obituary: its office
    manager was never employed there, and her record said she had died. The business's name
    and the site's host say what it does, not that anyone died, and so does her title
    ("Funeral Director"); a memorial on its pages still is one."""
    page = f"<html><head><title>Our Staff | Oakwood Funeral Home</title></head><body>{staff}"
    assert _staff_read(shared, FUNERAL_HOME, page, "Oakwood Funeral Home") == [expected]


def _staff_read(shared: Shared, home: str, page: str, employer: str) -> list[tuple[str, str]]:
    """The people read from ``page`` at /our-staff of a site whose home page is ``home``: each
    record's title and employer (a hit asserted)."""
    result = shared.read({"/": _html(home), "/our-staff": _html(page + "</body></html>")},
                         employer=employer)  # fmt: skip
    assert result.status == "hit", result.detail
    return [(r.title, r.employer) for r in result.records if r.person_name]


CHAPEL = (
    "<html><head><title>Oakwood Chapel | Springfield, IL</title></head><body>"
    '<a href="/our-staff">Our staff</a><p>Oakwood Chapel, 12 Elm St, Springfield, IL 62701</p>'
    "</body></html>"
)


@pytest.mark.parametrize(("title", "staff", "expected"), [
    ("Our Funeral Directors | Oakwood Chapel", "<p>Dana Whitfield - Office Manager</p>",
     ("Office Manager", "Oakwood Chapel")),
    ("Meet Our Funeral Director | Oakwood Chapel", "<p>Dana Whitfield</p>",
     ("", "Oakwood Chapel")),
    # a memorial's own words beside a job title still make one
    ("In Memory of Our Funeral Director | Oakwood Chapel",
     "<p>Dana Whitfield - Office Manager</p>", ("obituary", "")),
    ("Funeral Director Dana Whitfield Remembered | Oakwood Chapel",
     "<p>Dana Whitfield - Office Manager</p>", ("obituary", "")),
    ("Funeral Arrangements | Oakwood Chapel", "<p>Dana Whitfield - Office Manager</p>",
     ("obituary", "")),
])  # fmt: skip
def test_a_job_title_in_the_pages_title_makes_no_one_dead(
    shared: Shared, title: str, staff: str, expected: tuple[str, str]
) -> None:
    """A review: a page's title naming the trade by a job ("Our Funeral Directors | Oakwood
    Chapel"), not by the business's name, made everyone on the page an obituary, its office
    manager dead and never employed there. The words of a job title in the page's title say
    what the staff do, as her own title's do beside her name; a memorial's own words still
    make one ("In Memory of", "Remembered", and "Funeral" with no job)."""
    page = f"<html><head><title>{title}</title></head><body><h2>Our staff</h2>{staff}"
    assert _staff_read(shared, CHAPEL, page, "Oakwood Chapel") == [expected]


def _searx(body: bytes, status: int = 200) -> ReplayServer:
    """An instance answering ``body`` to a search, and SearxNG's own robots.txt."""
    kind = "application/json" if status == 200 else "text/html"
    robots = (FIXTURES / "searxng_robots.txt").read_bytes()
    return ReplayServer(
        {
            "/search": Reply(status, body, {"Content-Type": kind}),
            "/robots.txt": Reply(200, robots, {"Content-Type": "text/plain"}),
        }
    )


def _with_searx(policy: Policy, searx: ReplayServer, site: ReplayServer) -> Policy:
    policy = searx.allow(site.allow(policy))
    return merge(policy, {"search": {"searxng_url": searx.base_url}}, "test")


def test_a_search_answer_naming_people_is_not_kept_in_the_cache(
    connector: Connector, site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    """A review: the SearxNG answer was kept in the HTTP cache in SKIPTRACE_HOME, with the
    people its snippets name ("Owner Marcus Oyelaran..."), where none of a business's pages
    is kept: a search answer quotes those pages."""
    body = (FIXTURES / "searxng_found.json").read_text("utf-8").replace("{replay}", site.base_url)
    quoted = "Owner Marcus Oyelaran and office manager Priya Venkataraman: family-owned plumbing"
    body = body.replace("Family-owned plumbing", quoted)
    assert quoted in body
    with _searx(body.encode()) as searx:
        result = search(connector, _with_searx(fast_policy, searx, site), audit, debtor())
    assert result.status == "hit", result.detail
    audit.flush()
    kept = [path for path in Path(os.environ["SKIPTRACE_HOME"]).rglob("*")
            if path.is_file() and b"Oyelaran" in path.read_bytes()]  # fmt: skip
    assert kept == []


def test_searxng_result_adopted_once_the_site_agrees(
    connector: Connector, site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    body = (
        (FIXTURES / "searxng_found.json").read_bytes().replace(b"{replay}", site.base_url.encode())
    )
    with _searx(body) as searx:
        result = search(connector, _with_searx(fast_policy, searx, site), audit, debtor())
    assert result.status == "hit", result.detail
    assert result.records[0].employer_address.one_line() == "PO Box 2291, Springfield, IL 62705"
    assert any(r.event == "site" and r.detail == "how=search" for r in audit.rows())
    # SearxNG's robots.txt disallows every search: it speaks to public crawlers, and this is
    # the operator's own instance (listed in hosts.allow_private), so it is not read
    assert [r.path.partition("?")[0] for r in searx.received] == ["/search"]


def test_a_site_cannot_redirect_its_reader_to_the_search_instance(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A review: the site's /contact redirecting to the configured SearxNG instance
    (``/search?q=<the site's words>&format=json``) was followed, the search API being an
    origin the connector declares: a site chose searches for the user's instance, whose
    limiter allows a handful of JSON searches an hour. A page of the site now redirects on
    the site only; the hop is refused (rule ``origin``) and audited, the rest read."""
    with _searx(b'{"results": []}') as searx:
        hop = searx.url("/search?q=anything+the+site+likes&format=json")
        routes = {"/": _html(HOME), "/contact": Reply(302, b"", {"Location": hop}),
                  "/our-team": _html(TEAM)}  # fmt: skip
        with ReplayServer(routes) as s:
            result = search(connector, _with_searx(fast_policy, searx, s), audit,
                            debtor(employer_website=s.url("/")))  # fmt: skip
        assert searx.received == []
    assert result.status == "hit", result.detail
    [hop] = [r for r in audit.rows() if r.event == "refused" and r.rule == "origin"]
    assert "from a page of the business site it adopted, that site's only" in hop.detail


def test_a_home_page_redirecting_to_the_search_instance_does_not_move_the_site_there(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A review: once a page of the site could redirect only to the site, a home page
    redirecting to the configured SearxNG instance was refused (rule ``origin``) and then
    taken for the site's move (``how=redirect``): the user's search instance was adopted as
    the employer's site and its robots.txt and home page asked for. The search API is never
    a business's site, whoever adopts it (rule ``search-instance``); nothing is sent to it."""
    with _searx(b'{"results": []}') as searx:
        hop = searx.url("/search?q=anything+the+site+likes&format=json")
        with ReplayServer({"/": Reply(302, b"", {"Location": hop})}) as s:
            result = search(connector, _with_searx(fast_policy, searx, s), audit,
                            debtor(employer_website=s.url("/")))  # fmt: skip
        assert searx.received == []
        rows = audit.rows()
        assert [r.url for r in rows if r.event == "site"] == [s.url("/")]
    assert ("refused", "search-instance") in [(r.event, r.rule) for r in rows]
    assert result.status != "hit", result.detail


@pytest.mark.parametrize(
    ("file", "status", "expected", "words"),
    [
        ("searxng_403.html", 403, "error", "JSON output is off"),
        ("searxng_empty.json", 200, "no_result", "the search found no result that looks like"),
        ("searxng_degraded.json", 200, "error", "search degraded"),
    ],
)
def test_searxng_answers(
    connector: Connector, site: ReplayServer, fast_policy: Policy, audit: AuditLog,
    file: str, status: int, expected: str, words: str,
) -> None:  # fmt: skip
    with _searx((FIXTURES / file).read_bytes(), status) as searx:
        result = search(connector, _with_searx(fast_policy, searx, site), audit, debtor())
    assert result.status == expected and words in result.detail, result.detail
    assert site.received == []


@pytest.mark.parametrize(
    "first",
    [
        {"url": "https://harborlaneplumbing.tumblr.com/", "title": "Harbor Lane Plumbing"},
        {"url": "https://www.reddit.com/r/springfield/comments/1/harbor_lane_plumbing/",
         "title": "Harbor Lane Plumbing : r/springfield"},
    ],
)  # fmt: skip
def test_a_social_networks_result_first_is_passed_over_for_the_employers_site(
    connector: Connector, site: ReplayServer, fast_policy: Policy, audit: AuditLog,
    first: dict[str, str],
) -> None:  # fmt: skip
    """A review: a result on a host the guard lists as a social network, but the connector's
    own list of directories lacks (a Tumblr blog, a Reddit thread), came first and was
    adopted; the guard refused it, and the search ended refused with the employer's own site
    the next result. A host the guard would refuse as a social network is passed over as a
    directory is."""
    body = json.loads((FIXTURES / "searxng_found.json").read_text("utf-8"))
    body["results"].insert(0, first)
    answer = json.dumps(body).replace("{replay}", site.base_url).encode()
    with _searx(answer) as searx:
        result = search(connector, _with_searx(fast_policy, searx, site), audit, debtor())
    assert result.status == "hit", result.detail
    assert [r.url for r in audit.rows() if r.event == "site"] == [site.url("/")]


@pytest.mark.parametrize(
    "first",
    [
        "http://10.0.0.5/",  # a private address
        "http://harborlaneplumbing/",  # one label: an intranet's name
        "http://harbor lane plumbing.example/",  # no host name at all
        "http://harborlaneplumbing.example:0/",  # port 0
    ],
)
def test_a_result_the_guard_refuses_to_adopt_is_passed_over_for_the_next(
    connector: Connector, site: ReplayServer, fast_policy: Policy, audit: AuditLog, first: str
) -> None:
    """A search result the guard refuses to adopt as a site (its refusal audited) had ended
    the search refused, the employer's own site the next result: the next plausible result
    is adopted instead."""
    body = json.loads((FIXTURES / "searxng_found.json").read_text("utf-8"))
    body["results"].insert(0, {"url": first, "title": "Harbor Lane Plumbing"})
    answer = json.dumps(body).replace("{replay}", site.base_url).encode()
    with _searx(answer) as searx:
        result = search(connector, _with_searx(fast_policy, searx, site), audit, debtor())
    assert result.status == "hit", result.detail
    assert [r.url for r in audit.rows() if r.event == "site"] == [site.url("/")]


def test_no_instance_and_no_website_needs_config(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    result = search(connector, fast_policy, audit, debtor())
    assert result.status == "needs_config"


def test_lookup_on_the_command_line(site: ReplayServer, tmp_path: Path) -> None:
    policy = loopback_policy_file(tmp_path / "fast.toml", site)
    result = CliRunner().invoke(app, [
        "--policy", str(policy), "lookup", "--name", "Dana Whitfield",
        "--employer", "Harbor Lane Plumbing", "--employer-website", site.url("/"),
        "--city", "Springfield", "--state", "IL", "--source", "business_pages",
        "--purpose", "collection of a debt owed", "--json",
    ])  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    assert "Harbor Lane Plumbing, LLC" in result.output
    assert "PO Box 2291" in result.output
    assert not any(name in result.output for name in COLLEAGUES)


def _html(text: str, status: int = 200) -> Reply:
    return Reply(status, text.encode(), {"Content-Type": "text/html"})


def _jsonld(node: str) -> str:
    return f'<script type="application/ld+json">{node}</script>'


HOME = (
    "<html><head><title>Harbor Lane Plumbing</title></head><body>"
    '<a href="/contact">Contact</a><a href="/our-team">Our team</a><a href="/about">About</a>'
    '<form method="get" action="/contact"><input name="q"></form>'
    "<p>PO Box 2291, Springfield, IL 62705</p></body></html>"
)
TEAM = '<title>Team</title><div class="team"><p>Dana Whitfield - Office Manager</p></div>'


def test_a_news_site_naming_the_employer_is_not_the_employer(
    shared: Shared,
) -> None:  # review 13b, 5
    news = (
        "<html><head><title>Harbor Lane Plumbing owner arrested - Springfield Times</title>"
        "</head><body><p>Springfield Times, 100 Main St, Springfield, IL 62701</p>"
        "<p>Dana Whitfield, a Harbor Lane Plumbing employee, said nothing.</p></body></html>"
    )
    result = shared.read({"/": _html(news)})
    assert (result.status, result.records) == ("no_result", ())
    assert "does not name itself as the employer" in result.detail
    assert "Harbor" not in result.detail and "Whitfield" not in result.detail


def test_one_failing_page_loses_only_itself_and_http_records_are_kept_per_page(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:  # 7, 8, 9
    about = (
        "<title>About</title><p>In loving memory of Dana Whitfield, who passed away in March;"
        " she ran our office for 20 years.</p>"
    )
    routes = {"/": _html(HOME), "/contact": _html("no", 500), "/our-team": _html(TEAM),
              "/about": _html(about)}  # fmt: skip
    with ReplayServer(routes) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
    assert result.status == "hit", result.detail
    titles = sorted(r.title for r in result.records if r.person_name)
    assert titles == ["Office Manager", "obituary"]
    assert [r.snippet for r in result.records if r.title == "obituary"] == [""]  # names others
    rows = audit.rows()
    assert not [r for r in rows if r.event == "refused" and r.rule == "form"]


@pytest.mark.parametrize(
    "contact",
    [
        Reply(302, b"", {"Location": "/contact-us"}),  # and /contact-us back: a redirect loop
        Reply(200, b"<p>x</p>", {"Content-Type": "text/html", "Content-Length": "999"}),
    ],
    ids=["redirect-loop", "conflicting-content-length"],
)
def test_a_page_the_network_fails_loses_only_itself(
    contact: Reply, connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A review: a contact page whose redirects loop, or whose answer httpx cannot read
    (TooManyRedirects, RemoteProtocolError), reached the connector as neither SourceError nor
    any error of the SDK's, and ended the whole search as an error, the staff page's hit lost.
    The page is skipped as any failing one is, its failure kept beside the records."""
    routes = {"/": _html(HOME), "/contact": contact, "/our-team": _html(TEAM),
              "/contact-us": Reply(302, b"", {"Location": "/contact"})}  # fmt: skip
    with ReplayServer(routes) as s:  # the retries of the unreadable answer wait no time
        result = search(connector, s.allow(fast_policy), audit,
                        debtor(employer_website=s.url("/")), VirtualTime().pace())  # fmt: skip
    assert result.status == "hit", result.detail
    assert [(r.person_name, r.title) for r in result.records if r.person_name] == [
        ("Dana Whitfield", "Office Manager")
    ]
    assert result.partly  # the failed page may have held the debtor: said beside the hit


def test_a_link_httpx_cannot_read_loses_only_itself(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A review: a contact link with a port such as "8080." ended the whole search as an error
    (httpx's InvalidURL), the staff page's hit lost."""
    bases: list[str] = []

    def route(method: str, target: str) -> Reply | None:
        if target == "/":  # the link names the server's own port, with a dot after it
            return _html(HOME.replace('href="/contact"', f'href="{bases[0]}./contact"'))
        return _html(TEAM) if target == "/our-team" else None

    with ReplayServer(route) as s:
        bases.append(s.base_url)
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
    assert result.status == "hit", result.detail
    assert [r.person_name for r in result.records if r.person_name] == ["Dana Whitfield"]


def test_a_page_moved_to_a_missing_one_is_a_broken_link_not_an_outage(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """/about sent on to /about-us/, which is not there: an everyday broken link on a
    business's site, not an answer owed (it made the search an error, rerun for ever)."""

    def route(method: str, target: str) -> Reply | None:
        path = target.partition("?")[0]
        if path == "/about":  # moved to a path never published
            return Reply(301, b"", {"Location": "/about-us/"})
        name = PAGES.get(path)
        kind = "text/plain" if path == "/robots.txt" else "text/html"
        return None if name is None else Reply(200, (FIXTURES / name).read_bytes(), {
            "Content-Type": kind})  # fmt: skip

    with ReplayServer(route) as s:
        asked = debtor(employer_website=s.url("/"), city="Denver", state="CO")
        result = search(connector, s.allow(fast_policy), audit, asked)
    assert result.status == "no_result", result.detail
    assert "/about" in [r.path for r in s.received]


def test_a_slow_page_stops_the_reading_but_keeps_what_was_read(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:  # 7
    released = threading.Event()

    def route(method: str, target: str) -> Reply | None:
        path = target.partition("?")[0]
        if path == "/robots.txt":
            return None
        if path == "/":
            return _html(HOME)
        if path == "/our-team":
            return _html(TEAM)
        released.wait(30)  # past the request deadline, however loaded the machine
        return _html("<title>slow</title>")

    with ReplayServer(route) as s:
        # the slow page's deadline; each other request takes a few milliseconds on loopback
        limits = {"limits": {"request_seconds": 0.25, "source_seconds": 30}}
        policy = merge(s.allow(fast_policy), limits, "test")
        try:
            result = search(connector, policy, audit, debtor(employer_website=s.url("/")))
        finally:
            released.set()
    assert result.status == "hit", result.detail
    assert result.records[0].employer_address.one_line() == "PO Box 2291, Springfield, IL 62705"
    assert [r.path for r in s.received] == ["/robots.txt", "/", "/contact"]
    assert not result.asked and result.partly.startswith("business_pages timeout: ")


@pytest.mark.parametrize(
    "broken",
    [Reply(200, b"not gzip at all", {"Content-Type": "text/html", "Content-Encoding": "gzip"}),
     Reply(200, b"x", {"Content-Type": "text/html", "Content-Encoding": "br"}),
     Reply(200, b"", {"Content-Type": "text/html"}), Reply(204, b"", {})],
    ids=["undecodable", "unknown encoding", "empty 200", "204"],
)  # fmt: skip
def test_a_staff_page_the_stack_cannot_read_is_an_outage_too(
    connector: Connector, fast_policy: Policy, audit: AuditLog, broken: Reply
) -> None:
    """A review: a body the stack could not decode failed inside the session stack, which
    the session did not count as an outage, so the row was a final no_hit; and a team page of
    no bytes (a script's fatal error is an empty 200) was passed over as if read."""
    routes = {"/": _html(HOME), "/our-team": broken, "/contact": _html("<p>x</p>"),
              "/about": _html("<p>x</p>")}  # fmt: skip
    with ReplayServer(routes) as s:
        result = search(connector, s.allow(fast_policy), audit,
                        debtor(employer_website=s.url("/")))  # fmt: skip
    assert result.status == "hit" and not result.asked and "/our-team" in result.partly


@pytest.mark.parametrize("hop", ["/marcus-oyelaran", "/our-team.marcus-oyelaran"])
def test_an_empty_page_a_link_was_sent_on_to_is_said_by_the_link_asked_for(
    connector: Connector, fast_policy: Policy, audit: AuditLog, hop: str
) -> None:
    """A review: a team page the site sent on to a path of its choosing (``/marcus-oyelaran``,
    which its audit row writes ``/*-*``) that answered with no bytes was said by that path,
    whole, in the result ('fell short: /marcus-oyelaran answered HTTP 200 ...'): the path of
    the link asked for, made of words that name no one, is said instead (2 cases failing
    before)."""
    routes = {"/": _html(HOME), "/our-team": Reply(302, b"", {"Location": hop}),
              hop.partition("?")[0]: Reply(200, b"", {"Content-Type": "text/html"}),
              "/contact": _html("<p>x</p>"), "/about": _html("<p>x</p>")}  # fmt: skip
    with ReplayServer(routes) as s:
        result = search(connector, s.allow(fast_policy), audit,
                        debtor(employer_website=s.url("/")))  # fmt: skip
    assert "/our-team answered HTTP 200 with no page" in result.partly, result.partly
    said = [result.partly, result.detail, *(str(row) for row in audit.rows())]
    assert not [line for line in said if "oyelaran" in line.lower()], said


def test_a_staff_page_that_fails_leaves_the_row_incomplete_not_no_hit(
    connector: Connector, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A review: the team page answered 500, the site's own record came back as a hit, and
    the row was a final no_hit (the debtor was on the page that failed). The outage is
    carried with the records: the row is incomplete and researched again."""
    routes = {"/": _html(HOME), "/our-team": Reply(500, b"down"), "/contact": _html("<p>x</p>"),
              "/about": _html("<p>x</p>")}  # fmt: skip
    with ReplayServer(routes) as s:
        result = search(connector, s.allow(fast_policy), audit,
                        debtor(employer_website=s.url("/")))  # fmt: skip
        row = output_row({"name": "Dana Whitfield", "employer": "Harbor Lane Plumbing"}, [result])
    assert result.status == "hit" and result.records  # the site's own record stands
    assert not result.asked and "HTTP 500" in result.partly
    assert row["status"] == "incomplete" and "HTTP 500" in row["status_detail"], row
    assert row["found_employer_address"] == "PO Box 2291, Springfield, IL 62705"
    with ReplayServer(routes) as s:
        said = CliRunner().invoke(app, [
            "--policy", str(loopback_policy_file(tmp_path / "fast.toml", s)), "lookup",
            "--name", "Dana Whitfield", "--employer", "Harbor Lane Plumbing",
            "--employer-website", s.url("/"), "--source", "business_pages", "--purpose", "a test",
        ])  # fmt: skip
    assert said.exit_code == 3, said.output  # its answer is still owed
    assert "business_pages: hit; not wholly: business_pages error: " in said.stderr


PARTNERS = (
    '<script type="application/ld+json">{"@type":"LocalBusiness","name":"Acme Drains",'
    '"telephone":"(217) 555-0100"}</script></head><body><h1>Springfield plumbers</h1>'
    "<div><h2>Acme Drains</h2><p>Mailing address: PO Box 11, Springfield, IL 62701</p></div>"
    "<div><h2>Harbor Lane Plumbing</h2><p>412 Harbor Ln, Springfield, IL 62704</p></div>"
    "</body></html>"
)
"""Two businesses under their headings, one with its own schema.org record (and phone)."""


def test_a_directory_page_titled_with_the_employer_is_not_its_site(shared: Shared) -> None:
    """The page names itself by its one organisation, another business: a directory's page on
    the employer, its title the employer's name. It had been taken as the employer's site,
    its address read under the employer's heading; the site itself does not agree."""
    directory = (
        "<html><head><title>Harbor Lane Plumbing | Springfield Business Directory</title>"
        + PARTNERS
    )
    result = shared.read({"/": _html(directory)})
    assert (result.status, result.records) == ("no_result", ()), result
    assert "does not name itself as the employer" in result.detail


SHOP = '{"@type":"Plumber","name":"Harbor Lane Plumbing","telephone":"(217) 555-0143"}'
"""The business as a review site marks it up on its page about it (its own site does too)."""


@pytest.mark.parametrize("home", [
    "<title>Harbor Lane Plumbing - Domain for sale</title>",
    # a parking page titled by its keywords, saying so in its text only
    "<title>Harbor Lane Plumbing</title><h1>This domain may be for sale!</h1>",
    "<title>Harbor Lane Plumbing</title><p><a href='/buy'>Buy this domain</a></p>",
    "<title>Harbor Lane Plumbing</title><p>This domain name is <b>available for purchase</b>."
    "<button>Make an offer on this domain</button></p>",
    "<title>Harbor Lane Plumbing | Home</title><p>The domain harborlaneplumbing.com is parked "
    "free, courtesy of a registrar.</p>",
    # a lapsed site's footer left on the page that sells its domain
    "<title>Home</title><h1>HarborLanePlumbing.com is for sale</h1>"
    "<footer>&copy; 2024 Harbor Lane Plumbing</footer>",
    "<title>Harbor Lane Plumbing - Reviews</title>",
    f"<title>Harbor Lane Plumbing | Reviews, Photos &amp; Hours</title>{_jsonld(SHOP)}",
    f"<title>Harbor Lane Plumbing | Ratings and Complaints</title>{_jsonld(SHOP)}",
])  # fmt: skip
def test_a_page_saying_it_is_for_sale_or_a_review_is_not_the_employers_site(
    home: str, shared: Shared
) -> None:
    """A two-part title agreed whatever its other part said: a parked or for-sale domain, or a
    review site's page ("Harbor Lane Plumbing - Reviews"), was taken as the employer's site and
    its address written as hers. What the page says of itself now decides: never the site."""
    page = _html(f"<html>{home}<p>PO Box 9, Springfield, IL 62705</p></html>")
    result = shared.read({"/": page})
    assert (result.status, result.records) == ("no_result", ()), result
    assert "Harbor" not in result.detail and "Springfield" not in result.detail


LOT = "Our lot on Route 4: this site is for sale, 2 acres."


@pytest.mark.parametrize(("employer", "title", "said"), [
    ("Harbor Lane Plumbing", "Harbor Lane Plumbing | 500+ Five-Star Reviews", LOT),
    ("Harbor Lane Plumbing", "Harbor Lane Plumbing | Read Our Reviews", LOT),
    ("Harbor Lane Motors", "Harbor Lane Motors | Used Cars for Sale in Springfield", LOT),
    ("Harbor Lane Realty", "Harbor Lane Realty - Homes and Land for Sale", LOT),
    # a part starting with a review word that is the business's slogan or its list of offers
    ("Honest Reviews Inc", "Honest Reviews Inc | Reviews You Can Trust", LOT),
    ("Harbor Lane Plumbing", "Reviews, Coupons &amp; Same-Day Service | Harbor Lane Plumbing",
     LOT),
    # what a gallery or a shop sells on its website or at its domain: the domain or website is
    # what is for sale only as the sentence's subject, not after "on", "at" or an e-mail's "@"
    ("Harbor Lane Gallery", "", "All artwork on this website is available for purchase."),
    ("Harbor Lane Antiques", "", "Everything you see on this website is for sale."),
    ("Harbor Lane Tire Sale", "", "This weekend everything at HarborLaneTireSale.com is for sale!"),
    ("Harbor Lane Marine", "", "Email boats@harborlanemarine.com for sale listings."),
    ("Harbor Lane Tire Sale", "", "Shop HarborLaneTireSale.com for sale prices on every tire."),
])  # fmt: skip
def test_a_business_selling_things_or_citing_its_reviews_is_still_its_site(
    employer: str, title: str, said: str, shared: Shared,
) -> None:  # fmt: skip
    """What a business's own home page says of its trade (cars for sale, its reviews, its
    artwork on this website) is not what a parked domain or a review site says of the page:
    a gallery's and a shop's own sites had been refused as parked."""
    title = title or f"{employer} | Springfield"
    page = _html(f"<html><title>{title}</title><p>PO Box 9, Springfield, IL 62705</p>"
                 f"<p>{said}</p></html>")  # fmt: skip
    result = shared.read({"/": page}, employer=employer)
    assert result.status == "hit", result.detail
    assert result.records[0].employer_address.one_line() == "PO Box 9, Springfield, IL 62705"


@pytest.mark.parametrize(("employer", "site_name"), [
    ("First Choice Plumbing", "1stChoicePlumbing.com"),
    ("1st Choice Plumbing", "FirstChoicePlumbing.com"),
])  # fmt: skip
def test_a_site_named_by_its_domain_may_write_an_ordinal_in_digits(
    employer: str, site_name: str, shared: Shared
) -> None:
    """A domain naming the site had to have the employer's digits: "1stChoicePlumbing.com"
    (First Choice Plumbing's own site name) no longer named it, and its title naming the
    employer was not read. An ordinal is its word ("1st" is "first"); "A2" is still not "A1"."""
    head = f"<title>{employer} | Springfield</title>"
    meta = f"<meta property='og:site_name' content='{site_name}'>"
    page = _html(f"<html>{head}{meta}<p>PO Box 9, Springfield, IL 62705</p></html>")
    result = shared.read({"/": page}, employer=employer)
    assert result.status == "hit", result.detail


@pytest.mark.parametrize(("head", "footer", "status"), [
    # a theme's or an agency's JSON-LD copied from one client's site to another's
    ("<title>Acme Drains | Springfield</title>", "&copy; 2024 Acme Drains, LLC", "no_result"),
    ("<title>Springfield's Trusted Plumber</title><meta property='og:site_name' "
     "content='Acme Drains'>", "&copy; 2024 Acme Drains", "no_result"),
    # a listing site's page on the business, named by the site in its title and footer
    ("<title>Harbor Lane Plumbing - Springfield, IL - Localbiz</title><meta "
     "property='og:site_name' content='Localbiz'>", "&copy; 2024 Localbiz Inc.", "no_result"),
    # the page names itself no other way: a slogan, the business's legal entity, its short name
    ("<title>Springfield's Trusted Plumber</title>", "&copy; 2024 Dockside Holdings, LLC", "hit"),
    ("<title>Harbor Lane | Drains &amp; Water Heaters</title>", "&copy; 2024 Harbor Lane", "hit"),
    ("<title>Springfield's Trusted Plumber</title><meta property='og:site_name' "
     "content='Harbor Lane Plumbing'>", "&copy; 2024 Dockside Holdings", "hit"),
    # a site title set to a slogan (its site name and title agree), the footer the business's
    ("<title>Springfield Plumbing Experts - Fast, Friendly</title><meta property='og:site_name' "
     "content='Springfield Plumbing Experts'>", "&copy; 2024 Harbor Lane Plumbing", "hit"),
])  # fmt: skip
def test_an_organisation_the_page_names_otherwise_twice_is_not_its_own(
    head: str, footer: str, status: str, shared: Shared,
) -> None:  # fmt: skip
    """schema.org outranked everything the page shows: an Organization naming the employer, on
    a page whose title and footer (or site name) name another business, was read as the
    employer's site and the other business's address written as hers. Its footer's copyright
    holder and its title or site name agreeing on another business now outweigh its markup;
    one alone (a slogan, the business's legal entity in its footer) does not."""
    page = _html(f"<html><head>{head}{_jsonld(SHOP)}</head><body><p>PO Box 9, Springfield, IL "
                 f"62705</p><footer>{footer}</footer></body></html>")  # fmt: skip
    result = shared.read({"/": page})
    assert result.status == status, result.detail
    assert [r.employer for r in result.records] == (["Harbor Lane Plumbing"] if status == "hit"
                                                    else [])  # fmt: skip


def test_a_page_listing_other_businesses_gives_only_the_employers_own_address_and_phone(
    shared: Shared,
) -> None:
    """The employer's own site (its og:site_name) lists partners under their headings, one
    with its own schema.org record: only what stands under the employer's name is its."""
    home = (
        "<html><head><title>Our partners</title>"
        "<meta property='og:site_name' content='Harbor Lane Plumbing'>" + PARTNERS
    )
    result = shared.read({"/": _html(home)})
    (business,) = result.records
    assert business.employer == "Harbor Lane Plumbing"
    assert business.employer_address.one_line() == "412 Harbor Ln, Springfield, IL 62704"
    assert business.phone == ""


@pytest.mark.parametrize(
    ("routes", "why"),
    [
        ({}, "127.0.0.1: the home page answered HTTP 404, nothing to read"),
        ({"/": _html("<title>Harbor Lane Plumbing</title><p>12 Elm St, Portland, OR 97201</p>")},
         "127.0.0.1 shows an address or phone, and none is in the debtor's area"),
        # a namesake in a town of the same name in another state: her town's name alone had
        # been agreement, and its address written as her employer's
        ({"/": _html("<title>Harbor Lane Plumbing</title><p>12 Elm St, Springfield, MO 65801</p>")},
         "127.0.0.1 shows an address or phone, and none is in the debtor's area"),
    ],
    ids=["home page missing", "another town", "a town of the same name in another state"],
)  # fmt: skip
def test_no_result_says_why(
    routes: dict[str, Reply], why: str, connector: Connector, fast_policy: Policy,
    audit: AuditLog,
) -> None:  # fmt: skip
    """A collector reading "no_result" learns which check the site failed, without the
    debtor's values in the words."""
    with ReplayServer(routes) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
    assert (result.status, result.records) == ("no_result", ())
    assert result.detail.startswith(why), result.detail
    assert not any(v in result.detail for v in ("Harbor", "Whitfield", "Springfield", "IL"))


@pytest.mark.parametrize(
    ("home", "said"),
    [(Reply(200, b"", {"Content-Type": "text/html"}), "answered HTTP 200 with no page"),
     (Reply(204, b"", {}), "answered HTTP 204 with no page"),
     (Reply(302, b"", {"Cache-Control": "no-store"}), "answered HTTP 302 with no page")],
    ids=["empty 200", "204", "a redirect to nowhere"],
)  # fmt: skip
def test_a_home_page_that_did_not_answer_is_an_outage_not_no_result(
    home: Reply, said: str, shared: Shared
) -> None:
    """A home page of no bytes (a server that failed as it wrote it: a script's fatal error is
    an empty 200), or a redirect naming no page, had been "the home page answered HTTP 200,
    nothing to read": a final no_hit, never asked again. A 404 or 401 is still no_result."""
    result = shared.read({"/": home})
    assert (result.status, result.reason, result.records) == ("error", "error", ()), result
    assert result.detail == f"127.0.0.1: the home page {said}: the site did not answer"


@pytest.mark.parametrize("title", [
    "Service Unavailable", "503 Service Temporarily Unavailable", "502 Bad Gateway",
    "Maintenance", "Site Under Maintenance", "We'll be back soon!", "Database Error",
    "Application Error", "Account Suspended", "500", "504 Gateway Time-out",
    "Site is down", "Site Down | Acme Hosting", "Site offline - back shortly",
    # a review: caught before a down page's words had to stand alone or before "-|:"
    "Site down for maintenance", "Site Is Down For Maintenance", "Site offline \u00b7 Acme Hosting",
    "Site unavailable / Acme", "Site down (503)", "We'll be back soon, thanks for your patience",
])  # fmt: skip
def test_a_home_page_saying_the_site_is_down_is_an_outage_not_no_result(
    title: str, shared: Shared
) -> None:
    """A review: a site down for the moment whose server still answers 200 (a maintenance
    page, a web server's 502 page, WordPress's database error, a host's suspended account)
    names no employer, and had been "does not name itself as the employer": a final no_hit,
    never asked again. A page saying so in its title is the site not answering, this time.
    (A bot check, "Just a moment...", is already ``blocked``.)"""
    page = _html(f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
                 "<p>Please try again later.</p></body></html>")  # fmt: skip
    result = shared.read({"/": page})
    assert (result.status, result.reason, result.records) == ("error", "error", ()), result
    assert "says the site is down" in result.detail and "did not answer" in result.detail


@pytest.mark.parametrize("title", [
    "Oakwood Chapel | Springfield, IL", "Downtown Maintenance Co. | Springfield",
    "Error Removal Services", "500 Startups", "555 Grill | Chicago",
    "515 Main Street Dental", "Site Down Under Tours", "Site Offline Storage Co. | Springfield",
    "We'll Be Back Soon Bakery",
])  # fmt: skip
def test_a_home_page_of_another_business_is_still_no_result(title: str, shared: Shared) -> None:
    """Against the above: a page that names another business is no outage, whatever words its
    name holds. A review: one whose name starts with a number from 500 to 599, as many take
    their street number (500 Startups, 555 Grill), had been read as a web server's error page,
    an outage researched again forever (3 cases failing before); so had a name beginning with
    a down page's words ("Site Down Under Tours", 3 more)."""
    page = _html(f"<html><head><title>{title}</title></head><body><p>Welcome.</p></body></html>")
    result = shared.read({"/": page})
    assert result.status == "no_result", result
    assert "does not name itself as the employer" in result.detail


def test_a_namesake_in_a_town_of_the_same_name_found_first_is_not_the_employer(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """The search ranks Harbor Lane Plumbing of Springfield, MO first and the debtor's, in
    Springfield, IL, second: the first was adopted, its town's name taken as agreement, and its
    address and phone written as her employer's. One site is read per search: nothing now."""
    namesake = _html("<title>Harbor Lane Plumbing | Springfield</title><p>12 Elm St, "
                     "Springfield, MO 65801</p><p>Phone: (417) 555-0100</p>")  # fmt: skip
    hers = _html("<title>Harbor Lane Plumbing | Springfield</title>"
                 "<p>PO Box 2291, Springfield, IL 62705</p>")  # fmt: skip
    with ReplayServer({"/": namesake}) as first, ReplayServer({"/": hers}) as second:
        results = [{"url": s.url("/"), "title": "Harbor Lane Plumbing | Springfield"}
                   for s in (first, second)]  # fmt: skip
        with _searx(json.dumps({"results": results}).encode()) as searx:
            policy = allowing(_with_searx(fast_policy, searx, first), "test servers", second)
            result = search(connector, policy, audit, debtor())
    assert (result.status, result.records) == ("no_result", ()), result.records
    assert "none is in the debtor's area" in result.detail, result.detail


def test_an_event_in_her_town_does_not_make_a_namesakes_site_agree(shared: Shared) -> None:
    """A review: a namesake in Ohio announcing a trade show in her Springfield agreed by the
    venue's address, which is never the employer's; its own Ohio address was then written as
    her employer's. An address only a story gives says nothing of where the business is."""
    home = _html("<title>Harbor Lane Plumbing</title>"
                 '<div class="events"><p>Meet us at the Springfield Expo, 1 Fair Rd, '
                 "Springfield, IL 62702</p></div>"
                 "<footer>12 Elm St, Columbus, OH 43004</footer>")  # fmt: skip
    result = shared.read({"/": home})
    assert (result.status, result.records) == ("no_result", ()), result.records


def test_a_site_whose_only_addresses_are_stories_elsewhere_does_not_agree(shared: Shared) -> None:
    """A review: with the addresses of stories left out of the area check, a namesake's site
    whose only address stood in a story (its "projects" block, in Ohio) showed "nothing" and
    agreed wherever it was. With no address of its own, its stories' addresses decide."""
    home = _html("<title>Harbor Lane Plumbing</title>"
                 '<div class="projects"><p>12 Elm St, Columbus, OH 43004</p></div>')  # fmt: skip
    result = shared.read({"/": home})
    assert (result.status, result.records) == ("no_result", ()), result.records


def test_a_site_listing_locations_gives_the_one_in_the_debtors_area(shared: Shared) -> None:
    """A franchise's site lists its locations, Columbus's a PO box: her Springfield
    location made the site agree, and then the PO box, the kind a mailing address prefers, was
    written as her employer's address. A location elsewhere is another franchisee's."""
    home = _html("<title>Harbor Lane Plumbing | Locations</title>"
                 "<h2>Columbus</h2><p>PO Box 77, Columbus, OH 43004</p>"
                 "<h2>Springfield</h2><p>418 Dockside Ave, Springfield, IL 62703</p>")  # fmt: skip
    result = shared.read({"/": home})
    assert result.status == "hit", result.detail
    (business,) = result.records
    assert business.employer_address.one_line() == "418 Dockside Ave, Springfield, IL 62703"
    assert business.snippet == "po_box: PO Box 77, Columbus, OH 43004"  # evidence, as a shop is


def test_of_a_franchises_centres_in_her_area_the_one_in_her_town_is_written(shared: Shared) -> None:
    """Two centres in her state and her ZIP's area, the neighbouring town's listed first: it
    was written as her employer's address, though the other is in her own town."""
    home = _html("<title>Harbor Lane Plumbing | Locations</title>"
                 "<h2>Chatham</h2><p>12 Main St, Chatham, IL 62629</p>"
                 "<h2>Springfield</h2><p>418 Dockside Ave, Springfield, IL 62703</p>")  # fmt: skip
    result = shared.read({"/": home}, zip="62704")
    assert result.status == "hit", result.detail
    (business,) = result.records
    assert business.employer_address.one_line() == "418 Dockside Ave, Springfield, IL 62703"


def test_a_franchise_centres_phone_is_the_one_written_with_its_address(shared: Shared) -> None:
    """The franchisor's Organization gives its head office elsewhere and its phone: that phone
    was written beside her centre's address, not the one its card gives."""
    org = json.dumps({"@type": "Organization", "name": "Harbor Lane Plumbing",
                      "telephone": "(614) 555-0190", "address": {
                          "streetAddress": "900 Commerce Dr", "addressLocality": "Columbus",
                          "addressRegion": "OH", "postalCode": "43215"}})  # fmt: skip
    home = _html(f"<title>Harbor Lane Plumbing | Locations</title>{_jsonld(org)}"
                 "<div><h3>Chatham</h3><p>12 Main St<br>Chatham, IL 62629</p>"
                 "<p>Phone: (217) 555-0148</p></div>"
                 "<div><h3>Springfield</h3><p>418 Dockside Ave<br>Springfield, IL 62703</p>"
                 "<p>Phone: (217) 555-0155</p></div>")  # fmt: skip
    result = shared.read({"/": home})
    assert result.status == "hit", result.detail
    (business,) = result.records
    assert business.employer_address.one_line() == "418 Dockside Ave, Springfield, IL 62703"
    assert business.phone == "(217) 555-0155"


@pytest.mark.parametrize(
    "after",
    ["<p>Decatur branch phone: (217) 555-0199</p>",
     "<p>Decatur branch</p><p>Phone: (217) 555-0199</p>"],
)  # fmt: skip
def test_a_phone_written_after_the_mailing_address_does_not_beat_the_businesss_own(
    after: str, shared: Shared
) -> None:
    """The business's Organization gives its shop in town and its phone; the page's mailing
    address, none of the organisation's, is chosen, and a branch's phone written after it was
    written as the business's. The organisation is here, not a franchisor elsewhere: its
    phone is the business's own."""
    org = json.dumps({"@type": "Organization", "name": "Harbor Lane Plumbing",
                      "telephone": "(217) 555-0143", "address": {
                          "streetAddress": "418 Dockside Ave", "addressLocality": "Springfield",
                          "addressRegion": "IL", "postalCode": "62703"}})  # fmt: skip
    home = _html(f"<title>Harbor Lane Plumbing</title>{_jsonld(org)}"
                 f"<p>Mailing address: PO Box 2291, Springfield, IL 62705</p>{after}")  # fmt: skip
    result = shared.read({"/": home})
    assert result.status == "hit", result.detail
    (business,) = result.records
    assert business.employer_address.one_line() == "PO Box 2291, Springfield, IL 62705"
    assert business.phone == "(217) 555-0143"


@pytest.mark.parametrize(("state", "where"), [("Illinois", "Decatur, IL 62521"),
                                              ("IL", "Decatur, Illinois 62521")])  # fmt: skip
def test_a_state_written_in_full_on_one_side_agrees(state: str, where: str, shared: Shared) -> None:
    """The debtor's state and the site's were compared as written: "Illinois" was another
    state than "IL", and her employer's site in another town of her state was refused."""
    home = _html(f"<title>Harbor Lane Plumbing</title><p>412 Harbor Ln, {where}</p>")
    result = shared.read({"/": home}, state=state)
    assert result.status == "hit", result.detail
    assert result.records[0].employer_address.city == "Decatur"


@pytest.mark.parametrize(("state", "region"), [("Ontario", "ON"), ("ON", "Ontario"),
                                               ("Illinois, USA", "IL")])  # fmt: skip
def test_a_state_only_one_side_writes_as_a_code_leaves_the_town_to_agree(
    state: str, region: str, shared: Shared
) -> None:
    """A review: once states were compared as codes, a region no side could read as a US
    state's code ("Ontario" against "ON", "Illinois, USA") decided alone, and the employer's
    site in the debtor's own town was refused. The town agrees then, as before."""
    data = {"@type": "Organization", "name": "Harbor Lane Plumbing", "address": {
        "@type": "PostalAddress", "streetAddress": "12 Harbor Ln", "addressLocality": "Toronto",
        "addressRegion": region, "postalCode": "M5H 1A1"}}  # fmt: skip
    home = _html("<title>Harbor Lane Plumbing</title>"
                 f'<script type="application/ld+json">{json.dumps(data)}</script>')  # fmt: skip
    result = shared.read({"/": home}, city="Toronto", state=state)
    assert result.status == "hit", result.detail


@pytest.mark.parametrize(("locality", "region"), [
    ("Springfield (ask for Marcus Oyelaran)", "IL Marcus Oyelaran"),
    ("Springfield (ask for Marcus Oyelaran)", ""),  # no state: the town agrees
    ("Springfield", "Marcus Oyelaran IL"),
])  # fmt: skip
def test_a_town_and_state_that_go_on_to_name_someone_agree_as_written(
    locality: str, region: str, shared: Shared
) -> None:
    """A review: the records write a marked-up locality and region that go on to name whom
    mail reaches as Springfield, IL, but her area was compared with them as given, so the
    employer's site in her own town and state was refused as another area's."""
    result = shared.read({"/": _marked_up_home("PO Box 2291", locality, region, "62705")})
    assert result.status == "hit", result.detail
    written = result.records[0].employer_address
    assert (written.city, written.region) == ("Springfield", "IL" if region else "")
    assert "Oyelaran" not in repr(result.records)


@pytest.mark.parametrize(("locality", "region"), [
    ("Springfield, MO", ""),
    ("Springfield (Missouri)", ""),
    ("Springfield - MO (ask for Marcus Oyelaran)", ""),
])  # fmt: skip
def test_a_town_naming_another_state_after_its_words_does_not_agree(
    locality: str, region: str, shared: Shared
) -> None:
    """A review: once a locality was also read as its leading words ("Springfield" of
    "Springfield, MO"), a namesake's site in Springfield, MO with no region agreed with her
    Springfield, IL (a mixed file)."""
    _assert_no_result(locality, region, shared)


def test_a_region_naming_two_states_is_not_read_as_the_last(shared: Shared) -> None:
    """A review: once a region was also read as the code ending it ("Marcus Oyelaran IL"),
    "St. Louis Metro (MO/IL)" was IL, and a namesake's site in St. Louis, MO agreed with her
    Springfield, IL (a mixed file). Two states leave the town to decide, as before."""
    _assert_no_result("St. Louis", "St. Louis Metro (MO/IL)", shared)


def _assert_no_result(locality: str, region: str, shared: Shared) -> None:
    result = shared.read({"/": _marked_up_home("12 Elm St", locality, region, "65802")})
    assert (result.status, result.records) == ("no_result", ()), result.detail


def _marked_up_home(street: str, locality: str, region: str, postal_code: str) -> Reply:
    """Harbor Lane Plumbing's home page, its address in schema.org markup alone (the debtor's
    file gives her town and state, no ZIP)."""
    data = {"@type": "Organization", "name": "Harbor Lane Plumbing", "address": {
        "@type": "PostalAddress", "streetAddress": street, "addressLocality": locality,
        "addressRegion": region, "postalCode": postal_code}}  # fmt: skip
    return _html("<title>Harbor Lane Plumbing</title>"
                 f'<script type="application/ld+json">{json.dumps(data)}</script>')  # fmt: skip


def test_a_website_that_moved_to_another_domain_is_read_there(
    connector: Connector, site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    """The debtor's file names the old domain; it redirects to the business's site, which is
    adopted (how=redirect) and read as if given."""
    moved = {"/": Reply(301, b"", {"Location": site.url("/")}), "/robots.txt": Reply(404, b"")}
    with ReplayServer(moved) as old:
        policy = allowing(site.allow(fast_policy), "test servers", old)
        result = search(connector, policy, audit, debtor(employer_website=old.url("/")))
    assert result.status == "hit", result.detail
    assert result.records[0].employer_address.one_line() == "PO Box 2291, Springfield, IL 62705"
    sites = [(r.url, r.detail) for r in audit.rows() if r.event == "site"]
    assert sites == [(old.url("/"), "how=employer_website"), (site.url("/"), "how=redirect")]
    assert [r.path for r in old.received] == ["/robots.txt", "/"]


def test_a_website_that_moved_to_a_directory_is_refused(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    moved = {"/": Reply(301, b"", {"Location": "https://www.yelp.com/biz/harbor-lane"})}
    with ReplayServer(moved) as old:
        result = search(connector, old.allow(fast_policy), audit,
                        debtor(employer_website=old.url("/")))  # fmt: skip
    assert result.status == "refused"
    refused = [(r.rule, r.url) for r in audit.rows() if r.event == "refused"]
    assert ("origin", old.url("/")) in refused  # the hop, not sent: written as the site it left
    assert ("aggregator-site", "https://www.yelp.com/") in refused  # the move, refused
    assert not any("yelp" in r.url for r in audit.rows() if r.event in ("request", "site"))


@pytest.mark.parametrize(
    ("moved_to", "status", "words"),
    [(_html("<title>Another Business</title>"), "no_result", "does not name itself"),
     (_html("", 408), "timeout", "408"),
     (_html("", 404), "no_result", "the home page answered HTTP 404")],
    ids=["another business", "an outage", "no home page"],
)  # fmt: skip
def test_what_the_moved_site_says_is_the_result(
    moved_to: Reply, status: str, words: str, connector: Connector, fast_policy: Policy,
    audit: AuditLog,
) -> None:  # fmt: skip
    """After the move, the new site's own outcome is the source's: the hop refused for the
    move is not (an outage is never reported as a refusal, or as no result)."""
    with ReplayServer({"/": moved_to}) as new:
        moved = {"/": Reply(301, b"", {"Location": new.url("/")})}
        with ReplayServer(moved) as old:
            policy = allowing(fast_policy, "test servers", old, new)
            result = search(connector, policy, audit, debtor(employer_website=old.url("/")))
    assert result.status == status and words in result.detail, result.detail


def test_a_page_refused_on_the_way_does_not_replace_the_reason_found(
    connector: Connector, site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    """robots.txt refuses the staff list the site links to (caught, the reading goes on);
    the site is then found to be in another town: no_result, saying so, not "refused"."""
    query = debtor(employer_website=site.url("/"), city="Portland", state="OR")
    result = search(connector, site.allow(fast_policy), audit, query)
    assert ("robots", site.url("/staff/")) in [
        (r.rule, r.url) for r in audit.rows() if r.event == "refused"
    ]
    assert (result.status, result.records) == ("no_result", ())
    assert "none is in the debtor's area" in result.detail


@pytest.mark.parametrize(
    ("in_the_file", "on_the_page", "found"),
    [("Bob Whitfield", "Robert Whitfield", True),
     ("Robert Whitfield", "Richard Whitfield", False),
     ("William Whitfield", "Billie Whitfield", False),
     ("Robert Whitfield", "Bobbie Whitfield", False)],
)  # fmt: skip
def test_a_nickname_in_the_file_finds_the_formal_name_never_the_other_way(
    in_the_file: str, on_the_page: str, found: bool, connector: Connector, fast_policy: Policy,
    audit: AuditLog,
) -> None:  # fmt: skip
    """A formal name's nicknames include names in their own right (Billie, Bobbie): at a
    family business they may be the debtor's wife or daughter, so they are not looked for."""
    team = TEAM.replace("Dana Whitfield", on_the_page)
    with ReplayServer({"/": _html(HOME), "/our-team": _html(team)}) as s:
        query = debtor(full_name=in_the_file, employer_website=s.url("/"))
        result = search(connector, s.allow(fast_policy), audit, query)
    staff = [(r.person_name, r.title) for r in result.records if r.person_name]
    assert staff == ([(on_the_page, "Office Manager")] if found else [])


def test_a_home_page_that_times_out_is_an_outage_not_no_result(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    with ReplayServer({"/": _html("", 408)}) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
    assert (result.status, result.reason) == ("timeout", "timeout"), result.detail


def test_a_page_behind_a_login_is_not_read_and_not_an_outage(
    connector: Connector, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """The team page answers 401 (a staff area behind a login): the page is not public, so it
    is not read, like a page that is not there; it had been an outage, and the row was
    researched again on every run, forever. Its body (the login page, or the list it guards)
    never reaches the connector. A home page behind a login leaves nothing to read."""
    walled = Reply(401, TEAM.encode(), {"Content-Type": "text/html",
                                        "WWW-Authenticate": 'Basic realm="staff"'})  # fmt: skip
    routes = {"/": _html(HOME), "/our-team": walled, "/contact": _html("<p>x</p>"),
              "/about": _html("<p>x</p>")}  # fmt: skip
    with ReplayServer(routes) as s:
        result = search(connector, s.allow(fast_policy), audit,
                        debtor(employer_website=s.url("/")))  # fmt: skip
        row = output_row({"name": "Dana Whitfield", "employer": "Harbor Lane Plumbing"}, [result])
        assert "/our-team" in [r.path for r in s.received]
    assert result.status == "hit" and result.asked and not result.partly, result.partly
    assert [r.person_name for r in result.records] == [""]  # the site's record, no one's job
    assert row["status"] != "incomplete", row
    assert any(r.status == 401 and r.url.endswith("/our-team") for r in audit.rows())
    with ReplayServer({"/": walled}) as s:
        result = search(connector, s.allow(fast_policy), audit,
                        debtor(employer_website=s.url("/")))  # fmt: skip
    assert result.status == "no_result" and result.asked, result.detail
    assert result.detail == "127.0.0.1: the home page answered HTTP 401, nothing to read"


def test_a_redirect_off_the_site_is_written_as_a_declined_link_is(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A review: a same-site link that redirects to a colleague's profile, or to a domain of
    his own, was refused and never sent, but its refusal row held the whole URL, his name
    in it; the same link declined from the page keeps only its scheme and host, or the site
    it was on. A refused hop off an adopted site is now written the same way."""
    profile, own = "https://www.linkedin.com/in/marcus-oyelaran", "http://marcus-oyelaran.example/"
    routes = {"/": _html(HOME), "/our-team": _html(TEAM),
              "/contact": Reply(302, b"", {"Location": profile}),
              "/about": Reply(302, b"", {"Location": own})}  # fmt: skip
    with ReplayServer(routes) as s:
        result = search(connector, s.allow(fast_policy), audit,
                        debtor(employer_website=s.url("/")))  # fmt: skip
    assert result.status == "hit", result.detail
    refused = {(r.rule, r.url) for r in audit.rows() if r.event == "refused"}
    assert ("origin", s.url("/")) in refused  # the site it was on, not the colleague's domain
    assert any(url == "https://www.linkedin.com/" for _, url in refused), refused
    told = " ".join(f"{r.url} {r.detail}" for r in audit.rows())
    assert "oyelaran" not in told.lower(), told


def _recording(pages: dict[str, Reply]) -> tuple[Router, list[str]]:
    """A router serving ``pages`` (None, a 404, for any other), and the paths it was asked for."""
    asked: list[str] = []

    def route(method: str, path: str) -> Reply | None:
        asked.append(path)
        return pages.get(path)

    return route, asked


def _team_redirected(
    connector: Connector, policy: Policy, audit: AuditLog, target: str, page: Reply
) -> tuple[ConnectorResult, list[str]]:
    """The search on a site whose /our-team redirects to ``target`` (serving ``page``), and
    the paths the site was asked for."""
    pages = {"/": _html(HOME), target: page, "/our-team": Reply(301, b"", {"Location": target})}
    route, asked = _recording(pages)
    with ReplayServer(route) as s:
        result = search(connector, s.allow(policy), audit, debtor(employer_website=s.url("/")))
    return result, asked


def test_a_same_site_redirect_to_a_colleagues_own_page_is_never_sent(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A team link that redirects on the site to one colleague's own page (/our-team to
    /team/marcus-oyelaran) was followed, read and audited, his name in the row; the links on a
    page to such pages were never followed. A request on an adopted site to a page below a
    staff list is now refused by the guard, whichever way it came, and written with the
    site's scheme and host only."""
    own = _html("<h1>Marcus Oyelaran</h1><p>Lead Technician</p>")
    result, asked = _team_redirected(connector, fast_policy, audit, "/team/marcus-oyelaran", own)
    assert result.status == "hit", result.detail
    assert "/our-team" in asked and not any("oyelaran" in path for path in asked), asked
    told = " ".join(f"{r.url} {r.detail}" for r in audit.rows())
    assert "oyelaran" not in told.lower(), told
    assert any(r.event == "refused" and r.rule == "colleague-page" for r in audit.rows())


def test_a_team_page_that_redirects_to_its_index_file_is_read(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A static site's team page is its directory's index file (/our-team to
    /team/index.html): that page is the staff list itself, not one colleague's below it, and
    was refused as one, so the debtor named on it was never found."""
    result, asked = _team_redirected(connector, fast_policy, audit, "/team/index.html",
                                     _html(TEAM))  # fmt: skip
    assert "/team/index.html" in asked, asked
    assert not any(r.rule == "colleague-page" for r in audit.rows())
    assert [r.person_name for r in result.records if r.person_name] == ["Dana Whitfield"]


def test_a_same_site_redirect_naming_a_colleague_in_its_query_is_never_sent(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A hostile review: /our-team redirected to /team/?member=marcus-oyelaran, the person
    named in the query, not the path; the request was sent and its URL, his name in it,
    audited. The link reader asks for no page with a query, so on an adopted site a query to
    a team, about or contact page came from a redirect: it is refused, written with the
    site's scheme and host only, and the reading goes on to the next page."""
    result, asked = _team_redirected(connector, fast_policy, audit,
                                     "/team/?member=marcus-oyelaran", _html(TEAM))  # fmt: skip
    assert result.status == "hit", result.detail
    assert not any("oyelaran" in path for path in asked), asked
    assert asked.index("/our-team") < asked.index("/about"), asked  # the rest still read
    whole = repr(audit.rows())  # every column of every row: what an export writes
    assert "oyelaran" not in whole.lower(), whole
    [refused] = [r for r in audit.rows() if r.event == "refused" and r.rule == "colleague-page"]
    assert (urlsplit(refused.url).path, urlsplit(refused.url).query) == ("/", "")


COLLEAGUE_HOME = (
    "<html><head><title>Harbor Lane Plumbing</title></head><body>"
    '<a href="/contact-us">Contact us</a><a href="/our-team">Meet the team</a>'
    '<a href="/about">About</a><a href="/marcus-oyelaran">Our team</a>'
    "<p>PO Box 2291, Springfield, IL 62705</p></body></html>"
)
MARCUS = _html("<h1>Marcus Oyelaran</h1><p>Lead Technician</p>")


@pytest.mark.parametrize("target", [
    "/marcus-oyelaran", "/?member=marcus-oyelaran", "/team;member=marcus-oyelaran",
    "/team.marcus-oyelaran", "/profile.php?id=marcus-oyelaran",
])  # fmt: skip
def test_no_url_the_site_chooses_writes_a_colleagues_name_in_the_audit_log(
    connector: Connector, fast_policy: Policy, audit: AuditLog, target: str
) -> None:
    """A hostile review: every path the connector asks for on an adopted site is the server's
    (its links, its redirects), and /our-team redirecting to /marcus-oyelaran, /?member=...,
    /team;member=..., /team.marcus-oyelaran or /profile.php?id=... was sent and audited with
    his name: path-word rules cannot know what a name looks like. A row on the adopted site
    now keeps only the words of a small fixed vocabulary (team, contact, index, html...),
    every other word written as *; the reading goes on, and ordinary pages stay readable."""
    robots = Reply(200, b"", {"Content-Type": "text/plain"})
    pages = {"/": _html(COLLEAGUE_HOME), "/our-team": Reply(301, b"", {"Location": target}),
             target: MARCUS, "/marcus-oyelaran": MARCUS, "/contact-us": _html("<p>x</p>"),
             "/about": _html(TEAM), "/robots.txt": robots}  # fmt: skip
    route, asked = _recording(pages)
    with ReplayServer(route) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
        readable = {s.url(path) for path in ("/", "/robots.txt", "/contact-us", "/about")}
    assert result.status == "hit", result.detail
    assert asked.index("/our-team") < asked.index("/about"), asked  # the rest still read
    whole = f"{audit.rows()!r} {result!r}".lower()  # every column of every row, every record
    assert "oyelaran" not in whole and "marcus" not in whole, whole
    assert readable <= {row.url for row in audit.rows()}, [row.url for row in audit.rows()]
    assert audit.verify().ok  # the chain covers the rows as written


def test_a_page_the_site_chose_names_no_colleague_in_the_results(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A hostile review: /our-team redirected to /marcus-oyelaran, where the business's
    address was read, and /about to /about-marcus-oyelaran, which answered 500: the business
    record's source (the enrich output's found_employer_source) and the outage beside the
    records named him. A page of the adopted site is now written as its audit row is; the
    address read there stands."""
    home = COLLEAGUE_HOME.replace("<p>PO Box 2291, Springfield, IL 62705</p>", "")
    marcus = "<h1>Marcus Oyelaran</h1><p>Mail: PO Box 2291, Springfield, IL 62705</p>"
    routes = {"/": _html(home), "/contact-us": _html(TEAM), "/marcus-oyelaran": _html(marcus),
              "/our-team": Reply(301, b"", {"Location": "/marcus-oyelaran"}),
              "/about": Reply(302, b"", {"Location": "/about-marcus-oyelaran"}),
              "/about-marcus-oyelaran": _html("down", 500)}  # fmt: skip
    with ReplayServer(routes) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
        sources = [(r.person_name, r.provenance.source_url) for r in result.records]
        assert sources == [("", s.url("/*-*")), ("Dana Whitfield", s.url("/contact-us"))]
    assert result.records[0].employer_address.one_line() == "PO Box 2291, Springfield, IL 62705"
    assert result.partly.startswith("business_pages error:"), result.partly
    row = output_row({"name": "Dana Whitfield", "employer": "Harbor Lane Plumbing"}, [result])
    told = f"{result!r} {row!r} {audit.rows()!r}".lower()
    assert "oyelaran" not in told and "marcus" not in told, told


def _by_name(policy: Policy) -> Policy:
    """``policy`` with loopback by name as fast as by number: at the default rate (1/s), each
    of this site's requests waited a second."""
    why = "a replay server on loopback, by name"
    rates = {"127.0.0.1": "2000/s", "localhost": "2000/s"}
    return merge(
        policy, {"rate": {"hosts": rates}, "override": [{"key": "rate.hosts", "reason": why}]}, why
    )


def test_a_page_on_the_sites_host_spelt_with_a_trailing_dot_names_no_colleague(
    connector: Connector, fast_policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hostile review: /our-team redirected to http://localhost.:PORT/marcus-oyelaran, the
    site's host with the trailing dot DNS allows, where the address was read, and /about to
    .../about-marcus-oyelaran, larger than the size cap. The guard reads both as the adopted
    site, but the results and the rows compared the host as written: the business record's
    source, the outage beside it and the error row's detail named him. The host is now
    compared as the guard reads it."""
    fenced = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:  # as DNS does: the same name
        return fenced("localhost" if host == "localhost." else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    home = COLLEAGUE_HOME.replace("<p>PO Box 2291, Springfield, IL 62705</p>", "")
    routes = {"/": _html(home), "/contact-us": _html(TEAM),
              "/marcus-oyelaran": _html("<p>Mail: PO Box 2291, Springfield, IL 62705</p>"),
              "/about-marcus-oyelaran": _html("<p>" + "x" * 30_000 + "</p>")}  # fmt: skip
    route, _ = _recording(routes)
    with ReplayServer(route) as s:  # the redirects name its port
        site = s.base_url.replace("127.0.0.1", "localhost")
        dotted = site.replace("localhost", "localhost.")
        routes["/our-team"] = Reply(301, b"", {"Location": f"{dotted}/marcus-oyelaran"})
        routes["/about"] = Reply(302, b"", {"Location": f"{dotted}/about-marcus-oyelaran"})
        policy = allowing(_by_name(fast_policy), "a replay server on loopback, by name", site)
        small = merge(policy, {"limits": {"max_response_bytes": 20_000}}, "a small size cap")
        result = search(connector, small, audit, debtor(employer_website=f"{site}/"))
        assert result.records[0].provenance.source_url == f"{dotted}/*-*", result.records
    assert result.records[0].employer_address.one_line() == "PO Box 2291, Springfield, IL 62705"
    assert "is larger than 20000 bytes" in result.partly, result.partly
    assert any("is larger than" in r.detail for r in audit.rows())
    row = output_row({"name": "Dana Whitfield", "employer": "Harbor Lane Plumbing"}, [result])
    told = f"{result!r} {row!r} {audit.rows()!r}".lower()
    assert "oyelaran" not in told and "marcus" not in told, told


def test_a_redirect_naming_a_colleague_as_its_port_is_audited_without_it(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A hostile review: /our-team redirected to ftp://HOST:marcus-oyelaran/team, the name
    where a port goes; the hop was refused (an ftp: URL), and its row kept the authority as
    written, the name in it. A row writes each word where a port goes *."""
    route, _ = _recording({"/": _html(COLLEAGUE_HOME), "/contact-us": _html(TEAM),
                           "/our-team": Reply(302, b"", {"Location": "ftp://127.0.0.1:"
                                                         "marcus-oyelaran/team"})})  # fmt: skip
    with ReplayServer(route) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
    assert result.status == "hit", result.detail
    [refused] = [r for r in audit.rows() if r.rule == "scheme"]
    assert refused.url == "ftp://127.0.0.1:*-*/team", refused
    assert "oyelaran" not in f"{result!r} {audit.rows()!r}".lower()


def _raw_site(
    server: RawServer, target: str, connection: socket.socket, bad: tuple[str, bytes]
) -> bool:
    """The colleague site over raw HTTP: its home page, a team page at /contact-us, and
    ``bad`` (path, answer; ``{base}`` in it the server's own scheme and host)."""
    path, answer = bad
    if target == path:
        connection.sendall(answer.replace(b"{base}", server.base_url.rpartition(":")[0].encode()))
        return False
    page = {"/": COLLEAGUE_HOME, "/contact-us": TEAM}.get(target, "").encode()
    status = b"200 OK" if page else b"404 Not Found"
    connection.sendall(b"HTTP/1.1 %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s"
                       % (status, len(page), page))  # fmt: skip
    return True


HEADER_LINE = b"HTTP/1.1 200 OK\r\nX-Staff marcus-oyelaran\r\nContent-Length: 0\r\n\r\n"
STATUS_LINE = b"HTTP/1.1 2000 marcus-oyelaran\r\nContent-Length: 0\r\n\r\n"
PORT = b"HTTP/1.1 302 Found\r\nLocation: {base}:marcus-oyelaran/\r\nContent-Length: 0\r\n\r\n"
NOT_KEPT = "RemoteProtocolError: its message is not kept"


@pytest.mark.parametrize(("bad", "said"), [
    (("/our-team", HEADER_LINE), NOT_KEPT), (("/our-team", STATUS_LINE), NOT_KEPT),
    (("/our-team", PORT), NOT_KEPT), (("/robots.txt", HEADER_LINE), NOT_KEPT),
    (("/robots.txt", PORT), "its fetch was refused (invalid-url)"),
])  # fmt: skip
def test_an_answer_the_network_library_cannot_read_names_no_colleague(
    connector: Connector, fast_policy: Policy, audit: AuditLog, bad: tuple[str, bytes], said: str
) -> None:
    """A hostile review: /our-team or /robots.txt answered with a header line, a status line
    or a Location port that was a colleague's name; httpx's and h11's messages quote what the
    server sent, and the error rows (retries too), the robots.txt refusal and the outage
    beside the records (enrich's status_detail) named him, and a robots.txt redirected to
    such a Location ended the search as the connector's own error. On an adopted site such a
    message is written as its type only, and a robots.txt redirected to no URL is read as one
    whose fetch was refused."""
    with RawServer(lambda *answer: _raw_site(*answer, bad)) as s:
        policy = allowing(fast_policy, "a raw server on loopback", s.base_url)
        result = search(connector, policy, audit, debtor(employer_website=s.url("/")),
                        VirtualTime().pace())  # fmt: skip
    row = output_row({"name": "Dana Whitfield", "employer": "Harbor Lane Plumbing"}, [result])
    assert said in row["status_detail"], row
    told = f"{result!r} {row!r} {audit.rows()!r}".lower()
    assert "oyelaran" not in told, told


def test_the_debtors_own_page_names_no_one_else(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """The page the debtor was found on is her evidence, and its URL is kept; but the site
    chose it (a link's path needed only a word such as team), and /team.marcus-oyelaran
    listing her too named him in her record. It was then written as its audit row is; now a
    path naming someone is not read at all, and /our-team is kept as it was."""
    home = ('<title>Harbor Lane Plumbing</title><a href="/team.marcus-oyelaran">Team</a>'
            '<a href="/our-team">Our team</a>')  # fmt: skip
    routes = {"/": _html(home), "/our-team": _html(TEAM), "/team.marcus-oyelaran": _html(TEAM)}
    with ReplayServer(routes) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
        found = {r.provenance.source_url for r in result.records if r.person_name}
        assert found == {s.url("/our-team")}, found
        assert "/team.marcus-oyelaran" not in [r.path for r in s.received]
    assert "oyelaran" not in repr(result).lower(), result


def test_a_home_page_below_a_word_holding_team_is_read(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """The home page redirected to /teamwork/home, refused as a colleague's page ("team"
    inside "teamwork"), and the whole site was lost. A part names a staff list only by a
    word of its own; the team page itself is read as before."""
    routes = {"/": Reply(302, b"", {"Location": "/teamwork/home"}), "/teamwork/home": _html(HOME),
              "/our-team": _html(TEAM)}  # fmt: skip
    with ReplayServer(routes) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
        paths = [r.path for r in s.received]
    assert result.status == "hit", result.detail
    assert "/teamwork/home" in paths and "/our-team" in paths, paths
    assert [r.person_name for r in result.records if r.person_name] == ["Dana Whitfield"]
    assert not any(r.rule == "colleague-page" for r in audit.rows())


def test_a_page_that_failed_and_nothing_found_is_not_no_result(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """The contact page answers 500 (skipped, the reading goes on) and the site turns out to
    be in another town: the search could not read all it meant to, so it is an error (the
    row is researched again), not no_result."""
    home = HOME.replace("PO Box 2291, Springfield, IL 62705", "12 Elm St, Portland, OR 97201")
    with ReplayServer({"/": _html(home), "/contact": _html("down", 500)}) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
    assert (result.status, result.reason) == ("error", "error"), result.detail
    assert "500" in result.detail


SOCIAL = ("https://www.facebook.com/harborlane", "https://www.instagram.com/harborlane",
          "https://www.pinterest.com/harborlane", "https://www.youtube.com/@harborlane",
          "https://wa.me/12175550143", "https://www.linkedin.com/company/harborlane",
          "https://www.facebook.com/harborlane/photos")  # fmt: skip


def test_every_social_network_linked_is_declined_on_the_record(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """Three declines per kind were recorded: Pinterest, wa.me and YouTube never were. Each
    host is now recorded once (the row keeps only the scheme and host)."""
    links = "".join(f'<a href="{url}">us</a>' for url in SOCIAL)
    with ReplayServer({"/": _html(HOME.replace("</body>", f"{links}</body>"))}) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
    assert result.status == "hit", result.detail
    declined = sorted(r.url for r in audit.rows() if r.event == "refused" and r.rule == "social")
    assert declined == sorted({url.split("/", 3)[0] + "//" + url.split("/")[2] + "/"
                               for url in SOCIAL})  # fmt: skip


@pytest.mark.parametrize(
    ("line", "name", "title"),
    [("Whitfield, Dana - Office Manager", "Whitfield, Dana", "Office Manager"),
     ("Dana J. Whitfield - Office Manager", "Dana J. Whitfield", "Office Manager"),
     ("Dana J Whitfield, Office Manager", "Dana J Whitfield", "Office Manager")],
)  # fmt: skip
def test_last_first_and_a_middle_initial_on_the_page_are_the_debtor(
    line: str, name: str, title: str, shared: Shared
) -> None:
    """The file has no middle name: a page writing one initial, or "Last, First" before the
    title, was missed (a review)."""
    team = TEAM.replace("Dana Whitfield - Office Manager", line)
    result = shared.read({"/": _html(HOME), "/our-team": _html(team)})
    staff = [(r.person_name, r.title) for r in result.records if r.person_name]
    assert staff == [(name, title)]


def test_the_business_record_carries_its_website(
    connector: Connector, site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    result = search(connector, site.allow(fast_policy), audit,
                    debtor(employer_website=site.url("/")))  # fmt: skip
    assert [r.website for r in result.records if r.employer] == [site.url("/")] * 2


def test_another_middle_initial_is_another_person(shared: Shared) -> None:
    """The file gives her middle name: a page's Dana J. Whitfield (a relative?) is not her."""
    team = TEAM.replace("Dana Whitfield - Office Manager", "Dana J. Whitfield - Office Manager")
    result = shared.read(
        {"/": _html(HOME), "/our-team": _html(team)}, full_name="Dana Marie Whitfield"
    )
    assert [r.person_name for r in result.records if r.person_name] == []


@pytest.mark.parametrize("title", ["Home", "Plumber in Springfield, IL | 24/7 Drain Cleaning"])
def test_a_site_named_only_in_its_footer_is_the_employers(title: str, shared: Shared) -> None:
    """The issue lists the footer among a site's names: a home page titled "Home" whose
    copyright notice names the employer was refused (a review); a slogan for a title too (the
    next review)."""
    home = HOME.replace("<title>Harbor Lane Plumbing</title>", f"<title>{title}</title>").replace(
        "</body>", "<footer>\u00a9 2024 Harbor Lane Plumbing, LLC</footer></body>"
    )
    result = shared.read({"/": _html(home), "/our-team": _html(TEAM)})
    assert result.status == "hit", result.detail
    assert result.records[0].employer == "Harbor Lane Plumbing, LLC"


def test_a_phone_written_on_the_contact_page_is_the_businesss(shared: Shared) -> None:
    """ "Phone: (217) 555-0143" as text gave no phone (a review): only schema.org's counted."""
    contact = ("<title>Contact</title><p>Mailing address: PO Box 2291, Springfield, IL 62705</p>"
               "<p>Phone: (217) 555-0143</p><p>Fax: (217) 555-0199</p>")  # fmt: skip
    team = TEAM.replace("Office Manager", "Office Manager, direct line: (217) 555-0177")
    routes = {"/": _html(HOME.replace("<p>PO Box 2291, Springfield, IL 62705</p>", "")),
              "/contact": _html(contact), "/our-team": _html(team)}  # fmt: skip
    result = shared.read(routes)
    assert result.status == "hit", result.detail
    assert (result.records[0].phone, result.records[0].employer_address.one_line()) == (
        "(217) 555-0143",
        "PO Box 2291, Springfield, IL 62705",
    )


@pytest.mark.parametrize(("written", "hers", "status"), [
    ("(503) 555-0100", "217-555-0199", "no_result"),
    ("(217) 555-0143", "217-555-0199", "hit"),
    ("(217) 555-0143", "", "no_result"),  # as a schema.org phone: nothing compares with her town
    ("1-800-555-0100", "217-555-0199", "hit"),  # toll-free: no area, so no place to disagree
    ("(888) 555-0100", "", "hit"),
])  # fmt: skip
def test_a_phone_written_on_the_site_is_compared_with_the_debtors(
    written: str, hers: str, status: str, shared: Shared,
) -> None:  # fmt: skip
    """A namesake's site showing no address, only "Phone: (503) ..." in Portland, for a debtor
    whose phone is a Springfield one: only schema.org's phones were compared, so the site
    "showed nothing", agreed, and its phone was written as her employer's."""
    home = _html(f"<title>Harbor Lane Plumbing</title><p>Call us! Phone: {written}</p>")
    result = shared.read({"/": home}, phone=hers)
    assert result.status == status, result
    assert [r.phone for r in result.records] == ([written] if status == "hit" else [])


def test_searxngs_limiter_is_rate_limited_never_no_site(
    connector: Connector, site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    busy = Reply(429, b"Too Many Requests", {"Content-Type": "text/plain", "Retry-After": "30"})
    time = VirtualTime()  # the waits between tries pass at once
    with ReplayServer({"/search": busy}) as searx:
        policy = _with_searx(fast_policy, searx, site)
        result = search(connector, policy, audit, debtor(), time.pace())
    assert (result.status, result.reason) == ("rate_limited", "rate_limited"), result.detail
    assert site.received == []


def test_a_broken_json_ld_script_beside_a_good_one_loses_only_itself(shared: Shared) -> None:
    broken = '<script type="application/ld+json">{"@type": "Organization", "name": </script>'
    good = ('<script type="application/ld+json">{"@type": "Plumber", "name": "Harbor Lane '
            'Plumbing, LLC", "telephone": "(217) 555-0143", "address": {"@type": '
            '"PostalAddress", "streetAddress": "PO Box 2291", "addressLocality": "Springfield", '
            '"addressRegion": "IL", "postalCode": "62705"}}</script>')  # fmt: skip
    home = ("<html><head><title>Welcome</title>" + broken + good + "</head><body>"
            '<a href="/our-team">Our team</a></body></html>')  # fmt: skip
    result = shared.read({"/": _html(home), "/our-team": _html(TEAM)})
    assert result.status == "hit", result.detail
    business = result.records[0]
    assert (business.employer, business.phone) == ("Harbor Lane Plumbing, LLC", "(217) 555-0143")
    assert business.employer_address.one_line() == "PO Box 2291, Springfield, IL 62705"


@pytest.mark.parametrize(
    "team",
    [
        '<title>Team</title><script type="application/ld+json">{"@type": "Person", "name": '
        '"Dana Whitfield", "jobTitle": "Executive Assistant", "worksFor": {"@type": "Person", '
        '"name": "Marcus Oyelaran"}}</script>',
        '<title>Team</title><div class="team"><p>Dana Whitfield - Office Manager</p>'
        "<p>Marcus Oyelaran, 12 Elm St, Springfield, IL 62704</p></div>",
    ],
)
def test_no_colleague_reaches_a_snippet(team: str, shared: Shared) -> None:
    """A review: a worksFor naming a person went into the staff record's snippet, and a
    colleague's line with an address into the business's (its other addresses)."""
    result = shared.read({"/": _html(HOME), "/our-team": _html(team)})
    assert result.status == "hit", result.detail
    assert "Oyelaran" not in repr(result.records)
    assert next(r.snippet for r in result.records if r.person_name).startswith("Dana Whitfield - ")


def test_whom_the_businesss_mailing_address_reaches_is_never_written(shared: Shared) -> None:
    """A review: the site's JSON-LD wrote its PO box "Attn: Marcus Oyelaran", and the business
    record and the debtor's employment record (``found_employer_address``) named him."""
    node = (
        '{"@type": "Organization", "name": "Harbor Lane Plumbing", "address": {"@type": '
        '"PostalAddress", "streetAddress": "Attn: Marcus Oyelaran, PO Box 2291", '
        '"addressLocality": "Springfield", "addressRegion": "IL", "postalCode": "62705"}}'
    )
    home = ("<html><head><title>Harbor Lane Plumbing</title>" + _jsonld(node) + "</head><body>"
            '<a href="/our-team">Our team</a></body></html>')  # fmt: skip
    result = shared.read({"/": _html(home), "/our-team": _html(TEAM)})
    assert result.status == "hit", result.detail
    assert [r.employer_address.one_line() for r in result.records] == [
        "PO Box 2291, Springfield, IL 62705"
    ] * 2
    assert "Oyelaran" not in repr(result.records)


@pytest.mark.parametrize(
    "address",
    [
        "<footer>PO Box 2291 &middot; Marcus Oyelaran &middot; Springfield, IL 62705</footer>",
        _jsonld('{"@type": "Organization", "name": "Harbor Lane Plumbing", "address": {"@type": '
                '"PostalAddress", "streetAddress": ["PO Box 2291", "Office of Marcus Oyelaran"], '
                '"addressLocality": "Springfield", "addressRegion": "IL", "postalCode": '
                '"62705"}}'),
    ],
    ids=["text", "json-ld"],
)  # fmt: skip
def test_a_name_between_the_mailing_address_s_street_and_town_is_never_written(
    address: str, shared: Shared
) -> None:
    """A review: a line after the PO box naming a person ("Marcus Oyelaran", "Office of
    ...") was one of the business's address lines, in its record and the debtor's. A line
    written is a street, unit, building or box, or holds a number ("Dept 4432")."""
    home = ("<html><head><title>Harbor Lane Plumbing</title></head><body>"
            f'<a href="/our-team">Our team</a>{address}</body></html>')  # fmt: skip
    result = shared.read({"/": _html(home), "/our-team": _html(TEAM)})
    assert result.status == "hit", result.detail
    assert [r.employer_address.one_line() for r in result.records] == [
        "PO Box 2291, Springfield, IL 62705"
    ] * 2


def test_a_name_run_into_the_mailing_address_s_town_is_never_written(shared: Shared) -> None:
    """A review: "PO Box 2291 Attn: Marcus Oyelaran Springfield, IL 62705" in a footer's spans
    (no line break, no comma) gave the town "Marcus Oyelaran Springfield", written in the
    business's record and the debtor's. Where his name ends cannot be told in one piece of
    text: no town is written, the box and ZIP are; with the town in an element of its own, it
    is the town."""
    for footer, town in [
        ("<p>PO Box 2291 Attn: Marcus Oyelaran Springfield, IL 62705</p>", ""),
        ("<span>PO Box 2291</span> <span>Attn: Marcus Oyelaran</span> "
         "<span>Springfield, IL 62705</span>", "Springfield, "),
    ]:  # fmt: skip
        home = (
            "<html><head><title>Harbor Lane Plumbing</title></head><body>"
            f'<a href="/our-team">Our team</a><footer>{footer}</footer></body></html>'
        )
        result = shared.read({"/": _html(home), "/our-team": _html(TEAM)})
        assert result.status == "hit", result.detail
        assert [r.employer_address.one_line() for r in result.records] == [
            f"PO Box 2291, {town}IL 62705"
        ] * 2
        assert "Oyelaran" not in repr(result.records)


@pytest.mark.parametrize(
    "phone",
    [
        '"telephone": "(217) 555-0143 (Marcus Oyelaran)"',
        '"telephone": "Ask for Marcus Oyelaran: (217) 555-0143"',
        '"telephone": ["tel:(217) 555-0143 Marcus"]',
    ],
)
def test_the_businesss_phone_is_written_without_whom_it_reaches(phone: str, shared: Shared) -> None:
    """A review: a schema.org telephone naming whom it reaches ("(217) 555-0143 (Marcus
    Oyelaran)") was the business record's phone as written. Only the number is written."""
    node = ('{"@type": "Plumber", "name": "Harbor Lane Plumbing", ' + phone + ', "address": '
            '{"@type": "PostalAddress", "streetAddress": "PO Box 2291", "addressLocality": '
            '"Springfield", "addressRegion": "IL", "postalCode": "62705"}}')  # fmt: skip
    home = ("<html><head><title>Harbor Lane Plumbing</title>" + _jsonld(node) + "</head><body>"
            '<a href="/our-team">Our team</a></body></html>')  # fmt: skip
    result = shared.read({"/": _html(home), "/our-team": _html(TEAM)})
    assert result.status == "hit", result.detail
    assert result.records[0].phone == "(217) 555-0143"
    assert "Oyelaran" not in repr(result.records) and "Marcus" not in repr(result.records)


@pytest.mark.parametrize(
    ("postcode", "written"),
    [("62705 Marcus Oyelaran", "62705"), ("62705-1234 (Marcus)", "62705-1234"),
     ("62705", "62705")],
)  # fmt: skip
def test_the_mailing_address_s_postcode_is_written_as_a_postcode(
    postcode: str, written: str, shared: Shared
) -> None:
    """A review: a schema.org postalCode naming whom mail reaches ("62705 Marcus Oyelaran")
    was written whole in the business's address. A postcode is its words holding a digit."""
    found = _marked_up_address(shared, postalCode=postcode)
    assert [address.postal_code for address in found] == [written] * 2


def _marked_up_address(shared: Shared, **fields: str) -> list[Address]:
    """The business's address as each record writes it, read from a schema.org PostalAddress
    of ``fields`` over PO Box 2291, Springfield, IL 62705."""
    address = {"@type": "PostalAddress", "streetAddress": "PO Box 2291",
               "addressLocality": "Springfield", "addressRegion": "IL", "postalCode": "62705",
               **fields}  # fmt: skip
    node = json.dumps({"@type": "Plumber", "name": "Harbor Lane Plumbing", "address": address})
    home = ("<html><head><title>Harbor Lane Plumbing</title>" + _jsonld(node) + "</head><body>"
            '<a href="/our-team">Our team</a></body></html>')  # fmt: skip
    result = shared.read({"/": _html(home), "/our-team": _html(TEAM)})
    assert result.status == "hit", result.detail
    return [record.employer_address for record in result.records]


@pytest.mark.parametrize(
    ("city", "written"),
    [("Springfield (ask for Marcus Oyelaran)", "Springfield"),
     ("Springfield - Marcus Oyelaran", "Springfield"), ("Springfield; Marcus", "Springfield"),
     ("St. Louis", "St. Louis"), ("Coeur d'Alene", "Coeur d'Alene"),
     ("Winston-Salem", "Winston-Salem")],
)  # fmt: skip
def test_the_mailing_address_s_town_is_written_as_a_town(
    city: str, written: str, shared: Shared
) -> None:
    """A review: a schema.org addressLocality naming whom mail reaches ("Springfield (ask for
    Marcus Oyelaran)") was written whole in the business's address, as its postcode had been.
    A town is its words of letters, joined by a blank, a dot, an apostrophe or a hyphen."""
    found = _marked_up_address(shared, addressLocality=city)
    assert [address.city for address in found] == [written] * 2


def test_an_address_on_a_staff_page_is_never_the_businesss(shared: Shared) -> None:
    """A team page's addresses may be its people's own: the business's is read elsewhere."""
    home = HOME.replace("<p>PO Box 2291, Springfield, IL 62705</p>", "")
    team = TEAM.replace("</div>", "<p>Marcus Oyelaran, 12 Elm St, Springfield, IL 62704</p></div>")
    result = shared.read({"/": _html(home), "/our-team": _html(team)})
    assert result.status == "hit", result.detail
    assert [r.employer_address.one_line() for r in result.records if r.employer] == ["", ""]


def test_a_colleagues_own_domain_is_never_written_in_the_audit_log(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """An off-site link was declined under its host: marcus-oyelaran.example named him in the
    log (a review). It is declined under the site it was on, once per page."""
    links = "".join(f'<p>{name} <a href="https://{name.lower()}.example/">site</a></p>'
                    for name in ("Marcus-Oyelaran", "Priya-Venkataraman"))  # fmt: skip
    team = TEAM.replace("</div>", f"{links}</div>")
    with ReplayServer({"/": _html(HOME), "/our-team": _html(team)}) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
    assert result.status == "hit", result.detail
    rows = audit.rows()
    offsite = [r.url for r in rows if r.event == "refused" and r.rule == "off-site"]
    assert offsite == [s.url("/")]
    logged = " ".join(f"{r.url} {r.detail}" for r in rows).lower()
    assert "oyelaran" not in logged and "venkataraman" not in logged


def test_a_web_agencys_site_with_a_clients_notice_is_not_the_clients(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A review: an agency's portfolio card read "(c) Harbor Lane Plumbing", and its designer
    Dana Whitfield became the employer's staff."""
    home = ("<html><head><title>Acme Web Design</title></head><body><div class='work'>"
            "<div class='card-footer'>&copy; Harbor Lane Plumbing</div></div>"
            "<a href='/our-team'>Our team</a><footer>&copy; 2024 Acme Web Design.</footer>"
            "</body></html>")  # fmt: skip
    team = TEAM.replace("Office Manager", "Designer")
    with ReplayServer({"/": _html(home), "/our-team": _html(team)}) as s:
        result = search(connector, s.allow(fast_policy), audit, debtor(employer_website=s.url("/")))
    assert (result.status, result.records) == ("no_result", ())


def test_two_middle_initials_on_one_site_are_two_people_neither_employed(shared: Shared) -> None:
    """The file gives no middle name, and the team page lists Dana R. and Dana J. Whitfield: both
    were taken for the debtor (a review)."""
    two = "Dana R. Whitfield - Owner</p><p>Dana J. Whitfield - Apprentice"
    team = TEAM.replace("Dana Whitfield - Office Manager", two)
    result = shared.read({"/": _html(HOME), "/our-team": _html(team)})
    named = [(r.person_name, r.employer) for r in result.records if r.person_name]
    assert named == [("Dana R. Whitfield", ""), ("Dana J. Whitfield", "")]


def test_a_juniors_father_on_the_team_page_is_not_the_debtor(shared: Shared) -> None:
    """A review: the debtor is Dana Whitfield Jr.; "Dana Whitfield Sr. - Founder" became her
    employment, stored as "Dana Whitfield"."""
    team = TEAM.replace("Dana Whitfield - Office Manager", "Dana Whitfield Sr. - Founder")
    result = shared.read(
        {"/": _html(HOME), "/our-team": _html(team)}, full_name="Dana Whitfield Jr."
    )
    assert [r.person_name for r in result.records if r.person_name] == []
    team = TEAM.replace("Dana Whitfield - Office Manager", "Dana Whitfield Jr. - Office Manager")
    result = shared.read(
        {"/": _html(HOME), "/our-team": _html(team)}, full_name="Dana Whitfield Jr."
    )
    staff = [(r.person_name, r.title) for r in result.records if r.person_name]
    assert staff == [("Dana Whitfield Jr.", "Office Manager")]


def test_a_suffix_in_its_own_column_is_looked_for(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """A review: a debtor row with suffix Jr in its own column lost "Dana Whitfield Jr."."""
    team = TEAM.replace("Dana Whitfield - Office Manager", "Dana Whitfield Jr. - Office Manager")
    with ReplayServer({"/": _html(HOME), "/our-team": _html(team)}) as s:
        query = Query.of("D-1", first_name="Dana", last_name="Whitfield", suffix="Jr",
                         employer="Harbor Lane Plumbing", employer_website=s.url("/"))  # fmt: skip
        result = search(connector, s.allow(fast_policy), audit, query)
    assert [r.person_name for r in result.records if r.person_name] == ["Dana Whitfield Jr."]


@pytest.mark.parametrize("link", ["/about-harbor-lane", "/team.dana-lane"])
def test_a_link_holding_the_debtors_name_is_read_as_for_anyone_else(
    connector: Connector, fast_policy: Policy, audit: AuditLog, link: str
) -> None:
    """Dana Lane works at Harbor Lane Plumbing, whose home page links /about-harbor-lane (or
    her own /team.dana-lane). A path holding her last name had been refused for her alone (a
    debtor value in the URL): the site could tell her from every other debtor, and the
    refusal had once ended the whole search. A page written in the business's own words is
    now read as it is for anyone; one that names someone is never followed, whoever she is.
    Neither is a refusal, and neither ends the search."""
    home = ("<html><head><title>Harbor Lane Plumbing</title></head><body>"
            f'<a href="{link}">About</a><a href="/contact">Contact</a>'
            '<a href="/our-team">Our team</a></body></html>')  # fmt: skip
    team = '<title>Team</title><div class="team"><p>Dana Lane - Office Manager</p></div>'
    routes = {"/": _html(home), link: _html("<title>About</title><p>Since 1987.</p>"),
              "/our-team": _html(team),
              "/contact": _html("<p>Mail: PO Box 2291, Springfield, IL 62705</p>")}  # fmt: skip
    with ReplayServer(routes) as s:
        result = search(connector, s.allow(fast_policy), audit,
                        debtor(full_name="Dana Lane", employer_website=s.url("/")))  # fmt: skip
        paths = [r.path for r in s.received]
        home_url = s.url("/")
    assert result.status == "hit", result.detail
    business, staff = result.records
    assert business.employer_address.one_line() == "PO Box 2291, Springfield, IL 62705"
    assert (staff.person_name, staff.title) == ("Dana Lane", "Office Manager")
    assert staff.provenance.source_url == home_url.rstrip("/") + "/our-team"
    assert (link in paths) == (link == "/about-harbor-lane") and "/our-team" in paths, paths
    assert [r for r in audit.rows() if r.rule == "debtor-value"] == []
    if link == "/team.dana-lane":
        assert link.casefold() not in repr(audit.rows()).casefold()


def test_a_website_given_with_a_path_holding_the_debtors_name_is_read_from_its_home(
    connector: Connector, fast_policy: Policy, audit: AuditLog
) -> None:
    """An employer_website (or a search result) of /about-harbor-lane for Dana Lane was handed
    to adopt_site whole, and its path, her last name as a word, ended the whole search as an
    error on every run; the site is adopted from its home page, which is all that is read."""
    home = (
        "<html><head><title>Harbor Lane Plumbing</title></head><body>"
        '<a href="/our-team">Our team</a><a href="/contact">Contact</a></body></html>'
    )
    team = '<title>Team</title><div class="team"><p>Dana Lane - Office Manager</p></div>'
    routes = {"/": _html(home), "/our-team": _html(team),
              "/contact": _html("<p>Mail: PO Box 2291, Springfield, IL 62705</p>")}  # fmt: skip
    with ReplayServer(routes) as s:
        given = s.url("/about-harbor-lane")
        result = search(connector, s.allow(fast_policy), audit,
                        debtor(full_name="Dana Lane", employer_website=given))  # fmt: skip
        paths = [r.path for r in s.received]
    assert result.status == "hit", result.detail
    assert "/about-harbor-lane" not in paths and "/" in paths
    assert "lane" not in repr([r for r in audit.rows() if r.event == "site"]).casefold()


def test_a_search_result_that_is_no_url_is_passed_over(
    connector: Connector, site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    """A result whose URL cannot be split ("http://[::1", a bracketed host that is no address)
    raised ValueError from the connector, and the whole search was an error."""
    body = json.loads((FIXTURES / "searxng_found.json").read_bytes()
                      .replace(b"{replay}", site.base_url.encode()))  # fmt: skip
    broken = [{"url": url, "title": "Harbor Lane Plumbing"} for url in
              ("http://[::1", "https://[zz]/x")]  # fmt: skip
    body["results"] = broken + body["results"]
    with _searx(json.dumps(body).encode()) as searx:
        result = search(connector, _with_searx(fast_policy, searx, site), audit, debtor())
    assert result.status == "hit", result.detail


def test_an_address_a_page_calls_old_is_never_the_mailing_address_whatever_another_says(
    shared: Shared,
) -> None:
    """The home page's footer still gave the old PO box as the mailing address, the contact
    page said it was the old one: the footer's copy was chosen (it was read first)."""
    home = HOME.replace(
        "<p>PO Box 2291, Springfield, IL 62705</p>",
        "<footer>Mailing address: PO Box 11, Springfield, IL 62701</footer>",
    )
    contact = ("<title>Contact</title><p>Old address: PO Box 11, Springfield, IL 62701</p>"
               "<p>Mailing address: 77 Commerce Dr, Springfield, IL 62704</p>")  # fmt: skip
    result = shared.read({"/": _html(home), "/contact": _html(contact)})
    (business,) = result.records
    assert business.employer_address.one_line() == "77 Commerce Dr, Springfield, IL 62704"
    assert business.provenance.source_url == shared.server.url("/contact")
    assert business.snippet == "former: PO Box 11, Springfield, IL 62701"


def test_a_sites_old_address_in_a_sentence_is_not_its_mailing_address(shared: Shared) -> None:
    """ "We have moved! Our old address was PO Box 11, ..." above the new one: the old PO box
    was chosen (a PO box, and unlabelled: "Label:" was the only label read on a line)."""
    home = HOME.replace(
        "<p>PO Box 2291, Springfield, IL 62705</p>",
        "<p>We have moved! Our old address was PO Box 11, Springfield, IL 62701.</p>"
        "<p>418 Dockside Ave, Springfield, IL 62703</p>",
    )
    result = shared.read({"/": _html(home)})
    (business,) = result.records
    assert business.employer_address.one_line() == "418 Dockside Ave, Springfield, IL 62703"
    assert business.snippet == "former: PO Box 11, Springfield, IL 62701"


def test_the_sites_footer_address_before_an_events_venue_in_the_body(shared: Shared) -> None:
    """A review: the home page invites to the Springfield Expo above its footer's address;
    both unlabelled, the first read (the venue) was written as the employer's address. A job
    posting's "Location:" (a location, ranked before an unlabelled address) won the same way,
    and an address only a news item gives is a client's, not the business's."""
    home = HOME.replace(
        "<p>PO Box 2291, Springfield, IL 62705</p>",
        "<p>Join us at the Springfield Expo, 1 Fair Rd, Springfield, IL 62702</p>"
        "<div class='job'><p>Location: 55 Yard Rd, Springfield, IL 62702</p></div>"
        "<div class='news'><p>We fitted out Acme Foods, 9 Mill St, Springfield, IL 62702</p></div>"
        "<footer>418 Dockside Ave, Springfield, IL 62703</footer>",
    )
    result = shared.read({"/": _html(home)})
    (business,) = result.records
    assert business.employer_address.one_line() == "418 Dockside Ave, Springfield, IL 62703"
    assert business.snippet == (  # the others as evidence, a story's by its block
        "1 Fair Rd, Springfield, IL 62702; job: 55 Yard Rd, Springfield, IL 62702; "
        "news: 9 Mill St, Springfield, IL 62702"
    )


def test_a_story_alone_gives_no_address(shared: Shared) -> None:
    home = HOME.replace(
        "<p>PO Box 2291, Springfield, IL 62705</p>",
        "<div class='events'><p>Springfield Expo, 1 Fair Rd, Springfield, IL 62702</p></div>",
    )
    result = shared.read({"/": _html(home)})
    (business,) = result.records
    assert business.employer_address.one_line() == ""
    assert business.snippet == "events: 1 Fair Rd, Springfield, IL 62702"


ORG = ('<script type="application/ld+json">{"@type": "Plumber", "name": "Harbor Lane Plumbing", '
       '"address": {"@type": "PostalAddress", "streetAddress": "418 Dockside Ave", '
       '"addressLocality": "Springfield", "addressRegion": "IL", "postalCode": "62703"}}'
       "</script>")  # fmt: skip


DOCKSIDE = "418 Dockside Ave, Springfield, IL 62703"
BOX = "PO Box 2291, Springfield, IL 62705"


@pytest.mark.parametrize(
    ("text", "chosen", "others"),
    [
        (f"<p>Mailing address: {DOCKSIDE}</p>", DOCKSIDE, f"po_box: {BOX}"),
        (f"<p>Showroom: {DOCKSIDE}</p><p>Mailing address: same as above</p>", DOCKSIDE,
         f"po_box: {BOX}"),
        (f"<p>Old address: {DOCKSIDE}</p>", BOX, f"former: {DOCKSIDE}"),
    ],
    ids=["labelled mailing", "same as above", "old"],
)  # fmt: skip
def test_what_the_page_says_of_its_organisations_address_is_kept(
    text: str, chosen: str, others: str, shared: Shared,
) -> None:  # fmt: skip
    """The schema.org organisation's copy of its address was taken as it is (no kind), and
    the text calling it the mailing address, or an old one, was dropped: the footer's PO box
    was chosen over the mailing address, and the old address over the PO box."""
    home = (f"<html><head><title>Harbor Lane Plumbing</title>{ORG}</head><body>{text}"
            f"<footer>{BOX}</footer></body></html>")  # fmt: skip
    result = shared.read({"/": _html(home)})
    (business,) = result.records
    assert business.employer_address.one_line() == chosen
    assert business.snippet == others


@pytest.mark.parametrize("legal", ["Harbor Lane Plumbing, LLC", "Dockside Holdings, LLC"])
def test_an_organization_named_by_its_legal_name_only_is_the_sites_own(
    legal: str, shared: Shared
) -> None:
    """Squarespace's Organization gives a legalName and no name: as the employer's it counts,
    and its phone is kept; by a name the business does not trade under it is the site's own
    legal entity, neither another business (the site is no directory, its address still the
    business's) nor the site's name (the title still names the site)."""
    org = json.dumps({"@type": "Organization", "legalName": legal, "telephone": "(217) 555-0142",
                      "address": "418 Dockside Ave, Springfield, IL 62703"})  # fmt: skip
    shop = '{"@type":"LocalBusiness","name":"Harbor Lane Plumbing"}'
    home = _html(f"<title>Harbor Lane Plumbing</title>{_jsonld(org)}{_jsonld(shop)}"
                 "<footer><p>418 Dockside Ave, Springfield, IL 62703</p></footer>")  # fmt: skip
    result = shared.read({"/": home})
    assert result.status == "hit", result.detail
    (business,) = result.records
    assert business.employer_address.one_line() == "418 Dockside Ave, Springfield, IL 62703"
    own = legal.startswith("Harbor")  # the phone is an agreeing organisation's only
    assert business.phone == ("(217) 555-0142" if own else "")


@pytest.mark.parametrize(
    "story",
    [
        '<div itemscope itemtype="https://schema.org/MarcusOyelaranEvent"><p>12 Elm St, '
        "Springfield, IL 62704</p></div>",
        _jsonld('{"@type": "MarcusOyelaranEvent", "location": {"address": "12 Elm St, '
                'Springfield, IL 62704"}}'),
    ],
    ids=["microdata", "json-ld"],
)  # fmt: skip
def test_a_story_s_type_names_no_one_in_the_evidence(story: str, shared: Shared) -> None:
    """A review: a story's address is kept as evidence under its schema.org type's name
    ("marcusoyelaranevent: 12 Elm St, ..."), which the site chooses. It is kept under the
    story word the type ends in ("event: ...")."""
    home = HOME.replace("</body>", f"{story}</body>")
    result = shared.read({"/": _html(home), "/our-team": _html(TEAM)})
    assert result.status == "hit", result.detail
    assert result.records[0].snippet == "event: 12 Elm St, Springfield, IL 62704"


@pytest.mark.parametrize(
    ("region", "country", "written"),
    [("IL Marcus Oyelaran", "US c/o Marcus Oyelaran", ("IL", "US")),
     ("Illinois (attn. Marcus)", "United States Attn: Marcus", ("Illinois", "United States")),
     ("IL", "USA", ("IL", "USA")),
     ("New South Wales", "Australia", ("New South Wales", "Australia"))],
)  # fmt: skip
def test_the_mailing_address_s_region_and_country_name_no_one(
    region: str, country: str, written: tuple[str, str], shared: Shared
) -> None:
    """A review: a schema.org addressRegion or addressCountry naming whom mail reaches ("US
    c/o Marcus Oyelaran") was written whole, as its town and postcode had been. A code that
    leads is the whole of it; else its words of letters before any part addressed to a person."""
    found = _marked_up_address(shared, addressRegion=region, addressCountry=country)
    assert [(address.region, address.country) for address in found] == [written] * 2
