"""A research run: one session stack, the sources' health, and a Session per connector and
debtor. ``lookup``, ``enrich`` and the contract checks all research through a ``Run``, so the
stack is built one way and every host keeps to its rate across every debtor of the run."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from skiptrace.audit import AuditLog
from skiptrace.connectors._bounds import Bounded
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import api_keys, ships, workers_at_once
from skiptrace.connectors._runner import ConnectorResult, failed, run_connector
from skiptrace.connectors._sandbox import researching
from skiptrace.net.client import AsyncGuardedClient
from skiptrace.net.guard import ApiKey, Guard, at_origins, page_origin
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.layers.deadline import watching
from skiptrace.net.session import ConnectorSession, SourceHealth
from skiptrace.net.stack import Pace, open_client
from skiptrace.net.urls import canonical_host
from skiptrace.net.written import names_no_one, on_site, on_site_text, same_site
from skiptrace.normalize import normalize_company
from skiptrace.policy import Policy, parse_rate
from skiptrace.records import Query, SourceRecord, Status, page_url


class Run:
    """Use as ``async with Run(...) as run``; the client is closed (and its audit rows stored)
    on the way out.

    ``keys`` replaces the API keys read from the environment and ``rewrite`` sends a
    connector's origins elsewhere (both for contract replays on loopback); ``pace`` and
    ``cache`` are for tests.
    """

    def __init__(
        self,
        policy: Policy,
        audit: AuditLog,
        connectors: Sequence[Connector],
        *,
        purpose: str,
        keys: Sequence[ApiKey] | None = None,
        rewrite: Mapping[str, str] | None = None,
        pace: Pace | None = None,
        cache: HttpCache | None = None,
    ) -> None:
        self.policy = policy
        self.connectors = list(connectors)
        self._shipped = {id(c): ships(c) for c in self.connectors}
        """Which of the run's connectors skiptrace ships, looked up once: resolving a manifest's
        path for each search had been a third of a row's CPU where sources found nothing."""
        self.health = SourceHealth()
        self._rewrite = dict(rewrite or {})
        # writes the rows no request makes (a site adopted, a link declined) to the same log
        self._notes = Guard(policy, audit, purpose=purpose)
        self._open = functools.partial(
            open_client, policy, audit, purpose=purpose,
            api_keys=api_keys(connectors) if keys is None else keys,
            host_rates=host_rates(connectors), pace=pace, cache=cache,
        )  # fmt: skip
        self._client: AsyncGuardedClient | None = None
        self._searching: dict[int, int] = {}
        """Searches in flight, by connector (``id``): one that finds its connector's workers all
        held waits for one (``_waited``)."""

    async def __aenter__(self) -> Run:
        self._client = self._open()  # the stack (and its audit rows) exists only once entered
        await self._client.__aenter__()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for connector in self.connectors:
            await connector.aclose()  # a sandboxed connector's process ends with the run
        if self._client is not None:
            await self._client.__aexit__(kind, error, trace)

    def session(
        self, connector: Connector, query: Query, *, offered_sites: Sequence[str] = ()
    ) -> ConnectorSession:
        """What ``connector`` is handed to search for ``query``. A connector declaring
        ``search_api`` also reaches the policy's instance of it, when one is set (and no other
        connector does); one declaring ``site`` may adopt one site per search, among them
        ``offered_sites`` (websites other sources gave for the employer). A connector that
        does not declare ``search_api`` never reaches the policy's instance, not even by
        listing it among its origins, and no connector adopts it as a site."""
        if self._client is None:
            raise RuntimeError("a Run researches inside 'async with Run(...) as run'")
        info = connector.info
        origins, search_api = info.origins, self.search_api(connector)
        instance = self.search_instance()
        if search_api:
            origins = (*origins, search_api)
        elif instance:
            closed = page_origin(instance)
            origins = tuple(origin for origin in origins if page_origin(origin) != closed)
        return ConnectorSession(
            self._client, info.id, query, self.health, version=info.version,
            rewrite=self._rewrite, origins=origins, search_api=search_api,
            guard=self._notes, may_adopt=info.site,
            offered_sites=offered_sites if info.site else (), search_instance=instance,
            handed=info.handed,
        )  # fmt: skip

    def search_api(self, connector: Connector) -> str:
        """The search API's URL ``connector`` may reach ("" if it declares none, or the policy
        configures none)."""
        if connector.info.search_api == "searxng":
            return self.search_instance()
        return ""

    def search_instance(self) -> str:
        """The policy's search API instance ("" if none): reached only by a connector that
        declares ``search_api``."""
        return str(self.policy["search.searxng_url"]).strip()

    async def search(
        self,
        connector: Connector,
        query: Query,
        *,
        key_required: bool = True,
        offered_sites: Sequence[str] = (),
    ) -> ConnectorResult:
        """One connector's answer for ``query``, with an honest status: ``timeout`` once the
        policy's ``limits.source_seconds`` have passed (waits for the host's rate included),
        and a search that found nothing after one of its requests met an outage (caught by
        the connector or not) is that outage (``_outage_first``); one its connector said fell
        short carries why (``_fell_short``). A search left owed leaves none of its pages in
        the HTTP cache (``ConnectorSession.forget_pages``). What it said it left unread at a
        bound of its own is carried in ``unread`` (``_left_unread``). A record's page that a
        connector skiptrace does not ship names off its origins is not kept
        (``_pages_vouched``).
        ``offered_sites``: see ``session``."""
        session = self.session(connector, query, offered_sites=offered_sites)
        bounded = Bounded(session, functools.partial(self._stopped, connector, query))
        offered = session.sites_offered  # none unless the connector reads sites
        seconds = float(self.policy["limits.source_seconds"])
        deadline = asyncio.timeout(seconds)
        ahead = self._searching.get(id(connector), 0)
        self._searching[id(connector)] = ahead + 1
        try:
            async with deadline:
                # the requests it cancels audited as timeouts; its workers' room (``_sandbox``)
                with watching(deadline), researching(query):
                    result = await run_connector(
                        connector, bounded, query, key_required=key_required, site_offered=offered
                    )
            result = _fell_short(_outage_first(result, session.outage), session.shortfall)
            result = _left_unread(result, session.unread)
        except TimeoutError:
            if not deadline.expired():
                raise
            detail = f"no answer within {seconds:g} s (limits.source_seconds)"
            if not bounded.asks:  # not the source's slowness: said, not left to be guessed
                detail += "; it asked for nothing in that time" + _waited(connector, ahead)
            result = ConnectorResult(
                connector.info.id, Status.TIMEOUT, detail=detail, reason="timeout"
            )
        finally:
            self._searching[id(connector)] -= 1
        if bounded.crossed:  # ended there, whatever its connector made of it
            result = ConnectorResult(
                connector.info.id, Status.ERROR, detail=bounded.crossed, reason="error"
            )
        if not result.asked:  # asked again next time, not answered by the copy that failed
            session.forget_pages()
        if not self._ships(connector):
            result = _pages_vouched(result, connector.info.origins, session.site)
        return result if session.site is None else _as_written(result, session)

    def _gives_sites(self, connector: Connector) -> bool:
        """A shipped source giving websites, which is not a site reader itself."""
        return (
            not connector.info.site and "website" in connector.info.gives and self._ships(connector)
        )

    def _ships(self, connector: Connector) -> bool:
        """``ships(connector)``, from the run's lookup for its own connectors."""
        known = self._shipped.get(id(connector))
        return ships(connector) if known is None else known

    def _stopped(self, connector: Connector, query: Query, why: str) -> None:
        """Write that ``connector``'s search for ``query`` was ended for ``why`` (a bound it
        crossed, ``connectors._bounds``): its last asks are not in the log."""
        self._notes.note("-", event="error", connector=connector.info.id,
                         debtor_ref=query.debtor_ref, rule="search-bounds",
                         detail=f"search ended: {why}", reason="error")  # fmt: skip

    async def research(
        self, query: Query, *, on_result: Callable[[ConnectorResult], None] | None = None
    ) -> list[ConnectorResult]:
        """Every connector that can search with the query's fields, concurrently; the results
        in the connectors' order. ``on_result`` is called with each result as soon as it is
        ready (a source that answers at once is told before one that hangs).

        When the query names no ``employer_website``, a connector that reads business sites
        waits for the shipped sources that give websites (``website`` in their ``gives``) and
        is offered the websites they found for the query's employer (``offered_websites``).
        Only shipped sources offer sites: a third-party source writes its records' employer
        and website itself, so it could choose the site a built-in connector reads."""
        usable = [c for c in self.connectors if not c.info.missing(query)]
        givers: list[int] = []
        if not query.get("employer_website").strip():
            givers = [n for n, c in enumerate(usable) if self._gives_sites(c)]
        waiting = [n for n, c in enumerate(usable) if c.info.site] if givers else []

        async def told(
            connector: Connector, offered: Sequence[str] = (), down: Sequence[str] = ()
        ) -> ConnectorResult:
            result = await self.search(connector, query, offered_sites=offered)
            if down and not result.records:  # an outage is never reported as nothing to read
                unasked = f"{', '.join(down)} could not be asked for the employer's website"
                result = replace(result, detail="; ".join(filter(None, (result.detail, unasked))))
            if on_result is not None:
                on_result(result)
            return result

        tasks = {
            n: asyncio.ensure_future(told(c)) for n, c in enumerate(usable) if n not in waiting
        }

        async def offered(connector: Connector) -> ConnectorResult:
            given = [await tasks[n] for n in givers]
            down = [g.connector for g in given if g.status.unavailable]
            return await told(connector, offered_websites(query, given), down)

        for n in waiting:
            tasks[n] = asyncio.ensure_future(offered(usable[n]))
        return list(await asyncio.gather(*(tasks[n] for n in range(len(usable)))))


def _outage_first(result: ConnectorResult, outage: BaseException | None) -> ConnectorResult:
    """``result``, unless it met an outage (the session keeps the first, in process and for a
    sandboxed connector alike, caught or not). Having found nothing, it is that outage, never
    "no result", nor a bare error that says less than the outage does (a sandboxed
    connector's re-raised failure); a connector's own error that says more is kept. A final
    answer after it (a later page refused) is that outage too, the answer said after it: the
    source was never wholly asked, and a refusal would call the row done. Having found
    records, they stand with the outage beside them (``partly``): the page that failed may
    have held the debtor."""
    if outage is None:
        return result
    said = failed(result.connector, outage)
    if result.records:
        return replace(result, partly=said.explained)
    bare = result.status == Status.ERROR and result.reason == "error" != said.reason
    if result.status == Status.NO_RESULT or bare:
        return said
    if result.asked:  # final, though the outage left the source's answer owed
        return replace(said, detail=f"{said.detail}; then {result.explained}")
    return result


def _pages_vouched(
    result: ConnectorResult, origins: Sequence[str], site: str | None
) -> ConnectorResult:
    """``result`` of a connector skiptrace does not ship, each record's ``record_url`` kept
    only at an origin the connector declared (as the guard compares them: scheme, host and
    port, parsed, never a prefix of the text) or on the site it adopted. Its code, or its
    manifest's template, writes that URL as it likes (a page at www.sec.gov for what its own
    host said, the one URL of a row whose found_* are empty), while the page the record was
    read from is the session's to vouch for: that page stands in its place (an https one: a
    record's page is), else nothing."""

    def vouched(record: SourceRecord) -> SourceRecord:
        page = record.record_url
        if not page or at_origins(page, origins) or (site and same_site(page, site)):
            return record
        read = record.provenance.source_url
        return replace(record, record_url=read if page_url(read) else "")

    return replace(result, records=tuple(map(vouched, result.records)))


def _as_written(result: ConnectorResult, session: ConnectorSession) -> ConnectorResult:
    """``result`` of a search that adopted a site, each URL of the site in it (a record's
    source and page, an outage's message) written as its audit row is (``written.on_site``):
    the site chose those pages (a link, a redirect), and a path may name a colleague. A page
    whose URL is all vocabulary words (``/our-team``, ``/contact-us``) is kept as it is; one
    that was not is no page anyone can open, so its record has no ``record_url``. A URL at
    an origin the connector declared is its source's, told as it is."""
    site = session.site or ""
    records = tuple(_record_as_written(record, site) for record in result.records)
    said = (result.detail, result.partly, result.unread)
    detail, partly, unread = (on_site_text(text, site, session.declares) for text in said)
    return replace(result, records=records, detail=detail, partly=partly, unread=unread)


def _record_as_written(record: SourceRecord, site: str) -> SourceRecord:
    source, page = record.provenance.source_url, record.record_url
    if not _may_name(source, site) and not _may_name(page, site):
        return record
    written = on_site(source) if same_site(source, site) else source
    return replace(record, provenance=replace(record.provenance, source_url=written),
                   record_url="" if _may_name(page, site) else page)  # fmt: skip


def _may_name(url: str, site: str) -> bool:
    """``url`` is a page of ``site`` with a word outside the vocabulary its rows keep: it may
    be a name."""
    return bool(url) and same_site(url, site) and not names_no_one(url)


def _fell_short(result: ConnectorResult, shortfall: str) -> ConnectorResult:
    """``result`` with why its connector said it fell short (``ConnectorSession.fell_short``)
    in ``partly``, after the outage its session noted there, if any: a hit stays a hit, and
    neither it nor a "no result" is final. A search that ended otherwise (an outage, an
    error, a refusal) already says why it gave no answer."""
    if not shortfall or result.status not in (Status.HIT, Status.NO_RESULT):
        return result
    said = f"{result.connector} fell short: {shortfall}"
    return replace(result, partly="; ".join(filter(None, (result.partly, said))))


def _left_unread(result: ConnectorResult, unread: str) -> ConnectorResult:
    """``result`` with what its connector said it left unread at a bound of its own
    (``ConnectorSession.left_unread``) in ``unread``, for a hit or "no result" only: final
    either way. A search that ended otherwise already says why it gave no answer."""
    if not unread or result.status not in (Status.HIT, Status.NO_RESULT):
        return result
    return replace(result, unread=unread)


def _waited(connector: Connector, ahead: int) -> str:
    """Why a search in a worker may ask nothing before its deadline: its deadline counts the
    wait for a worker of its connector's, held by other debtors' searches (``ahead`` were in
    flight as it began; fewer than its workers, none was waited for, and nothing is said)."""
    at_once = workers_at_once(connector)
    if not at_once or ahead < at_once:
        return ""
    debtors = "one debtor" if at_once == 1 else f"{at_once} debtors"
    return (f" ({connector.info.id} searches in workers, for {debtors} at a time, so this "
            "search may have waited for the ones before it; fewer --jobs wait less)")  # fmt: skip


MAX_OFFERED_WEBSITES = 3
"""Websites offered to a site reader per debtor: it adopts one, the first it may."""


def offered_websites(query: Query, results: Sequence[ConnectorResult]) -> tuple[str, ...]:
    """The websites sources gave for the query's employer: only from records whose employer is
    the query's (the same legal name once normalised, "APPLE INC" = "Apple Inc."), a site named
    by a record about another company is never offered; one per host (``www.`` and the scheme
    aside), at most ``MAX_OFFERED_WEBSITES``."""
    wanted = normalize_company(query.get("employer"))
    if not wanted:
        return ()
    hosts: dict[str, str] = {}
    for result in results:
        for record in result.records:
            if record.website and normalize_company(record.employer) == wanted:
                host = (urlsplit(record.website).hostname or "").removeprefix("www.")
                hosts.setdefault(host, record.website)
    return tuple(hosts.values())[:MAX_OFFERED_WEBSITES]


def host_rates(connectors: Sequence[Connector]) -> dict[str, float]:
    """Each host's slowest declared connector rate (a connector can only slow its hosts)."""
    rates: dict[str, float] = {}
    for connector in connectors:
        if connector.info.rate:
            rate = parse_rate(connector.info.rate)
            for origin in connector.info.origins:
                host = canonical_host(httpx.URL(origin).host)
                rates[host] = min(rates.get(host, rate), rate)
    return rates
