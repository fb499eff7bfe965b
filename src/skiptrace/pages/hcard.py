"""A small microformats reader for h-card, h-org and h-adr, and their classic (v1) forms vcard and
adr. Not mf2py: that library fetches URLs with requests when given one, outside the guard.

Class names are case-sensitive. An mf2 root reads mf2 properties (``p-street-address``); a v1 root
reads v1 ones (``street-address``), so an mf2 property inside a v1 ``adr`` is ignored, as the
microformats2 parsing rules say. A vcard's ``itemref`` includes the elements it names (the include
pattern).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from skiptrace.pages import _dom
from skiptrace.pages._model import OWN_BLOCKS, Fact, Organisation, PageAddress, snippet
from skiptrace.pages.address_labels import kind_of_label
from skiptrace.pages.read_address import PO_BOX, box_line, delivery_lines, town
from skiptrace.pages.schema import with_suffix

MAX_ROOTS: Final = 500
MAX_WALK: Final = 5_000
"""Elements walked for one root."""
MAX_PAGE_WALK: Final = 100_000
"""Elements walked for all of a page's roots (500 nested roots each walking the rest, and the
addresses nested in each, had made it quadratic)."""
MAX_IDS: Final = 20_000
MAX_NESTING: Final = 8
"""Addresses nested in addresses read this deep; a deeper one is passed over."""

MF2_ROOTS: Final = frozenset({"h-card", "h-adr", "h-org"})
V1_ROOTS: Final = frozenset({"vcard", "adr"})
_ADR_FIELDS: Final = ("street-address", "extended-address", "post-office-box", "locality",
                      "region", "postal-code", "country-name")  # fmt: skip
_CARD_FIELDS: Final = (
    "name",
    "org",
    "job-title",
    "role",
    "tel",
    "email",
    "url",
    "honorific-suffix",
)
_V1_NAMES: Final = {"fn": "name", "title": "job-title", "role": "role", "org": "org",
                    "honorific-suffix": "honorific-suffix",
                    "tel": "tel", "email": "email", "url": "url",
                    **{f: f for f in _ADR_FIELDS}}  # fmt: skip
_MF2_FIELDS: Final = frozenset({*_ADR_FIELDS, *_CARD_FIELDS})
_URLISH: Final = frozenset({"url", "email"})


def _classes(node: LexborNode) -> list[str]:
    return (node.attrs.get("class") or "").split()  # attrs: no dict of every attribute built


def _root_kind(classes: list[str]) -> tuple[str, set[str]]:
    mf2 = {c for c in classes if c in MF2_ROOTS}
    if mf2:
        return "mf2", mf2
    v1 = {c for c in classes if c in V1_ROOTS}
    return ("v1", v1) if v1 else ("", set())


def _text(node: LexborNode, value_class: bool) -> str:
    """A property's text: its ``value`` parts when the card uses the value-class pattern
    (``value_class``: looked up once per card, a selector costs more than reading the text)."""
    values = node.css(".value")[:20] if value_class else []
    if values:
        return " ".join(" ".join(v.text(separator=" ").split()) for v in values)
    tag = node.tag or ""
    if tag == "abbr" and node.attributes.get("title"):
        return (node.attributes.get("title") or "").strip()
    if tag in ("img", "area") and node.attributes.get("alt"):
        return (node.attributes.get("alt") or "").strip()
    return " ".join(node.text(separator=" ").split())


def _url(node: LexborNode, value_class: bool) -> str:
    for attr in ("href", "src", "data", "value"):
        value = node.attributes.get(attr)
        if value:
            return value.strip()
    return _text(node, value_class)


@dataclass
class Card:
    """One microformat root: its kind (mf2 or v1), types and the properties read from it."""

    version: str
    types: set[str]
    node: LexborNode
    props: dict[str, list[str]] = field(default_factory=dict)
    adrs: list[Card] = field(default_factory=list)


@dataclass
class _Page:
    """The tree read and the elements its roots may still walk (``MAX_PAGE_WALK``)."""

    tree: LexborHTMLParser
    left: int = MAX_PAGE_WALK
    ids: dict[str, LexborNode] | None = None

    def element(self, ident: str) -> LexborNode | None:
        """The first element with this id (an index built once: a lookup per itemref had
        searched the whole page each time)."""
        if self.ids is None:
            self.ids = {}
            for node in self.tree.css("[id]")[:MAX_IDS]:
                self.ids.setdefault(node.attributes.get("id") or "", node)
        return self.ids.get(ident)


def _read(
    node: LexborNode,
    version: str,
    types: set[str],
    page: _Page,
    within: frozenset[int] = frozenset(),
) -> Card:
    """A root's properties and its nested addresses; ``within``: the roots being read around
    it, never read again (an itemref may name an ancestor), and at most ``MAX_NESTING`` deep."""
    card = Card(version, types, node)
    within = within | {node.mem_id}
    included: list[LexborNode] = []
    if version == "v1":
        for ref in dict.fromkeys((node.attributes.get("itemref") or "").split()[:10]):
            target = page.element(ref)
            if target is not None:
                included.append(target)
    value_class = any(top.css_first(".value") is not None for top in (node, *included))
    starts = [*node.iter(), *included]
    stack = list(reversed(starts))
    walked = 0
    while stack and page.left > 0 and walked < MAX_WALK:
        child = stack.pop()
        page.left -= 1
        walked += 1
        classes = _classes(child)
        if not classes:  # most elements: no root, no property
            stack.extend(reversed(list(child.iter())))
            continue
        kind, child_types = _root_kind(classes)
        names = _names(classes, version)
        if kind:
            if (
                child_types & {"h-adr", "adr"}
                and child.mem_id not in within
                and len(within) < MAX_NESTING
            ):
                card.adrs.append(_read(child, kind, child_types, page, within))
            # a nested root's own properties are not the parent's; h-org/h-card children skipped
            if "org" in names and kind == version == "v1":
                card.props.setdefault("org", []).append(_text(child, value_class))
            continue
        for name in names:
            value = (
                _url(child, value_class)
                if name in _URLISH and (version == "v1" or name == "url")
                else _text(child, value_class)
            )
            if name == "email" and version == "mf2":
                value = _url(child, value_class)
            if value:
                card.props.setdefault(name, []).append(value)
        stack.extend(reversed(list(child.iter())))
    if version == "mf2" and "name" not in card.props and types & {"h-card", "h-org"}:
        implied = _dom.text_start(node, 101)
        if implied and len(implied) <= 100 and not card.props:
            card.props["name"] = [implied]
            if node.tag == "a" and node.attributes.get("href"):
                card.props["url"] = [node.attributes.get("href") or ""]
    return card


def _names(classes: list[str], version: str) -> list[str]:
    """The properties an element's classes give, each once ("fn fn fn..." had read the
    element's text once per repeat)."""
    if version == "mf2":
        out = [c[2:] for c in classes if c[:2] in ("p-", "u-") and c[2:] in _MF2_FIELDS]
    else:
        out = [_V1_NAMES[c] for c in classes if c in _V1_NAMES]
    return list(dict.fromkeys(out))


def _address(card: Card) -> PageAddress | None:
    p = {k: v[0] for k, v in card.props.items() if v}
    lines = [p[k] for k in ("street-address", "extended-address") if p.get(k)]
    if p.get("post-office-box"):
        lines.append(box_line(p["post-office-box"]))
    if not (lines or p.get("locality") or p.get("postal-code")):
        return None
    raw = _dom.text_start(card.node, 1000)[:1000]
    kind = "po_box" if any(PO_BOX.search(line) for line in lines) else ""
    label = p.get("name", "")
    kind = kind or kind_of_label(label) or "unknown"
    return PageAddress(
        lines=delivery_lines(lines, p.get("postal-code", "")),
        city=town(p.get("locality", "")),
        region=p.get("region", ""),
        postal_code=p.get("postal-code", ""),
        country=p.get("country-name", ""),
        kind=kind,
        source="hcard",
        snippet=snippet(raw),
        raw=raw,
        label=label,
    )


@dataclass(frozen=True)
class PersonCard:
    """A person's h-card, kept only in memory for ``mentions``."""

    name: str
    job_title: str
    org: str
    snippet: str
    node: LexborNode | None = field(default=None, compare=False)
    """The card's element: where it stands on the page (a hidden or alumni section)."""


@dataclass
class Found:
    organisations: list[Organisation]
    addresses: list[PageAddress]
    people: list[PersonCard]


def _block(card: Card, *, is_org: bool) -> str:
    """Where the card stands (``_dom.block_of``): a story's (a venue's, a client's card) as
    such, else an organisation's own card, else its block on the page."""
    block = _dom.block_of(card.node)
    if is_org and (not block or block in OWN_BLOCKS):
        return "organisation"
    return block


def _address_only(types: set[str]) -> bool:
    return bool(types & {"h-adr", "adr"}) and not types & {"h-card", "vcard"}


def _held(card: Card) -> Iterator[int]:
    for adr in card.adrs:
        yield adr.node.mem_id
        yield from _held(adr)


SELECTOR: Final = ".h-card, .h-adr, .h-org, .vcard, .adr"
"""Every microformat root this module reads; ``read_page``'s and ``mentions``' gate."""


def extract(tree: LexborHTMLParser) -> Found:
    """Organisations, addresses and person cards in the page's microformats."""
    found = Found([], [], [])
    roots = [(node, *_root_kind(_classes(node))) for node in tree.css(SELECTOR)[:MAX_ROOTS]]
    page = _Page(tree)
    cards: dict[int, Card] = {}
    held: set[int] = set()  # every h-adr or adr inside a root read, however deep
    for node, version, types in roots:  # cards first: an address a card holds is the card's
        if version and not _address_only(types):
            cards[node.mem_id] = read = _read(node, version, types, page)
            held.update(_held(read))
    for node, version, types in roots:  # then addresses on their own, each read once
        if version and _address_only(types) and node.mem_id not in held:
            cards[node.mem_id] = read = _read(node, version, types, page)
            held.update(_held(read))
    for node, _, types in roots:
        card = cards.get(node.mem_id)
        if card is None or (_address_only(types) and node.mem_id in held):
            continue
        if _address_only(card.types):
            address = _address(card)
            if address is not None:
                found.addresses.append(replace(address, block=_block(card, is_org=False)))
            continue
        p = card.props
        name = (p.get("name") or [""])[0]
        orgs = p.get("org", [])
        is_org = "h-org" in card.types or (bool(name) and name in orgs) or (not name and orgs)
        block = _block(card, is_org=bool(is_org))
        addresses = tuple(
            replace(a, block=block) for a in (_address(sub) for sub in card.adrs) if a is not None
        )
        found.addresses += addresses
        snip = snippet(_dom.text_start(card.node, 1000))
        phones = tuple(Fact(t, "hcard", snippet(t)) for t in p.get("tel", []))
        emails = tuple(
            Fact(e[7:] if e.lower().startswith("mailto:") else e, "hcard", snippet(e))
            for e in p.get("email", [])
        )
        if is_org:
            for org_name in dict.fromkeys([name] if name else orgs):
                found.organisations.append(
                    Organisation(
                        org_name,
                        "hcard",
                        snip,
                        types=tuple(sorted(card.types)),
                        addresses=addresses,
                        phones=phones,
                        emails=emails,
                        url=(p.get("url") or [""])[0],
                    )
                )
        else:
            for org_name in dict.fromkeys(orgs):
                found.organisations.append(Organisation(org_name, "hcard", snippet(org_name)))
            if name:
                titles = p.get("job-title") or p.get("role") or [""]
                written = with_suffix(name, (p.get("honorific-suffix") or [""])[0])
                found.people.append(
                    PersonCard(written, titles[0], (orgs or [""])[0], snip, card.node)
                )
    return found
