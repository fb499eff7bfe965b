"""An employer's own website: where the business takes mail, and whether the debtor is on its
staff page.

The site is the query's ``employer_website``, else a website another source gave for the
employer in this run (``Session.offered_sites``: EDGAR's submissions carry one), else the first
plausible result of a web search through the policy's SearxNG instance (results from directories
and social networks are skipped; the guard refuses them anyway). One site per search: the
connector decides from the result's URL and title which one to adopt, then the site itself must
agree before anything is read from it: its name (``<title>``, ``og:site_name``, a schema.org
Organization) matches the employer, the page does not say its domain is for sale or parked nor
call itself the business's reviews, and, when the debtor's city, state, ZIP or phone is known
and the site shows an address or phone, one of them agrees. Search snippets are never evidence.
If the site does not agree, no record is returned and no second site is tried. A home page that
redirects to another domain moves the site there, once (the session allows only that move, and
the guard checks the new site as it checks any).

Reading is polite and narrow: robots.txt first (the session stack reads it before the first
page), the home page, then at most ``MAX_PAGES`` same-site pages whose path says contact,
about, team, staff... Links to social networks, forms, logins and other sites are never
followed: each is declined, on the record (a form whose action is also a page read is not).
A colleague's own page below a staff list (``/team/<name>``) is never read. A page robots.txt
disallows, or that fails, is skipped; one that times out ends the reading with what was read.

Output: one record for the business (its name, its preferred mailing address, a PO box or
labelled mailing address before a shop, in the debtor's area when one is (of equals, in her
town), its phone;
``record_url`` is the page the address was read on; only the agreeing organisation's address and
phone, and on a page that heads its addresses by business, such as a directory, only the one
under the employer's name), and, for each page that lists the debtor among its staff, one
employment record with the name as written and the title beside it (never a title that names
another person). Only the debtor's own name variants are looked for; no other person's name is
stored. A page that only mentions the debtor (news, a customer's quote, an obituary or memorial)
gives a record with the name and that context as its title, and nothing else: no employer,
address or phone, so matching can only ever read it as a name alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final
from urllib.parse import urlsplit

import rapidfuzz

from skiptrace.connectors import (
    Address,
    DebtorValueInURL,
    Fetched,
    NoResult,
    Query,
    Refused,
    Session,
    SourceError,
    SourceRecord,
    SourceTimeout,
    home_page,
)
from skiptrace.normalize import (
    TOLL_FREE,
    canonical_first,
    normalize_company,
    normalize_phone,
    normalize_state,
    parse_name,
)
from skiptrace.pages import (
    DESIGNATIONS,
    NOT_FOR_MAIL,
    STREET,
    Organisation,
    Page,
    PageAddress,
    agreeing_name,
    delivery_line,
    for_sale,
    in_story,
    is_named,
    mentions,
    name_score,
    part_of,
    phone_number,
    rank,
    read_page,
    site_links,
    snippet,
    social_link,
    staff_url,
    title_parts,
)

MAX_PAGES = 5
"""Same-site pages read after the home page."""
MAX_DECLINES = 150
"""Declined links recorded in one search: each (kind, scheme and host) once, as the row keeps
only those (the session stops a connector past 200)."""
MAX_CANDIDATES = 10
"""Search results considered when choosing the one site to adopt."""
RESULT_PLAUSIBLE = 70
"""A search result's title or host scoring below this is not adopted at all."""
_DIRECTORIES = (
    "yelp.", "bbb.org", "yellowpages.", "manta.com", "mapquest.", "facebook.", "linkedin.",
    "instagram.", "twitter.", "x.com", "tiktok.", "youtube.", "wikipedia.org", "indeed.",
    "glassdoor.", "zoominfo.", "angi.com", "angieslist.", "thumbtack.", "houzz.", "nextdoor.",
    "google.", "bing.", "foursquare.", "tripadvisor.", "opencorporates.", "bizapedia.",
    "dnb.com", "chamberofcommerce.", "superpages.", "whitepages.", "crunchbase.",
)  # fmt: skip
"""Hosts that list businesses or people rather than being one's own site: never adopted."""


@dataclass
class _Reading:
    """What was read on the adopted site so far."""

    pages: list[tuple[Fetched, Page]] = field(default_factory=list)
    addresses: list[tuple[Fetched, PageAddress]] = field(default_factory=list)
    """The addresses that are the employer's own (see ``_own_addresses``)."""
    employer: str = ""
    name: str = ""
    """The name the site gives itself (``agreeing_name``)."""
    staff: list[tuple[str, SourceRecord]] = field(default_factory=list)
    """(context, record): ``staff``, ``mention``, ``elsewhere`` (staff at another business: a
    mention) or ``obituary``."""
    any_initial: bool = False
    """The debtor's middle name is not known: a page may write any one initial."""
    town: str = ""
    """The debtor's town, when the file gives it: a branch may be named by it."""
    declined: set[tuple[str, str, str]] = field(default_factory=set)
    """(rule, scheme, host) of each link declined on the record."""
    seen: set[str] = field(default_factory=set)


class BusinessPages:
    """Find the employer's site, make sure it is theirs, read a few pages of it."""

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        """The business's record and the debtor's employment records (see the module doc)."""
        employer = query.get("employer").strip()
        website = query.get("employer_website").strip()
        offered = sorted(session.offered_sites, key=_is_directory)  # stable: sites first
        if website:
            site = await session.adopt_site(_home(website), "employer_website")
        elif offered:  # another source's website for this employer, before any search; a
            # social network or directory is only adopted when nothing else was offered, and
            # then the guard refuses it on the record (or the site must still name the employer)
            site = await session.adopt_site(_home(offered[0]), "offered")
        elif session.search_api:
            found = await _discover(session, query, employer)
            if not found:
                raise NoResult("the search found no result that looks like the employer's site")
            site = await _adopted(session, found)
        else:  # the runner says needs_config before calling; kept for direct callers
            raise SourceError("no employer_website and no search.searxng_url: nothing to read")
        try:
            home = await session.get(site)
        except Refused as refusal:  # the home page redirects to another domain: the site
            if refusal.rule != "origin":  # moved there (once; the guard checks it as a site)
                raise
            moved = urlsplit(refusal.url)  # its home page: the server does not choose a page
            site = await session.adopt_site(f"{moved.scheme}://{moved.netloc}/", "redirect")
            home = await session.get(site)
        host = urlsplit(site).hostname or site
        if home.status in _NO_PAGE:
            raise NoResult(f"{host}: the home page answered HTTP {home.status}, nothing to read")
        if home.status != 200 or not home.content:  # no bytes (a script's fatal error is an
            # empty 200), a 204, a redirect naming no page: the site did not answer, this time
            raise SourceError(f"{host}: the home page answered HTTP {home.status} with no page: "
                              "the site did not answer")  # fmt: skip
        page = read_page(home.content, home.url)
        if for_sale(page.title, home.content):
            raise NoResult(f"{host} says its domain is for sale or parked: not the employer's "
                           "site, nothing read from it")  # fmt: skip
        name = agreeing_name(page, employer)
        if not name and _DOWN.search(page.title):  # a page the site, its host or a proxy
            # serves while it is down: an outage, not someone else's site
            raise SourceError(f"{host}: the home page says the site is down "
                              f"({page.title[:80]!r}): the site did not answer, this "
                              "time")  # fmt: skip
        if not name:  # read no further
            raise NoResult(f"{host} does not name itself as the employer (title, site name, "
                           "schema.org name or copyright notice): nothing read from "
                           "it")  # fmt: skip
        reading = _Reading(seen={_plain(home.url), _plain(site)}, employer=employer, name=name,
                           any_initial=not _middle(query), town=query.get("city"))  # fmt: skip
        _add(reading, home, page)
        names = _variants(query)
        await _read_links(session, reading, home, names)
        area = _Area.of(query)
        if not _place_agrees(reading, area):
            raise NoResult(f"{host} shows an address or phone, and none is in the debtor's "
                           "area: not taken as the debtor's employer's site")  # fmt: skip
        return _records(session, reading, name, home_page(site), area)


_ENDS: Final = (
    r"(?=\W*$|\s*[^\w\s&'\u2019]|\s+(?:for|due|while|until|and|back|again|temporarily)\b)"
)
"""After a down page's words that could begin a business's name: the title's end, a mark of
any kind ("-", "|", "\u00b7", "/", "(", ","), or words that go on saying so ("for
maintenance"), not a name's next word ("Site Down Under Tours", "... Bar & Grill")."""
_DOWN: Final = re.compile(
    r"^\W*5\d\d\b(?:\W*$|.*\b(?:error|gateway|unavailable|time-?out|timed out|not implemented)\b)|"
    r"service (?:temporarily )?unavailable|bad gateway|gateway time-?out|"
    r"internal server error|^\W*(?:site )?(?:(?:is )?under )?maintenance\W*$|maintenance mode|"
    r"temporarily unavailable|be back soon" + _ENDS + r"|^\W*database error|"
    r"error establishing a database|^\W*application error|^\W*account suspended|"
    r"^\W*site (?:is )?(?:down|unavailable|offline)" + _ENDS,
    re.I,
)
"""Titles of what a site's server, its host or a proxy before it answers, with a 200, while
the site is down or not letting anyone in this time: a maintenance page, a web server's 502,
WordPress's database error, a host's suspended account (a bot check is ``blocked`` before
this is read). Whole titles, or a title's part before a separator, where the words could
begin a business's name ("Downtown Maintenance Co.", "Site Down Under Tours", "We'll Be Back
Soon Bakery"); a status code with an error's words or alone ("500 Startups", "555 Grill" name
businesses)."""
_NO_PAGE: Final = frozenset({401, 404, 410})
"""A home page's answers that say the site has no page to read (behind a login, not there)."""


def _home(url: str) -> str:
    """The home page of a website as given (``acme.example/about-harbor-lane``), all a site is
    adopted as: the path was written by whoever gave it (the debtor file, a search result),
    and may hold a debtor value by chance, which the session refuses in a site adopted."""
    text = url.strip()
    try:
        parts = urlsplit(text if "://" in text else f"https://{text}")
    except ValueError:  # "http://[::1": the session says why it is no site
        return text
    return f"{parts.scheme}://{parts.netloc}/" if parts.netloc else text


async def _adopted(session: Session, results: Sequence[str]) -> str:
    """The first of the search ``results`` (best first) the guard lets the session adopt as
    the employer's site: one it refuses (a private address, a host that is no name, its
    refusal audited) is passed over for the next, as a directory is; it had ended the search
    refused. The last refusal stands if the guard refuses every one."""
    for result in results[:-1]:
        try:
            return await session.adopt_site(_home(result), "search")
        except Refused:
            continue
    return await session.adopt_site(_home(results[-1]), "search")


async def _discover(session: Session, query: Query, employer: str) -> list[str]:
    """The search results worth adopting, best first, chosen from their URL and title only
    (the site is checked once adopted); none when the search found nothing (no_result). A
    search that could not run raises SourceError: JSON output off (HTTP 403), or engines
    unresponsive with no usable result ("search degraded", not "no site")."""
    place = " ".join(p for p in (query.get("city"), query.get("state")) if p.strip())
    words = " ".join(f"{employer} {place}".split())
    api = session.search_api.rstrip("/")
    try:
        answer = await session.get(f"{api}/search", {"q": words, "format": "json"})
    except SourceError as error:
        if "HTTP 403" in str(error):
            raise SourceError(
                f"the SearxNG instance at {api} refused a JSON search (HTTP 403): JSON output "
                "is off there; its operator must list json in search.formats (settings.yml)"
            ) from None
        raise
    if answer.status != 200:
        raise SourceError(f"the SearxNG instance answered HTTP {answer.status}")
    body = answer.json()
    if not isinstance(body, dict):
        raise SourceError("the SearxNG instance did not answer a JSON object")
    results = [r for r in _list(body.get("results")) if isinstance(r, dict)]
    down = [_engine(e) for e in _list(body.get("unresponsive_engines"))]
    plausible: list[tuple[float, int, str]] = []
    for position, result in enumerate(results[:MAX_CANDIDATES]):
        url = result.get("url")
        if not isinstance(url, str):
            continue
        host = _web_host(url)
        if not host or _is_directory(url):
            continue
        score = _result_score(employer, host, str(result.get("title") or ""))
        if score >= RESULT_PLAUSIBLE:
            plausible.append((-score, position, url))
    if plausible:
        return [url for _, _, url in sorted(plausible)]
    if down:
        raise SourceError(
            f"search degraded: {len(down)} engine(s) did not answer ({', '.join(down[:5])}) "
            "and no usable result came back; not a finding that the employer has no site"
        )
    return []


def _web_host(url: str) -> str:
    """An http(s) URL's host, lower-cased; "" for any other URL or one that cannot be split
    ("http://[::1": a search result is the search engine's text, not a URL it checked)."""
    try:
        parts = urlsplit(url)
        return (parts.hostname or "").lower() if parts.scheme in ("http", "https") else ""
    except ValueError:
        return ""


def _is_directory(url: str) -> bool:
    """A directory's or social network's host (matched at the start of a host label), or one
    the guard refuses as a social network, chat or dating service (``social_link``: a Tumblr
    blog, a Reddit thread), which, adopted, had ended the search refused."""
    host = _web_host(url)
    return bool(host) and (any(f".{d}" in f".{host}" for d in _DIRECTORIES) or social_link(url))


def _result_score(employer: str, host: str, title: str) -> float:
    """How much a result's title, or its host name, looks like the employer's own site."""
    wanted = normalize_company(employer)
    if not wanted:
        return 0.0
    labels = host.removeprefix("www.").split(".")
    squashed = wanted.replace(" ", "")
    host_score = rapidfuzz.fuzz.ratio(squashed, labels[0].replace("-", "")) if labels else 0.0
    return max([host_score, *(name_score(part, wanted) for part in title_parts(title))])


async def _read_links(
    session: Session, reading: _Reading, home: Fetched, names: Sequence[str]
) -> None:
    """The home page's staff mentions, then up to MAX_PAGES contact/about/team pages; every
    link never to follow is declined, once per kind and host."""
    queue = [home]
    followed = 0
    while queue:
        fetched = queue.pop(0)
        _confirm(session, reading, fetched, names)
        links = site_links(fetched.content, fetched.url, reading.employer)
        to_read = {_plain(link.url) for link in links.follow}
        never = (("social", links.social), ("form", links.forms), ("login", links.login),
                 ("off-site", links.offsite))  # fmt: skip
        for rule, listed in never:
            for link in listed:
                if rule == "form" and (
                    _plain(link.url) in to_read or _plain(link.url) in reading.seen
                ):
                    continue  # a page read as a link: the audit must not also say it was declined
                if rule == "form":  # never followed later either
                    reading.seen.add(f"form {_plain(link.url)}")
                parts = urlsplit(link.url)
                key = (rule, parts.scheme, (parts.hostname or "").lower())
                if rule == "off-site":  # recorded without its host: once per page
                    key = (rule, "", _plain(fetched.url))
                if key in reading.declined or len(reading.declined) >= MAX_DECLINES:
                    continue
                reading.declined.add(key)
                await session.decline(link.url, rule)
        for link in links.follow:
            plain = _plain(link.url)
            if followed >= MAX_PAGES or plain in reading.seen or f"form {plain}" in reading.seen:
                continue  # read already, or declined as a form earlier: never both
            reading.seen.add(_plain(link.url))
            followed += 1
            try:
                page = await session.get(link.url)
            except (Refused, DebtorValueInURL):  # robots.txt disallows it, it left the site,
                continue  # or its path holds the debtor's name ("/about-harbor-lane"): go on
            except SourceTimeout:
                queue.clear()  # the site is slow: keep what was read, read no more
                break
            except SourceError:
                continue  # this page failed (HTTP 500, 403...): go on with the rest
            if page.status in (200, 204) and not page.content:  # it failed as it was
                # written (an empty 200), or gave nothing: she may be on it, unread. Said by
                # the link asked for, in words that name no one: a path the site sent it on
                # to was the site's choice, and may be a name
                path = urlsplit(link.url).path
                session.fell_short(f"{path} answered HTTP {page.status} with no page: not read")
                continue
            if page.status != 200:
                continue
            _add(reading, page, read_page(page.content, page.url))
            queue.append(page)


def _add(reading: _Reading, fetched: Fetched, page: Page) -> None:
    reading.pages.append((fetched, page))
    if staff_url(fetched.url):  # its addresses may be the people's own
        return
    own = _own_addresses(page, fetched.content, normalize_company(reading.employer))
    reading.addresses += [(fetched, address) for address in own]


_HEADING = re.compile(rb"<h([1-6])\b[^>]{0,500}>(.{0,500}?)</h\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]{0,500}>")


def _own_addresses(page: Page, html: bytes, wanted: str) -> list[PageAddress]:
    """The page's addresses that are the employer's: those of an agreeing organisation (an
    Organisation by another name keeps its own), and text addresses unless the page heads
    them by business (a directory, a news page): then only those under a heading that is the
    employer's name."""

    def key(address: PageAddress) -> tuple[tuple[str, ...], str]:
        return (address.lines, address.postal_code)

    agreeing = [o for o in page.organisations if o.name and is_named(o.name, wanted)]
    foreign = {key(a) for o in page.organisations if o.name and not o.legal
               and o not in agreeing for a in o.addresses}  # fmt: skip
    # with the kind the page gives any copy ("Mailing address: same as above" in its text)
    said = {key(a): a for a in page.addresses}
    own = {key(a): replace(a, kind=said[key(a)].kind, label=said[key(a)].label)
           if key(a) in said else a for o in agreeing for a in o.addresses}  # fmt: skip
    rest = [a for a in page.addresses if key(a) not in foreign and key(a) not in own]
    headings = [(m.start(), _heading_text(m.group(2))) for m in _HEADING.finditer(html[:2_000_000])]
    under: dict[tuple[tuple[str, ...], str], str] = {}
    for address in rest:
        at = _position(html, address)
        before = [text for start, text in headings if 0 <= start < at]
        under[key(address)] = before[-1] if before else ""
    if any(is_named(h, wanted) for h in under.values() if h):
        rest = [a for a in rest if is_named(under[key(a)], wanted)]
    return [*own.values(), *(a for a in rest if key(a) not in own)]


def _position(html: bytes, address: PageAddress) -> int:
    """Where ``address`` is first written in the page's HTML (its first line), -1 if not."""
    first = address.lines[0] if address.lines else address.raw
    return html.find(first.encode()) if first else -1


def _heading_text(raw: bytes) -> str:
    return " ".join(_TAG.sub(" ", raw.decode("utf-8", "replace")).split())[:200]


def _confirm(session: Session, reading: _Reading, page: Fetched, names: Sequence[str]) -> None:
    """The debtor's name on ``page``: a staff listing is an employment record, anything else
    a bare mention. Only ``names`` are looked for; nothing else about the page's people is
    kept. A staff line saying she works for another business ("Sales Representative at Acme
    Supply", a Person's worksFor, an h-card's org) only mentions her: she is staff there."""
    wanted = normalize_company(reading.employer)
    towns = {_words(reading.town)} | {_words(a.city) for _, p in reading.pages for a in p.addresses}
    business = f"{reading.employer} {reading.name}"  # its words say what it does: no death
    for mention in mentions(page.content, page.url, names, any_initial=reading.any_initial,
                            business=business):  # fmt: skip
        context = mention.context
        if context == "staff" and _elsewhere(mention.employer, wanted, towns):
            context = "elsewhere"  # a mention, and one no other hit of hers on the page undoes
        if context == "staff":
            title = mention.job_title
        elif context == "obituary":
            title = "obituary"
        else:
            title = "mentioned (news)"
        # the name and title only: a story, a worksFor or an org may name someone else
        said = f"{mention.name} - {title}" if context == "staff" and title else ""
        record = SourceRecord(session.provenance(page), person_name=mention.name, title=title,
                              record_url=_page(page.url), snippet=said)  # fmt: skip
        reading.staff.append((context, record))


def _elsewhere(org: str, wanted: str, towns: set[tuple[str, ...]]) -> bool:
    """``org``, the organisation a page says she works for, is another business than the
    employer (``wanted``, normalised): neither its name (``is_named``) nor a short form of it
    ("Harbor Lane"), nor its initials ("HLP"), nor one of its branches (``_branch``), also
    under its name ("Harbor Lane Plumbing of Springfield"); no organisation said is no
    other."""
    if not org.strip() or is_named(org, wanted) or part_of(org, wanted):
        return False
    initials = "".join(word[0] for word in wanted.split() if word not in DESIGNATIONS)
    return org.lower() != initials and not _branch(_after_name(org, wanted), towns)


def _after_name(org: str, wanted: str) -> str:
    """What follows the employer's name (``wanted``, normalised) and an "of", "at" or "in"
    at the start of ``org`` ("Springfield" in "Harbor Lane Plumbing of Springfield"): the
    branch it may name; ``org`` itself when it does not start with that name."""
    words, theirs = normalize_company(org).split(), wanted.split()
    if len(words) <= len(theirs) or words[: len(theirs)] != theirs:
        return org
    rest = words[len(theirs) :]
    return " ".join(rest[1:] if rest[0] in _BRANCH_JOINERS else rest)


def _branch(org: str, towns: set[tuple[str, ...]]) -> bool:
    """``org`` names a branch, not a business: a town (the debtor's or one an address on the
    site gives: "at Springfield"), a part of town ("Downtown"), or "our"... or "... Shop"
    around one ("Our Springfield Shop")."""
    words = tuple(w for w in _words(org) if w not in _BRANCH_WORDS)
    return not words or words in towns or all(w in _PARTS_OF_TOWN for w in words)


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", text.lower()))


_BRANCH_WORDS: Final = frozenset({"our", "the", "this", "office", "offices", "shop", "store",
                                  "branch", "location", "site", "showroom", "warehouse", "yard",
                                  "depot", "plant", "campus", "headquarters", "hq"})  # fmt: skip
_BRANCH_JOINERS: Final = frozenset({"of", "at", "in"})
_PARTS_OF_TOWN: Final = frozenset({"downtown", "uptown", "midtown", "north", "south", "east",
                                   "west", "central", "northside", "southside", "eastside",
                                   "westside"})  # fmt: skip


def _records(
    session: Session, reading: _Reading, name: str, website: str, area: _Area
) -> list[SourceRecord]:
    found = reading.addresses
    # a site listing locations: the one in the debtor's area, the others (another franchisee's,
    # a head office elsewhere) only as evidence; never one a page calls past or not for mail.
    # Of equals, one in her own town: a neighbouring town's centre may share her ZIP's area
    usable = _for_mail(found)
    local = [pair for pair in usable if area.holds(pair[1])] or usable
    best = min(local, key=lambda pair: (rank(pair[1]), not area.in_town(pair[1])), default=None)
    where, address = best if best is not None else (reading.pages[0][0], None)
    phone = _phone(reading, where, address)
    office = _address(address)
    site = (urlsplit(where.url).hostname or "").removeprefix("www.")  # the record's identifier
    records = [
        SourceRecord(
            provenance=session.provenance(where),
            employer=name,
            employer_address=office,
            phone=phone,
            source_id=site,
            record_url=_page(where.url),
            website=website,
            snippet=_others(found, address),
        )
    ]
    several = len({i for _, r in reading.staff for i in _middle_initials(r.person_name)}) > 1
    for context, record in _strongest(reading.staff):
        # "Dana R. Whitfield" and "Dana J. Whitfield" on one site, and no middle name in the
        # file: two people, neither known to be the debtor, so neither is employment
        staff = context == "staff" and not several  # employment: the business and its office
        records.append(  # is not employment: the name and its context, nothing else
            SourceRecord(
                provenance=record.provenance,
                person_name=record.person_name,
                title=record.title,
                employer=name if staff else "",
                employer_address=office if staff else Address(),
                source_id=site,
                record_url=record.record_url,
                website=website if staff else "",
                snippet=record.snippet,
            )
        )
    return records


_STRENGTH: Final = {"mention": 0, "staff": 1, "elsewhere": 2, "obituary": 3}


def _strongest(staff: list[tuple[str, SourceRecord]]) -> list[tuple[str, SourceRecord]]:
    """One record per name as written and page, the strongest the page gives: a memorial, else
    her staff entry at another business (an h-card's org, read again as a plain staff line),
    else a staff entry, else a mention. The owner's story above the crew list ("Gus Petrakis
    opened the shop in 1983") had been kept and his line on it ("Gus Petrakis | Owner")
    dropped."""
    best: dict[tuple[str, str], tuple[str, SourceRecord]] = {}
    for context, record in staff:
        key = (record.person_name.lower(), record.provenance.source_url)
        if key not in best or _STRENGTH[context] > _STRENGTH[best[key][0]]:
            best[key] = (context, record)  # in the place of the page's first hit
    return list(best.values())


def _for_mail(found: list[tuple[Fetched, PageAddress]]) -> list[tuple[Fetched, PageAddress]]:
    """The addresses that may be the mailing address: none any page read says takes no mail or
    is past ("Our old PO Box 11 is closed" on the contact page, a footer not yet updated), nor
    one read only in a story about something else (an event's venue, a job's location, a
    client's address in a case study): kept as evidence, never written as the employer's."""
    barred = {_same(a) for _, a in found if a.kind in NOT_FOR_MAIL}
    return [(f, a) for f, a in found if _same(a) not in barred and not in_story(a)]


def _same(address: PageAddress) -> tuple[str, str]:
    """What makes two copies of an address one: its delivery lines and postcode as written."""
    return " ".join(address.lines).lower(), address.postal_code.replace(" ", "").lower()


def _others(found: list[tuple[Fetched, PageAddress]], chosen: PageAddress | None) -> str:
    """The site's other addresses, as evidence beside the one chosen ("location: 418 Dockside
    Ave, Springfield, IL 62703"), at most 200 characters: only those whose every line is a
    street, suite or PO box (a line such as "Marcus Oyelaran" or "Attn: ..." names a person).
    Each is shown with its copies' most specific kind, or the kind that bars it from mail
    ("former: PO Box 11, ...") when a page gave one."""
    copies = [a for _, a in found if all(STREET.match(line) for line in a.lines)]
    barred = {_same(a): a for a in copies if a.kind in NOT_FOR_MAIL}
    seen = {_same(chosen)} if chosen is not None else set()
    others = []
    for address in sorted(copies, key=rank):
        address = barred.get(_same(address), address)
        if _same(address) not in seen:
            seen.add(_same(address))
            others.append(f"{_shown_as(address)}{address.one_line()}")
    return snippet("; ".join(others))


def _phone(reading: _Reading, where: Fetched, address: PageAddress | None) -> str:
    """The phone written with the chosen address when the agreeing organisation gives no
    address in its town (a franchise's centre: the organisation is the franchisor, its head
    office elsewhere); else the organisation's (it is the business here: a phone written after
    its PO box may be a branch's); else one written after a label ("Phone:") on the page the
    address was read on, else on the home page: never a staff page's (a colleague's line)."""
    agreeing = _agreeing(reading)
    theirs = [a for o in agreeing for a in o.addresses]
    if address is not None and not any(_here(a, address) for a in theirs):
        page = next(page for fetched, page in reading.pages if fetched is where)
        if beside := _phone_beside(where.content, page, address):
            return beside
    declared = next((n for o in agreeing for ph in o.phones if (n := phone_number(ph.value))), "")
    if declared:
        return declared
    pages = [page for fetched, page in reading.pages if fetched is where]
    pages.append(reading.pages[0][1])
    return next((phone.value for page in pages for phone in page.phones), "")


def _here(one: PageAddress, other: PageAddress) -> bool:
    """Both are one address, or in one town: the same city, and the same state when both
    give one."""
    if _same(one) == _same(other):
        return True
    city = one.city.strip().lower()
    states = {_state(one.region), _state(other.region)} - {""}
    return bool(city) and city == other.city.strip().lower() and len(states) <= 1


def _phone_beside(html: bytes, page: Page, address: PageAddress) -> str:
    """The first labelled phone written after ``address`` and before the page's next address
    (its card, on a page listing locations); "" when none is or it cannot be placed."""
    at = _position(html, address)
    if at < 0:
        return ""
    after = [n for n in (_position(html, other) for other in page.addresses) if n > at]
    end = min(after, default=len(html))
    for phone in page.phones:
        found = html.find(phone.value.encode(), at, end)
        if found >= 0:
            return phone.value
    return ""


def _shown_phones(reading: _Reading) -> list[str]:
    """Every phone the business record may carry (``_phone``): the agreeing organisation's and
    those written after a label on a page that is no staff page. A site showing only one in
    another area does not agree."""
    declared = [ph.value for o in _agreeing(reading) for ph in o.phones]
    labelled = [ph.value for fetched, page in reading.pages if not staff_url(fetched.url)
                for ph in page.phones]  # fmt: skip
    return [*declared, *labelled]


def _agreeing(reading: _Reading) -> list[Organisation]:
    """The organisations on the pages read that are the employer (not a directory's others)."""
    wanted = normalize_company(reading.employer)
    return [o for _, p in reading.pages for o in p.organisations
            if o.name and is_named(o.name, wanted)]  # fmt: skip


def _shown_as(address: PageAddress) -> str:
    """What the evidence says an address is: the story it stands in ("events: "), else its
    kind ("location: "; nothing for an unlabelled one)."""
    if in_story(address) and address.kind not in NOT_FOR_MAIL:
        return f"{address.block}: "
    return "" if address.kind == "unknown" else f"{address.kind}: "


def _address(found: PageAddress | None) -> Address:
    """``found`` as the records write it: of its lines, only those that may be delivery lines
    (``delivery_line``): one between the street and the town may be whom it reaches ("Marcus
    Oyelaran", "Office of ..."), which no record names; its town's words (``_town``) and its
    postcode's (``_postcode``)."""
    if found is None:
        return Address()
    lines = tuple(line for line in found.lines if delivery_line(line))
    return Address(lines=lines, city=_town(found.city), region=_region(found.region),
                   postal_code=_postcode(found.postal_code),
                   country=_region(found.country))  # fmt: skip


_TOWN: Final = re.compile(r"[^\W\d_]+(?:(?:[ '\u2019-]|\. ?)[^\W\d_]+)*\.?")
"""A town's words: letters, joined by a blank, a dot, an apostrophe or a hyphen ("St. Louis",
"Coeur d'Alene", "Winston-Salem")."""


def _town(value: str) -> str:
    """A town as written, its leading words of letters (``_TOWN``) before any part addressed
    to a person: a marked-up locality may go on to name whom mail reaches ("Springfield (ask
    for Marcus Oyelaran)", "Springfield c/o Marcus Oyelaran")."""
    value = _TO_SOMEONE.split(" ".join(unicodedata.normalize("NFC", value).split()), 1)[0]
    found = _TOWN.match(value)
    return found.group().strip() if found else ""


def _region(value: str) -> str:
    """A region or country as written: its code alone where one leads ("IL Marcus Oyelaran",
    "US c/o Marcus Oyelaran") or, before any part addressed to a person, ends it ("Marcus
    Oyelaran IL", "Marcus Oyelaran - IL": the leading words were a name), else its words as a
    town's (``_town``)."""
    town = _town(value)
    code = _CODE.match(town) or _LAST_CODE.search(_TO_SOMEONE.split(value, 1)[0])
    return code.group(1) if code else town


_CODE: Final = re.compile(r"([A-Z]{2,3})\b")
"""A state's, province's or country's code (IL, ON, US, GBR)."""
_LAST_CODE: Final = re.compile(r"\b([A-Z]{2,3})\W*$")
"""A code ending a region's value, whatever its mark after it ("IL.", "(IL)")."""
_TO_SOMEONE: Final = re.compile(r"\b(?:c/o|care of|attn|attention|fao)\b", re.I)
"""Where a part addressed to a person begins."""


def _postcode(value: str) -> str:
    """A postcode as written, its leading words in a postcode's shape that hold a digit
    (``_POSTCODE_WORD``: "62705-1234", "SW1A 1AA", "K1A 0B1"): a marked-up postalCode may go
    on to name whom mail reaches, after a blank or in the same word ("62705 Marcus Oyelaran",
    "62705-Marcus", "62705/Oyelaran" are "62705")."""
    kept = []
    for word in value.split():
        word = word.strip("()[]{},;.")
        found = _POSTCODE_WORD.match(word)
        end = found.end() if found else 0
        if not any(c.isdigit() for c in word[:end]) or word[end : end + 1].isalnum():
            break
        kept.append(word[:end])
        if end < len(word):
            break  # the rest of its word is no postcode's: "62705/Oyelaran"
    return " ".join(kept)


_POSTCODE_WORD: Final = re.compile(
    r"(?:\d+|[^\W\d_]{1,3}(?![^\W\d_]))(?:-?(?:\d+|[^\W\d_]{1,3}(?![^\W\d_])))*"
)
"""A postcode's word: digits and runs of at most three letters, a hyphen between ("62705-1234",
"SW1A", "C1425DKS", "LV-1010"); a longer run of letters is a word ("62705-Marcus")."""


@dataclass(frozen=True)
class _Area:
    """The debtor's place, as a site's addresses and phones are compared with it."""

    city: str
    state: str
    zip3: str
    phone_area: str

    @classmethod
    def of(cls, query: Query) -> _Area:
        return cls(query.get("city").strip().lower(), _state(query.get("state")),
                   query.get("zip").strip()[:3], _area(query.get("phone")))  # fmt: skip

    def known(self) -> bool:
        return bool(self.city or self.state or self.zip3 or self.phone_area)

    def holds(self, address: PageAddress) -> bool:
        """``address`` has her ZIP (first three digits), her state, or her town in no other
        state: Springfield, MO is another town than Springfield, IL (a namesake there). Its
        town and state are also read as the records write them (``_address``): a marked-up
        locality and region that go on to name whom mail reaches ("Springfield (ask for
        ...)", "IL ...") are Springfield, IL, as written."""
        region = _region_code(address.region) or _locality_state(address.city)
        if self.zip3 and address.postal_code.strip()[:3] == self.zip3:
            return True
        if self.state and region:
            return region == self.state
        return _same_town(self.city, address.city)

    def in_town(self, address: PageAddress) -> bool:
        """``address`` is in her town (and her state, when both give one)."""
        region = _region_code(address.region) or _locality_state(address.city)
        same_state = not (self.state and region) or region == self.state
        return _same_town(self.city, address.city) and same_state


def _same_town(hers: str, city: str) -> bool:
    """``city`` is her town (lower-cased): as given, or as the records write it (``_town``)."""
    return bool(hers) and hers in {city.strip().lower(), _town(city).lower()}


def _locality_state(city: str) -> str:
    """The state a locality names after its town's words, as compared ("Springfield, MO",
    "Springfield (Missouri)": MO; "Springfield (ask for ...)": none): read as its town alone
    (``_same_town``), it must not make a namesake's town in another state hers."""
    value = " ".join(unicodedata.normalize("NFC", city).split())
    rest = value[len(_town(value)) :]
    return _region_code(_TO_SOMEONE.split(rest, 1)[0].strip(" ,;:-/()[]."))


def _region_code(region: str) -> str:
    """A region as compared: as given, else as the records write it (``_region``). One that
    names another state too, by a code or in its first word ("St. Louis Metro (MO/IL)",
    "Missouri - IL"), agrees with no state (``_TWO_STATES``): the site may be either's."""
    code = _state(region)
    if code:
        return code
    read = _state(_region(region))
    said = _TO_SOMEONE.split(region, 1)[0]
    named = {_state(w) for w in re.findall(r"\b[A-Z]{2}\b", said)}
    first = said.split()[:1]
    if first and len(first[0]) > 3:
        named.add(_state(first[0].strip(" ,;:-/()[].")))
    return read if not read or named <= {read, ""} else _TWO_STATES


_TWO_STATES: Final = "two states"
"""A region naming two states, which equals no state's code."""


def _place_agrees(reading: _Reading, area: _Area) -> bool:
    """True unless the debtor's place is known, the site shows an address or phone, and none
    of them agrees: an address in her area (``_Area.holds``), or a phone with the same area
    code (a toll-free number is in no area: it neither agrees nor disagrees). An address only
    a story gives (an event's venue, a client's) says nothing of where the business is, unless
    the site shows nothing else: then its stories' addresses decide."""
    if not area.known():
        return True
    phones = [p for p in _shown_phones(reading) if _code(p) not in TOLL_FREE]
    shown = [a for _, a in reading.addresses]
    addresses = [a for a in shown if not in_story(a)] or ([] if phones else shown)
    if not addresses and not phones:
        return True
    if any(area.holds(a) for a in addresses):
        return True
    return bool(area.phone_area) and any(_area(p) == area.phone_area for p in phones)


def _state(text: str) -> str:
    """A state as compared: "Illinois", "Ill." and "IL" are one; "" when none is given or it
    reads as no code ("Ontario" against "ON", "Illinois, USA"): the town decides then."""
    code = normalize_state(text) if text.strip() else ""
    return code if len(code) == 2 and code.isalpha() else ""


def _area(phone: str) -> str:
    """The area code of a North American number: where it is ("" for a toll-free one)."""
    code = _code(phone)
    return "" if code in TOLL_FREE else code


def _code(phone: str) -> str:
    digits = re.sub(r"\D", "", normalize_phone(phone) if phone.strip() else "")
    digits = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    return digits[:3] if len(digits) == 10 else ""


def _variants(query: Query) -> list[str]:
    """The debtor's name as a page may write it: "First Last", "First Middle Last", "F. Last",
    "Last, First", with the formal first name of a nickname ("Bob" -> "Robert") too. Not the
    other way: a formal name's nicknames include names in their own right, often another
    sex's (William's Billie, Robert's Bobbie), and a family business's staff page may list
    the debtor's wife or daughter under one."""
    first, middle, last = query.get("first_name"), query.get("middle_name"), query.get("last_name")
    full = query.get("full_name")
    parsed = parse_name(full) if full.strip() else None
    if not (first and last) and parsed is not None:
        first, middle, last = first or parsed.first, middle or parsed.middle, last or parsed.last
    first, middle, last = first.strip(), middle.strip(), last.strip()
    if not (first and last):
        return [full] if full.strip() else []
    firsts = list(dict.fromkeys(f for f in (first, canonical_first(first.lower())) if f))
    names = [full] if full.strip() else []
    given = query.get("suffix").strip()  # its own column, read as a name's suffix is
    suffix = parse_name(f"{first} {last} {given}").suffix if given else ""
    suffix = suffix or (parsed.suffix if parsed is not None else "")
    tails = ["", *_suffix_forms(suffix)]  # a page's "Sr." is someone else unless it is hers
    for given in firsts:
        names += [f"{given} {last}{tail}" for tail in tails] + [f"{last}, {given}"]
        if middle:
            names += [f"{given} {middle} {last}{tail}" for tail in tails]
            names += [f"{given} {middle[0]}. {last}{tail}" for tail in tails]
    names.append(f"{first[0]}. {last}")
    return [" ".join(n.split()) for n in dict.fromkeys(names) if n.strip()]


def _suffix_forms(suffix: str) -> list[str]:
    """How a page writes the file's suffix after the name: " Jr", " Jr.", ", Jr." ("" none)."""
    if not suffix:
        return []
    shown = suffix.upper() if set(suffix) <= set("ivx") else suffix.capitalize()
    return [f" {shown}", f" {shown}.", f", {shown}", f", {shown}."]


def _middle_initials(name: str) -> set[str]:
    """The one-letter middle names in a name as a page wrote it ("Dana J. Whitfield",
    "Whitfield, Dana J"), not a first initial ("D. Whitfield")."""
    tokens = [t.rstrip(".").lower() for t in name.replace(",", " ").split()]
    return {t for t in tokens[1:] if len(t) == 1}


def _middle(query: Query) -> str:
    """The debtor's middle name, given or read from the full name."""
    return query.get("middle_name").strip() or parse_name(query.get("full_name")).middle.strip()


def _page(url: str) -> str:
    """``url`` as a record's own page: the SDK takes https pages only (an http-only site's
    page stays in the record's provenance)."""
    return url if url.startswith("https://") else ""


def _plain(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/') or '/'}?{parts.query}"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _engine(entry: Any) -> str:
    if isinstance(entry, list) and entry:
        return str(entry[0])[:40]
    return str(entry)[:40]


CONNECTOR = BusinessPages()
