"""Reading a business's web page: bytes in, facts out, no I/O.

``read_page`` finds the organisations the page describes and every postal address on it
(schema.org JSON-LD and microdata, h-card/h-adr microformats, addresses written as text), each
with its evidence: the markup it came from and a snippet of at most 200 characters; the holder
its copyright notice names, and the phone numbers written after a label.
``site_links`` sorts the page's links into the few same-site pages worth reading (contact, about,
team...) and those never to follow (social profiles, forms, logins, other sites). ``mentions``
confirms a given person's name on a page, and keeps nothing about anyone else.
``agreeing_name`` says whether a page names itself as a given employer (``site_name``).

The page is parsed once with lexbor (UTF-8 bytes as they are); each extractor runs only when a
lexbor selector finds its markup, and the text is read by blocks only when a scan of the page's
text finds a state and ZIP or a UK postcode. Work is bounded: the first 2,000,000 characters of
HTML are parsed, a JSON-LD script over 512,000 characters is not loaded, and at most 60,000 nodes
of text are read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final
from urllib.parse import urlsplit

from skiptrace.pages import _dom, _head, footer, hcard, jsonld, microdata, schema
from skiptrace.pages._dom import decode
from skiptrace.pages._model import (
    KINDS,
    NOT_FOR_MAIL,
    Fact,
    Link,
    Mention,
    Organisation,
    Page,
    PageAddress,
    SiteLinks,
    in_story,
    place,
    rank,
    snippet,
)
from skiptrace.pages.addresses_in_lines import find_addresses, has_address
from skiptrace.pages.links import site_links, social_link
from skiptrace.pages.mentions import mentions
from skiptrace.pages.read_address import STREET, delivery_line
from skiptrace.pages.site_name import (
    DESIGNATIONS,
    agreeing_name,
    for_sale,
    is_named,
    name_score,
    part_of,
    title_parts,
)
from skiptrace.pages.staff_entries import staff_url
from skiptrace.pages.text_phones import find_phones, phone_number

__all__ = [
    "DESIGNATIONS",
    "KINDS",
    "NOT_FOR_MAIL",
    "STREET",
    "Fact",
    "Link",
    "Mention",
    "Organisation",
    "Page",
    "PageAddress",
    "SiteLinks",
    "agreeing_name",
    "decode",
    "delivery_line",
    "for_sale",
    "in_story",
    "is_named",
    "mentions",
    "name_score",
    "part_of",
    "phone_number",
    "rank",
    "read_page",
    "site_links",
    "snippet",
    "social_link",
    "staff_url",
    "title_parts",
]


def _key(address: PageAddress) -> tuple[str, ...]:
    return tuple(" ".join(p.lower().split()) for p in (*address.lines, address.city,
                 address.region, address.postal_code))  # fmt: skip


def _weight(kind: str) -> int:
    return -1 if kind in NOT_FOR_MAIL else KINDS.index(kind)


def _dedupe(addresses: list[PageAddress]) -> tuple[PageAddress, ...]:
    """One entry per address: the first found, with the most specific kind any copy had (a
    copy the page says takes no mail outranks every other: the page's word against using it),
    and the block of its copy that is most the business's own: in the footer too, it is the
    business's; in the body too, it is no story's alone."""
    kept: dict[tuple[str, ...], PageAddress] = {}
    for address in addresses:
        key = _key(address)
        old = kept.get(key)
        if old is None:
            kept[key] = address
            continue
        if _weight(address.kind) < _weight(old.kind):
            old = replace(old, kind=address.kind, label=address.label)
        if place(address) < place(old):
            old = replace(old, block=address.block)
        kept[key] = old
    return tuple(kept.values())


_CONTACT_PATH: Final = re.compile(r"(?<![a-z])(?:contact|impressum)", re.I)


def _contact_page(url: str) -> bool:
    """A contact page or an impressum (by a word of its path): its text is the business's
    contact block."""
    try:
        return _CONTACT_PATH.search(urlsplit(url).path) is not None
    except ValueError:
        return False


def read_page(html: bytes | str, url: str) -> Page:
    """The organisations, addresses, title and site name on one page (see the module doc)."""
    tree, problems = _dom.parse(_dom.source(html))
    head = _head.from_tree(tree)
    site_names = list(head.site_names)
    organisations: list[Organisation] = []
    addresses: list[PageAddress] = []
    if head.scripts:
        found = schema.extract(jsonld.load_all(head.scripts, problems), "jsonld")
        organisations += found.organisations
        addresses += found.addresses
        site_names += found.site_names
    # the gates are lexbor selectors, one C walk each: faster than ``in`` on the page (~2 GB/s,
    # so 100 us per needle on a 250 KB page), and exact about what is markup
    if tree.css_first("[itemscope]") is not None:
        found = schema.extract(list(microdata.items(tree)), "microdata")
        organisations += found.organisations
        addresses += found.addresses
        site_names += found.site_names
    if tree.css_first(hcard.SELECTOR) is not None:
        cards = hcard.extract(tree)
        organisations += cards.organisations
        addresses += cards.addresses
    plain = _dom.plain_text(tree)
    if has_address(plain):  # read the text by blocks only when needed
        lines, cut = _dom.lines(tree)
        if cut:
            problems.append(f"truncated: text read from the first {_dom.MAX_TEXT_NODES:,} nodes")
        written = find_addresses(
            [line.text for line in lines],
            lambda i: _dom.block_of(lines[i].node),
            [line.marked for line in lines],
            [line.apart for line in lines],
        )
        contact = _contact_page(url)  # the page is the business's contact block
        addresses += [
            replace(a, block="contact") if contact and not a.block else a for a in written
        ]
    site_names += [o.name for o in organisations if o.name and o.source != "hcard"
                   and not o.legal][:1]  # fmt: skip
    holder = footer.copyright_holder(tree, plain)
    return Page(
        url=url,
        title=head.title,
        site_name=next((n for n in site_names if n), ""),
        organisations=tuple(o for o in organisations if o.name or o.addresses),
        addresses=_dedupe(addresses),
        problems=tuple(problems),
        copyright=holder,
        phones=find_phones(plain),
    )
