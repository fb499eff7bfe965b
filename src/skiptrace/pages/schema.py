"""schema.org nodes (from JSON-LD or microdata, as dicts) to organisations, addresses, people.

Keys and ``@type`` are compared case-insensitively with any schema.org URL prefix dropped; ``@id``
references are resolved within the page; string values are stripped and entity-unescaped once
(``A&amp;B`` -> ``A&B``), the object they came from kept as ``raw``.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, replace
from typing import Any, Final

from skiptrace.normalize.names import canonical_suffix
from skiptrace.pages._model import Fact, Organisation, PageAddress, snippet, story_type, words
from skiptrace.pages.address_labels import kind_of_label
from skiptrace.pages.jsonld import (
    MAX_DEPTH,
    MAX_NODES,
    get,
    index_ids,
    resolve,
    roots,
    types_of,
    walk,
)
from skiptrace.pages.read_address import box_line, delivery_lines, read_address_text, town

ORG_TYPES: Final = frozenset(
    words(
        "organization localbusiness corporation ngo airline consortium educationalorganization "
        "governmentorganization medicalorganization newsmediaorganization performinggroup "
        "musicgroup dancegroup theatergroup sportsteam sportsorganization library project "
        "fundingscheme researchorganization workersunion politicalparty dentist physician "
        "attorney notary legalservice restaurant bakery barorpub brewery winery "
        "cafeorcoffeeshop fastfoodrestaurant foodestablishment hotel motel hostel "
        "lodgingbusiness pharmacy hospital plumber electrician locksmith roofingcontractor "
        "generalcontractor housepainter movingcompany hvacbusiness autorepair autodealer "
        "autobodyshop gasstation bank creditunion insuranceagency realestateagent travelagency "
        "accountingservice drycleaningorlaundry hairsalon beautysalon "
        "dayspa healthclub veterinarycare childcare school collegeoruniversity preschool "
        "highschool middleschool elementaryschool museum "
    )
)
ORG_SUFFIXES: Final = (
    "business", "store", "office", "organization", "establishment", "agency", "shop",
    "service", "contractor", "center", "club", "company", "firm", "practice", "clinic",
)  # fmt: skip
_LOCATION_TYPES: Final = frozenset({"place", "civicstructure", "venue", "eventvenue"})


def is_org(types: tuple[str, ...]) -> bool:
    return any(t in ORG_TYPES or t.endswith(ORG_SUFFIXES) for t in types)


def text(value: Any) -> str:
    """A scalar value as stripped text, entities unescaped once; an object's name (or
    ``@value``) and a list's first item, followed at most ``MAX_DEPTH`` levels; '' for
    anything else."""
    for _ in range(MAX_DEPTH):
        if isinstance(value, dict):
            value = get(value, "name") or get(value, "@value")
        elif isinstance(value, list) and value:
            value = value[0]
        else:
            break
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):  # json5 reads hex of any length: no decimal str for it
        return "" if isinstance(value, int) and value.bit_length() > _MAX_BITS else str(value)
    if isinstance(value, str):
        value = value.strip()
        return html.unescape(value).strip() if "&" in value else value
    return ""


def texts(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [t for t in (text(v) for v in values[:50]) if t]


RENDERED: Final = 1_000
_MAX_BITS: Final = 256


def _render(node: Any) -> str:
    """The node as JSON for evidence, its first ``RENDERED`` characters, dumped from a copy cut
    at ``MAX_DEPTH`` levels and 600 values: every value takes at least two characters, so the
    first 1,000 are the node's own. json.dumps of the whole node recursed past Python's limit
    on a deep one, and cost time quadratic in the page on an address nested in addresses."""
    left = [600]

    def cut(value: Any, depth: int) -> Any:
        left[0] -= 1
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if left[0] <= 0 or depth >= MAX_DEPTH:
                    break
                out[key] = cut(item, depth + 1)
            return out
        if isinstance(value, list):
            return (
                [cut(v, depth + 1) for v in value[: max(0, left[0])]] if depth < MAX_DEPTH else []
            )
        if isinstance(value, int) and value.bit_length() > _MAX_BITS:
            return None
        return value

    copy = cut(node, 0)
    try:
        return json.dumps(copy, ensure_ascii=False, default=str)[:RENDERED]
    except (TypeError, ValueError):
        return str(copy)[:RENDERED]


def with_suffix(name: str, suffix: str) -> str:
    """``name`` with a generational suffix given apart ("Sr.": honorificSuffix, an h-card's
    honorific-suffix) written after it, as a page would, so that a Jr.'s father is not taken
    for him; a credential (PhD, M.D.) is left out."""
    wanted = canonical_suffix(suffix.strip().lower().rstrip("."))
    if not name or wanted not in _GENERATIONAL:
        return name
    written = {canonical_suffix(word.strip("().,").lower()) for word in name.split()}
    return name if wanted in written else f"{name} {suffix.strip()}"


_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv"})
_STAFF_KEYS: Final = frozenset(
    words("employee employees founder founders member members hasmember mainentity item "
          "itemlistelement")
)  # fmt: skip
"""Keys under which a Person is the organisation's or the page's own."""


def _roles(
    everything: list[dict[str, Any]], ids: dict[str, dict[str, Any]]
) -> tuple[set[int], set[int]]:
    """The nodes held under a staff key, and those held under any other key (by ``id``)."""
    staff: set[int] = set()
    other: set[int] = set()
    for node in everything:
        page = any(kind.endswith("page") for kind in types_of(node))
        for key, value in node.items():
            bare = key.rsplit("/", 1)[-1].lower()
            # a web page "about" a Person is hers (an about or profile page), an article's not
            held = staff if bare in _STAFF_KEYS or (page and bare == "about") else other
            for item in value[:50] if isinstance(value, list) else [value]:
                target = resolve(item, ids)
                if isinstance(target, dict):
                    held.add(id(target))
    return staff, other


@dataclass(frozen=True)
class PersonNode:
    """A schema.org Person, kept only in memory for ``mentions`` to match names against."""

    name: str
    job_title: str
    works_for: str
    snippet: str
    died: bool = False
    """A ``deathDate`` is given: a memorial's Person, never anyone's staff."""
    placed: bool = True
    """The organisation's staff (an ``employee``, a ``member``, a ``founder``...), or the
    page's own Person that the data names in no other role (``alumni``, a review's
    ``author``, a Person's ``parent``, an event's ``performer``)."""


@dataclass
class Found:
    organisations: list[Organisation]
    addresses: list[PageAddress]
    people: list[PersonNode]
    site_names: list[str]


def _kind(node: dict[str, Any], parent_types: tuple[str, ...], key: str) -> tuple[str, str]:
    label = text(get(node, "contactType")) or text(get(node, "name"))
    kind = kind_of_label(label) if label else ""
    if not kind and text(get(node, "postOfficeBoxNumber")):
        kind = "po_box"
    if not kind and text(get(node, "streetAddress")).lower().replace(".", "").startswith(
        ("po box", "p o box", "post office box")
    ):
        kind = "po_box"
    if not kind and (key == "location" or any(t in _LOCATION_TYPES for t in parent_types)):
        kind = "location"
    return kind or "unknown", label


def address_of(
    value: Any, source: str, parent_types: tuple[str, ...] = (), key: str = "address"
) -> list[PageAddress]:
    """The addresses a schema.org ``address`` value holds: an object, a string or a list (of
    them: a list in a list is not an address)."""
    if isinstance(value, list):
        return [
            a
            for v in value[:20]
            if not isinstance(v, list)
            for a in address_of(v, source, parent_types, key)
        ]
    if isinstance(value, str):
        found = read_address_text(text(value))
        if found is not None:
            return [replace(found, source=source, raw=value, snippet=snippet(value))]
        street = delivery_lines([text(value)])  # a street with no town
        if not street:
            return []
        return [PageAddress(lines=street, source=source, raw=value, snippet=snippet(value))]
    if not isinstance(value, dict):
        return []
    kind, label = _kind(value, parent_types, key)
    lines = texts(get(value, "streetAddress"))
    box = text(get(value, "postOfficeBoxNumber"))
    if box:
        lines.append(box_line(box))
    country = get(value, "addressCountry")
    raw = _render(value)
    postal_code = text(get(value, "postalCode"))
    found = PageAddress(
        lines=delivery_lines(lines, postal_code),
        city=town(text(get(value, "addressLocality"))),
        region=text(get(value, "addressRegion")),
        postal_code=postal_code,
        country=text(country),
        kind=kind,
        source=source,
        snippet=snippet(raw),
        raw=raw,
        label=label,
    )
    return [found] if found.lines or found.city or found.postal_code else []


def _phones(node: dict[str, Any], source: str) -> list[Fact]:
    out = [Fact(p, source, snippet(p)) for p in texts(get(node, "telephone"))]
    address = get(node, "address")
    for a in address[:20] if isinstance(address, list) else [address]:
        if isinstance(a, dict):  # a common mistake: the phone inside the address
            out += [Fact(p, source, snippet(p)) for p in texts(get(a, "telephone"))]
    return out


def _emails(node: dict[str, Any], source: str) -> list[Fact]:
    out = []
    for e in texts(get(node, "email")):
        value = e[7:] if e.lower().startswith("mailto:") else e
        out.append(Fact(value.strip(), source, snippet(e)))
    return out


def extract(values: list[Any], source: str) -> Found:
    """Organisations, addresses and people in a page's schema.org values (JSON-LD roots or
    microdata items turned into dicts)."""
    nodes = roots(values)
    everything = list(walk(nodes))
    ids = index_ids(everything)
    found = Found([], [], [], [])
    seen_addresses: set[int] = set()
    top = {id(n) for n in nodes}
    staff, other = _roles(everything, ids)
    stories = _stories(everything)
    for node in everything:
        types = types_of(node)
        story = stories.get(id(node), "")
        for key in ("address", "location"):
            value = resolve(get(node, key), ids)
            if value is None or (key == "location" and not _is_address(value)):
                continue
            if isinstance(value, (dict, list)):
                seen_addresses.update(
                    id(v) for v in (value if isinstance(value, list) else [value])
                )
            held = address_of(value, source, types, key)
            found.addresses += (
                [replace(a, block=story) for a in held] if story else _held_by(held, types)
            )
        if "postaladdress" in types and id(node) not in seen_addresses and len(node) > 1:
            found.addresses += [replace(a, block=story) for a in address_of(node, source)]
        if "website" in types and text(get(node, "name")):
            found.site_names.append(text(get(node, "name")))
        if "person" in types:
            name = with_suffix(text(get(node, "name")), text(get(node, "honorificSuffix")))
            if name:
                found.people.append(
                    PersonNode(
                        name,
                        text(get(node, "jobTitle")),
                        _works_for(get(node, "worksFor"), ids),
                        snippet(_render(node)),
                        died=bool(text(get(node, "deathDate"))),
                        placed=id(node) in staff or (id(node) in top and id(node) not in other),
                    )
                )
        elif is_org(types) or ("place" in types and id(node) in top):  # a page about a place
            found.organisations.append(_organisation(node, types, source, ids))
    return found


def _works_for(value: Any, ids: dict[str, dict[str, Any]]) -> str:
    """The name of the first organisation a Person's ``worksFor`` gives; a Person there (her
    boss, for an assistant) is no organisation, and no one else's name is kept."""
    for item in (value if isinstance(value, list) else [value])[:20]:
        found = resolve(item, ids)
        if isinstance(found, dict) and "person" in types_of(found):
            continue
        if name := text(found):
            return name
    return ""


def _stories(everything: list[dict[str, Any]]) -> dict[int, str]:
    """The nodes (by ``id``) inside a story, an Event's or a JobPosting's... (``STORY_TYPES``),
    with its type: the venue's or the job's Place. Each node is walked at most once, and at
    most ``MAX_NODES`` in all."""
    inside: dict[int, str] = {}
    left = MAX_NODES
    for node in everything:
        story = next((kind for t in types_of(node) if (kind := story_type(t))), "")
        if not story or id(node) in inside:
            continue
        for held in walk([node]):
            left -= 1
            if left < 0:
                return inside
            inside.setdefault(id(held), story)
    return inside


def _held_by(addresses: list[PageAddress], types: tuple[str, ...]) -> list[PageAddress]:
    """``addresses`` as an organisation's own (block ``organisation``) when the node holding
    them is one."""
    return [replace(a, block="organisation") for a in addresses] if is_org(types) else addresses


def _is_address(value: Any) -> bool:
    if isinstance(value, list):
        return any(_is_address(v) for v in value if not isinstance(v, list))
    return isinstance(value, dict) and (
        "postaladdress" in types_of(value) or get(value, "streetAddress") is not None
    )


def _organisation(
    node: dict[str, Any], types: tuple[str, ...], source: str, ids: dict[str, dict[str, Any]]
) -> Organisation:
    addresses = _held_by(address_of(resolve(get(node, "address"), ids), source, types), types)
    phones, emails = _phones(node, source), _emails(node, source)
    contact = get(node, "contactPoint")
    for point in contact[:20] if isinstance(contact, list) else [contact]:
        point = resolve(point, ids)
        if isinstance(point, dict):
            phones += _phones(point, source)
            emails += _emails(point, source)
    name, legal = text(get(node, "name")), texts(get(node, "legalName"))
    url = get(node, "url")
    return Organisation(  # Squarespace's Organization gives its legalName and no name
        name=name or next(iter(legal), ""),
        source=source,
        snippet=snippet(_render(node)),
        types=types,
        addresses=tuple(addresses),
        phones=tuple(dict.fromkeys(phones)),
        emails=tuple(dict.fromkeys(emails)),
        url=text(url),
        legal=not name and bool(legal),
    )
