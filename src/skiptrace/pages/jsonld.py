"""A tolerant loader for ``<script type="application/ld+json">`` text, and the node walk.

Each script is loaded on its own, so one broken script never loses the others. ``json.loads``
(``strict=False`` for raw control characters) first; on failure the wrappers real sites ship are
removed (a leading HTML comment, ``<!--``/``-->``, ``//<![CDATA[``/``//]]>``, a trailing ``;``,
JavaScript ``//`` comments, entity-encoded JSON however spaced) and ``json5`` gets the rest
(trailing commas, single quotes, comments). Nothing is expanded against a remote ``@context``.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Final

import json5

from skiptrace.pages._model import snippet

MAX_SCRIPT: Final = 512_000
"""A script longer than this (characters) is not loaded: recorded as a problem instead."""
MAX_JSON5: Final = 50_000
"""json5 is pure Python (about 1 s per 100 KB): it reads at most this many characters a page."""
_JSON5_CALL: Final = 1_000
"""What one json5 call is charged at the least: 36,000 one-character scripts had taken 4 s."""
MAX_NODES: Final = 5_000
"""At most this many objects are walked per page."""
MAX_DEPTH: Final = 40
MAX_KEYS: Final = 200
MAX_TYPES: Final = 20

_LEADING_COMMENT: Final = re.compile(r"^\s*<!--.*?-->", re.S)
_WRAPPERS: Final = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$|<!--|-->")
_JS_LINE_COMMENT: Final = re.compile(r"^[ \t]*//[^\n]*$", re.M)  # \s* went line after line
_JS_TAIL_COMMENT: Final = re.compile(r"(?<=[,{\[])[ \t]*//[^\n]*$", re.M)
_TRAILING_COMMA: Final = re.compile(r",(\s*[}\]])")
_ENCODED_QUOTE: Final = re.compile(r"&(?:quot|#0*34|#x0*22);", re.I)
_SCHEMA_PREFIX: Final = re.compile(r"^https?://(?:www\.)?schema\.org/", re.I)


class Malformed(ValueError):
    """The script could not be read as JSON even after the repairs."""


_DECODER: Final = json.JSONDecoder(strict=False)
"""``json.loads(text, strict=False)`` builds one per call: 36,000 one-brace scripts, three
attempts each, had spent a third of their 1 s in making decoders."""


def _attempt(text: str) -> Any:
    try:
        return _DECODER.decode(text)
    except (ValueError, RecursionError):
        return _Fail


class _Fail:
    pass


def load(text: str, json5_left: list[int] | None = None) -> Any:
    """The JSON value in a script's text, repaired if needed; raises ``Malformed``.
    ``json5_left``: the characters json5 may still read on this page, taken from."""
    left = json5_left if json5_left is not None else [MAX_JSON5]
    if len(text) > MAX_SCRIPT:
        raise Malformed(f"script of {len(text)} characters, over {MAX_SCRIPT}")
    value = _attempt(text)
    if value is not _Fail:
        return value
    slow: list[str] = []
    for candidate in dict.fromkeys((text, _LEADING_COMMENT.sub("", text))):
        fixed = _WRAPPERS.sub("", candidate).strip()
        if '"' not in fixed and _ENCODED_QUOTE.search(fixed):  # however it is spaced or spelt
            fixed = html.unescape(fixed)
        fixed = fixed.rstrip(";").strip()
        value = _attempt(fixed)
        if value is not _Fail:
            return value
        fixed = _JS_LINE_COMMENT.sub("", fixed)
        value = _attempt(_TRAILING_COMMA.sub(r"\1", _JS_TAIL_COMMENT.sub("", fixed)))
        if value is not _Fail:  # the usual comments and trailing commas, without json5's cost
            return value
        slow.append(fixed)
    # json5 (pure Python, ~100x json) only once both candidates failed the C loader
    for fixed in slow:
        cost = max(len(fixed), _JSON5_CALL)  # a call costs ~50 us however short the script
        if cost <= left[0] and fixed.count("[") + fixed.count("{") < 5_000:
            left[0] -= cost
            try:
                return json5.loads(fixed)
            except (ValueError, RecursionError, TypeError, IndexError, KeyError):
                pass
    raise Malformed("not JSON, even after the usual repairs")


def load_all(scripts: list[str], problems: list[str]) -> list[Any]:
    """Every script's value, each loaded on its own; a broken one becomes a problem."""
    values: list[Any] = []
    json5_left = [MAX_JSON5]  # for the page: five scripts of 96 KB had taken 5 s
    for text in scripts:
        try:
            values.append(load(text, json5_left))
        except Malformed as error:
            problems.append(f"malformed_jsonld: {error}: {snippet(text)}")
    return values


@lru_cache(maxsize=8192)
def bare_type(value: str) -> str:
    """A ``@type`` without its schema.org URL prefix, lower case: ``http://schema.org/Place`` ->
    ``place``."""
    return _SCHEMA_PREFIX.sub("", value.strip()).lower()


def types_of(node: dict[str, Any]) -> tuple[str, ...]:
    """A node's types, bare and lower case; ``()`` when it has none."""
    raw = get(node, "@type")
    values = raw[:MAX_TYPES] if isinstance(raw, list) else [raw]
    return tuple(bare_type(v) for v in values if isinstance(v, str) and v.strip())


def get(node: dict[str, Any], key: str) -> Any:
    """``node[key]`` compared case-insensitively and without a schema.org URL prefix (among
    the first ``MAX_KEYS`` keys: one node referred to by @id from hundreds of places is asked
    again from each)."""
    if key in node:
        return node[key]
    wanted = key.lower()
    for k, v in itertools.islice(node.items(), MAX_KEYS):
        if isinstance(k, str) and bare_type(k) == wanted:
            return v
    return None


def roots(values: list[Any]) -> list[dict[str, Any]]:
    """The page's top-level nodes: lists opened, ``@graph`` flattened, null/false roots dropped."""
    out: list[dict[str, Any]] = []
    stack = list(reversed(values))
    while stack and len(out) < MAX_NODES:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict):
            graph = get(value, "@graph")
            if isinstance(graph, (list, dict)):
                stack.append(graph)
                rest = {k: v for k, v in value.items() if k not in ("@graph", "@context")}
                if types_of(rest):
                    out.append(rest)
            else:
                out.append(value)
    return out


def index_ids(everything: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every node (of ``walk``'s) with an ``@id`` and more than that id, by id."""
    found: dict[str, dict[str, Any]] = {}
    for node in everything:
        ident = node.get("@id")
        if isinstance(ident, str) and len(node) > 1 and ident not in found:
            found[ident] = node
    return found


def resolve(value: Any, ids: dict[str, dict[str, Any]]) -> Any:
    """``{"@id": "#org"}`` replaced by the node the page defines with that id."""
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("@id"), str):
        return ids.get(value["@id"], value)
    return value


def walk(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every object under ``nodes`` (depth-first, bounded by ``MAX_NODES`` and ``MAX_DEPTH``).
    Only objects and lists are stacked: scalars, most of a page's values, are never visited."""
    stack: list[tuple[Any, int]] = [(n, 0) for n in reversed(nodes)]
    seen = 0
    while stack and seen < MAX_NODES:
        value, depth = stack.pop()
        if isinstance(value, dict):
            seen += 1
            yield value
            children = value.values()
        else:
            children = value
        if depth < MAX_DEPTH:
            stack.extend(
                (v, depth + 1) for v in reversed(list(children)) if isinstance(v, (dict, list))
            )
