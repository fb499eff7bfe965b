"""Which links on a page are worth reading, and which must never be followed. No fetching."""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from skiptrace.errors import HardRuleRefusal
from skiptrace.net.hardrules import is_social_host
from skiptrace.net.site_pages import SITE_PAGES, colleague_page
from skiptrace.net.urls import CanonicalURL, canonicalize
from skiptrace.net.written import names_no_one, page_words
from skiptrace.pages._dom import decode, parse, text_start
from skiptrace.pages._model import Link, SiteLinks

MAX_FOLLOW: Final = 8
MAX_LINKS: Final = 2_000
_LOGIN: Final = re.compile(
    r"log-?in|log-?out|log-?off|sign-?in|sign-?out|sign-?up|register|account(?!ing|ant)|"
    r"my-?account|wp-admin|wp-login|auth(?!or)|password|cart|checkout|\bsso\b|portal",
    re.I,
)
_ACTION: Final = re.compile(
    r"(?:^|&)(?:action|do|op|cmd|task|subscribe|unsubscribe|email|e-?mail|delete|remove|send|"
    r"submit|reply|message|vote|rate|like|share|follow|add)=|unsubscribe|opt-?out",
    re.I,
)
"""A query that asks the site to do something: a link carrying it is a form, never read."""
_SKIP_SCHEMES: Final = ("mailto:", "tel:", "javascript:", "data:", "sms:", "fax:")
_MESSENGER_SCHEMES: Final = ("whatsapp:", "skype:", "callto:", "viber:", "tg:", "intent:",
                             "fb-messenger:", "signal:", "sgnl:", "line:", "weixin:", "wechat:",
                             "threema:", "facetime:", "facetime-audio:")  # fmt: skip
"""Links that open a messenger app (``whatsapp://send?phone=...``): declined as a social
network's are (``wa.me`` is one), on the record, where they had been skipped unsaid."""
_STATIC: Final = re.compile(
    r"\.(?:pdf|jpe?g|png|gif|svg|webp|zip|docx?|xlsx?|mp[34]|css|js)$", re.I
)

_PATH_WORDS: Final = re.compile(r"[/._-]+")
"""What a link's path is split into words at (compiled as the module loads: a starter's
workers inherit it, and each had compiled it on its first page)."""


def _canonical(url: str) -> CanonicalURL | None:
    """``url`` as the guard reads it, None for one it cannot read: a link that is skipped. A
    port such as ``8080.`` passes ``urlsplit`` and then fails httpx: it had ended the whole
    search."""
    try:
        return canonicalize(url)
    except HardRuleRefusal:
        return None


def _site(url: CanonicalURL | None) -> tuple[str, int | None] | None:
    """The site a URL is on: its host without www., and its port (None: a URL not read)."""
    return None if url is None else (url.host.removeprefix("www."), url.port)


def social_link(url: str) -> bool:
    """``url`` is on a host the guard refuses as a social network, a chat, contact or dating
    service (``hardrules.is_social_host``, the shipped lists): never a business's own site,
    and never followed. False for a URL it cannot read."""
    canonical = _canonical(url)
    return canonical is not None and is_social_host(canonical.host)


def site_links(html: bytes | str | LexborHTMLParser, url: str, name: str = "") -> SiteLinks:
    """Same-site links whose path says contact, about, team, staff, people, our-team,
    leadership, locations or impressum (a word of it; best first, at most 8; without their
    query), and the links never to follow:
    social-network profiles, form actions, login or account pages, and other sites.

    A page to read has a path written only in words that name no one (``KEPT_WORDS``:
    "/contact-us", "/meet-the-team") or in the words of ``name``, the business's own
    ("/about-harbor-lane"): "/about-sam-lee" is never read, so which pages are asked for
    never depends on whom the reader looks for (it had read every such page but the
    debtor's, whose path, holding her name, is never sent: the site could tell her from
    the rest)."""
    tree = html if isinstance(html, LexborHTMLParser) else parse(decode(html))[0]
    home = _site(_canonical(url))
    own = page_words(name)
    follow: dict[str, tuple[int, Link]] = {}
    social: dict[str, Link] = {}
    login: dict[str, Link] = {}
    actions: dict[str, Link] = {}
    offsite: dict[str, Link] = {}
    for anchor in tree.css("a[href], area[href]")[:MAX_LINKS]:
        href = (anchor.attributes.get("href") or "").strip()
        if href.lower().startswith(_MESSENGER_SCHEMES):
            social.setdefault(href, Link(href, text_start(anchor, 100)[:100], "messenger"))
            continue
        if not href or href.startswith("#") or href.lower().startswith(_SKIP_SCHEMES):
            continue
        try:
            target = urljoin(url, href).split("#", 1)[0]
            if urlsplit(target).scheme not in ("http", "https"):
                continue
        except ValueError:  # "https://[::1": a broken link loses itself, not the page
            continue
        canonical = _canonical(target)
        if canonical is None:
            continue
        text = text_start(anchor, 100)[:100]
        if is_social_host(canonical.host):
            social.setdefault(target, Link(target, text, "social-network-host"))
        elif _site(canonical) != home:
            offsite.setdefault(target, Link(target, text, "off-site"))
        elif _LOGIN.search(urlsplit(target).path) or _LOGIN.search(text):
            login.setdefault(target, Link(target, text, "login"))
        elif _ACTION.search(urlsplit(target).query):  # a GET that acts ("unsubscribe")
            actions.setdefault(target, Link(target, "get", "form"))
        elif colleague_page(urlsplit(target).path) or not names_no_one(
            target.partition("?")[0], also=own
        ):  # read with its host: a path "//sam-lee/contact" alone reads as a host and "/contact"
            continue  # a page that may be one person's, below a staff list or not: never read
        elif not _STATIC.search(urlsplit(target).path) and target.rstrip("/") != url.rstrip("/"):
            # the path alone says what the page is, word for word: a link text ("About
            # Marcus") or a query ("?agent=marcus-oyelaran") may be a colleague's, and the
            # request, fetched and audited, would name them
            parts = urlsplit(target)
            path = parts.path.lower()
            words = set(_PATH_WORDS.split(path)) | set(path.split("/"))
            score = max((s for w, s in SITE_PAGES if w in words), default=0)
            if score:
                score += 1 if path.count("/") <= 2 else 0
                reason = next(w for w, s in SITE_PAGES if w in words)
                # the host as the guard spells it ("Acme.Example." is acme.example: one
                # robots.txt), never a user name or password
                plain = str(canonical._replace(path=parts.path, query=""))
                if plain not in follow or follow[plain][0] < score:
                    follow[plain] = (score, Link(plain, text, reason))
    forms = list(actions.values())
    for form in tree.css("form")[:100]:
        try:
            action = urljoin(url, (form.attributes.get("action") or "").strip())
        except ValueError:
            continue
        forms.append(Link(action, (form.attributes.get("method") or "get").lower(), "form"))
    ranked = sorted(follow.values(), key=lambda pair: -pair[0])
    return SiteLinks(
        follow=tuple(link for _, link in ranked[:MAX_FOLLOW]),
        social=tuple(social.values()),
        forms=tuple(forms),
        login=tuple(login.values()),
        offsite=tuple(offsite.values()),
    )
