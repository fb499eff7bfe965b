"""The messages between a sandboxed connector's process and skiptrace: JSON, one per line.

worker -> parent: ``ready`` | ``broken`` (why) once loaded; ``get`` (id, search, url, params);
``site`` (id, search, url, how); ``decline`` (id, search, url, rule); ``short`` (search, reason)
and ``unread`` (search, reason), answered by nothing; ``done`` (id, records) | ``failed`` (id,
error) per search.
parent -> worker: ``search`` (id, query, search_api, offered_sites); ``page`` (id, page) per
get, ``site`` (id, url) per site, ``declined`` (id) per decline, or ``error`` (id, error) for
any of them.
An error keeps its kind: ``refused`` (rule, url, detail) is one URL refused, which a connector
may catch and go on, as is ``debtor_value`` (message): one URL never sent for the debtor value
in its path.

The parent trusts nothing that comes back: every field is checked for type and size as it is
read (``records_from``), and a record's provenance is the parent's to vouch for. Every text it
takes in is ``plain_text``, as a connector searching in this process has its records
(``within_bounds``): one line, as a manifest's and the offline index's values are (a line
break in a value is a new line to anyone reading an output as text), a lone surrogate (JSON
allows ``"\\ud800"``), which no output file could hold, as U+FFFD, and no invisible format
character, which the matcher reads past and a cell would show as nothing.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from skiptrace.errors import (
    ConnectorError,
    DebtorValueInURL,
    NoResult,
    Refused,
    SourceError,
    SourceTimeout,
    SourceUnavailable,
)
from skiptrace.records import (
    MAX_ADDRESS_LINES,
    RECORD_FIELDS,
    Address,
    Fetched,
    Provenance,
    Query,
    SourceRecord,
)
from skiptrace.safe_text import plain_text

MAX_LINE = 64 << 20
"""The longest message: a page (base64) of the largest response the policy allows, and more."""
MAX_VALUES = 1 << 20
"""Values (objects, lists, texts, numbers...) in what one worker sends: reading one line of
64 MiB of empty lists (22 million) held this process's loop 14 s and 1.7 GB of its memory. A
search's records and asks hold some 60,000."""
MAX_RECORDS = 1000
"""Records one search may return."""
MAX_TEXT = 64 << 10
"""Characters in one field of a record."""
_ADDRESS_FIELDS = ("mailing_address", "employer_address")
MAX_SEARCH_TEXT = 4 << 20
"""Characters in all of one search's records. Every person record is written whole to the
evidence file: 1,000 records of 64 KiB fields (a worker's 64 MiB line) were 64 MB of evidence
for one row, each row of a file alike, where a real search's records hold a few hundred KB."""
_TEXTS = len(RECORD_FIELDS) - len(_ADDRESS_FIELDS) + len(_ADDRESS_FIELDS) * (MAX_ADDRESS_LINES + 4)
"""Texts one record holds at most: each field, and each line and part of an address."""


def dump(message: Mapping[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=True, separators=(",", ":")) + "\n"


def values_in(line: bytes) -> int:
    """At most how many values ``line`` holds as JSON, counted in one pass of its bytes a mark,
    never built: each value but the first follows a comma, a colon or an opening bracket (one
    in a text is counted too: an upper bound)."""
    return 1 + sum(line.count(mark) for mark in (b",", b":", b"[", b"{"))


def load(line: bytes) -> dict[str, Any]:
    if len(line) >= MAX_VALUES and values_in(line) > MAX_VALUES:
        raise ConnectorError(f"a message of more than {MAX_VALUES:,} values")
    message = json.loads(line)
    if not isinstance(message, dict) or not isinstance(message.get("op"), str):
        raise ConnectorError("a message from the connector's process is not an object with an op")
    return message


def query_to(query: Query) -> dict[str, Any]:
    return {"values": dict(query.values), "debtor_ref": query.debtor_ref}


def query_from(message: Mapping[str, Any]) -> Query:
    query = message["query"]
    return Query(values=dict(query["values"]), debtor_ref=str(query["debtor_ref"]))


def texts_from(value: Any) -> tuple[str, ...]:
    """A list of texts from the parent (the offered sites); anything else is none."""
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def reason_from(message: Mapping[str, Any]) -> str:
    """Why a search fell short, or what it left unread, as a ``short`` or ``unread`` message
    says: text of at most ``MAX_TEXT`` characters (the worker cuts it to that before
    sending)."""
    return _text(message.get("reason"))


def fetched_to(page: Fetched) -> dict[str, Any]:
    return {
        "url": page.url, "status": page.status, "headers": dict(page.headers),
        "content": base64.b64encode(page.content).decode("ascii"),
        "fetched_at": page.fetched_at, "from_cache": page.from_cache,
    }  # fmt: skip


def fetched_from(page: Mapping[str, Any]) -> Fetched:
    return Fetched(
        url=str(page["url"]), status=int(page["status"]), headers=dict(page["headers"]),
        content=base64.b64decode(page["content"]), fetched_at=str(page["fetched_at"]),
        from_cache=bool(page["from_cache"]),
    )  # fmt: skip


def error_to(error: BaseException) -> dict[str, Any]:
    """An error as the other side re-raises it: the SDK's own kinds keep their kind, and their
    words their first ``MAX_TEXT`` characters, all the other side reads (a server's whole
    message in a connector's error was a field over it: an honest worker's bad message)."""
    if isinstance(error, SourceUnavailable):
        return {"kind": "unavailable", "status": error.status, "detail": _cut(error.detail),
                "connector": error.connector}  # fmt: skip
    if isinstance(error, SourceTimeout):
        return {"kind": "timeout", "message": _cut(str(error))}
    if isinstance(error, SourceError):
        return {"kind": "source", "message": _cut(str(error))}
    if isinstance(error, NoResult):
        return {"kind": "no_result", "message": _cut(str(error))}
    if isinstance(error, Refused):
        return {"kind": "refused", "rule": error.rule, "url": error.url,
                "detail": _cut(error.detail)}  # fmt: skip
    if isinstance(error, DebtorValueInURL):
        return {"kind": "debtor_value", "message": _cut(str(error))}
    if isinstance(error, ConnectorError):  # the session's own rule, as it said it
        return {"kind": "other", "message": _cut(str(error))}
    return {"kind": "other", "message": _cut(f"{type(error).__name__}: {error}")}


def _cut(text: str) -> str:
    return text[:MAX_TEXT]


def error_from(error: Mapping[str, Any]) -> Exception:
    kind = error.get("kind")
    if kind == "unavailable":
        return SourceUnavailable(_text(error.get("connector")), _text(error.get("status")),
                                 _text(error.get("detail")))  # fmt: skip
    if kind == "timeout":
        return SourceTimeout(_text(error.get("message")))
    if kind == "source":
        return SourceError(_text(error.get("message")))
    if kind == "no_result":
        return NoResult(_text(error.get("message")))
    if kind == "refused":
        return Refused(_text(error.get("rule")), _text(error.get("url")),
                       _text(error.get("detail")))  # fmt: skip
    if kind == "debtor_value":
        return DebtorValueInURL(_text(error.get("message")))
    return ConnectorError(_text(error.get("message")))


def record_to(record: SourceRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = getattr(record, name)
        fields[name] = (
            [list(value.lines), value.city, value.region, value.postal_code, value.country]
            if isinstance(value, Address)
            else value
        )
    fields["source_url"] = record.provenance.source_url
    return fields


def records_from(records: Any, provenance: Mapping[str, Provenance]) -> list[SourceRecord]:
    """Records as the worker sent them, checked field by field. A record's provenance must be
    a page this search really fetched (``provenance`` maps its URLs): the connector cannot
    claim a source it never read."""
    if not isinstance(records, list) or len(records) > MAX_RECORDS:
        raise ConnectorError(f"a search returns a list of at most {MAX_RECORDS} records")
    checked = []
    for record in records:
        if not isinstance(record, dict):
            raise ConnectorError("a record is an object")
        where = provenance.get(_text(record.get("source_url")))
        if where is None:
            raise ConnectorError("a record names a source URL its search did not fetch")
        values: dict[str, Any] = {}
        for name in RECORD_FIELDS:
            raw = record.get(name, "")
            values[name] = _address(raw) if name in _ADDRESS_FIELDS else _text(raw)
        checked.append(SourceRecord(where, **values))
    return checked


def _address(raw: Any) -> Address:
    if raw in ("", None):
        return Address()
    if not isinstance(raw, list) or len(raw) != 5 or not isinstance(raw[0], list):
        raise ConnectorError("an address is [lines, city, region, postal_code, country]")
    lines = tuple(_text(line) for line in raw[0][:MAX_ADDRESS_LINES])
    return Address(lines, _text(raw[1]), _text(raw[2]), _text(raw[3]), _text(raw[4]))


def within_bounds(records: Sequence[SourceRecord], *, cut: bool = False) -> list[SourceRecord]:
    """``records`` held to the bounds ``records_from`` holds a worker's to, for a connector
    that searched in this process: one rule, wherever it ran. ``cut``: a field over the bound
    is cut to it, not the search's error (the offline index's, whose bulk rows may be garbled:
    an error there would fail every lookup of the name, for good), to as little as keeps all of
    its records within ``MAX_SEARCH_TEXT``; otherwise records over it are the search's error."""
    if len(records) > MAX_RECORDS:
        raise ConnectorError(f"a search returns a list of at most {MAX_RECORDS} records")
    cut_to = min(MAX_TEXT, MAX_SEARCH_TEXT // (_TEXTS * max(1, len(records)))) if cut else None
    bounded = [_bounded(record, cut_to) for record in records]
    if sum(map(_length, bounded)) > MAX_SEARCH_TEXT:
        raise ConnectorError(f"a search's records hold at most {MAX_SEARCH_TEXT:,} characters")
    return bounded


def _length(record: SourceRecord) -> int:
    """Characters in ``record``'s fields."""
    total = 0
    for name in RECORD_FIELDS:
        value = getattr(record, name)
        if isinstance(value, Address):
            parts = (*value.lines, value.city, value.region, value.postal_code, value.country)
            total += sum(map(len, parts))
        else:
            total += len(value)
    return total


def _bounded(record: SourceRecord, cut_to: int | None) -> SourceRecord:
    def bounded(text: str) -> str:
        return _text(text if cut_to is None else text[:cut_to])

    changed: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = getattr(record, name)
        if isinstance(value, Address):
            parts = (value.city, value.region, value.postal_code, value.country)
            lines = tuple(map(bounded, value.lines[:MAX_ADDRESS_LINES]))
            address = Address(lines, *map(bounded, parts))
            if address != value:
                changed[name] = address
        elif (kept := bounded(value)) != value:
            changed[name] = kept
    return replace(record, **changed) if changed else record


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ConnectorError(f"expected text, got {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise ConnectorError(f"a field is longer than {MAX_TEXT} characters")
    return plain_text(value)
