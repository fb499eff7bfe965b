"""The guard: the outermost transport of every HTTP client skiptrace builds.

httpx hands every request, each redirect hop included, to the client's transport, so checking
there means nothing reaches the network unchecked. For each request the guard canonicalises the
URL, applies the hard rules (``hardrules``) and then the policy, writes one audit row for the
request or the refusal, adds a connector's declared API key, and drops any cookie a server
tries to set. A row for a request that got no usable answer carries its reason word
(``net.reasons``), as the layer that knew it marked the error or the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin

import httpx

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.errors import HardRuleRefusal, Refused
from skiptrace.net import wall
from skiptrace.net.extensions import (
    CONNECTOR,
    DEBTOR_REF,
    FROM_CACHE,
    ORIGINS,
    REQUEST_EXTENSIONS,
    SITE,
)
from skiptrace.net.hardrules import (
    ALLOWED_SCHEMES,
    KEY_HEADERS,
    SET_COOKIE_HEADERS,
    check_request_shape,
    check_site,
    check_url,
    is_ip_address,
    without_credentials,
)
from skiptrace.net.reasons import REFUSED, reason_of
from skiptrace.net.site_pages import colleague_page, site_page
from skiptrace.net.urls import DEFAULT_PORTS, CanonicalURL, canonicalize
from skiptrace.net.written import (
    AUTHORITY,
    as_kept,
    as_written,
    in_words,
    on_site,
    on_site_text,
    same_site,
    scheme_and_host,
    unnamed,
)
from skiptrace.policy import Policy


@dataclass(frozen=True)
class ApiKey:
    """An official data API's key, sent as ``header`` to ``host`` over https, on ``connector``'s
    requests only (the one whose manifest declares it; "" for a client's own), nowhere else."""

    host: str
    value: str
    header: str = "Authorization"
    connector: str = ""

    def __post_init__(self) -> None:
        if self.header.lower() not in KEY_HEADERS:
            raise ValueError(
                f"an API key travels in Authorization or X-Api-Key, not {self.header!r}"
            )

    def __repr__(self) -> str:
        return (f"ApiKey(host={self.host!r}, header={self.header!r}, "
                f"connector={self.connector!r}, value='***')")  # fmt: skip


def evaluate(
    method: str,
    url: httpx.URL | str,
    policy: Policy,
    *,
    header_names: AbstractSet[str] = frozenset(),
    has_body: bool = False,
    key: ApiKey | None = None,
) -> CanonicalURL:
    """The canonical URL if the request may be sent; raise Refused naming the rule if not.

    ``key`` is the one API key the request may carry (its connector's, in the header it
    declared): only to its host, over https.
    """
    canonical = canonicalize(url)
    keyed = key is not None and canonical.scheme == "https" and canonical.host == key.host
    key_header = key.header.lower() if key is not None and keyed else None
    check_url(canonical, policy.private_allowed)
    shape = check_request_shape(method, header_names, has_body, key_header=key_header)
    if shape:
        raise HardRuleRefusal(shape[0], str(canonical), shape[1])
    policy.check_host(canonical)
    return canonical


_URL_SAFE = "%:/?#[]@!$&'()*+,;=~"
"""What a URL keeps as it is when it is stored: RFC 3986's reserved and unreserved characters
(letters, digits, ``-._`` are always kept) and ``%``; anything else is percent-encoded."""


def _stored(url: str) -> str:
    """``url`` as the audit log keeps it: as it is when printable ASCII, else percent-encoded."""
    return url if url.isascii() and url.isprintable() else quote(url, safe=_URL_SAFE)


def origin_of(url: CanonicalURL) -> str:
    """``scheme://host:port``, the port always written: what a connector's origins are
    compared by."""
    return f"{url.scheme}://{url.host}:{url.port or DEFAULT_PORTS[url.scheme]}"


def page_origin(url: str) -> str:
    """``url``'s origin as the guard compares them, read from its scheme and authority alone
    (a path the guard would not send is still at its origin); "" if it is no http(s) URL or
    carries credentials (``https://www.sec.gov@evil.example/`` is at evil.example, and a
    browser reads ``https://evil.example\\@www.sec.gov/`` as evil.example too)."""
    authority = AUTHORITY.match(url)
    try:
        found = canonicalize(authority.group(0)) if authority else None
    except Refused:
        return ""
    if found is None or found.scheme not in DEFAULT_PORTS or found.has_userinfo:
        return ""
    return origin_of(found)


def at_origins(page: str, origins: Sequence[str]) -> bool:
    """``page`` is at one of ``origins``, parsed, never a prefix of the text: where a record's
    page named by a third party's code or template (a connector's, a bulk source's) may be,
    since it could name a registry's page (www.sec.gov) for what its own host or file said."""
    origin = page_origin(page)
    return bool(origin) and origin in {page_origin(declared) for declared in origins}


def site_origins(url: CanonicalURL) -> frozenset[str]:
    """The origins one adopted business site is: ``{http, https} x {host, www.host}`` (or the
    apex for a ``www.`` host; an address or a one-label name has no other spelling), at the
    default ports; a port ``url`` names (a loopback test server) stands for its own scheme
    only, the other scheme keeping its default port."""
    hosts = {url.host}
    if "." in url.host and not is_ip_address(url.host):
        hosts.add(url.host[4:] if url.host.startswith("www.") else f"www.{url.host}")
    origins = set()
    for scheme in sorted(ALLOWED_SCHEMES):
        written = url.port if scheme == url.scheme else None
        port = written or DEFAULT_PORTS[scheme]
        origins |= {
            origin_of(CanonicalURL(scheme, host, port, "/", "", False, ())) for host in hosts
        }
    return frozenset(origins)


def site_key(url: CanonicalURL) -> tuple[str, int | None]:
    """What two URLs of one site share whatever their scheme: the host without ``www.``
    and the port as written."""
    host = url.host if is_ip_address(url.host) else url.host.removeprefix("www.")
    return host, url.port


def _refuse_colleague_page(request: httpx.Request, url: CanonicalURL) -> None:
    """On a business site a connector adopted (``SITE``), a page below its team, about or
    contact page is one colleague's own (``site_pages.colleague_page``), and a query to one of
    those pages may pick him out (``/team/?member=marcus-oyelaran``; the link reader asks for
    them without one): never requested, whether a link or a redirect (/our-team to
    /team/marcus-oyelaran) led there, and its row keeps the site's scheme and host, not the
    URL that names him."""
    site = request.extensions.get(SITE)
    ours = isinstance(site, str) and same_site(str(url), site)
    detail = _naming_one_person(url) if ours else ""
    if detail:
        raise HardRuleRefusal("colleague-page", scheme_and_host(str(url)), detail)


def _naming_one_person(url: CanonicalURL) -> str:
    """Why a page of a business site may be one person's, "" if it cannot be."""
    if colleague_page(url.path):
        return "one person's own page on a business site: not read"
    if url.query and site_page(url.path):
        return "a query to a team, about or contact page may name one person: not read"
    return ""


ORIGIN_REFUSED = (
    "not an origin this request may reach (its connector's declared ones; from a page of the "
    "business site it adopted, that site's only)"
)
"""Why rule ``origin`` refused: a hop from a site's page to the connector's own search API is
refused too, though that origin is declared (``ConnectorSession``)."""


class Guard:
    """Admits or refuses requests for one client, and records every outcome."""

    def __init__(
        self,
        policy: Policy,
        audit: AuditLog,
        *,
        connector: str = "",
        purpose: str = "",
        debtor_ref: str = "",
        api_keys: Sequence[ApiKey] = (),
    ) -> None:
        self.policy = policy
        self.audit = audit
        self.connector = connector
        self.purpose = purpose
        self.debtor_ref = debtor_ref
        self._api_keys = {(key.connector, key.host): key for key in api_keys}

    def admit(self, request: httpx.Request) -> tuple[httpx.Request, CanonicalURL]:
        """The request to send on (API key added), or Refused, audited either way; AuditError
        if the audit log can no longer record it (then nothing is sent)."""
        self.audit.writable()
        key = self._key(request, request.url.host.lower().rstrip("."))
        own_key = key is not None and request.headers.get(key.header) == key.value
        names = {name.decode("latin-1").lower() for name, _ in request.headers.raw}
        try:
            if request.extensions.get(SITE) is not None:  # first: whatever other rule such a
                # page breaks, its row must not name him
                _refuse_colleague_page(request, canonicalize(request.url))
            canonical = evaluate(
                request.method,
                request.url,
                self.policy,
                header_names=names,
                has_body=_has_body(request, names),
                key=key if own_key else None,
            )
            _check_sent_as_checked(request)
            declared = request.extensions.get(ORIGINS)
            if declared is not None and origin_of(canonical) not in declared:
                raise HardRuleRefusal("origin", str(canonical), ORIGIN_REFUSED)
        except Refused as refusal:
            self._record(request, refusal.url, event="refused", rule=refusal.rule,
                         detail=refusal.detail, reason=REFUSED)  # fmt: skip
            raise
        return self._with_key(request, canonical), canonical

    def note(
        self,
        url: str,
        *,
        event: str,
        connector: str = "",
        debtor_ref: str = "",
        rule: str = "",
        detail: str = "",
        reason: str = "",
    ) -> None:
        """Write one audit row that no request of this client made: a site a connector adopted
        (event ``site``), or a link it declined to follow (event ``refused``). Nothing is sent.
        AuditError if the audit log can no longer record it."""
        self.audit.writable()
        self.audit.append(
            AuditEvent(
                event=event,
                method="GET",
                url=_stored(without_credentials(url) if event == "refused" else url),
                rule=rule,
                connector=connector or self.connector,
                purpose=self.purpose,
                debtor_ref=debtor_ref or self.debtor_ref,
                detail=detail,
                reason=reason,
            )
        )

    def check_site(self, url: str, *, connector: str = "", debtor_ref: str = "") -> CanonicalURL:
        """``url`` canonical if its site may be adopted as a business's own website: every
        check a request to it would pass (hard rules, private and metadata addresses unless
        listed, social networks, the policy's deny and allow lists) and no directory, review
        site, map or search engine (``hardrules.check_site``). Refused, audited with its scheme
        and host only (a social profile's /in/<name>), if not."""
        try:
            canonical = evaluate("GET", url, self.policy)
            check_site(canonical, self.policy.private_allowed)
        except Refused as refusal:  # its row names the site: a path may name a person
            detail = f"not adopted as a site: {refusal.detail}"
            self.note(scheme_and_host(refusal.url), event="refused", connector=connector,
                      debtor_ref=debtor_ref, rule=refusal.rule, detail=detail,
                      reason=REFUSED)  # fmt: skip
            raise
        return canonical

    def passed(
        self,
        request: httpx.Request,
        url: CanonicalURL,
        response: httpx.Response,
        ends: int | None = None,
    ) -> Refused | None:
        """Record an answered request and drop any cookie it set.

        A redirect to a scheme httpx cannot even follow (``mailto:``, ``whatsapp:``), or to a
        Location no parser reads (``http://[::1``, rule ``invalid-url``), is returned as a
        refusal here, so it is audited like every other refused hop.
        """
        headers = response.headers
        for name in SET_COOKIE_HEADERS:
            if name in headers:
                del headers[name]
        event = "cached" if response.extensions.get(FROM_CACHE) else "request"
        self._record(request, str(url), event=event, status=response.status_code,
                     reason=reason_of(response), ends=ends)  # fmt: skip
        if not response.has_redirect_location:
            return None
        location = response.headers["location"]
        # stored and shown percent-encoded: no raw control, bidi or non-ASCII character
        try:
            target = _stored(urljoin(str(request.url), location.strip()))
        except ValueError as error:  # "http://[::1": no URL at all, whatever its scheme says
            why = f"redirect to a URL that cannot be parsed: {error}"
            refusal = HardRuleRefusal(
                "invalid-url", _stored(without_credentials(location[:200])), why
            )
        else:
            scheme = target.partition(":")[0].lower()
            if scheme in ALLOWED_SCHEMES:
                return None
            refusal = HardRuleRefusal(
                "scheme", without_credentials(target), f"redirect to a '{scheme}:' URL"
            )
        self._record(request, refusal.url, event="refused", rule=refusal.rule,
                     detail=refusal.detail, reason=REFUSED)  # fmt: skip
        return refusal

    def failed(
        self,
        request: httpx.Request,
        url: CanonicalURL,
        error: BaseException,
        ends: int | None = None,
    ) -> None:
        """Record a request that got no answer, or that a layer under the guard refused."""
        reason = reason_of(error)
        if isinstance(error, Refused):
            self._record(request, error.url, event="refused", rule=error.rule,
                         detail=error.detail, reason=reason, ends=ends)  # fmt: skip
        else:
            said = as_kept(error, request.extensions.get(SITE))
            detail = f"{type(error).__name__}: {in_words(said)}"
            self._record(request, str(url), event="error", detail=detail, reason=reason,
                         ends=ends)  # fmt: skip

    def stopped(self, error: httpx.TooManyRedirects, hops: int) -> None:
        """Record a redirect chain httpx stopped past ``hops`` (``limits.max_redirects``): the
        hop it did not follow, never admitted nor sent, in an error row saying why (a loop
        left the log with its redirects' rows only). On an adopted site that hop is written as
        a refused one is: the site chose it."""
        request = error.request
        detail = (
            f"TooManyRedirects: not followed, more than {hops} redirects (limits.max_redirects)"
        )
        self._record(request, str(request.url), event="error", detail=detail,
                     reason=reason_of(error), unsent=True)  # fmt: skip

    async def send(self, request: httpx.Request, inner: httpx.AsyncBaseTransport) -> httpx.Response:
        """Admit ``request``, send it through ``inner`` and audit the outcome: the one sequence
        for every request, robots.txt fetches included. Raises Refused for a refused request,
        a refused redirect, or a refusal by a layer below."""
        outgoing, url = self.admit(request)
        begun = self._begin(request, url)
        token = wall.enter()
        try:
            response = await inner.handle_async_request(outgoing)
        except BaseException as error:  # cancelled too: the request may have gone out
            self.failed(request, url, error, begun)
            raise
        finally:
            wall.leave(token)
        refusal = self.passed(request, url, response, begun)
        if refusal:
            await response.aclose()
            raise refusal
        return response

    def send_sync(self, request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
        """``send`` for a synchronous transport: the same sequence, step for step."""
        outgoing, url = self.admit(request)
        begun = self._begin(request, url)
        token = wall.enter()
        try:
            response = inner.handle_request(outgoing)
        except BaseException as error:  # cancelled too: the request may have gone out
            self.failed(request, url, error, begun)
            raise
        finally:
            wall.leave(token)
        refusal = self.passed(request, url, response, begun)
        if refusal:
            response.close()
            raise refusal
        return response

    def retried(self, request: httpx.Request, answer: httpx.Response | Exception) -> None:
        """Record an attempt that a layer under the guard will try again: it was a request too."""
        url = str(canonicalize(request.url))
        if isinstance(answer, httpx.Response):
            self._record(request, url, event="request", status=answer.status_code,
                         detail="retried", reason=reason_of(answer))  # fmt: skip
        else:
            said = as_kept(answer, request.extensions.get(SITE))
            self._record(request, url, event="error", detail=f"retried: {said!r}",
                         reason=reason_of(answer))  # fmt: skip

    def _begin(self, request: httpx.Request, url: CanonicalURL) -> int:
        """Journal the admitted ``request`` before it leaves (``AuditLog.begin``), so that a
        process killed before its answer is recorded still leaves a row for it."""
        return self.audit.begin(self._event(request, str(url), event="request"))

    def _record(
        self, request: httpx.Request, url: str, *, ends: int | None = None, **fields: Any
    ) -> None:
        """Write the row ``_event`` makes of ``fields``; ``ends``: the request it answers."""
        self.audit.append(self._event(request, url, **fields), ends=ends)

    def _event(
        self,
        request: httpx.Request,
        url: str,
        *,
        event: str,
        status: int | None = None,
        rule: str = "",
        detail: str = "",
        reason: str = "",
        unsent: bool = False,
    ) -> AuditEvent:
        """The row of ``request``; ``unsent``: its URL was never admitted (written off an
        adopted site as a refused one is)."""
        refused = event == "refused" or unsent
        if refused:  # never admitted: no rule cut a credential out of it
            url = without_credentials(url)
        site = request.extensions.get(SITE)
        if isinstance(site, str):  # every row of a request on or from an adopted site
            url, detail = _as_written_for(site, url, detail, refused=refused)
        return AuditEvent(
            event=event,
            method=request.method,
            url=_stored(url),
            status=status,
            rule=rule,
            connector=str(request.extensions.get(CONNECTOR, self.connector)),
            purpose=self.purpose,
            debtor_ref=str(request.extensions.get(DEBTOR_REF, self.debtor_ref)),
            detail=detail,
            reason=reason,
        )

    def _key(self, request: httpx.Request, host: str) -> ApiKey | None:
        """The key of the connector whose request this is, for ``host``: one client carries
        every connector's requests, and another's manifest may name the same API host."""
        if not self._api_keys:
            return None
        return self._api_keys.get((str(request.extensions.get(CONNECTOR, self.connector)), host))

    def _with_key(self, request: httpx.Request, url: CanonicalURL) -> httpx.Request:
        key = self._key(request, url.host)
        if key is None or url.scheme != "https":
            return request
        headers = httpx.Headers(request.headers)
        headers[key.header] = key.value
        return httpx.Request(
            request.method, request.url, headers=headers, extensions=request.extensions
        )


def _check_sent_as_checked(request: httpx.Request) -> None:
    """Refuse what would send another request than the URL checked and logged: an extension
    httpcore acts on (``REQUEST_EXTENSIONS``), or a Host header naming another authority
    (a shared front end routes by it)."""
    url = str(request.url)
    other = sorted(set(request.extensions) - REQUEST_EXTENSIONS)
    if other:
        raise HardRuleRefusal("extension", url, f"the {other[0]!r} request extension changes "
                                                "what is sent; it is never passed on")  # fmt: skip
    host = request.headers.get("host")
    if host is not None and host.strip().lower() != request.url.netloc.decode("ascii").lower():
        raise HardRuleRefusal("host-header", url, f"Host {host[:100]!r} is not the URL's host")


def _as_written_for(site: str, url: str, detail: str, *, refused: bool) -> tuple[str, str]:
    """A row's URL and detail for a request of an adopted business site, whose server chose
    the path (a link, a redirect) and may have written a name in it: on the site its words
    outside a fixed vocabulary are written ``*`` (``written.on_site``), in the detail too (an
    error's message names its URL); a refused URL off it as a declined link is written."""
    detail = on_site_text(detail, site)
    if same_site(url, site):
        return on_site(url), detail
    if not refused:
        return url, detail
    written, kept = as_written(url, site)
    return written, f"{unnamed(detail, url, site)} ({kept})"


def _has_body(request: httpx.Request, header_names: AbstractSet[str]) -> bool:
    """True if the request carries a body, whatever its headers claim."""
    if "transfer-encoding" in header_names:
        return True
    if "content-length" in header_names and request.headers["content-length"] != "0":
        return True
    stream = request.stream
    if isinstance(stream, httpx.ByteStream):
        return any(stream)
    return True


class GuardedTransport(httpx.BaseTransport):
    """Sync transport: the guard in front of ``inner``."""

    def __init__(self, guard: Guard, inner: httpx.BaseTransport) -> None:
        self.guard = guard
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.guard.send_sync(request, self._inner)

    def close(self) -> None:
        self._inner.close()
        self.guard.audit.flush()  # a closed client's rows are in the store, not only the journal


class AsyncGuardedTransport(httpx.AsyncBaseTransport):
    """Async transport: the guard in front of ``inner``."""

    def __init__(self, guard: Guard, inner: httpx.AsyncBaseTransport) -> None:
        self.guard = guard
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.guard.send(request, self._inner)

    async def aclose(self) -> None:
        await self._inner.aclose()
        self.guard.audit.flush()  # a closed client's rows are in the store, not only the journal
