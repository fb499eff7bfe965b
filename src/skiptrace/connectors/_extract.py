"""Field extraction for declarative connectors: JMESPath for JSON, CSS for HTML.

Two small, well-known selector languages (JMESPath; CSS via selectolax's lexbor engine)
instead of an invented one. A field spec is a
JMESPath expression (JSON) or a CSS selector, optionally ending in ``@attribute`` (HTML);
``@attribute`` alone reads the record element itself. Whatever a spec finds is turned into
text: lists are joined with spaces, empty values dropped, whitespace folded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any, Protocol

import jmespath
from jmespath.exceptions import JMESPathError
from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from skiptrace.errors import SpecError
from skiptrace.pages import decode
from skiptrace.records import Address
from skiptrace.safe_text import plain_text

ADDRESS_PARTS = ("lines", "city", "region", "postal_code", "country")


class Extractor(Protocol):
    """Finds records in a body and values in a record."""

    def page(self, body: bytes, content_type: str) -> tuple[str, list[Any]]:
        """The source's own error message in ``body`` (or ""), and the records in it;
        ValueError for a body that is not the kind of answer the manifest reads."""
        ...

    def check(self, spec: str) -> None:
        """SpecError if ``spec`` cannot be read (at load, not in every search)."""
        ...

    def value(self, record: Any, spec: str) -> str: ...

    def lines(self, record: Any, spec: str) -> tuple[str, ...]: ...

    def scope(self, record: Any, spec: str) -> Any: ...


def text_of(value: Any) -> str:
    """A found value as one line of text, as ``plain_text`` makes it (a lone surrogate as
    U+FFFD, no invisible format character)."""
    if value is None or value is False:
        return ""
    if isinstance(value, list):
        return " ".join(t for t in (text_of(v) for v in value) if t)
    if isinstance(value, dict):
        return ""
    return plain_text(str(value))


@dataclass
class JsonExtractor:
    """JMESPath over a JSON body. ``error`` names a value that, if present, is the source's
    own error message (some APIs answer errors with HTTP 200)."""

    records_spec: str
    error_spec: str = ""

    def __post_init__(self) -> None:
        self._compiled: dict[str, Any] = {}
        for spec in (self.records_spec, self.error_spec):
            if spec:
                self._compile(spec)

    def _compile(self, spec: str) -> Any:
        if spec not in self._compiled:
            try:
                self._compiled[spec] = jmespath.compile(spec)
            except JMESPathError as exc:  # its message draws the expression on more lines
                said = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise SpecError(f"bad JMESPath {spec!r}: {said}") from None
            except RecursionError:  # jmespath's parser recurses once a bracket
                raise SpecError(f"JMESPath nested too deeply ({len(spec):,} characters)") from None
        return self._compiled[spec]

    def check(self, spec: str) -> None:
        self._compile(spec)

    def page(self, body: bytes, content_type: str) -> tuple[str, list[Any]]:
        document = json.loads(body)
        error = text_of(self._compile(self.error_spec).search(document)) if self.error_spec else ""
        found = self._compile(self.records_spec).search(document)
        if error:
            return error, []
        if not isinstance(found, list | dict):  # {"people": "temporarily unavailable"}, or none
            raise ValueError(f"no list or record at {self.records_spec!r}")
        items = found if isinstance(found, list) else [found]
        records = [item for item in items if isinstance(item, dict)]
        if items and not records:  # {"people": ["Service unavailable"]}: no empty list
            said = "1 item" if len(items) == 1 else f"{len(items)} items"
            raise ValueError(f"{said} at {self.records_spec!r}, none of them a record")
        return "", records

    def value(self, record: Any, spec: str) -> str:
        return text_of(self._compile(spec).search(record))

    def lines(self, record: Any, spec: str) -> tuple[str, ...]:
        found = self._compile(spec).search(record)
        items = found if isinstance(found, list) else [found]
        return tuple(t for t in (text_of(item) for item in items) if t)

    def scope(self, record: Any, spec: str) -> Any:
        return self._compile(spec).search(record)


@dataclass
class HtmlExtractor:
    """CSS selectors (selectolax) over an HTML body. ``expect_spec``: what every answer page
    of the source has, records or none; a page without it (a maintenance or sign-in page
    served with HTTP 200) is not an answer, and never "no result"."""

    records_spec: str
    expect_spec: str = ""

    def __post_init__(self) -> None:
        _css(self.records_spec)  # the records' selector whole: "@" is a field's alone
        if self.expect_spec:
            _css(self.expect_spec)

    def check(self, spec: str) -> None:
        selector = spec.partition("@")[0].strip()
        if selector:
            _css(selector)

    def page(self, body: bytes, content_type: str) -> tuple[str, list[Any]]:
        """The records; a page whose records nest inside one another (an element left open)
        is not read: each record's fields would be looked up in the records inside it, and
        the first person given the next one's employer."""
        if not body.strip():
            raise ValueError("an empty page")
        if "json" in content_type.lower() or _json_body(body):
            raise ValueError("a JSON answer, not a page")
        tree = LexborHTMLParser(_text(body, content_type))
        if self.expect_spec and tree.css_first(self.expect_spec) is None:
            raise ValueError(f"not an answer page (no {self.expect_spec})")
        if tree.css_first(f":is({self.records_spec}) :is({self.records_spec})") is not None:
            raise ValueError(f"its records ({self.records_spec}) nest inside one another")
        return "", list(tree.css(self.records_spec))

    def _nodes(self, record: LexborNode, spec: str) -> tuple[list[LexborNode], str]:
        selector, _, attribute = spec.partition("@")
        nodes = record.css(selector.strip()) if selector.strip() else [record]
        return nodes, attribute.strip()

    def value(self, record: Any, spec: str) -> str:
        nodes, attribute = self._nodes(record, spec)
        if not nodes:
            return ""
        node = nodes[0]
        return text_of(node.attributes.get(attribute) if attribute else node.text(separator=" "))

    def lines(self, record: Any, spec: str) -> tuple[str, ...]:
        nodes, attribute = self._nodes(record, spec)
        found = [n.attributes.get(attribute) if attribute else n.text(separator=" ") for n in nodes]
        return tuple(t for t in (text_of(v) for v in found) if t)

    def scope(self, record: Any, spec: str) -> Any:
        nodes = record.css(spec)
        return nodes[0] if nodes else None


def _json_body(body: bytes) -> bool:
    """Whether a body labelled as a page (or not labelled) is a JSON object or array: an API's
    error answer, whatever its Content-Type says, is not a page without records."""
    if body.lstrip()[:1] not in (b"{", b"["):
        return False
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def _css(selector: str) -> None:
    try:
        LexborHTMLParser("<p></p>").css(selector)
    except SelectolaxError:
        raise SpecError(f"bad CSS selector {selector!r}") from None


def _text(body: bytes, content_type: str) -> str:
    """The page as text: in the charset its Content-Type names, else the one it declares
    itself, else UTF-8."""
    header = Message()
    header["content-type"] = content_type
    return decode(body, header.get_content_charset() or "")


def address(extractor: Extractor, record: Any, parts: Mapping[str, str]) -> Address:
    """An Address from ``parts`` specs (``from`` narrows the record first)."""
    scope = extractor.scope(record, parts["from"]) if parts.get("from") else record
    if scope is None:
        return Address()
    return Address(
        lines=extractor.lines(scope, parts["lines"]) if parts.get("lines") else (),
        **{
            name: extractor.value(scope, parts[name]) if parts.get(name) else ""
            for name in ADDRESS_PARTS[1:]
        },
    )
