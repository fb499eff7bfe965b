"""The audit log's row format and its hash chain: what a row holds and how it is hashed.

Apart from the log so that the format has one home: the log writes rows with it, journal
recovery and ``verify`` check rows against it, and none of it touches a file or a thread.
A row's hash covers its own fields and the previous row's hash, starting from ``GENESIS``.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from functools import lru_cache

GENESIS = "0" * 64


@dataclass(slots=True)
class AuditEvent:
    """What happened: ``event`` is request, cached, refused, error or override. (Not frozen: one
    is made per request, and a frozen dataclass costs three times as much to build.)"""

    event: str
    method: str
    url: str
    status: int | None = None
    rule: str = ""
    connector: str = ""
    purpose: str = ""
    debtor_ref: str = ""
    detail: str = ""


@dataclass(slots=True)
class AuditRow(AuditEvent):
    """A stored event with its place in the chain."""

    seq: int = 0
    ts: str = ""
    prev_hash: str = ""
    hash: str = ""

    def as_event(self) -> AuditEvent:
        """The fields the row's hash covers, besides its place in the chain."""
        return AuditEvent(*(getattr(self, name) for name in _EVENT_FIELDS))


@dataclass(frozen=True)
class Verification:
    """The outcome of ``verify``: ``bad_seq`` is the first row that breaks the chain."""

    ok: bool
    rows: int
    head: str
    bad_seq: int | None = None
    reason: str = ""


_EVENT_FIELDS = [f.name for f in fields(AuditEvent)]
COLUMNS = ["seq", "ts", *_EVENT_FIELDS, "prev_hash", "hash"]
_encode = json.JSONEncoder(ensure_ascii=False).encode
_quote = json.encoder.encode_basestring

StoredRow = list[object]
"""A row as stored: the values of COLUMNS, in order."""


def row_hash(prev_hash: str, seq: int, ts: str, event: AuditEvent) -> str:
    """The chain hash of one row: its fields and the hash before it."""
    return _digest(_payload(prev_hash, seq, ts, [getattr(event, name) for name in _EVENT_FIELDS]))


def _payload(prev_hash: str, seq: int, ts: str, values: list[object]) -> str:
    """What a row's hash is taken of; also the row's line in the journal. The same text as
    ``json.dumps([prev_hash, seq, ts, *values], ensure_ascii=False)``, built a third faster for
    the strings, integers and nulls a row holds (one row is written per request)."""
    parts = [_quote(prev_hash), str(seq), _quote(ts)]
    for value in values:
        if type(value) is str:
            parts.append(_quote(value))
        elif value is None:
            parts.append("null")
        else:
            parts.append(str(value) if type(value) is int else _encode(value))
    return "[" + ", ".join(parts) + "]"


def _encodable(value: object) -> object:
    """``value`` with any text UTF-8 cannot carry escaped."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _storable(values: list[object]) -> bool:
    """Event fields of the types a stored row needs (a status is a number or null)."""
    return len(values) == len(_EVENT_FIELDS) and all(
        (value is None or type(value) is int) if name == "status" else type(value) is str
        for name, value in zip(_EVENT_FIELDS, values, strict=True)
    )


def _now() -> str:
    """The time in UTC, ISO 8601 to the microsecond (as ``datetime.isoformat`` writes it), in a
    third of the time: the date and second are formatted once a second."""
    second, micro = divmod(time.time_ns() // 1000, 1_000_000)
    return f"{_second(second)}.{micro:06d}+00:00"


@lru_cache(maxsize=2)
def _second(epoch_second: int) -> str:
    return datetime.fromtimestamp(epoch_second, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _digest(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _chain(rows: list[StoredRow], head: tuple[int, str]) -> None:
    """Give ``rows`` the places after ``head``, re-hashing them if another writer (or another
    log of this process) took those places first."""
    for row in rows:
        seq = head[0] + 1
        if row[0] != seq or row[-2] != head[1]:
            digest = _digest(_payload(head[1], seq, str(row[1]), row[2:-2]))
            row[0], row[-2], row[-1] = seq, head[1], digest
        head = (seq, str(row[-1]))
