"""What reading a page yields: plain frozen records, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

KINDS = ("mailing", "po_box", "billing", "headquarters", "location", "unknown", "no_mail", "former")
"""An address's role on the page, most wanted first: ``Page.preferred_address`` follows it."""
NOT_FOR_MAIL = frozenset({"no_mail", "former"})
"""Kinds the page itself says take no mail ("Please do not send mail to our shop:", "Our old
address was"): kept as evidence, never the mailing address, whatever else the page says of
them."""

MAIL_KINDS: Final = ("mailing", "po_box", "billing", "headquarters")
"""Kinds the page gives an address for mail: ranked by kind wherever on the page they stand."""
OWN_BLOCKS: Final = frozenset({"footer", "contact", "address", "location", "organisation"})
"""Blocks that are the business's own (``PageAddress.block``): its footer, a contact block or
page, an address element, a locations block, a schema.org or h-card organisation's address."""
STORY_TYPES: Final = ("event", "posting", "article", "review")
"""Endings of the schema.org types of a story (Event, MusicEvent, JobPosting, NewsArticle,
Review): an address under one is its venue's, its job's, its subject's."""


def story_type(name: str) -> str:
    """The story a schema.org type ``name`` (lower case) is, as its ending (``STORY_TYPES``):
    "event" for MusicEvent, '' for none. The site chooses the type's name, which may be a
    person's ("MarcusOyelaranEvent"); what is kept is the fixed word."""
    return next((end for end in STORY_TYPES if name.endswith(end)), "")


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
    block: str = ""
    """Where it stands: one of ``OWN_BLOCKS``, a story about something else (``news``,
    ``events``, ``job``, ``partners``...: ``in_story``), or '' for the page's body."""

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
    addresses: tuple[PageAddress, ...] = ()
    phones: tuple[Fact, ...] = ()
    emails: tuple[Fact, ...] = ()
    url: str = ""
    legal: bool = False
    """Named by its ``legalName`` only (Squarespace's Organization): the site's own legal
    entity, whose name may be none the business trades under, so never another business nor
    the site's name unless it is the employer's."""


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
        """The mailing address to use, by ``rank``: never one the page says takes no mail
        (``NOT_FOR_MAIL``), nor one in a story about something else (``in_story``)."""
        usable = [a for a in self.addresses if a.kind not in NOT_FOR_MAIL and not in_story(a)]
        return min(usable, key=rank, default=None)


def in_story(address: PageAddress) -> bool:
    """It stands in a block about something else: a news item, an event, a job posting, a
    case study, a client's, partner's or supplier's entry. Its "Location:" is the job's, its
    address the venue's or the client's, not the business's."""
    return bool(address.block) and address.block not in OWN_BLOCKS


def rank(address: PageAddress) -> tuple[int, int]:
    """How wanted ``address`` is as the mailing address, lower first (``min`` keeps the first
    read among equals). A kind the page gives for mail (``MAIL_KINDS``) by kind, then the
    business's own block (``OWN_BLOCKS``) before the body; any other address after them, by
    where it stands first: a footer's or contact block's unlabelled address before a shop the
    body names, or a "Location:" read in it, then the shop before an unlabelled one."""
    kind = KINDS.index(address.kind) if address.kind in KINDS else len(KINDS)
    if address.kind in MAIL_KINDS:
        return kind, place(address)
    return len(MAIL_KINDS) + place(address), kind


def place(address: PageAddress) -> int:
    """0 in one of the business's own blocks (``OWN_BLOCKS``), 1 in the page's body, 2 in a
    story (``in_story``)."""
    return 0 if address.block in OWN_BLOCKS else 2 if in_story(address) else 1


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
    works for (``employer``: "" when it names none), and a snippet: the name and title only."""

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
