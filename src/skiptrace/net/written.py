"""What an audit row keeps of a URL a business site led to.

A link to a social profile, another host or a redirect off the site names people (a
colleague's profile, a domain of his own), whom the log has no reason to hold: the row keeps
its scheme and host, a social network's own domain for a subdomain, an app's link's scheme
alone (``callto://<user name>``), and the adopted site for any other host. A declined link
(``ConnectorSession.decline``) and a refused request off an adopted site (``Guard.admit``)
are written the same way.

A URL on the adopted site was chosen by its server too (a link on its pages, a redirect), and
its path or query may be a name whatever it looks like (``/marcus-oyelaran``,
``/?member=...``, ``/team.marcus-oyelaran``): no rule can tell a name from a page's word, so
a row keeps only the words of a small fixed vocabulary (``KEPT_WORDS``), each other word
written ``*`` (``on_site``). No name passes unless it is made of those words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Final, TypeVar
from urllib.parse import unquote, urlsplit

import httpx

from skiptrace.net.categories import registrable_domain
from skiptrace.net.hardrules import is_social_host
from skiptrace.net.site_pages import SITE_PAGES
from skiptrace.net.urls import try_canonical_host

AUTHORITY: Final = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^/?#]*")
"""A URL's scheme and authority (``https://user@host:port``), or a bare ``//authority``."""


def scheme_and_host(url: str) -> str:
    """``scheme://host[:port]/`` of a link, lower-cased, its user-info dropped (a name, even a
    password, can ride there) and each word where its port goes written ``*``
    (``acme.example:<name>``, which no request reaches, only a log), or ``scheme:`` for one
    with no host (``mailto:``)."""
    found = AUTHORITY.match(url)
    if not found:
        return url.strip().partition(":")[0].lower() + ":"
    scheme, _, authority = found.group(0).strip().partition("//")
    return f"{scheme.lower()}//{_host_and_port(authority.rpartition('@')[2].lower())}/"


def _host_and_port(authority: str) -> str:
    """``authority`` (no user-info) with each word after its port's digits written ``*``."""
    cut = authority.find(":", authority.find("]") + 1 if authority.startswith("[") else 0)
    if cut < 0:
        return authority
    port = authority[cut:]
    digits = len(port) - len(port[1:].lstrip("0123456789"))
    return authority[:cut] + port[:digits] + WORD.sub("*", port[digits:])


def host_of(url: str) -> str:
    """The host of ``url`` as ``scheme_and_host`` writes it ('' for none)."""
    try:
        return urlsplit(scheme_and_host(url)).hostname or ""
    except ValueError:  # "http://[::1": no host anyone can read
        return ""


def as_written(url: str, site: str | None, *, social: bool = False) -> tuple[str, str]:
    """The URL a row keeps for ``url``, and what was kept, for its detail. ``social``: the
    connector said so; a host listed as a social network counts too."""
    written = scheme_and_host(url)
    host = host_of(url)
    scheme = urlsplit(written).scheme
    if social and scheme not in ("http", "https"):  # an app's link: where a host goes it
        # holds the app's argument, a user name or a number (callto://<user name>)
        return f"{scheme}:", "only its scheme and host kept: an app's link has none"
    if social or is_social_host(host):
        base = registrable_domain(host) or host
        if host not in (base, f"www.{base}"):  # marcus-oyelaran.tumblr.com names him
            written = f"{urlsplit(written).scheme}://{base}/"
        return written, "only its scheme and host kept, the network's own domain for a subdomain"
    if site and host != host_of(site):
        return site, "a link to another host: the site it was on is kept, it may name a person"
    return written, "only its scheme and host kept"


def unnamed(detail: str, url: str, site: str) -> str:
    """``detail``, why ``url`` was refused off the adopted ``site``, naming its host as its
    row does (``as_written``): a rule's reason names the host whole, as written or as the
    guard reads it ("marcus-oyelaran.tumblr.com is a social network"). The network's own
    domain where the row keeps it, else "another host": a host off the site may be a
    person's own domain."""
    host = host_of(url)
    if not host:
        return detail
    written, _ = as_written(url, site)
    instead = "another host" if written == site else host_of(written)
    spellings = sorted({host, host.rstrip("."), try_canonical_host(host) or host}, key=len)
    either = "|".join(map(re.escape, reversed(spellings)))
    return re.sub(rf"(?<![\w.-])(?:{either})\.?(?![\w.-])", instead, detail, flags=re.I)


WORD: Final = re.compile(r"[^\W_]+")
"""A word of a URL or a name: a maximal run of letters and digits (any script)."""

KEPT_WORDS: Final = frozenset({
    *(word for page, _ in SITE_PAGES for word in WORD.findall(page)),
    "index", "default", "html", "htm", "php", "aspx", "asp", "jsp",  # a directory's own page
    "robots", "txt",
    "our", "us", "the", "meet", "get", "in", "touch", "find", "company", "who", "we", "are",
    "en", "de", "fr", "es", "it", "nl", "pt",  # a site's language
    # what a business calls the parts of such pages ("/accounting/contact", "/about/history")
    "accounting", "department", "departments", "directions", "directory", "headquarters",
    "hq", "history", "hours", "info", "information", "offices", "services",
    "support", "visit", "map", "address", "management", "members", "member", "form",
    "and", "of", "site", "wp",  # "/team-members", "/contact-form", "/wp/contact"
})  # fmt: skip
"""The only words of a path or query an adopted site's rows keep, and the only ones (with
the business's own name) of a page a connector is offered to read (``pages.site_links``):
the pages a connector reads (``SITE_PAGES``), a directory's own page and robots.txt, the
words around them ("contact-us", "meet-the-team", "get-in-touch", "who-we-are"), a few
language codes and the names of a business's parts. No word that is a common name ("page",
"home", "lang", "head", "main", "story", "sales", "office" are surnames, "author" a first name
in the name tables), no digits."""

_MAX_DECODE_ROUNDS: Final = 8
E = TypeVar("E", bound=BaseException)
_URL_IN_TEXT: Final = re.compile(r"[a-z][a-z0-9+.-]{0,31}://\S+", re.IGNORECASE)
"""A URL written in a message. Its scheme is bounded: unbounded, each letter of a long word
quoted in a message was tried as a scheme's start and read on to the word's end (quadratic)."""


def same_site(url: str, site: str) -> bool:
    """``url`` is on ``site``, with or without ``www.``, as its origins are, its host read as
    the guard reads it (``acme.example.``, with the trailing dot DNS allows, is acme.example:
    a redirect there is admitted as the site, and its URL names what the site chose)."""
    host = _site_host(url)
    return bool(host) and host == _site_host(site)


def _site_host(url: str) -> str:
    """``url``'s host as ``urls.canonical_host`` spells it, without ``www.``."""
    host = host_of(url)
    return (try_canonical_host(host) or host).removeprefix("www.")


def on_site(url: str) -> str:
    """``url`` (on an adopted site) with each word of its path, parameters and query that is
    not in ``KEPT_WORDS`` written ``*``, read as the server reads it (percent-decoded,
    "mar%63us" is "marcus"): ``/team/marcus-oyelaran`` is ``/team/*-*``, ``/contact-us``
    stays. Its scheme and host as ``scheme_and_host`` writes them."""
    found = AUTHORITY.match(url)
    kept = WORD.sub(lambda word: word[0] if word[0] in KEPT_WORDS else "*", _read(url))
    return (scheme_and_host(url).rstrip("/") if found else "") + kept


def names_no_one(url: str, also: frozenset[str] = frozenset()) -> bool:
    """Every word of ``url``'s path, parameters and query is in ``KEPT_WORDS`` (or ``also``,
    words read as ``words_of`` reads them), however it is read: ``on_site`` would write none
    of them ``*``, nor does a server read another word in it (decoded once, not NFKC-folded):
    "/%25cade" decoded twice is an undecodable byte and "de", a language's code, but a server
    decoding it once reads "/%cade", a name."""
    found = AUTHORITY.match(url)
    every = readings(url[found.end() :] if found else url)
    return all(word in KEPT_WORDS or word in also for text in every
               for word in WORD.findall(text))  # fmt: skip


def readings(text: str) -> set[str]:
    """Every way a server may read ``text`` (a URL past its authority): each of its
    ``decodings``, case-folded, and NFKC-folded then decoded again (a full-width percent
    sign before "72" folds to "%72", an "r" to a server that folds before it decodes)."""
    every = set()
    for decoded in decodings(text):
        every.add(decoded.casefold())
        every.update(folded(again) for again in decodings(folded(decoded)))
    return every


_SMALL_NUMBERS: Final = frozenset({*map(str, range(100)), *(f"{n:02d}" for n in range(10))})


def page_words(name: str) -> frozenset[str]:
    """The words besides ``KEPT_WORDS`` a page of the site of the business ``name`` may be
    written in and still name no one: its name's ("/about-harbor-lane") and numbers of one or
    two digits ("/contact-2", a site builder's second page of that name; no debtor value that
    short is looked for in a URL). A page so written is read whoever the debtor is."""
    return words_of(name) | _SMALL_NUMBERS


def words_of(text: str) -> frozenset[str]:
    """The words of ``text`` as ``names_no_one`` compares them (NFKC-folded, case-folded)."""
    return frozenset(WORD.findall(folded(text)))


def _read(url: str) -> str:
    """What follows ``url``'s authority as a server reads it: percent-decoded (escapes of
    escapes too), NFKC-folded and case-folded, as ``KEPT_WORDS`` is written."""
    return folded(_decodings(url)[-1])


def _decodings(url: str) -> list[str]:
    """What follows ``url``'s authority, as ``decodings`` reads it."""
    found = AUTHORITY.match(url)
    return decodings(url[found.end() :] if found else url)


def decodings(text: str) -> list[str]:
    """``text`` percent-decoded once, as a server reads it, then again while escapes of
    escapes remain (as a server that decodes twice reads it), at most ``_MAX_DECODE_ROUNDS``
    times in all."""
    decoded = [unquote(text)]
    while len(decoded) < _MAX_DECODE_ROUNDS and unquote(decoded[-1]) != decoded[-1]:
        decoded.append(unquote(decoded[-1]))
    return decoded


def folded(text: str) -> str:
    """``text`` NFKC-folded and case-folded, as ``KEPT_WORDS`` is written."""
    return unicodedata.normalize("NFKC", text).casefold()


def on_site_text(text: str, site: str, sources: Callable[[str], bool] = lambda url: False) -> str:
    """``text`` (an error's message, a result's detail) with each URL on ``site`` in it
    written as ``on_site`` writes it, and each URL off it as a refused one is, saying so
    (``as_written``): the site chose it too (a redirect to a colleague's profile, refused).
    A URL ``sources`` names (the connector's own source: an origin it declared, off the
    site) is left as it is, so an outage there is not told as the site's."""
    if "://" not in text:
        return text
    return _URL_IN_TEXT.sub(
        lambda url: url[0] if sources(url[0]) else _written_in_text(url[0], site), text
    )


def _written_in_text(url: str, site: str) -> str:
    if same_site(url, site):
        return on_site(url)
    written, kept = as_written(url, site)
    return f"{written} ({kept})"


NOT_KEPT: Final = "its message is not kept: it may quote what the site sent"
_UNSAID: Final = (
    (httpx.ReadError, "the connection was lost as the answer came"),
    (httpx.WriteError, "the connection was lost as the request went"),
)
"""What an error the network library raised with no message means (a connection reset
mid-answer reaches httpx as anyio's, which says nothing)."""


def in_words(error: BaseException) -> str:
    """``error``'s message, or, where it has none, what it means: "ReadError: " had been all a
    row, a lookup line and the audit log said of a connection reset mid-answer."""
    said = str(error)
    if said:
        return said
    return next((words for kind, words in _UNSAID if isinstance(error, kind)), "no reason given")


def as_kept(error: E, site: object) -> E:
    """``error`` as a row or a result keeps it. On an adopted business site (``site`` its home
    page), one the network library raised on an answer (httpx, h11) has a message quoting the
    server's own bytes (a header or status line, a Location's port), which may name a
    colleague: it is kept as its type, saying ``NOT_KEPT``. A connection never made says what
    skiptrace wrote (the origin and the system's reason), and skiptrace's own messages name
    URLs only, written as ``on_site_text`` writes them."""
    answered = not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
    if isinstance(site, str) and isinstance(error, httpx.HTTPError | httpx.InvalidURL) and answered:
        return type(error)(NOT_KEPT)
    return error
