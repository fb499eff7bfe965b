"""robots.txt, per RFC 9309, parsed by protego.

Each host's file is fetched once per ``robots.cache_hours`` (its rules dropped sooner when
``KEPT_BYTES`` of files are kept, the least recently used first) with the guard's own send
sequence (so the fetch is checked and audited like any request) through the layers below this
one (so it is rate-limited too). A 2xx file is obeyed; 4xx (but 429) means no rules; 5xx, 429, a
network error, or a refused fetch or redirect means everything is disallowed, as the RFC asks;
a refusal of the host's own address (it resolves to a metadata address) refuses the request
too; a host that cannot be connected to fails the request as unreachable (the error is
raised, and the next request tries the file again). A
URL the file disallows (or a host whose robots.txt fetch is refused or redirects too often)
raises PolicyRefusal("robots"); a URL refused because the file could not be read (a network
error, 5xx, 429) raises PolicyRefusal("robots-unavailable"), whose detail says why: the host
did not forbid anything, and asking again later may succeed. Crawl-delay slows the host down
when the policy says to honour it.
"""

from __future__ import annotations

import asyncio
import codecs
import ipaddress
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import quote, urljoin

import httpx
from protego import Protego

from skiptrace.errors import (
    HostSlowed,
    PaceError,
    PolicyRefusal,
    Refused,
    SkiptraceError,
    SourceUnavailable,
)
from skiptrace.net.extensions import SITE
from skiptrace.net.guard import Guard
from skiptrace.net.hardrules import HOST_ADDRESS_RULES, address_rule, endpoint
from skiptrace.net.layers.ratelimit import HostLimiter
from skiptrace.net.reasons import (
    NO_ANSWER,
    ROBOTS_DISALLOWED,
    ROBOTS_UNAVAILABLE,
    ReasonTransport,
    mark,
)
from skiptrace.net.urls import DEFAULT_PORTS, canonical_host, canonicalize
from skiptrace.net.written import as_kept, decodings
from skiptrace.policy import Policy

USER_AGENT_TOKEN = "skiptrace"
_MAX_REDIRECTS = 5
_AGENT_LINE = re.compile(r"^([ \t]*user[- ]?agent[ \t]*:?[ \t]*)([^#]*)", re.I)
"""A User-agent line: its directive, and its value up to a comment."""
_PRODUCT_TOKEN = re.compile(r"[a-z_-]*", re.I)
"""What a User-agent value's product token is: its leading letters, ``_`` and ``-``."""
OTHER_AGENT = "another-crawler"
"""What a group's agent is written as when it is neither skiptrace's token nor ``*``: a
name the parser cannot match with skiptrace's."""
DISALLOWED_RULE = "robots"
"""The refusal rule of a URL the host's robots.txt disallows."""
UNAVAILABLE_RULE = "robots-unavailable"
"""The refusal rule of a URL refused because the host's robots.txt could not be read."""
KEPT_BYTES = 8_000_000
"""Bytes of robots.txt files whose rules are kept at once; past them the rules least recently
used are dropped (fetched again if their host is asked again). A run reads one business site
per debtor, and a file of ``robots.max_bytes`` (40,000 rules) is some 30 MB parsed."""
RULES_FLOOR = 2_000
"""Bytes a host's rules count for at least: an empty file, or none (a 404), still costs its
entry and its parser; counted as nothing, a run over a million sites kept every one."""


@dataclass(frozen=True)
class _Rules:
    parser: Protego | None
    allow_all: bool
    expires_at: float
    why: str
    unavailable: bool = False
    """Everything is disallowed because the file could not be read (a network error, 5xx,
    429): asking again later may find it. A refused fetch or too many redirects is the host's
    own answer, and stands."""
    size: int = 0
    """What the rules count for in ``KEPT_BYTES``: the bytes of the file they were read from,
    ``RULES_FLOOR`` at least."""

    def allows(self, url: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, USER_AGENT_TOKEN))


@dataclass
class _Fetching:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0
    """Requests waiting for or holding ``lock``."""


class RobotsTransport(httpx.AsyncBaseTransport):
    """Refuses what a host's robots.txt disallows."""

    def __init__(self, inner: httpx.AsyncBaseTransport, guard: Guard, limiter: HostLimiter) -> None:
        self._inner = inner
        self._fetcher = ReasonTransport(inner)
        """Where robots.txt is fetched: ``inner``, each answer marked with the reason it
        gives, for its audit row (the stack's own marking is above this layer)."""
        self._guard = guard
        self._limiter = limiter
        self._rules: OrderedDict[str, _Rules] = OrderedDict()
        """Each origin's rules, the least recently used first."""
        self._kept = 0
        """Bytes of the files ``_rules`` were read from."""
        self._fetching: dict[str, _Fetching] = {}
        """The hosts whose rules a request is reading or fetching now."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        policy = self._guard.policy
        if (
            not policy["robots.honour"]
            or request.url.path == "/robots.txt"
            or _own_search_instance(policy, request.url)
        ):
            return await self._inner.handle_async_request(request)
        origin = f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"
        rules = await self._rules_for(origin, request)
        if not all(map(rules.allows, _readings(request.url))):  # "//private" is "/private"
            rule = UNAVAILABLE_RULE if rules.unavailable else DISALLOWED_RULE
            reason = ROBOTS_UNAVAILABLE if rules.unavailable else ROBOTS_DISALLOWED
            refusal = PolicyRefusal(rule, str(request.url), f"robots.txt of {origin}: {rules.why}")
            raise mark(refusal, reason)
        if rules.parser is not None and policy["robots.honour_crawl_delay"]:
            delay = rules.parser.crawl_delay(USER_AGENT_TOKEN)
            if delay:
                await self._limiter.slow_down(
                    canonical_host(request.url.host), float(delay), lasting=True
                )
        return await self._inner.handle_async_request(request)

    async def _rules_for(self, origin: str, request: httpx.Request) -> _Rules:
        fetching = self._fetching.setdefault(origin, _Fetching())
        fetching.users += 1
        try:
            async with fetching.lock:  # one fetch of a host's file at a time
                rules = self._rules.get(origin)
                if rules is None or rules.expires_at <= time.monotonic():
                    rules = await self._fetch(origin, request)
                    self._keep(origin, rules)
                self._rules.move_to_end(origin)
                return rules
        finally:
            fetching.users -= 1
            if not fetching.users:  # no request for the host waits: a lock a host no more
                del self._fetching[origin]

    def _keep(self, origin: str, rules: _Rules) -> None:
        """Keep ``origin``'s ``rules``, dropping the least recently used past ``KEPT_BYTES``."""
        rules = replace(rules, size=max(rules.size, RULES_FLOOR))
        replaced = self._rules.pop(origin, None)
        self._kept += rules.size - (replaced.size if replaced else 0)
        self._rules[origin] = rules
        while self._kept > KEPT_BYTES and len(self._rules) > 1:
            _, dropped = self._rules.popitem(last=False)
            self._kept -= dropped.size

    async def _fetch(self, origin: str, original: httpx.Request) -> _Rules:
        policy = self._guard.policy
        expires_at = time.monotonic() + float(policy["robots.cache_hours"]) * 3600
        url = origin + "/robots.txt"
        host = canonical_host(original.url.host)
        for _ in range(_MAX_REDIRECTS + 1):
            try:
                request = httpx.Request("GET", url, headers=_identity(original),
                                        extensions=dict(original.extensions))  # fmt: skip
            except httpx.InvalidURL:  # a redirect to no URL (a name as its port): as refused
                return _Rules(None, False, expires_at, "its fetch was refused (invalid-url)")
            try:
                response = await self._guard.send(request, self._fetcher)
                body = _whole_lines(await response.aread(), int(policy["robots.max_bytes"]))
            except Refused as refusal:
                if refusal.rule in HOST_ADDRESS_RULES and _host_of(refusal.url) == host:
                    raise  # the host's own address is refused: so is the request
                return _Rules(None, False, expires_at, f"its fetch was refused ({refusal.rule})")
            except (httpx.ConnectError, httpx.ConnectTimeout, SourceUnavailable, PaceError,
                    HostSlowed):  # fmt: skip
                raise  # the host is unreachable, the source no longer asked while the fetch
                # waited its turn (``ratelimit.still_asked``), or its turn could not be kept
                # (this machine's trouble, not the host's) or is further than the request may
                # wait (the host slowed down): nothing is kept for later
            except (httpx.HTTPError, SkiptraceError) as error:  # a robots.txt over the size cap too
                said = _said(as_kept(error, original.extensions.get(SITE)))
                why = f"unreachable ({type(error).__name__}{said})"
                return _Rules(None, False, expires_at, why, unavailable=True)
            if response.has_redirect_location:
                url = urljoin(url, response.headers["location"])
                continue
            return _verdict(response.status_code, body, expires_at)
        return _Rules(None, False, expires_at, "too many redirects")

    async def aclose(self) -> None:
        await self._inner.aclose()


def _whole_lines(body: bytes, limit: int) -> bytes:
    """The first ``limit`` bytes of ``body`` that end a line: a line cut there is left out
    (``Allow: /welcome.html`` cut to ``Allow: /`` allowed a whole site)."""
    if len(body) <= limit:
        return body
    return body[: max(body.rfind(b"\n", 0, limit), body.rfind(b"\r", 0, limit)) + 1]


def _readings(url: httpx.URL) -> set[str]:
    """``url`` as RFC 9309 compares it (canonical, ``%2F`` kept encoded), and as a lenient
    server reads its path: decoded (nginx takes ``%2F`` for ``/``; decoded again while escapes
    of escapes remain), ``\\`` read as ``/`` (IIS), each segment's ``;`` parameters dropped
    (a Java server's ``;jsessionid=``), repeated slashes folded (nginx) and a segment's trailing
    dots and spaces dropped (Windows). What robots.txt disallows in any of them is refused:
    compared as written alone, ``/private%2Fstaff`` was another path than ``/private/staff``.
    Case is kept (``/Public`` is the server's own to tell from ``/public``)."""
    canonical = canonicalize(url)
    origin = str(canonical._replace(path="", query=""))
    query = f"?{canonical.query}" if canonical.query else ""
    paths = {_lenient_path(decoded) for decoded in decodings(canonical.path)}
    return {str(canonical)} | {origin + path + query for path in paths}


def _lenient_path(decoded: str) -> str:
    """A decoded path with ``\\`` as ``/``, no segment's ``;`` parameters, nor its trailing
    dots and spaces (Windows drops them from a name), and repeated slashes as one (nginx's
    ``merge_slashes``: ``/%2Fprivate`` is ``/private`` to it), escaped again."""
    pieces = [
        piece.split(";", 1)[0].rstrip(". ") for piece in decoded.replace("\\", "/").split("/")
    ]
    kept = [piece for piece in pieces if piece]
    trailing = "/" if kept and not pieces[-1] else ""
    return quote("/" + "/".join(kept) + trailing, safe="/!$&'()*+,=:@~")


def _own_search_instance(policy: Policy, url: httpx.URL) -> bool:
    """A search of the policy's SearxNG instance (``search.searxng_url``, its ``search`` path)
    when ``hosts.allow_private`` lists it, which needs an override with a reason: the
    operator's own service. Its robots.txt is not read for that: SearxNG's says
    ``Disallow: /*?*q=*`` (and ``Disallow: /``) to public crawlers, so obeying it would refuse
    every search its operator set it up for. A public instance's is obeyed, and so is any
    other page of the origin (a test server that is also a site)."""
    instance = _search_endpoint(str(policy["search.searxng_url"]).strip())
    if instance is None or not url.path.endswith("search"):  # most requests stop here
        return False
    this = _endpoint(url)
    return (
        this == instance
        and endpoint(instance[1], instance[2]) in policy["hosts.allow_private"]
        and _private_name(instance[1])
    )


def _endpoint(url: httpx.URL | str) -> tuple[str, str, int, str] | None:
    """(scheme, host, port, path) of a URL, canonical, the port explicit; None if refused."""
    try:
        this = canonicalize(url)
    except Refused:
        return None
    return this.scheme, this.host, this.port or DEFAULT_PORTS[this.scheme], this.path


@lru_cache(maxsize=8)
def _search_endpoint(configured: str) -> tuple[str, str, int, str] | None:
    """The configured instance's search URL, as ``_endpoint`` gives it, parsed once."""
    instance = _endpoint(configured) if configured else None
    if instance is None:
        return None
    scheme, host, port, path = instance
    return scheme, host, port, f"{path.rstrip('/')}/search"


_PRIVATE_SUFFIXES = (".internal", ".local", ".lan", ".home.arpa", ".localhost", ".intranet")


def _private_name(host: str) -> bool:
    """A host that names a private service, not a public one: a private or loopback address,
    ``localhost``, a one-label name (a container's, ``searxng``) or a special-use suffix. A
    public name listed in ``hosts.allow_private`` (``searx.example.org``) is a public instance,
    whose robots.txt is obeyed."""
    rule = address_rule(host)
    if rule is not None:
        return rule[0] == "private-address"
    try:
        ipaddress.ip_address(host.strip("[]"))
        return False  # a global address (IPv6 has no dot either)
    except ValueError:
        return "." not in host.strip(".") or host.endswith(_PRIVATE_SUFFIXES)


def _verdict(status: int, body: bytes, expires_at: float) -> _Rules:
    if status in NO_ANSWER:  # a part of the file, or none yet: its rules past it unread
        why = f"robots.txt unavailable (HTTP {status}: {NO_ANSWER[status]})"
        return _Rules(None, False, expires_at, why, True)
    if 200 <= status < 300:
        text = _text(body)
        parser = Protego.parse(_product_tokens(text))
        return _Rules(parser, True, expires_at, "disallowed", size=len(body))
    if 400 <= status < 500 and status != 429:
        return _Rules(None, True, expires_at, f"no robots.txt (HTTP {status})")
    return _Rules(None, False, expires_at, f"robots.txt unavailable (HTTP {status})", True)


_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip
"""Byte order marks and their codecs, UTF-32's first (its little-endian mark begins with
UTF-16's)."""


def _text(body: bytes) -> str:
    """robots.txt as text: UTF-8 (RFC 9309), its byte order mark dropped (left on, it would
    hide the first line's group); UTF-16 or UTF-32 where a byte order mark says so (a Windows
    editor's "Unicode": read as UTF-8, every line held NULs and no rule was found)."""
    for bom, codec in _MARKS:
        if body.startswith(bom):
            return body.decode(codec, "replace")
    return body.decode("utf-8-sig", "replace")


def _product_tokens(text: str) -> str:
    """``text`` with each User-agent line's value read as its product token (RFC 9309 2.2.1),
    as Google's parser reads it, the group chosen here, not by the parser: one whose token is
    skiptrace's, in any case, is skiptrace's (a group an operator wrote for the User-Agent a
    log shows, "skiptrace/0.1 (public-records research; read-only)", which the parser,
    comparing the whole value, had taken for another crawler's); ``*``, alone or with words
    after a space ("* (everyone)", as Google's parser reads it), is everyone's; any
    other is another crawler's (``OTHER_AGENT``): the parser took a group for an agent
    skiptrace's begins with ("Skip", "s", "s*" with its ``*`` dropped) for skiptrace's. The
    lines are the parser's (``str.splitlines``: a bare CR, a form feed, U+2028 end one too):
    a cut running past one had dropped the next line, a group's Disallow or User-agent."""
    return "\n".join(_AGENT_LINE.sub(_agent, line) for line in text.splitlines())


def _agent(line: re.Match[str]) -> str:
    """A User-agent line as ``_product_tokens`` writes it."""
    value = line.group(2).strip()
    token = _PRODUCT_TOKEN.match(value)
    if token is not None and token.group(0).lower() == USER_AGENT_TOKEN:
        return line.group(1) + USER_AGENT_TOKEN
    if value[:1] == "*" and value[1:2] in ("", " ", "\t"):  # "* (everyone)", as Google reads it
        return line.group(1) + "*"
    return line.group(1) + (OTHER_AGENT if value else "")


def _said(error: BaseException) -> str:
    text = str(error).strip()
    return f": {text[:200]}" if text else ""


def _host_of(url: str) -> str:
    try:
        return canonical_host(httpx.URL(url).host)
    except (httpx.InvalidURL, ValueError):  # mailto: and the like have no host
        return ""


def _identity(request: httpx.Request) -> dict[str, str]:
    return {k: v for k, v in request.headers.items() if k.lower() in ("user-agent", "from")}
