"""A page's head facts: its first title, the ``og:site_name`` metas and the text of each
JSON-LD script, as ``read_page`` and ``mentions`` both read them."""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser


@dataclass
class Head:
    """The first title, the ``og:site_name`` values (in page order), each JSON-LD script's text."""

    title: str = ""
    site_names: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)


def from_tree(tree: LexborHTMLParser) -> Head:
    """The head facts of a parsed page (a script's ``type`` in any case, parameters after
    ``;`` ignored)."""
    title = tree.css_first("title")
    head = Head(title=" ".join((title.text() if title is not None else "").split())[:300])
    for node in tree.css("meta[property], meta[name], script[type]"):
        attrs = node.attributes
        if node.tag == "script":
            kind = (attrs.get("type") or "").split(";")[0].strip().lower()
            if kind == "application/ld+json":
                head.scripts.append(node.text(deep=True) or "")
            continue
        prop = attrs.get("property") or attrs.get("name") or ""
        content = attrs.get("content")
        if prop.lower() == "og:site_name" and content and content.split():
            head.site_names.append(" ".join(content.split()))
    return head
