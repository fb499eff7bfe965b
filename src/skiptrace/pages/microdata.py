"""schema.org microdata (``itemscope``/``itemtype``/``itemprop``) read into JSON-LD-shaped dicts,
so that ``schema.extract`` treats both the same."""

from __future__ import annotations

from typing import Any, Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

MAX_ITEMS: Final = 2_000
MAX_PROPS: Final = 10_000
MAX_CLIMB: Final = 200
MAX_NAMES: Final = 20
"""Property names read from one itemprop."""

_URL_ATTRS: Final = {"a": "href", "link": "href", "area": "href", "img": "src", "audio": "src",
                     "video": "src", "source": "src", "iframe": "src", "embed": "src",
                     "object": "data"}  # fmt: skip


def _value(node: LexborNode) -> str:
    attrs = node.attributes
    tag = node.tag or ""
    if tag == "meta":
        return attrs.get("content") or ""
    if tag in _URL_ATTRS:
        return attrs.get(_URL_ATTRS[tag]) or ""
    if tag in ("data", "meter"):
        return attrs.get("value") or ""
    if tag == "time" and attrs.get("datetime"):
        return attrs.get("datetime") or ""
    return " ".join(node.text(separator=" ").split())


def _owner(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    for _ in range(MAX_CLIMB):
        if parent is None:
            return None
        if "itemscope" in parent.attributes:
            return parent
        parent = parent.parent
    return None


def items(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    """The page's top-level microdata items, each ``{"@type": ..., prop: value or [values]}``."""
    scopes = tree.css("[itemscope]")[:MAX_ITEMS]
    made: dict[int, dict[str, Any]] = {}
    for node in scopes:
        kinds = (node.attributes.get("itemtype") or "").split()
        item: dict[str, Any] = {"@type": kinds if len(kinds) > 1 else (kinds[0] if kinds else "")}
        made[node.mem_id] = item
    for prop in tree.css("[itemprop]")[:MAX_PROPS]:
        owner = _owner(prop)
        if owner is None or owner.mem_id not in made:
            continue
        value: Any = made.get(prop.mem_id) if "itemscope" in prop.attributes else _value(prop)
        if value is None:
            continue
        target = made[owner.mem_id]
        for name in dict.fromkeys((prop.attributes.get("itemprop") or "").split()[:MAX_NAMES]):
            if name not in target:
                target[name] = value
            elif isinstance(target[name], list):
                target[name].append(value)  # in place: a copy per value was quadratic
            else:
                target[name] = [target[name], value]
    return [made[n.mem_id] for n in scopes if "itemprop" not in n.attributes]
