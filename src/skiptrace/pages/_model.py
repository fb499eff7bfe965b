"""What reading a page yields: plain frozen records, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("mailing", "po_box", "billing", "headquarters", "location", "unknown", "no_mail", "former")
"""An address's role on the page, most wanted first: ``Page.preferred_address`` follows it."""
NOT_FOR_MAIL = frozenset({"no_mail", "former"})
"""Kinds the page itself says take no mail ("Please do not send mail to our shop:", "Our old
address was"): kept as evidence, never the mailing address, whatever else the page says of
them."""

SOURCES = ("jsonld", "microdata", "hcard", "text", "title")
"""The markup a fact came from."""

SNIPPET = 200
"""Longest evidence snippet kept, in characters."""


def snippet(text: str, limit: int = SNIPPET) -> str:
    """``text`` with runs of blanks made one space, cut to ``limit`` characters."""
    return " ".join(text[: limit * 4].split())[:limit]


@dataclass(frozen=True)
class PageAddress:
    """A postal address found on a page, as written (stripped, ``&amp;`` unescaped once).

    ``lines`` are the delivery lines (street, suite, PO box); ``raw`` is what the address was read
    from (a JSON-LD object rendered back, a microformat's text, a block of page text).
    """

    lines: tuple[str, ...] = ()
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    kind: str = "unknown"
    source: str = "text"
    snippet: str = ""
    raw: str = ""
    label: str = ""
    """The words that named it on the page ("Mailing address", "footer", a contactType)."""

    def one_line(self) -> str:
        """Lines, city, region and postcode joined with ", " (empties dropped)."""
        tail = " ".join(p for p in (self.region, self.postal_code) if p)
        return ", ".join(p for p in (*self.lines, self.city, tail, self.country) if p)


@dataclass(frozen=True)
class Fact:
    """One value with its evidence: the markup it came from and a snippet (<= 200 chars)."""

    value: str
    source: str
    snippet: str = ""


@dataclass(frozen=True)
class Organisation:
    """A business or other organisation the page describes (schema.org, microdata, h-card)."""

    name: str
    source: str
    snippet: str = ""
    types: tuple[str, ...] = ()
    alternate_names: tuple[str, ...] = ()
    addresses: tuple[PageAddress, ...] = ()
    phones: tuple[Fact, ...] = ()
    emails: tuple[Fact, ...] = ()
    url: str = ""


@dataclass(frozen=True)
class Page:
    """Everything ``read_page`` found on one page."""

    url: str
    title: str = ""
    site_name: str = ""
    organisations: tuple[Organisation, ...] = ()
    addresses: tuple[PageAddress, ...] = ()
    problems: tuple[str, ...] = ()
    """What could not be read (``malformed_jsonld: <snippet>``) or was cut (``truncated: ...``)."""
    copyright: str = ""
    """The holder the page's copyright notice names (``footer.copyright_holder``)."""
    phones: tuple[Fact, ...] = ()
    """Phone numbers written as text after a label (``text_phones.find_phones``)."""

    @property
    def preferred_address(self) -> PageAddress | None:
        """The mailing address to use: a declared or labelled mailing, PO box, billing or
        headquarters address before an unlabelled one, a shop or branch location last; never
        one the page says takes no mail (``NOT_FOR_MAIL``)."""
        usable = [a for a in self.addresses if a.kind not in NOT_FOR_MAIL]
        if not usable:
            return None
        return min(usable, key=lambda a: KINDS.index(a.kind) if a.kind in KINDS else 9)


@dataclass(frozen=True)
class Link:
    """A link on a page: where it points, its text, and why it was sorted where it was."""

    url: str
    text: str = ""
    reason: str = ""


@dataclass(frozen=True)
class SiteLinks:
    """``follow``: same-site pages worth reading, best first (at most ``MAX_FOLLOW``); the rest
    are links that must never be followed, each with its reason."""

    follow: tuple[Link, ...] = ()
    social: tuple[Link, ...] = ()
    forms: tuple[Link, ...] = ()
    login: tuple[Link, ...] = ()
    offsite: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Mention:
    """The debtor's name found on a page: as written, the job title beside it, the context
    (``staff``, ``mention`` or ``obituary``), the markup, the organisation the page says she
    works for (``employer``: "" when it names none), and a snippet around it."""

    name: str
    context: str
    source: str
    job_title: str = ""
    employer: str = ""
    snippet: str = ""
    url: str = ""
    extra: tuple[str, ...] = field(default=())


def words(text: str) -> list[str]:
    """The blank-separated words of ``text``: how the long word lists here are written."""
    return text.split()
