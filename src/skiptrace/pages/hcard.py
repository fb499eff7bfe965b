"""A small microformats reader for h-card, h-org and h-adr, and their classic (v1) forms vcard and
adr. Not mf2py: that library fetches URLs with requests when given one, outside the guard.

Class names are case-sensitive. An mf2 root reads mf2 properties (``p-street-address``); a v1 root
reads v1 ones (``street-address``), so an mf2 property inside a v1 ``adr`` is ignored, as the
microformats2 parsing rules say. A vcard's ``itemref`` includes the elements it names (the include
pattern).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from skiptrace.pages._model import Fact, Organisation, PageAddress, snippet
from skiptrace.pages.schema import with_suffix
from skiptrace.pages.text_addresses import PO_BOX, kind_of_label

MAX_ROOTS: Final = 500
MAX_WALK: Final = 5_000

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
_URLISH: Final = frozenset({"url", "email"})


def _classes(node: LexborNode) -> list[str]:
    return (node.attributes.get("class") or "").split()


def _root_kind(classes: list[str]) -> tuple[str, set[str]]:
    mf2 = {c for c in classes if c in MF2_ROOTS}
    if mf2:
        return "mf2", mf2
    v1 = {c for c in classes if c in V1_ROOTS}
    return ("v1", v1) if v1 else ("", set())


def _text(node: LexborNode) -> str:
    values = [v for v in node.css(".value")[:20]] if node.css_first(".value") else []
    if values:
        return " ".join(" ".join(v.text(separator=" ").split()) for v in values)
    tag = node.tag or ""
    if tag == "abbr" and node.attributes.get("title"):
        return (node.attributes.get("title") or "").strip()
    if tag in ("img", "area") and node.attributes.get("alt"):
        return (node.attributes.get("alt") or "").strip()
    return " ".join(node.text(separator=" ").split())


def _url(node: LexborNode) -> str:
    for attr in ("href", "src", "data", "value"):
        value = node.attributes.get(attr)
        if value:
            return value.strip()
    return _text(node)


@dataclass
class Card:
    """One microformat root: its kind (mf2 or v1), types and the properties read from it."""

    version: str
    types: set[str]
    node: LexborNode
    props: dict[str, list[str]] = field(default_factory=dict)
    adrs: list[Card] = field(default_factory=list)
    nested: bool = False


def _read(node: LexborNode, version: str, types: set[str], tree: LexborHTMLParser) -> Card:
    card = Card(version, types, node)
    starts: list[LexborNode] = list(node.iter())
    if version == "v1":
        for ref in (node.attributes.get("itemref") or "").split()[:10]:
            target = tree.css_first(f"[id='{ref}']") if ref.replace("-", "").isalnum() else None
            if target is not None:
                starts.append(target)
    stack = list(reversed(starts))
    walked = 0
    while stack and walked < MAX_WALK:
        child = stack.pop()
        walked += 1
        classes = _classes(child)
        kind, child_types = _root_kind(classes)
        names = _names(classes, version)
        if kind:
            if child_types & {"h-adr", "adr"}:
                sub = _read(child, kind, child_types, tree)
                sub.nested = True
                card.adrs.append(sub)
            # a nested root's own properties are not the parent's; h-org/h-card children skipped
            if "org" in names and kind == version == "v1":
                card.props.setdefault("org", []).append(_text(child))
            continue
        for name in names:
            value = (
                _url(child)
                if name in _URLISH and (version == "v1" or name == "url")
                else _text(child)
            )
            if name == "email" and version == "mf2":
                value = _url(child)
            if value:
                card.props.setdefault(name, []).append(value)
        stack.extend(reversed(list(child.iter())))
    if version == "mf2" and "name" not in card.props and types & {"h-card", "h-org"}:
        implied = " ".join(node.text(separator=" ").split())
        if implied and len(implied) <= 100 and not card.props:
            card.props["name"] = [implied]
            if node.tag == "a" and node.attributes.get("href"):
                card.props["url"] = [node.attributes.get("href") or ""]
    return card


def _names(classes: list[str], version: str) -> list[str]:
    if version == "mf2":
        out = []
        for c in classes:
            if c[:2] in ("p-", "u-") and c[2:] in (*_ADR_FIELDS, *_CARD_FIELDS):
                out.append(c[2:])
        return out
    return [_V1_NAMES[c] for c in classes if c in _V1_NAMES]


def _address(card: Card) -> PageAddress | None:
    p = {k: v[0] for k, v in card.props.items() if v}
    lines = [p[k] for k in ("street-address", "extended-address", "post-office-box") if p.get(k)]
    if not (lines or p.get("locality") or p.get("postal-code")):
        return None
    raw = " ".join(card.node.text(separator=" ").split())[:1000]
    kind = "po_box" if any(PO_BOX.search(line) for line in lines) else ""
    label = p.get("name", "")
    kind = kind or kind_of_label(label) or "unknown"
    return PageAddress(
        lines=tuple(lines),
        city=p.get("locality", ""),
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


@dataclass
class Found:
    organisations: list[Organisation]
    addresses: list[PageAddress]
    people: list[PersonCard]


SELECTOR: Final = ".h-card, .h-adr, .h-org, .vcard, .adr"
"""Every microformat root this module reads; ``read_page``'s gate."""
_MARKUP: Final = re.compile(r"""class\s*=\s*["']?[^"'>]*\b(?:h-card|h-adr|h-org|vcard|adr)\b""")


def has_markup(text: str) -> bool:
    """The cheap scan: could the page carry any microformat root?"""
    if not any(word in text for word in ("h-card", "h-adr", "h-org", "vcard", "adr")):
        return False
    return _MARKUP.search(text) is not None


def extract(tree: LexborHTMLParser) -> Found:
    """Organisations, addresses and person cards in the page's microformats."""
    found = Found([], [], [])
    seen_adr: set[int] = set()
    cards: list[Card] = []
    for node in tree.css(SELECTOR)[:MAX_ROOTS]:
        version, types = _root_kind(_classes(node))
        if not version:
            continue
        card = _read(node, version, types, tree)
        cards.append(card)
        for adr in card.adrs:
            seen_adr.add(adr.node.mem_id)
    for card in cards:
        if card.types & {"h-adr", "adr"} and not card.types & {"h-card", "vcard"}:
            address = None if card.node.mem_id in seen_adr else _address(card)
            if address is not None:
                found.addresses.append(address)
            continue
        addresses = tuple(a for a in (_address(sub) for sub in card.adrs) if a is not None)
        found.addresses += addresses
        p = card.props
        name = (p.get("name") or [""])[0]
        orgs = p.get("org", [])
        is_org = "h-org" in card.types or (bool(name) and name in orgs) or (not name and orgs)
        snip = snippet(" ".join(card.node.text(separator=" ").split()))
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
                        tuple(sorted(card.types)),
                        (),
                        addresses,
                        phones,
                        emails,
                        (p.get("url") or [""])[0],
                    )
                )
        else:
            for org_name in dict.fromkeys(orgs):
                found.organisations.append(Organisation(org_name, "hcard", snippet(org_name)))
            if name:
                titles = p.get("job-title") or p.get("role") or [""]
                written = with_suffix(name, (p.get("honorific-suffix") or [""])[0])
                found.people.append(PersonCard(written, titles[0], (orgs or [""])[0], snip))
    return found
