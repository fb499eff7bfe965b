"""One business site per session, through the real guard and a loopback server: a connector
declaring ``site = true`` may adopt, once, a site it was offered (the query's
employer_website, a result of a search-API answer its own session fetched, a site the run hands
in), and nothing else; a redirect off that site, a link it declines, a site the guard refuses,
are all refused and audited, and nothing reaches the network for them."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._model import ConnectorInfo
from skiptrace.connectors._registry import load_manifest
from skiptrace.errors import ConnectorError, PolicyError, Refused, SourceError, SourceUnavailable
from skiptrace.net.guard import site_origins
from skiptrace.net.hardrules import check_site
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.session import ConnectorSession
from skiptrace.net.urls import canonicalize
from skiptrace.policy import Policy, merge
from skiptrace.records import Query, SourceRecord
from skiptrace.research.run import Run
from skiptrace.state import builtin_dir
from skiptrace.testing.clock import VirtualTime
from skiptrace.testing.replay import ReplayServer, Reply, allowing

T = TypeVar("T")
HTML = {"Content-Type": "text/html"}


SHIPPED = load_manifest(builtin_dir("connectors") / "business_pages.toml").info


class Declared:
    """A connector as the run sees it: a declaration, handed the fields the shipped
    business_pages is handed; its searches are the test's own."""

    def __init__(self, *, site: bool = True, search_api: str = "", origins: tuple[str, ...] = ()):
        self.info = ConnectorInfo(
            id="business_pages", name="business pages", version="1", gives=("employer",),
            needs=SHIPPED.needs, optional=SHIPPED.optional, terms="https://t.example/",
            origins=origins, site=site, search_api=search_api,
        )  # fmt: skip

    async def search(self, session: Any, query: Query) -> list[SourceRecord]:
        return []

    async def aclose(self) -> None:
        """Nothing held."""


def in_session(
    policy: Policy,
    audit: AuditLog,
    tmp_path: Path,
    query: Query,
    calls: Callable[[ConnectorSession], Awaitable[T]],
    *,
    connector: Declared | None = None,
    offered_sites: tuple[str, ...] = (),
) -> T:
    async def run() -> T:
        cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=0, retention_days=1)
        declared = connector or Declared()
        try:
            async with Run(policy, audit, [declared], purpose="tests",
                           pace=VirtualTime().pace(), cache=cache) as research:  # fmt: skip
                session = research.session(declared, query, offered_sites=offered_sites)
                return await calls(session)
        finally:
            cache.close()

    return asyncio.run(run())


def rows(audit: AuditLog) -> list[tuple[str, str, str, str]]:
    """(event, rule, url, detail) of every row but the policy's overrides."""
    return [(r.event, r.rule, r.url, r.detail) for r in audit.rows() if r.event != "override"]


def page(text: str) -> Reply:
    return Reply(200, f"<html><body>{text}</body></html>".encode(), HTML)


@pytest.fixture
def site() -> Any:
    with ReplayServer(
        {
            "/": page('Acme Plumbing <a href="/contact">contact</a>'),
            "/contact": page("PO Box 12, Springfield"),
            "/moved": Reply(302, b"", {"Location": "/elsewhere"}),
        }
    ) as server:
        yield server


@pytest.fixture
def other() -> Any:
    with ReplayServer({"/": page("Another business"), "/elsewhere": page("x")}) as server:
        yield server


def acme(website: str) -> Query:
    return Query.of("D-1", employer="Acme Plumbing", employer_website=website)


def test_an_adopted_sites_pages_are_never_kept_in_the_cache(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A business's staff page names its people: its pages neither come from nor go to the
    HTTP cache, however long the site says they may be kept."""
    keep = {**HTML, "Cache-Control": "max-age=3600"}
    routes = {"/our-team": Reply(200, b"<p>Pat Example, Office Manager</p>", keep)}
    with ReplayServer(routes) as shop:

        async def calls(session: ConnectorSession) -> list[int]:
            await session.adopt_site(shop.url("/"), "employer_website")
            return [(await session.get(shop.url("/our-team"))).status for _ in range(2)]

        query = acme(shop.url("/"))
        assert in_session(shop.allow(fast_policy), audit, tmp_path, query, calls) == [200, 200]
        assert [r.path for r in shop.received] == ["/robots.txt", "/our-team", "/our-team"]
    with sqlite3.connect(tmp_path / "cache.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM pages").fetchone() == (0,)


def test_adopting_the_employer_website_lets_the_session_read_that_site_only(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    policy = site.allow(fast_policy)

    async def calls(session: ConnectorSession) -> list[object]:
        outcomes: list[object] = []
        try:
            await session.get(site.url("/"))
        except Refused as refusal:  # not adopted yet: not an origin it may reach
            outcomes.append(refusal.rule)
        adopted = await session.adopt_site(site.url("/about"), "employer_website")
        outcomes.append(adopted == site.url("/"))  # its home page, not the path given
        outcomes.append((await session.get(site.url("/"))).status)
        outcomes.append((await session.get(site.url("/contact"))).status)
        return outcomes

    assert in_session(policy, audit, tmp_path, acme(site.url("/")), calls) == [
        "origin", True, 200, 200
    ]  # fmt: skip
    assert [r.path for r in site.received] == ["/robots.txt", "/", "/contact"]
    logged = rows(audit)
    assert logged[0][:2] == ("refused", "origin")
    assert ("site", "site", site.url("/"), "how=employer_website") in logged


def test_a_second_site_is_refused_whatever_it_is(
    site: ReplayServer, other: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    policy = allowing(site.allow(fast_policy), "a second test server", other)

    async def calls(session: ConnectorSession) -> str:
        await session.adopt_site(site.url("/"), "employer_website")
        with pytest.raises(ConnectorError, match="one site per search"):
            await session.adopt_site(other.url("/"), "offered")
        with pytest.raises(ConnectorError, match="one site per search"):
            await session.adopt_site(site.url("/"), "employer_website")  # the same one too
        with pytest.raises(Refused) as refused:
            await session.get(other.url("/"))
        return refused.value.rule

    query = acme(site.url("/"))
    assert in_session(policy, audit, tmp_path, query, calls, offered_sites=(other.url("/"),)) == (
        "origin"
    )
    assert other.received == []


@pytest.mark.parametrize("how", ["employer_website", "search", "offered"])
def test_a_site_never_offered_is_refused_though_a_page_of_the_adopted_site_links_it(
    how: str,
    site: ReplayServer,
    other: ReplayServer,
    fast_policy: Policy,
    audit: AuditLog,
    tmp_path: Path,
) -> None:
    linking = ReplayServer({"/": page(f'<a href="{other.url("/")}">our partner</a>')})
    policy = allowing(site.allow(fast_policy), "a second test server", other)

    async def calls(session: ConnectorSession) -> tuple[str, str | None]:
        with pytest.raises(Refused) as refused:
            await session.adopt_site(other.url("/"), how)
        return refused.value.rule, session.site

    with linking:
        policy = allowing(policy, "a linking test server", linking)
        query = acme(linking.url("/"))  # the employer's site links the other one
        assert in_session(policy, audit, tmp_path, query, calls) == ("site-not-offered", None)
    assert other.received == []
    assert rows(audit) == [
        ("refused", "site-not-offered", other.url("/"), f"no {how.replace('_', ' ')} offered "
         "this site"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("website", "rule"),
    [
        ("https://www.facebook.com/acmeplumbing", "social-network-host"),
        ("https://m.facebook.com/acmeplumbing", "social-network-host"),
        ("https://www.linkedin.com/company/acme", "social-network-host"),
        ("https://www.yelp.com/biz/acme-plumbing-springfield", "aggregator-site"),
        ("https://www.bbb.org/us/il/springfield/profile/acme", "aggregator-site"),
        ("https://maps.google.com/?cid=1", "aggregator-site"),
        ("http://169.254.169.254/latest/meta-data/", "metadata-address"),
        ("http://metadata.google.internal/", "metadata-address"),
        ("http://10.0.0.5/", "private-address"),
        ("http://127.0.0.1:9/", "private-address"),
        ("http://localhost/", "private-address"),
        ("https://user:pw@acme.example/", "userinfo"),
        ("https://acme.example/wp-login.php", "account-area"),
        ("ftp://acme.example/", "scheme"),
    ],
)
def test_a_site_the_guard_refuses_is_never_adopted_and_the_refusal_is_audited(
    website: str, rule: str, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    async def calls(session: ConnectorSession) -> tuple[str, str | None, object]:
        with pytest.raises(Refused) as refused:
            await session.adopt_site(website, "employer_website")
        return refused.value.rule, session.site, session._extensions.get("skiptrace.origins")

    got_rule, adopted, origins = in_session(fast_policy, audit, tmp_path, acme(website), calls)
    assert (got_rule, adopted, origins) == (rule, None, frozenset())
    logged = rows(audit)
    assert len(logged) == 1 and logged[0][:2] == ("refused", rule)
    assert logged[0][3].startswith("not adopted as a site")


def test_a_denied_host_is_not_adopted(fast_policy: Policy, audit: AuditLog, tmp_path: Path) -> None:
    policy = merge(fast_policy, {"hosts": {"deny": ["acme.example"]}}, "test")

    async def calls(session: ConnectorSession) -> str:
        with pytest.raises(Refused) as refused:
            await session.adopt_site("acme.example", "employer_website")
        return refused.value.rule

    assert in_session(policy, audit, tmp_path, acme("www.acme.example"), calls) == "denied-host"


def test_the_site_is_http_and_https_with_and_without_www_and_nothing_more(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    async def calls(session: ConnectorSession) -> object:
        await session.adopt_site("acme.example/contact", "employer_website")
        return session._extensions.get("skiptrace.origins")

    assert in_session(fast_policy, audit, tmp_path, acme("https://www.acme.example/"), calls) == {
        "http://acme.example:80", "https://acme.example:443",
        "http://www.acme.example:80", "https://www.acme.example:443",
    }  # fmt: skip


def test_a_redirect_off_the_adopted_site_is_refused_and_audited(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    with ReplayServer({"/elsewhere": page("elsewhere")}) as away:
        policy = allowing(site.allow(fast_policy), "a test server elsewhere", away)
        moving = ReplayServer({"/moved": Reply(302, b"", {"Location": away.url("/elsewhere")})})
        with moving:
            policy = allowing(policy, "a redirecting test server", moving)

            async def calls(session: ConnectorSession) -> str:
                await session.adopt_site(moving.url("/"), "employer_website")
                with pytest.raises(Refused) as refused:
                    await session.get(moving.url("/moved"))
                return refused.value.rule

            assert in_session(policy, audit, tmp_path, acme(moving.url("/")), calls) == "origin"
        assert away.received == []
    # the same host on another port, so written as the site's own pages are: "elsewhere" is *
    assert ("refused", "origin", away.url("/*")) in [r[:3] for r in rows(audit)]


def test_a_declined_link_is_audited_and_never_requested(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    policy = site.allow(fast_policy)

    async def calls(session: ConnectorSession) -> None:
        await session.adopt_site(site.url("/"), "employer_website")
        await session.decline("https://www.facebook.com/acmeplumbing", "social")
        await session.decline(site.url("/contact?send=1"), "form")
        await session.decline(site.url("/login"), "login")
        await session.decline(site.url("/contact"), "off-site")
        # a name, even a password, in the link's user-info: the host alone is kept
        await session.decline("https://priya.venkataraman:pw@www.linkedin.com/in/p", "social")
        await session.decline("HTTPS://marcus.oyelaran@Supplier.Example:8443/x", "off-site")
        with pytest.raises(ConnectorError, match="one of social, form, login, off-site"):
            await session.decline(site.url("/contact"), "origin")

    in_session(policy, audit, tmp_path, acme(site.url("/")), calls)
    assert site.received == []
    declined = [(event, rule, url) for event, rule, url, _ in rows(audit) if event == "refused"]
    assert declined == [
        ("refused", "social", "https://www.facebook.com/"),  # scheme and host only: the
        ("refused", "form", site.url("/")),  # rest of a link can name people (a colleague's
        ("refused", "login", site.url("/")),  # profile), whom the log has no reason to hold
        ("refused", "off-site", site.url("/")),
        ("refused", "social", "https://www.linkedin.com/"),
        ("refused", "off-site", site.url("/")),  # the site it was on: another host may be a
    ]  # person's own domain


def test_a_connector_that_declares_no_site_can_neither_adopt_nor_decline(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    async def calls(session: ConnectorSession) -> None:
        with pytest.raises(ConnectorError, match="site = true"):
            await session.adopt_site(site.url("/"), "employer_website")
        with pytest.raises(ConnectorError):
            await session.decline(site.url("/"), "form")

    connector = Declared(site=False, origins=("https://registry.example",))
    in_session(site.allow(fast_policy), audit, tmp_path, acme(site.url("/")), calls,
               connector=connector)  # fmt: skip
    assert rows(audit) == []


def test_a_site_the_run_offers_may_be_adopted_as_offered(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    async def calls(session: ConnectorSession) -> int:
        await session.adopt_site(site.url("/"), "offered")
        return (await session.get(site.url("/contact"))).status

    query = Query.of("D-1", employer="Acme Plumbing")
    policy = site.allow(fast_policy)
    assert in_session(policy, audit, tmp_path, query, calls, offered_sites=(site.url("/"),)) == 200
    assert ("site", "site", site.url("/"), "how=offered") in rows(audit)


SEARX_ANSWER = {
    "query": "Acme Plumbing",
    "results": [],
    "answers": [],
    "corrections": [],
    "infoboxes": [],
    "suggestions": [],
    "unresponsive_engines": [],
}


def searx_server(*results: str) -> ReplayServer:
    answer = dict(SEARX_ANSWER, results=[
        {"url": url, "title": "Acme", "content": "", "engine": "duckduckgo"} for url in results
    ])  # fmt: skip
    body = json.dumps(answer).encode()
    return ReplayServer({"/search": Reply(200, body, {"Content-Type": "application/json"})})


def with_searx(policy: Policy, searx: ReplayServer) -> Policy:
    allowed = allowing(policy, "a SearxNG instance on loopback", searx)
    return merge(allowed, {"search": {"searxng_url": searx.base_url}}, "test")


def test_a_result_of_the_sessions_own_search_answer_may_be_adopted_and_no_other_site(
    site: ReplayServer, other: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    with searx_server(site.url("/")) as searx:
        policy = allowing(with_searx(site.allow(fast_policy), searx), "a second test server", other)

        async def calls(session: ConnectorSession) -> list[object]:
            outcomes: list[object] = []
            with pytest.raises(Refused):  # not fetched yet: nothing is offered
                await session.adopt_site(site.url("/"), "search")
            answer = await session.get(session.search_api + "/search",
                                       {"q": "Acme Plumbing", "format": "json"})  # fmt: skip
            outcomes.append(answer.status)
            with pytest.raises(Refused) as refused:  # not among the results
                await session.adopt_site(other.url("/"), "search")
            outcomes.append(refused.value.rule)
            outcomes.append(await session.adopt_site(site.url("/"), "search"))
            return outcomes

        query = Query.of("D-1", employer="Acme Plumbing")
        connector = Declared(search_api="searxng")
        assert in_session(policy, audit, tmp_path, query, calls, connector=connector) == [
            200, "site-not-offered", site.url("/")
        ]  # fmt: skip
    assert ("site", "site", site.url("/"), "how=search") in rows(audit)


def test_results_in_a_page_that_is_not_the_search_apis_offer_nothing(
    other: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    fake = json.dumps(dict(SEARX_ANSWER, results=[{"url": other.url("/")}])).encode()
    look_alike = {"/search": Reply(200, fake, {"Content-Type": "application/json"})}
    with ReplayServer(look_alike) as own, searx_server() as searx:
        policy = with_searx(own.allow(fast_policy), searx)
        policy = allowing(policy, "a second test server", other)

        async def calls(session: ConnectorSession) -> str:
            await session.get(own.url("/search"))  # a search-like answer, not the search API's
            with pytest.raises(Refused) as refused:
                await session.adopt_site(other.url("/"), "search")
            return refused.value.rule

        connector = Declared(search_api="searxng", origins=(own.base_url,))
        query = Query.of("D-2", employer="Acme Plumbing")
        assert in_session(policy, audit, tmp_path, query, calls, connector=connector) == (
            "site-not-offered"
        )
    assert other.received == []


def test_the_search_api_is_reachable_only_by_a_connector_that_declares_it(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    with searx_server() as searx:
        policy = with_searx(fast_policy, searx)

        async def calls(session: ConnectorSession) -> object:
            try:
                return (await session.get(searx.url("/search"), {"q": "x"})).status
            except Refused as refusal:
                return refusal.rule

        query = Query.of("D-1", employer="Acme Plumbing")
        plain = Declared(origins=("https://registry.example",))
        searching = Declared(search_api="searxng")
        assert in_session(policy, audit, tmp_path, query, calls, connector=plain) == "origin"
        assert in_session(policy, audit, tmp_path, query, calls, connector=searching) == 200
        assert [r.path for r in searx.received] == ["/search?q=x"]  # own instance: no robots.txt


def test_without_an_instance_a_searching_connector_needs_config_not_an_error(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    connector = Declared(search_api="searxng")

    async def research(query: Query) -> tuple[str, str]:
        async with Run(fast_policy, audit, [connector], purpose="tests") as run:
            result = await run.search(connector, query)
        return result.status, result.detail

    status, detail = asyncio.run(research(Query.of("D-1", employer="Acme Plumbing")))
    assert status == "needs_config" and "search.searxng_url" in detail
    # with the employer's website given, it needs no search: it runs (and finds nothing here)
    given = Query.of("D-1", employer="Acme", employer_website="https://acme.example/")
    assert asyncio.run(research(given))[0] == "no_result"


def test_a_private_instance_must_be_in_allow_private(fast_policy: Policy) -> None:
    with pytest.raises(PolicyError) as error:
        merge(fast_policy, {"search": {"searxng_url": "http://127.0.0.1:8888/"}}, "mine.toml")
    message = str(error.value)
    assert "search.searxng_url" in message and "hosts.allow_private" in message
    assert "127.0.0.1:8888" in message
    with pytest.raises(PolicyError, match="metadata-address"):
        merge(fast_policy, {"search": {"searxng_url": "http://169.254.169.254/"}}, "mine.toml")
    allowed = allowing(fast_policy, "our SearxNG instance on this host", "http://127.0.0.1:8888")
    configured = merge(allowed, {"search": {"searxng_url": "http://127.0.0.1:8888/"}}, "mine")
    assert configured["search.searxng_url"] == "http://127.0.0.1:8888/"


def test_a_connector_not_declaring_the_search_api_can_neither_adopt_nor_list_it(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    with searx_server() as searx:
        policy = with_searx(fast_policy, searx)

        async def adopt(session: ConnectorSession) -> object:
            with pytest.raises(Refused) as refused:
                await session.adopt_site(searx.base_url, "employer_website")
            with pytest.raises(Refused):
                await session.get(searx.url("/search"), {"q": "Acme", "format": "json"})
            return refused.value.rule

        async def get(session: ConnectorSession) -> object:
            try:
                return (await session.get(searx.url("/search"), {"q": "x"})).status
            except Refused as refusal:
                return refusal.rule

        query = Query.of("D-1", employer="Acme", employer_website=searx.base_url)
        assert in_session(policy, audit, tmp_path, query, adopt) == "search-instance"
        listing = Declared(site=False, origins=(searx.base_url, "https://registry.example"))
        assert in_session(policy, audit, tmp_path, query, get, connector=listing) == "origin"
        assert searx.received == []
    assert ("refused", "search-instance") in [(r.event, r.rule) for r in audit.rows()]


def test_only_a_few_answers_to_a_search_naming_the_employer_offer_sites(
    site: ReplayServer, other: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    def answer(url: str) -> Reply:
        body = json.dumps(dict(SEARX_ANSWER, results=[{"url": url}])).encode()
        return Reply(200, body, {"Content-Type": "application/json"})

    routes = {"/search": answer(site.url("/")), "/other": answer(other.url("/"))}
    with ReplayServer(routes) as searx:
        policy = allowing(with_searx(site.allow(fast_policy), searx), "a second server", other)

        async def calls(session: ConnectorSession) -> list[object]:
            outcomes: list[object] = []
            await session.get(searx.url("/search"), {"q": "evil.example", "format": "json"})
            with pytest.raises(Refused) as refused:  # the query did not name the employer
                await session.adopt_site(site.url("/"), "search")
            outcomes.append(refused.value.rule)
            for _ in range(3):
                await session.get(
                    searx.url("/search"), {"q": "ACME-plumbing, inc", "format": "json"}
                )
            await session.get(searx.url("/other"), {"q": "Acme Plumbing", "format": "json"})
            with pytest.raises(Refused) as capped:  # a fourth answer is not remembered
                await session.adopt_site(other.url("/"), "search")
            outcomes.append(capped.value.rule)
            outcomes.append(await session.adopt_site(site.url("/"), "search"))
            return outcomes

        query = Query.of("D-1", employer="Acme Plumbing")
        assert in_session(
            policy, audit, tmp_path, query, calls, connector=Declared(search_api="searxng")
        ) == ["site-not-offered", "site-not-offered", site.url("/")]


def test_debtor_values_in_a_declined_link_or_a_site_are_never_written(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    policy = site.allow(fast_policy)
    urls = ["https://www.facebook.com/jane.roe", "https://acme.example/?who=jane%40roe.example",
            "tel:2175550143", site.url("/staff/Jane Roe")]  # fmt: skip

    async def calls(session: ConnectorSession) -> list[str]:
        errors = []
        for url in urls[:3]:  # declined on the record, without what names the debtor
            await session.decline(url, "social")
        for url in (urls[1], urls[3]):
            with pytest.raises(ConnectorError) as error:
                await session.adopt_site(url, "offered")
            errors.append(str(error.value))
        return errors

    query = Query.of("D-1", employer="Acme", last_name="Roe", email="jane@roe.example",
                     phone="2175550143")  # fmt: skip
    errors = in_session(policy, audit, tmp_path, query, calls, offered_sites=(site.url("/"),))
    assert len(errors) == 2 and all("debtor's" in error for error in errors), errors
    assert not [row for row in audit.rows() if "roe" in row.url.casefold() or "0143" in row.url]
    declined = [(row.url, row.rule) for row in audit.rows() if "declined" in row.detail]
    assert declined == [("https://www.facebook.com/", "social"),
                        ("https://acme.example/", "social"), ("tel:", "social")]  # fmt: skip
    said = [r.detail for r in audit.rows() if "declined" in r.detail]
    assert all("only its scheme and host" in detail for detail in said)


def test_a_site_connector_with_no_site_to_read_is_skipped_not_no_result(
    fast_policy: Policy, audit: AuditLog
) -> None:
    async def research(connector: Declared, query: Query, offered: tuple[str, ...]) -> str:
        async with Run(fast_policy, audit, [connector], purpose="tests") as run:
            result = await run.search(connector, query, offered_sites=offered)
        return f"{result.status}: {result.detail}"

    nothing = Query.of("D-1", employer="Acme", employer_website="not a website at all")
    reading = Declared()
    assert asyncio.run(research(reading, nothing, ("mailto:x@y.example", ""))).startswith(
        "skipped: needs employer_website"
    )
    searching = Declared(search_api="searxng")
    assert asyncio.run(research(searching, nothing, ("::",))).startswith("needs_config")
    given = Query.of("D-1", employer="Acme", employer_website="acme.example")
    assert asyncio.run(research(reading, given, ())).startswith("no_result")
    assert asyncio.run(research(reading, nothing, ("acme.example",))).startswith("no_result")


@pytest.mark.parametrize(
    "url",
    ["https://intranet/", "https://8.8.8.8/", "https://[2001:4860::8888]/", "https://a%00b.example/",
     "https://acme_co.example/", "https://com/", "https://co.uk/", "https://www.org.uk/",
     "https://com.au/", "https://www.com/", "https://acme.example:0/"],
)  # fmt: skip
def test_a_host_no_business_site_has_is_never_a_site(url: str) -> None:
    try:
        canonical = canonicalize(url)
    except Refused:
        return  # not even a URL
    with pytest.raises(Refused) as refused:
        check_site(canonical)
    assert refused.value.rule == "not-a-site"


def test_a_listed_loopback_server_and_an_ordinary_name_are_sites() -> None:
    check_site(canonicalize("http://127.0.0.1:8080/"), frozenset({"127.0.0.1:8080"}))
    check_site(canonicalize("https://acme-plumbing.co.uk/"))
    with pytest.raises(Refused):
        check_site(canonicalize("http://127.0.0.1:8081/"), frozenset({"127.0.0.1:8080"}))


def test_a_written_port_stands_for_its_own_scheme_only() -> None:
    assert site_origins(canonicalize("http://127.0.0.1:8080/")) == {
        "http://127.0.0.1:8080", "https://127.0.0.1:443"
    }  # fmt: skip
    assert site_origins(canonicalize("https://acme.example:8443/")) == {
        "https://acme.example:8443", "https://www.acme.example:8443",
        "http://acme.example:80", "http://www.acme.example:80",
    }  # fmt: skip


def _moving(to: str, path: str = "/") -> ReplayServer:
    """A site whose ``path`` redirects to ``to``."""
    return ReplayServer({path: Reply(301, b"", {"Location": to}), "/robots.txt": Reply(404, b"")})


def test_a_home_page_that_moves_to_another_domain_moves_the_site_once(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """acme.example redirects to acmeplumbing.example: the hop is refused (origin), the session
    remembers it, and the connector may adopt that one site (how=redirect), once."""
    with _moving(site.url("/")) as old, _moving("https://third.example/") as third:
        policy = allowing(site.allow(fast_policy), "test servers", old, third)

        async def calls(session: ConnectorSession) -> list[str]:
            home = await session.adopt_site(old.url("/"), "employer_website")
            with pytest.raises(Refused, match="site-not-offered"):
                await session.adopt_site(site.url("/"), "redirect")  # nothing redirected yet
            with pytest.raises(Refused, match="origin"):
                await session.get(home)
            moved = await session.adopt_site(site.url("/"), "redirect")
            read = [(await session.get(moved)).url, (await session.get(site.url("/contact"))).url]
            with pytest.raises(ConnectorError, match="one site per search"):
                await session.adopt_site(third.url("/"), "redirect")  # a site moves once
            with pytest.raises(Refused, match="origin"):
                await session.get(old.url("/"))  # the old site is read no more
            return read

        read = in_session(policy, audit, tmp_path, acme(old.url("/")), calls)
    assert read == [site.url("/"), site.url("/contact")]
    assert len(old.received) == 2  # robots.txt, the home page once
    sites = [(url, detail) for event, _, url, detail in rows(audit) if event == "site"]
    assert sites == [(old.url("/"), "how=employer_website"), (site.url("/"), "how=redirect")]


@pytest.mark.parametrize(
    ("adopted", "asked", "params"),
    [("/", "/deeper", None), ("/", "/", {"page": "1"}), ("/", "/?to=x", None),
     ("/out", "/out", None)],
    ids=["a deeper page", "params", "a query", "a deep URL adopted as the site"],
)  # fmt: skip
def test_only_the_root_of_the_adopted_site_can_move_it(
    adopted: str, asked: str, params: dict[str, str] | None, site: ReplayServer,
    fast_policy: Policy, audit: AuditLog, tmp_path: Path,
) -> None:  # fmt: skip
    """A page that redirects off the site (a shop link, an open redirect), however it is
    reached or adopted, is refused, and its target is no site to move to: a connector cannot
    choose where the site moves by choosing the page it adopts or asks for."""
    path = asked.partition("?")[0]
    with _moving(site.url("/"), path) as old:
        policy = allowing(site.allow(fast_policy), "test servers", old)

        async def calls(session: ConnectorSession) -> str:
            await session.adopt_site(old.url(adopted), "employer_website")
            with pytest.raises(Refused, match="origin"):
                await session.get(old.url(asked), params)
            with pytest.raises(Refused) as refused:
                await session.adopt_site(site.url("/"), "redirect")
            return refused.value.rule

        assert in_session(policy, audit, tmp_path, acme(old.url(adopted)), calls) == (
            "site-not-offered"
        )
    assert site.received == []


def test_a_home_page_moving_to_a_directory_is_refused_on_the_record(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """The hop is refused for leaving the site, the move is offered, and the guard's site
    checks refuse the directory at adoption: a moved site is checked as any site is."""
    with _moving("https://www.yelp.com/biz/acme-plumbing") as old:
        policy = allowing(fast_policy, "test servers", old)

        async def calls(session: ConnectorSession) -> str:
            home = await session.adopt_site(old.url("/"), "employer_website")
            with pytest.raises(Refused, match="origin"):
                await session.get(home)
            with pytest.raises(Refused) as refused:
                await session.adopt_site("https://www.yelp.com/", "redirect")
            return refused.value.rule

        assert in_session(policy, audit, tmp_path, acme(old.url("/")), calls) == "aggregator-site"
    assert [url for event, _, url, _ in rows(audit) if event == "site"] == [old.url("/")]


def test_a_site_moves_once_even_when_its_new_home_page_moves_again(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    with _moving("https://elsewhere.example/") as third, _moving(third.url("/")) as mid:
        with _moving(mid.url("/")) as old:
            policy = allowing(fast_policy, "test servers", old, mid, third)

            async def calls(session: ConnectorSession) -> str | None:
                home = await session.adopt_site(old.url("/"), "employer_website")
                with pytest.raises(Refused, match="origin"):
                    await session.get(home)
                moved = await session.adopt_site(mid.url("/"), "redirect")
                with pytest.raises(Refused, match="origin"):  # the new home page moves too
                    await session.get(moved)
                with pytest.raises(ConnectorError, match="one site per search"):
                    await session.adopt_site(third.url("/"), "redirect")
                return session.site

            assert in_session(policy, audit, tmp_path, acme(old.url("/")), calls) == mid.url("/")
        assert third.received == []


def test_a_get_on_the_adopted_site_carries_no_debtor_value_in_its_query(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A GET can submit a form: "/contact-form.php?message=... Jane Roe (555-867-5309) ..."
    to the debtor's employer is contact about a debt. On the adopted site no debtor value goes
    in a query, written into the URL or given as params; a page's own query is read."""
    policy = site.allow(fast_policy)
    debtor = Query.of("D-1", full_name="Jane Roe", phone="555-867-5309",
                      employer="Acme Plumbing", employer_website=site.url("/"))  # fmt: skip
    message = "Please tell Jane Roe (555-867-5309) to call about the debt"

    async def calls(session: ConnectorSession) -> list[object]:
        await session.adopt_site(site.url("/"), "employer_website")
        said: list[object] = []
        form = site.url("/contact-form.php")
        tries = ((f"{form}?message={message}", None), (form, {"message": message}),
                 (form, {"phone": "555-867-5309"}), (form, {"to": "5558675309"}),
                 (f"{form}?to=%2B1%20(555)%20867.5309", None))  # fmt: skip
        for url, params in tries:
            try:
                await session.get(url, params)
            except ConnectorError as refused:
                said.append(str(refused))
        said.append((await session.get(site.url("/"), {"page_id": "2"})).status)
        said.append((await session.get(site.url("/img_5558675.jpg"), {"p": "1555867"})).status)
        return said

    said = in_session(policy, audit, tmp_path, debtor, calls)
    assert len(said) == 7 and all("debtor's" in str(s) for s in said[:5])
    assert said[5:] == [200, 404]  # digits a page or a file name holds are no phone
    assert [r.path for r in site.received] == [
        "/robots.txt", "/?page_id=2", "/img_5558675.jpg?p=1555867"
    ]  # fmt: skip


def test_a_page_asked_of_every_debtor_is_sent_though_it_spells_her_name(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """Lane Contact works at Lane Plumbing. /contact and /about-lane-plumbing are read for
    every debtor of Lane Plumbing, so sending them tells the site nothing of her; refusing
    them for her alone (a debtor value in the path) told it she was the one looked for. A
    page of any other word, or her phone, is still refused and never sent, her phone too when
    written in a page's small numbers (/contact-55-58-67-53-09), as no page asked of everyone
    dials one."""
    policy = site.allow(fast_policy)
    debtor = Query.of("D-1", full_name="Lane Contact", phone="555-867-5309",
                      employer="Lane Plumbing", employer_website=site.url("/"))  # fmt: skip

    async def calls(session: ConnectorSession) -> list[object]:
        await session.adopt_site(site.url("/"), "employer_website")
        said: list[object] = []
        for path in ("/contact", "/about-lane-plumbing", "/contact-2", "/contact-5558675309",
                     "/contact-55-58-67-53-09", "/?us=5.5.5.8.6.7.5.3.0.9",
                     "/team/lane-contact-cv", "/about?ref=lane-contact"):  # fmt: skip
            try:
                said.append((await session.get(site.url(path))).status)
            except ConnectorError as refused:
                said.append(str(refused).split(" put ")[-1].split(" in a ")[0])
        return said

    said = in_session(policy, audit, tmp_path, debtor, calls)
    assert said[:3] == [200, 404, 404] and said[3:6] == ["the debtor's phone"] * 3, said
    assert all(str(refused).startswith("the debtor's ") for refused in said[6:]), said
    assert [r.path for r in site.received] == [
        "/robots.txt", "/contact", "/about-lane-plumbing", "/contact-2"
    ]  # fmt: skip


@pytest.mark.parametrize(
    "path",
    [
        "/%25cade",  # the server reads /%cade; decoded again, a byte and "de", a language
        "/?us=%25Cade",
        "/%E2%93%93%E2%93%94%E2%93%9Fart%E2%93%9C%E2%93%94%E2%93%9D%E2%93%A3",  # department
        "/\uff43\uff41\uff44\uff45-\uff41\uff52\uff54",  # her name, full-width
        "/?who=\u24d2\u24d0\u24d3\u24d4+\u24d0\u24e1\u24e3",  # circled
        "/%EF%BD%83ade-%EF%BD%81rt",  # a full-width c and a, percent-encoded
        "/%2563ade-%2561rt",  # her name to a server that decodes twice
        "/\uff0563ade-\uff0561rt",  # a full-width percent sign: folded, then decoded
    ],
)
def test_a_page_read_as_a_pages_words_only_once_decoded_again_or_folded_is_refused(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path, path: str
) -> None:
    """A page asked of every debtor is written in the words of pages however it is read: one
    whose words are a page's only once decoded twice, or NFKC-folded (circled letters around
    "art" are "department"), holds Cade Art's name as the server reads it, decoded once:
    refused, never sent. So is her name in full-width or circled letters (it had passed the
    check, which folded case only): her name to anyone reading the site's log, and to a server
    that NFKC-folds what it reads."""
    policy = site.allow(fast_policy)
    debtor = Query.of("D-1", full_name="Cade Art", employer_website=site.url("/"))

    async def calls(session: ConnectorSession) -> str:
        await session.adopt_site(site.url("/"), "employer_website")
        try:
            await session.get(site.url(path))
        except ConnectorError as refused:
            return str(refused)
        return "sent"

    said = in_session(policy, audit, tmp_path, debtor, calls)
    assert "put the debtor's " in said, said
    assert [r.path for r in site.received] == []


def test_the_query_of_the_sites_other_scheme_carries_no_debtor_value(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A site at a port of its own (http://127.0.0.1:PORT/) is also its other scheme at that
    scheme's default port (https://127.0.0.1/), where the guard lets its pages go: a query
    there is the site's too, refused for a debtor value before anything is sent, not checked
    as a declared source's path alone."""
    policy = allowing(site.allow(fast_policy), "its other scheme", "https://127.0.0.1:443")
    debtor = Query.of("D-1", full_name="Cade Art", employer_website=site.url("/"))

    async def calls(session: ConnectorSession) -> str:
        await session.adopt_site(site.url("/"), "employer_website")
        try:
            await session.get("https://127.0.0.1/?who=cade+art")
        except ConnectorError as refused:
            return str(refused)
        return "sent"

    said = in_session(policy, audit, tmp_path, debtor, calls)
    assert "put the debtor's first_name in a URL" in said, said
    assert [r.rule for r in audit.rows() if r.event == "refused"] == ["debtor-value"]


def test_a_declined_links_host_that_may_name_a_person_is_never_written(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A review: an off-site form's action (marcus-oyelaran.com) and a social subdomain
    (marcusoyelaran.tumblr.com) were written with their hosts."""
    policy = site.allow(fast_policy)

    async def calls(session: ConnectorSession) -> None:
        await session.adopt_site(site.url("/"), "employer_website")
        await session.decline("https://marcus-oyelaran.com/contact.php", "form")
        await session.decline("https://marcusoyelaran.tumblr.com/", "social")
        await session.decline("https://login.marcus-oyelaran.com/", "login")

    in_session(policy, audit, tmp_path, acme(site.url("/")), calls)
    declined = [(row.rule, row.url) for row in audit.rows() if "declined" in row.detail]
    assert declined == [("form", site.url("/")), ("social", "https://tumblr.com/"),
                        ("login", site.url("/"))]  # fmt: skip
    assert not [row for row in audit.rows() if "oyelaran" in f"{row.url} {row.detail}"]


def test_a_site_refused_for_adoption_is_written_as_its_home_page(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A review: a refused adoption wrote the URL a connector gave whole (a search result on a
    social network or a directory, /in/<name>), a colleague's name in the row; only the home
    page is ever adopted, so only it is checked and written."""
    given = ["https://www.linkedin.com/in/marcus-oyelaran", "https://acme.example/team/marcus"]

    async def calls(session: ConnectorSession) -> list[str]:
        rules = []
        for url in given:
            with pytest.raises(Refused) as refused:
                await session.adopt_site(url, "search")
            rules.append(refused.value.rule)
        return rules

    rules = in_session(fast_policy, audit, tmp_path, Query.of("D-1", employer="Acme"), calls)
    assert rules[1] == "site-not-offered"
    written = [r for r in audit.rows() if r.event == "refused"]
    assert [r.url for r in written] == ["https://www.linkedin.com/", "https://acme.example/"]
    assert "marcus" not in repr(audit.rows()).casefold()


def test_a_site_read_without_failing_keeps_no_entry_in_the_runs_health(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A limit or a block holds for the adopted site alone, so the run's health is keyed by
    site; a run reads as many sites as it has debtors, and one read without failing must
    leave nothing behind (a million-row file kept a million entries)."""
    declared = Declared()

    async def run() -> tuple[list[int], list[str]]:
        async with Run(site.allow(fast_policy), audit, [declared], purpose="tests",
                       pace=VirtualTime().pace()) as research:  # fmt: skip
            session = research.session(declared, acme(site.url("/")), offered_sites=())
            await session.adopt_site(site.url("/"), "employer_website")
            statuses = [(await session.get(site.url(p))).status for p in ("/", "/contact")]
            return statuses, sorted(research.health.sources)

    statuses, kept = asyncio.run(run())
    assert statuses == [200, 200]
    assert not [source for source in kept if "127.0.0.1" in source], kept


@pytest.mark.parametrize("status", [429, 403])
def test_a_limit_met_at_a_declared_origin_after_adopting_a_site_holds_for_the_connector(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog, tmp_path: Path, status: int
) -> None:
    """A review: once a site was adopted, a 429 (or two 403s) from the connector's own origin,
    or its search API, marked the adopted site alone: that site, which never answered so, was
    refused for every later debtor, and the origin that did was asked again by the next
    debtor's search (each of them). The mark holds where it was met: the connector's origins,
    for the rest of the run; the site is still read."""
    with ReplayServer({"/api": Reply(status, b"", {"Retry-After": "0"})}) as api:
        policy = allowing(site.allow(fast_policy), "a registry on loopback", api)
        declared = Declared(origins=(api.base_url,))

        async def run() -> tuple[int, int]:
            async with Run(policy, audit, [declared], purpose="tests",
                           pace=VirtualTime().pace()) as research:  # fmt: skip
                first = research.session(declared, acme(site.url("/")))
                await first.adopt_site(site.url("/"), "employer_website")
                for _ in range(1 if status == 429 else 2):
                    with pytest.raises((SourceUnavailable, SourceError)):
                        await first.get(api.url("/api"))
                asked, read = len(api.received), (await first.get(site.url("/"))).status
                with pytest.raises(SourceUnavailable, match=f"{declared.info.id} is"):
                    await research.session(declared, acme("")).get(api.url("/api"))
                return asked, read

        asked, read = asyncio.run(run())
        assert read == 200
        assert len(api.received) == asked  # the next debtor's search never asked it again


def test_a_limit_met_at_a_site_holds_for_it_however_a_debtor_file_spells_it(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: a site's 429 was kept under its home page as adopted, ``www.`` and the
    scheme included, so the next debtor's employer_website, the same site written without
    ``www.`` (one site, the same origins: ``site_origins``), asked it again. It holds for the
    site (``site_key``)."""
    fenced = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:  # the site's two names
        named = host in ("acme.test", "www.acme.test")
        return fenced("localhost" if named else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with ReplayServer({"/": Reply(429, b"", {"Retry-After": "0"})}) as limiting:
        bare = limiting.base_url.replace("127.0.0.1", "acme.test")
        www = bare.replace("acme.test", "www.acme.test")
        policy = allowing(fast_policy, "a replay server on loopback, by name", bare, www)
        declared = Declared()

        async def run() -> list[int]:
            asked = []
            async with Run(policy, audit, [declared], purpose="tests",
                           pace=VirtualTime().pace()) as research:  # fmt: skip
                for home in (f"{www}/", f"{bare}/"):
                    session = research.session(declared, acme(home))
                    await session.adopt_site(home, "employer_website")
                    with pytest.raises(SourceUnavailable):
                        await session.get(home)
                    asked.append(len(limiting.received))
            return asked

        first, second = asyncio.run(run())
        assert second == first  # the second debtor's search never asked the site again


def test_a_refused_redirects_host_that_may_name_a_person_is_not_in_its_rows_detail(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A review: a page of the adopted site redirecting to a colleague's social subdomain
    (marcus-oyelaran.tumblr.com), or to a host no URL can have that names him, was refused
    and its row's URL written without the name, but the refusal's reason, the row's detail,
    named the host whole ("marcus-oyelaran.tumblr.com is a social network"). The reason
    names the host as the row writes it: the network's own domain, or another host."""
    moves = ["https://marcus-oyelaran.tumblr.com/", "https://marcus oyelaran.example/",
             "HTTPS://Marcus-Oyelaran.Tumblr.com./x"]  # fmt: skip
    routes = {f"/{n}": Reply(302, b"", {"Location": move}) for n, move in enumerate(moves)}
    with ReplayServer(routes) as moving:

        async def calls(session: ConnectorSession) -> list[str]:
            await session.adopt_site(moving.url("/"), "employer_website")
            rules = []
            for n in range(len(moves)):
                with pytest.raises(Refused) as refused:
                    await session.get(moving.url(f"/{n}"))
                rules.append(refused.value.rule)
            return rules

        policy = moving.allow(fast_policy)
        rules = in_session(policy, audit, tmp_path, acme(moving.url("/")), calls)
    assert rules == ["social-network-host", "invalid-url", "social-network-host"]
    refusals = [r for r in audit.rows() if r.event == "refused"]
    assert [r.url for r in refusals] == ["https://tumblr.com/", moving.url("/"),
                                         "https://tumblr.com/"]  # fmt: skip
    assert refusals[0].detail.startswith("tumblr.com is a social network"), refusals[0].detail
    assert "oyelaran" not in repr(audit.rows()).casefold(), [r.detail for r in refusals]


def test_an_outage_at_a_declared_origin_after_adopting_a_site_is_told_as_that_origins(
    site: ReplayServer, fast_policy: Policy, audit: AuditLog
) -> None:
    """A review: a third-party connector's result after it adopted a site had every URL off
    the site in its detail written as a refused link, its own registry's included: a 500 from
    ``https://api.registry.example/...`` read as ``<site>/ (a link to another host ...)
    answered HTTP 500``, the business site blamed. The origins it declared are its source's,
    told as they are."""
    with ReplayServer({"/api/officers": Reply(500, b"")}) as api:
        policy = allowing(site.allow(fast_policy), "a registry on loopback", api)

        class Reading(Declared):
            async def search(self, session: Any, query: Query) -> list[SourceRecord]:
                await session.adopt_site(site.url("/"), "employer_website")
                await session.get(site.url("/"))
                await session.get(api.url("/api/officers"))
                return []

        reading = Reading(origins=(api.base_url,))

        async def run() -> Any:
            async with Run(policy, audit, [reading], purpose="tests",
                           pace=VirtualTime().pace()) as research:  # fmt: skip
                return await research.search(reading, acme(site.url("/")))

        result = asyncio.run(run())
    assert api.url("/api/officers") in result.detail, result
    assert "another host" not in result.detail, result


def test_a_long_word_in_a_message_on_a_site_takes_no_quadratic_time() -> None:
    """A review: a site's message quoting a value of 32,000 letters and ``:`` before a URL
    took 5 s to write as the site's (each letter tried as the start of a scheme, read on to
    the colon from each), on the request path, blocking every search of the run. Its URL on
    the site is still written as the site's."""
    from skiptrace.net.written import on_site_text

    text = "a" * 32_000 + ": see https://acme.example/team/dana-whitfield"
    started = time.monotonic()
    written = on_site_text(text, "https://acme.example/")
    assert time.monotonic() - started < 3
    assert written.startswith("a" * 32_000) and "dana-whitfield" not in written
