"""What a connector is handed: a Session over the run's session stack (``net.stack``).

A ``ConnectorSession`` is a connector's view of the stack: its id on every audit row, the
debtor's reference, the run-wide health of its source (a rate-limited or blocked source stays
so for the run, and says so instead of pretending it found nothing), and the checks that keep
debtor values out of paths. It implements the SDK's ``skiptrace.connectors.Session`` protocol.

One business site per session: a connector whose manifest says ``site = true`` may adopt, once,
a website it was offered (the query's ``employer_website``, a ``results[]`` URL of a search-API
answer this session itself fetched, or a site the run hands in) and nothing else: its origins
join the session's own, so the guard's ``origin`` rule keeps every other request, redirects
included, off the network. A link it chooses not to follow it ``decline``s, on the record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote_plus, urlsplit

import httpx

from skiptrace.errors import (
    ConnectorError,
    DebtorValueInURL,
    HardRuleRefusal,
    HostSlowed,
    Refused,
    SkiptraceError,
    SourceError,
    SourceTimeout,
    SourceUnavailable,
)
from skiptrace.net.challenge import looks_like_challenge
from skiptrace.net.client import AsyncGuardedClient
from skiptrace.net.extensions import (
    CONNECTOR,
    DEBTOR_REF,
    FORGET,
    FROM_CACHE,
    NO_STORE,
    ORIGINS,
    SITE,
)
from skiptrace.net.guard import Guard, origin_of, site_key, site_origins
from skiptrace.net.hardrules import DIALLED
from skiptrace.net.layers.ratelimit import still_asked
from skiptrace.net.layers.robots import UNAVAILABLE_RULE as ROBOTS_UNAVAILABLE_RULE
from skiptrace.net.reasons import NO_ANSWER, NOT_FOUND, RATE_LIMITED, REFUSED, failed, mark
from skiptrace.net.urls import DEFAULT_PORTS, CanonicalURL, canonicalize
from skiptrace.net.written import (
    AUTHORITY,
    WORD,
    as_kept,
    as_written,
    in_words,
    names_no_one,
    page_words,
    readings,
    scheme_and_host,
)
from skiptrace.records import Fetched, Provenance, Query, Status, path_segment
from skiptrace.safe_text import one_line

_NAME_PARTS = frozenset(("first_name", "middle_name", "last_name", "full_name"))
_PATH_GUARDED_FIELDS = ("first_name", "middle_name", "last_name", "full_name", "address",
                        "phone", "email", "zip")  # fmt: skip

SITE_HOW = ("employer_website", "search", "offered", "redirect")
"""How an adopted site was found: the query's ``employer_website``, a result of a search-API
answer the session fetched, a site the run offered (another source's answer), or where the
adopted site's home page redirected to (another domain, refused as a request: adopting it
replaces the site, once per search)."""
DECLINE_RULES = ("social", "form", "login", "off-site")
"""Why a connector declines a link: the rules a ``decline`` row may name."""
MAX_DECLINES = 200
"""Declined links one session may record: a connector asking for more is stopped."""
MAX_OFFERED = 100
"""Results of one search-API answer remembered as sites the session may adopt."""
MAX_SEARCH_ANSWERS = 3
"""Search-API answers one session remembers results of: a connector searching more is not
offered more sites."""
MAX_SHORTFALLS = 100
"""Times one search may say it fell short (``fell_short``): a connector saying it more is
stopped."""
MAX_SHORTFALL_TEXT = 300
"""Characters kept of why a search fell short: one line beside its source's name."""
_MAX_URL = 2048


class _Said:
    """What a connector said of its search, one kind of thing: the first reason kept, as one
    line of at most ``MAX_SHORTFALL_TEXT`` characters (``one_line``), the others counted; the
    call after ``MAX_SHORTFALLS`` raises ConnectorError (``too_many`` says what it said)."""

    def __init__(self, too_many: str) -> None:
        self._too_many = too_many
        self._first = ""
        self._times = 0

    def say(self, reason: str, not_text: str) -> None:
        if not isinstance(reason, str):
            raise ConnectorError(not_text)
        self._times += 1
        if self._times > MAX_SHORTFALLS:
            raise ConnectorError(f"{self._too_many} more than {MAX_SHORTFALLS} times in one "
                                 "search")  # fmt: skip
        if self._times == 1:
            self._first = one_line(reason, MAX_SHORTFALL_TEXT) or "no reason given"

    @property
    def text(self) -> str:
        more = self._times - 1
        return f"{self._first} (and {more} more)" if more > 0 else self._first


@dataclass
class SourceStats:
    """One source's run so far, for summaries and for short-circuiting a dead source."""

    status: Status = Status.OK
    detail: str = ""
    forbidden: int = 0


@dataclass
class SourceHealth:
    """Every source's state in this run."""

    sources: dict[str, SourceStats] = field(default_factory=dict)

    def of(self, connector: str) -> SourceStats:
        return self.sources.setdefault(connector, SourceStats())

    def status(self, source: str) -> SourceStats:
        """``source``'s state, read without keeping an entry for it: a run reads as many
        business sites as it has debtors, and only those that failed need one."""
        return self.sources.get(source) or SourceStats()

    def mark(self, connector: str, status: Status, detail: str) -> SourceUnavailable:
        stats = self.of(connector)
        stats.status, stats.detail = status, detail
        return SourceUnavailable(connector, status, detail)


class ConnectorSession:
    """What a connector gets: guarded, cached, polite GETs made in its name."""

    def __init__(
        self,
        client: AsyncGuardedClient,
        connector: str,
        query: Query,
        health: SourceHealth,
        *,
        version: str = "",
        rewrite: Mapping[str, str] | None = None,
        origins: Sequence[str] | None = None,
        guard: Guard | None = None,
        may_adopt: bool = False,
        search_api: str = "",
        offered_sites: Sequence[str] = (),
        search_instance: str = "",
        handed: Sequence[str] | None = None,
    ) -> None:
        """``origins``: the only origins its requests may reach (the guard refuses any other,
        rule ``origin``); ``rewrite`` sends origins elsewhere (contract replays).

        ``guard`` (the run's policy and audit log) writes the refusals made here, before the
        stack (a debtor value in a URL). ``may_adopt`` (a manifest's ``site = true``) makes
        ``adopt_site`` and ``decline`` possible, with a ``guard``; without them they raise
        ConnectorError. ``search_api`` is the search API's URL (its origin must be in
        ``origins``): results of answers fetched from that origin are sites the connector may
        adopt, as are ``offered_sites``: only answers to a search whose ``q`` names the
        query's employer, and at most ``MAX_SEARCH_ANSWERS`` of them.
        ``search_instance`` is the run's search API: a connector that does not declare it
        (no ``search_api``) never adopts it as a site, nor any site sharing its host and port.
        ``handed``: the fields of ``query`` its connector is handed (all if None), the only
        values its URLs are checked for (``_refuse_debtor_values``).
        """
        self._client = client
        self.connector = connector
        self.version = version
        self._query = query
        guarded = _guarded(query, handed)
        self._phone = re.sub(r"\D", "", guarded.get("phone", ""))[-10:]
        self._guarded = {name: value for name, value in guarded.items()
                         if len("".join(WORD.findall(value))) >= 3}  # fmt: skip
        """The debtor values its URLs are checked for (``_refuse_debtor_values``): a value of
        one or two letters is in too many ids to mean anything."""
        self._values: dict[str, re.Pattern[str]] | None = None
        """Those values compiled, at the first URL checked: most searches (the offline
        index's, a search that fails before it asks) check none, and compiling them for each
        debtor and connector was most of a row's CPU in a run of such searches."""
        told = handed is None or "employer" in handed
        self._site_words = page_words(query.get("employer") if told else "")
        """Besides ``KEPT_WORDS``, the words of a page of the adopted site asked for whoever
        the debtor is (``_asked_of_all``)."""
        self.search_api = search_api
        self.site: str | None = None
        """The site adopted, once one is."""
        self._health = health
        self._rewrite = dict(rewrite or {})
        self._guard = guard
        self._may_adopt = may_adopt
        self._declined = 0
        self._extensions: dict[str, object] = {CONNECTOR: connector, DEBTOR_REF: query.debtor_ref}
        reachable = (canonicalize(self._rewritten(origin)) for origin in origins or ())
        self._declared = frozenset(origin_of(url) for url in reachable)
        """The origins the connector declared (its search API's included), as reached."""
        if origins is not None:
            self._extensions[ORIGINS] = self._declared
        self._search_origin = origin_of(canonicalize(search_api)) if search_api else ""
        closed = search_instance if search_instance and not search_api else ""
        self._search_endpoints = frozenset(
            {_endpoint(origin_of(canonicalize(closed)))} if closed else ()
        )
        self._answers = 0
        self._found: set[tuple[str, int | None]] = set()
        """Sites (``site_key``) the search API offered in answers this session fetched."""
        kept = [(url, _site_of(url)) for url in offered_sites[:MAX_OFFERED]]
        self._offered = {key for _, key in kept if key is not None}
        self.offered_sites = tuple(dict.fromkeys(url for url, key in kept if key is not None))
        """The sites the run handed in (other sources' websites for the employer), in the
        run's order: the connector may adopt one with ``how="offered"``."""
        self.outage: SkiptraceError | httpx.RequestError | None = None
        """The first outage a request of this search met (rate-limited, blocked, timed out,
        unreachable, a 5xx, a refused key or query), even if the connector caught it: a
        search that then found nothing is that outage, never "no result" (``Run.search``)."""
        self._kept: list[Callable[[], None]] = []
        """How to drop from the HTTP cache each page this search was answered with."""
        self._site_origins: frozenset[str] = frozenset()
        """The adopted site's origins: where its pages may redirect (``_extensions_for``)."""
        self._redirect: tuple[str, int | None] | None = None
        """The site the adopted site's home page redirected to (``site_key``), once refused."""
        self._moved = False
        """True once the session adopted a redirect's site: a site moves once per search."""
        self._short = _Said(f"{connector} said it fell short")
        self._unread = _Said(f"{connector} said it left pages unread")

    @property
    def sites_offered(self) -> bool:
        """True if the run handed in at least one site this session could adopt as offered."""
        return bool(self._offered)

    @staticmethod
    def segment(value: str) -> str:
        """``value`` percent-encoded as exactly one path segment (``/`` and ``..`` included)."""
        return path_segment(value)

    async def get(self, url: str, params: Mapping[str, str] | None = None) -> Fetched:
        """GET ``url`` with ``params`` encoded into the query string.

        Raises SourceUnavailable once the source is rate-limited or blocked for the run, and
        SourceError for answers that are neither data nor "not found" and for an answer the
        network could not deliver (SourceTimeout when too slow), and DebtorValueInURL, before
        anything is sent, for a URL holding a debtor value (``_refuse_debtor_values``). On an
        adopted site a 401, a page behind a login, is "not found": its body is left empty.
        """
        url = self._rewritten(url)
        unavailable = self._unavailable(url)
        if unavailable is not None:
            self._note_outage(unavailable)
            raise unavailable
        # on an adopted business site nothing carries a debtor value, the query included: a
        # GET can submit a form ("?message=... Jane Roe, 555-867-5309 ...")
        target = str(httpx.URL(url, params=params)) if params and self.site else url
        try:
            self._refuse_debtor_values(
                target, whole=self._on_site(target), words=not self._asked_of_all(target)
            )
        except DebtorValueInURL as refusal:  # not sent; audited with its scheme and host only
            if self._guard is not None:  # and nothing of a URL with no host: its path is all
                written = scheme_and_host(target) if AUTHORITY.match(target) else ""
                self._guard.note(written, event="refused",
                                 connector=self.connector, debtor_ref=self._query.debtor_ref,
                                 rule="debtor-value", detail=str(refusal),
                                 reason=REFUSED)  # fmt: skip
            raise  # a connector may catch it and skip the URL: nothing was sent
        try:  # None, not {}: httpx drops a URL's own query when handed empty params
            with still_asked(self._unavailable):  # checked again when the host's turn comes
                response = await self._client.get(
                    url, params=params or None, extensions=self._extensions_for(target)
                )
        except SourceUnavailable as outage:  # found so while it waited: not sent
            self._note_outage(outage)
            raise
        except HostSlowed as slowed:  # its turn too far off: not sent, rate-limited, but this
            # request only (the source is not marked for the run: a later turn may come in time)
            limited = SourceUnavailable(self.connector, Status.RATE_LIMITED, str(slowed))
            self._note_outage(mark(limited, RATE_LIMITED))
            raise limited from None
        except Refused as refusal:
            self._note_redirect(url, params, refusal)
            if refusal.rule == ROBOTS_UNAVAILABLE_RULE:  # not asked: never "no result"
                self._note_outage(refusal)
            elif self.site is None and _sent_on(url, params, refusal.url):
                self._note_outage(SourceError(  # a status or sign-in page: the answer owed
                    f"{url} was sent on to {refusal.url}, which rule '{refusal.rule}' refuses: "
                    "not the search's answer (a maintenance or sign-in page?)"))  # fmt: skip
            raise
        except SourceError as outage:  # a timeout, a body too large or that cannot be decoded:
            self._note_outage(outage)  # each keeps the answer owed
            raise
        except (httpx.TransportError, httpx.TooManyRedirects) as error:
            kept = as_kept(error, self.site)  # on an adopted site, not what the site sent
            self._note_outage(kept)
            raise _sdk_error(url, kept) from error
        cached = response.extensions.get(FROM_CACHE)  # when its copy was fetched
        fetched = datetime.fromtimestamp(cached, UTC) if cached else datetime.now(UTC)
        if callable(forget := response.extensions.get(FORGET)):
            self._kept.append(forget)
        try:
            self._judge(response)
        except (SourceUnavailable, SourceError) as outage:  # 5xx, 429, a refused key...
            self._note_outage(outage)
            raise
        if self._search_origin and response.status_code == 200:
            self._remember_results(response)
        return Fetched(
            url=str(response.url),
            status=response.status_code,
            headers=dict(response.headers),
            content=b"" if response.status_code == 401 else response.content,  # never read
            fetched_at=fetched.isoformat(timespec="seconds"),
            from_cache=bool(cached),
        )

    def fell_short(self, reason: str) -> None:
        """Say this search could not read all it should have, for ``reason``, which no request
        of it shows (a later page that came, but is not the page asked for): the records it
        returns stand, and its result says it fell short (``shortfall``), after any outage
        noted here, which nothing a connector says hides."""
        self._short.say(reason, "a reason for falling short is text")

    @property
    def shortfall(self) -> str:
        """Why the connector said its search fell short ("" if it did not): the first reason it
        gave, and how many more."""
        return self._short.text

    def left_unread(self, reason: str) -> None:
        """Say this search stopped at a bound of its own, leaving ``reason`` unread (a
        manifest's ``max_pages`` reached on a full page): its answer stays final, and its
        result says so (``unread``)."""
        self._unread.say(reason, "what a search left unread is said in text")

    @property
    def unread(self) -> str:
        """What the connector said its search left unread at a bound of its own ("" if
        nothing): the first reason it gave, and how many more."""
        return self._unread.text

    def forget_pages(self) -> None:
        """Drop from the HTTP cache every page this search was answered with: a search left
        owed (its connector could not read a page, or met an outage) asks the source afresh
        when it is run again, never a kept copy of what failed."""
        for forget in self._kept:
            forget()
        self._kept.clear()

    async def adopt_site(self, url: str, how: str) -> str:
        """Make ``url``'s site (``guard.site_origins``) reachable for the rest of this session,
        and return the site's home page (``scheme://host/``: never the path or query given).
        Once per session; ``how`` says where the connector got
        it and must be true: ``employer_website`` (the query's), ``search`` (a result of a
        search-API answer this session fetched), ``offered`` (a site the run handed in) or
        ``redirect`` (where the adopted site's home page redirected, refused as a request for
        leaving the site: the site moves there, once per search).

        Raises ConnectorError when the session cannot adopt (no guard, a site already adopted
        and no redirect to move to, an unknown ``how``), and Refused, audited, when the guard's
        checks refuse the site or it was not offered that way. The adoption is audited (event
        ``site``).
        A URL holding a debtor's value (name, phone, e-mail ...) past its host raises
        ConnectorError and writes nothing. A connector without ``search_api`` never adopts the
        run's search API (``search_instance``; rule ``search-instance``), nor does one move
        its site to its own (``how="redirect"``).
        """
        guard = self._guard
        if guard is None or not self._may_adopt:
            raise ConnectorError(f"{self.connector} may not adopt a site (no site = true)")
        if self.site is not None and (how != "redirect" or self._moved):
            raise ConnectorError(f"one site per search: {self.connector} already has {self.site}")
        if how not in SITE_HOW:
            raise ConnectorError(f"how is one of {', '.join(SITE_HOW)}, not {how!r}")
        if not isinstance(url, str) or not url.strip() or len(url) > _MAX_URL:
            raise ConnectorError(f"a site is a URL of at most {_MAX_URL} characters")
        self._refuse_debtor_values(_with_scheme(url), whole=True)
        who = {"connector": self.connector, "debtor_ref": self._query.debtor_ref}
        canonical = guard.check_site(_with_scheme(url), **who)
        admitted = site_origins(canonical)
        refusal = None
        if any(_endpoint(origin) in self._closed_to(how) for origin in admitted):
            refusal = HardRuleRefusal(
                "search-instance", str(canonical), "the search API is not a business's site"
            )
        elif site_key(canonical) not in self._offers(how):
            refusal = HardRuleRefusal(
                "site-not-offered", str(canonical), f"no {how.replace('_', ' ')} offered this site"
            )
        if refusal is not None:  # written as the site it is: a path may name a person
            guard.note(scheme_and_host(refusal.url), event="refused", rule=refusal.rule,
                       detail=refusal.detail, reason=REFUSED, **who)  # fmt: skip
            raise refusal
        # the site's home page, never the path or query given: an employer_website of
        # "https://acme.example/send.php?to=...&text=..." is not fetched as written
        root = urlsplit(str(canonical))
        home = f"{root.scheme}://{root.netloc}/"
        guard.note(home, event="site", rule="site", detail=f"how={how}", **who)
        declared = self._extensions.get(ORIGINS)
        before = declared if isinstance(declared, frozenset) else frozenset()
        if self.site is not None:  # the site moved: the old one is read no more
            before = before - site_origins(canonicalize(self.site))
        self._moved = how == "redirect"
        self.site = home
        # a new dict: a request already built keeps the origins it was built with
        # a business's pages name its people: none of them is kept in the cache, and a refused
        # request off the site is written without its path (SITE)
        self._extensions = {**self._extensions, ORIGINS: before | admitted, NO_STORE: True,
                            SITE: home}  # fmt: skip
        self._site_origins = admitted
        return self.site

    async def decline(self, url: str, rule: str) -> None:
        """Record, as an audited refusal naming ``rule`` (one of ``DECLINE_RULES``), a link the
        connector will not follow (a social profile, a form's action, a login link, an
        off-site link). Nothing is sent. Only its scheme and host are written: the rest of such
        a link names people (a colleague's profile, the debtor's), whom the log has no reason
        to hold; the host says what kind of link was declined. An off-site link's host may be
        a person's own domain (a colleague's): the adopted site is written instead."""
        if self._guard is None or not self._may_adopt:
            raise ConnectorError(f"{self.connector} may not decline links (no site = true)")
        if rule not in DECLINE_RULES:
            raise ConnectorError(f"a declined link's rule is one of {', '.join(DECLINE_RULES)}")
        if not isinstance(url, str) or len(url) > _MAX_URL:
            raise ConnectorError(f"a declined link is a URL of at most {_MAX_URL} characters")
        url, kept = as_written(url, self.site, social=rule == "social")
        detail = f"declined by its connector: not requested ({kept})"
        self._declined += 1
        if self._declined > MAX_DECLINES:
            raise ConnectorError(f"declined more than {MAX_DECLINES} links in one search")
        self._guard.note(url, event="refused", connector=self.connector,
                         debtor_ref=self._query.debtor_ref, rule=rule, detail=detail,
                         reason=REFUSED)  # fmt: skip

    def provenance(self, page: Fetched) -> Provenance:
        """Where a record read from ``page`` came from."""
        return Provenance(self.connector, self.version, page.url, page.fetched_at)

    def _judge(self, response: httpx.Response) -> None:
        status, source = response.status_code, self._source_of(str(response.url))
        if status == 429:
            raise self._mark(source, Status.RATE_LIMITED, "HTTP 429 after retries")
        if looks_like_challenge(response):
            raise self._mark(source, Status.BLOCKED, "a CAPTCHA or WAF challenge page")
        if status == 403:
            stats = self._health.of(source)
            stats.forbidden += 1
            if stats.forbidden >= 2:
                raise self._mark(source, Status.BLOCKED, "repeated HTTP 403")
            raise SourceError(f"{response.url} answered HTTP 403")
        if status == 408:  # the server gave up waiting: an outage, never "no result"
            raise SourceTimeout(f"{response.url} answered HTTP 408 (request timeout)")
        if status == 401 and self._on_site(str(response.url)):
            return  # a business's page behind a login is not public: not read, as a 404 is
        if failed(status):
            why = f" ({NO_ANSWER[status]})" if status in NO_ANSWER else ""
            raise SourceError(f"{response.url} answered HTTP {status}{why}")
        if status in NOT_FOUND and self.site is None and _sent_elsewhere(response):
            raise SourceError(f"{response.history[0].url} was sent on to {response.url}, which "
                              f"answered HTTP {status} (a moved or maintenance page?)")  # fmt: skip

    def _source_of(self, url: str) -> str:
        """What a rate limit or a block met at ``url`` holds for, for the rest of the run: an
        adopted business site alone for a page of it (each debtor's employer has its own: one
        that answers 429 says nothing of the next one's), else the connector's source: its
        declared origins and search API, which every debtor's search asks."""
        if self.site is None or not self._on_site(url):
            return self.connector
        found = canonicalize(url)  # it can be: it is on the site
        if self._at_declared(found):
            return self.connector  # declared as well: the connector's before it is the site's
        host, port = site_key(found)  # one site however written: www. and the scheme aside
        return f"{self.connector} {host}" + (f":{port}" if port else "")

    def _unavailable(self, url: str) -> SourceUnavailable | None:
        """Why ``url``'s source is not asked for the rest of the run (rate-limited or
        blocked), marked with its reason word for an audit row; None while it may be."""
        stats = self._health.status(self._source_of(url))
        if stats.status == Status.OK:
            return None
        unavailable = SourceUnavailable(self.connector, stats.status, stats.detail)
        return mark(unavailable, str(stats.status))

    def _mark(self, source: str, status: Status, detail: str) -> SourceUnavailable:
        unavailable = self._health.mark(source, status, detail)
        return SourceUnavailable(self.connector, unavailable.status, unavailable.detail)

    def _note_outage(self, error: SkiptraceError | httpx.RequestError) -> None:
        """Keep the first outage of this search (``outage``)."""
        if self.outage is None:
            self.outage = error

    def _note_redirect(self, url: str, params: Mapping[str, str] | None, refusal: Refused) -> None:
        """Remember where the adopted site's home page redirected, when the guard refused the
        hop for leaving the site's origins (rule ``origin``): the one site ``adopt_site``
        may then move to (``how="redirect"``). Only a request for the root of the adopted
        site (``/``, no query), before the site moved once, counts: a deeper page that
        redirects off the site (a shop link, an open redirect) never moves it."""
        if self.site is None or self._moved or params or refusal.rule != "origin":
            return
        try:
            asked, adopted = canonicalize(url), canonicalize(self.site)
        except (Refused, ValueError):
            return
        root = asked.path in ("", "/") and not asked.query
        target = _site_of(refusal.url)
        if root and site_key(asked) == site_key(adopted) and target not in (None, site_key(asked)):
            self._redirect = target

    def _closed_to(self, how: str) -> frozenset[str]:
        """The search endpoints (``host:port``) a site adopted ``how`` may not be at: the run's
        search API for a connector that does not declare it, and its own for a site's move (a
        home page redirecting to the search instance, refused as a hop off the site, is no
        business moving there)."""
        if how == "redirect" and self._search_origin:
            return self._search_endpoints | {_endpoint(self._search_origin)}
        return self._search_endpoints

    def _offers(self, how: str) -> set[tuple[str, int | None]]:
        if how == "employer_website":
            site = _site_of(self._query.get("employer_website"))
            return {site} if site is not None else set()
        if how == "redirect":
            return {self._redirect} if self._redirect is not None else set()
        return self._found if how == "search" else self._offered

    def _remember_results(self, response: httpx.Response) -> None:
        """The sites a search-API answer offers: the ``url`` of each of its ``results``
        (JSON as SearxNG answers), read here from what the guard let in, never from what a
        connector says it read. Only an answer to a search naming the query's employer (``q``,
        compared folded) offers sites, and only ``MAX_SEARCH_ANSWERS`` answers do: the
        connector chooses the search, not the sites it may adopt."""
        if origin_of(canonicalize(response.url)) != self._search_origin:
            return
        employer = _folded(self._query.get("employer"))
        if not employer or employer not in _folded(response.url.params.get("q", "")):
            return
        if self._answers >= MAX_SEARCH_ANSWERS:
            return
        self._answers += 1
        try:
            answer = json.loads(response.content)
        except ValueError:
            return
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list):
            return
        for result in results[:MAX_OFFERED]:
            url = result.get("url") if isinstance(result, dict) else None
            site = _site_of(url) if isinstance(url, str) and "://" in url else None
            if site is not None:
                self._found.add(site)

    def _rewritten(self, url: str) -> str:
        for origin, replacement in self._rewrite.items():
            if url.startswith(origin):
                return replacement + url[len(origin) :]
        return url

    def declares(self, url: str) -> bool:
        """True if ``url`` is at an origin the connector declared (its source's), off the site
        it adopted."""
        try:
            found = canonicalize(url)
        except HardRuleRefusal:
            return False
        return self._at_declared(found) and not self._on_site(url)

    def _at_declared(self, found: CanonicalURL) -> bool:
        """``found`` is at an origin the connector declared (a file: or mailto: URL is at
        none)."""
        return found.scheme in DEFAULT_PORTS and origin_of(found) in self._declared

    def _on_site(self, url: str) -> bool:
        """True if ``url`` is on the site this session adopted: at one of its origins, where
        the guard lets its requests go (``guard.site_origins``), the other scheme's default
        port included (``https://acme.example/`` of ``http://acme.example:8080/``)."""
        try:
            found = canonicalize(url)
        except HardRuleRefusal:  # the guard says why, on the record
            return False
        return found.scheme in DEFAULT_PORTS and origin_of(found) in self._site_origins

    @staticmethod
    def _at(url: str, origin: str) -> bool:
        """True if ``url`` is at ``origin`` (``origin_of``'s form)."""
        try:
            return origin_of(canonicalize(url)) == origin
        except HardRuleRefusal:  # the guard says why, on the record
            return False

    def _asked_of_all(self, url: str) -> bool:
        """``url`` is a page of the adopted site written only in words that name no one or in
        the employer's (``names_no_one``), one a connector reads for any debtor of this
        employer ("/about-harbor-lane", "/contact"): its path holding a word of her name
        (Dana Lane at Harbor Lane, Jo Contact) tells the site nothing of her, and refusing it
        for her alone did (the site could tell her from every other debtor)."""
        return self._on_site(url) and names_no_one(url, also=self._site_words)

    def _extensions_for(self, url: str) -> dict[str, object]:
        """The request's extensions: a page of the adopted site may lead (redirect) only to
        the site, never to another origin the connector declares, such as its search API (a
        site had chosen searches for the user's SearxNG instance, whose limiter allows a
        handful an hour). A search API's answer is never kept in the cache: its snippets quote
        the pages of the businesses it finds, and name their people, as their pages do."""
        if self._search_origin and self._at(url, self._search_origin):
            return {**self._extensions, NO_STORE: True}
        if self.site is None or not self._on_site(url):
            return self._extensions
        return {**self._extensions, ORIGINS: self._site_origins}

    def _refuse_debtor_values(self, url: str, *, whole: bool = False, words: bool = True) -> None:
        """A debtor value standing as a word of the path means a connector built the path
        from the debtor record. Ids from a source's answers may contain the same letters, so
        only whole words count (``/people/roe-smith/`` is refused, ``/officers/xKimq9/`` not).
        ``whole``: everything past the host (query and fragment too), for a URL that is only
        written down (a declined link, a site adopted): no debtor value belongs there. Only
        the values the connector could know are looked for (``_guarded``): a refusal of one it
        was not handed would tell it that value. ``words`` False: a page asked of every debtor
        (``_asked_of_all``), whose words are hers by chance at most, is refused for her phone
        alone, which no such page dials by chance: its small numbers can
        (``/contact-55-58-67-53-09``).
        """
        # every reading a server may make (``written.readings``): decoded as often as escapes
        # of escapes remain ("%2563ade" is her name to one that decodes twice), and NFKC-folded
        # (full-width or circled letters are hers to whoever reads them), as a page is read
        if whole:
            rest = AUTHORITY.sub("", url, count=1)
            texts = readings(rest) | readings(unquote_plus(rest))
        else:
            texts = readings(httpx.URL(url).path)
        where = "URL" if whole else "URL path"
        phone = self._phone
        if len(phone) == 10 and any(re.sub(r"\D", "", found)[-10:] == phone
                                    for t in texts for found in DIALLED.findall(t)):  # fmt: skip
            raise DebtorValueInURL(  # 5558675309, (555) 867-5309, +15558675309: one number
                f"{self.connector} put the debtor's phone in a {where}; debtor values go in "
                "query parameters only, and never to a site adopted or a link declined"
            )
        if not words:
            return
        if self._values is None:
            self._values = {name: _as_words(value) for name, value in self._guarded.items()}
        for name, pattern in self._values.items():
            if any(pattern.search(text) for text in texts):
                raise DebtorValueInURL(
                    f"{self.connector} put the debtor's {name} in a {where}; "
                    "debtor values go in query parameters only"
                    + (", and never in a link declined or a site adopted" if whole else "")
                )


def _as_words(value: str) -> re.Pattern[str]:
    """``value`` found as its words in order, whatever stands between them, nothing included,
    never inside a longer word: 12 Oak St as /12-oak-st/ or /12oakst/, not /112oakst/."""
    phrase = r"[\W_]*".join(map(re.escape, WORD.findall(value.casefold())))
    return re.compile(rf"(?<![^\W_]){phrase}(?![^\W_])")


def _guarded(query: Query, handed: Sequence[str] | None) -> dict[str, str]:
    """The debtor values a connector's URLs are checked for: those of the fields it is
    ``handed`` (all with None), every part of the name with any of them (a full name holds
    the surname). A value it was not handed is no value of its to refuse: a refusal of a guess
    (a ZIP, or a word of the employer it was handed that is her surname too) would confirm
    it, and a company's name in its own registry's path is no name of hers."""
    values = {name: query.get(name) for name in _PATH_GUARDED_FIELDS if query.get(name)}
    if handed is None:
        return values
    named = not _NAME_PARTS.isdisjoint(handed)
    return {name: value for name, value in values.items()
            if name in handed or (named and name in _NAME_PARTS)}  # fmt: skip


def _sdk_error(url: str, error: httpx.RequestError) -> SourceError:
    """``error`` as the SDK says an outage (``Session.get``): a connector catches SourceError
    to skip one page, and a sandboxed one could not have caught httpx's own (it reached the
    worker as a bare error, ending the whole search, what was read lost)."""
    kind = SourceTimeout if isinstance(error, httpx.TimeoutException) else SourceError
    return kind(f"{url}: {type(error).__name__}: {in_words(error)}")


def _endpoint(origin: str) -> str:
    """``scheme://host:port`` as ``host:port``."""
    return origin.split("://", 1)[-1]


def _folded(text: str) -> str:
    """``text`` compared loosely: case, punctuation and spaces left out."""
    return "".join(char for char in text.casefold() if char.isalnum())


def is_site(url: str) -> bool:
    """True if ``url`` (``acme.example`` as people write it included) names an http(s) site."""
    return _site_of(url) is not None


def _with_scheme(url: str) -> str:
    """``acme.example`` as ``https://acme.example``: a website as people write it."""
    text = url.strip()
    return text if "://" in text else f"https://{text}"


def _site_of(url: str) -> tuple[str, int | None] | None:
    """``url``'s site (``site_key``), or None if it is no http(s) URL. Its scheme and
    authority say so, the rest never being adopted: a website given with a long query (a
    tracking one, pasted with it) is still its site."""
    if not url:
        return None
    text = _with_scheme(url)
    found = AUTHORITY.match(text)
    home = found.group(0) if found else text
    if len(home) > _MAX_URL:
        return None
    try:
        canonical: CanonicalURL = canonicalize(home)
    except HardRuleRefusal:
        return None
    if canonical.scheme not in ("http", "https") or canonical.has_userinfo:
        return None  # ``mailto:x@y.example`` read as a website is credentials at y.example
    if not _HOST.fullmatch(canonical.host):
        return None
    return site_key(canonical)


_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|[0-9a-f:.]*:[0-9a-f:.]*")
"""A host name or an address: no space, no control character, nothing a website is not."""


def _sent_on(url: str, params: Mapping[str, str] | None, refused: str) -> bool:
    """Whether the URL a refusal names is not the one asked for (with ``params``), but where
    its answer sent the request on (a redirect the guard would not follow)."""
    try:
        asked = canonicalize(str(httpx.URL(url, params=params or None)))
        return canonicalize(refused) != asked
    except (Refused, ValueError, httpx.InvalidURL):  # no URL to compare: none told apart
        return False


def _sent_elsewhere(response: httpx.Response) -> bool:
    """Whether a redirect sent the request to another path: "not found" there is the other
    page's to say (a maintenance or login page), not the search's. A redirect that only adds
    a trailing slash or changes the scheme or host's spelling keeps the search's answer; and
    on an adopted business site a page moved to a missing one is a broken link, not an
    outage (the caller checks ``site``)."""
    if not response.history:
        return False
    first, final = response.history[0].request.url, response.url
    return first.path.rstrip("/") != final.path.rstrip("/")
