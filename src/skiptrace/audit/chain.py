"""The audit log's row format and its hash chain: what a row holds and how it is hashed.

Apart from the log so that the format has one home: the log writes rows with it, journal
recovery and ``verify`` check rows against it, and none of it touches a file or a thread.
A row's hash covers its own fields and the previous row's hash, starting from ``GENESIS``:
SHA-256 of the row's text, or, in a keyed log, HMAC-SHA256 of the same text under the key
(``hasher``), so that nobody without the key can build a chain that verifies.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from functools import lru_cache

GENESIS = "0" * 64
UNKEYED = "sha256"
KEYED = "hmac-sha256"
"""The two ways a log's rows are hashed, as its ``audit_meta`` table names them."""

Hasher = Callable[[bytes], str]
"""Text to its hex digest: plain SHA-256, or HMAC-SHA256 under a key."""


@dataclass(slots=True)
class AuditEvent:
    """What happened: ``event`` is request, cached, refused, error or override; ``reason``, when
    the request got no usable answer, says why in the words ``lookup`` and ``enrich`` use
    (refused, robots_disallowed, robots_unavailable, unreachable, timeout, rate_limited,
    blocked, error), next to the raw fact (``status``, ``rule``, ``detail``). (Not frozen: one
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
    reason: str = ""


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
    """The outcome of ``verify``. ``ok``: the chain holds from the first row to the head, it
    extends the anchor if one was given, and no row records a damaged journal. ``intact``: the
    chain alone holds (``rows`` rows, up to ``head``). ``bad_seq`` is the first row that breaks
    the chain, or the first damage row; ``damage`` every row recording a damaged journal;
    ``anchored_at`` the row the anchor was found at; ``needs_key``: the log is keyed and no key
    is set, so nothing was checked."""

    ok: bool
    rows: int
    head: str
    bad_seq: int | None = None
    reason: str = ""
    intact: bool = False
    keyed: bool = False
    damage: tuple[int, ...] = ()
    anchored_at: int | None = None
    needs_key: bool = False


_EVENT_FIELDS = [f.name for f in fields(AuditEvent)]
COLUMNS = ["seq", "ts", *_EVENT_FIELDS, "prev_hash", "hash"]
_encode = json.JSONEncoder(ensure_ascii=False).encode
_quote = json.encoder.encode_basestring

StoredRow = list[object]
"""A row as stored: the values of COLUMNS, in order."""


def row_hash(prev_hash: str, seq: int, ts: str, event: AuditEvent, key: bytes | None = None) -> str:
    """The chain hash of one row: its fields and the hash before it (an HMAC under ``key``)."""
    payload = _payload(prev_hash, seq, ts, [getattr(event, name) for name in _EVENT_FIELDS])
    return hasher(key)(payload.encode("utf-8"))


def hasher(key: bytes | None) -> Hasher:
    """SHA-256, or with ``key`` HMAC-SHA256 (RFC 2104), as hex. The keyed one starts from the
    key's inner and outer states, computed once: ``hmac.digest`` sets up the key on every call
    and costs over twice as much here, on the request path."""
    if key is None:
        return _sha256_hex
    block = key if len(key) <= 64 else hashlib.sha256(key).digest()
    block = block.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in block))
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in block))

    def keyed(data: bytes) -> str:
        first = inner.copy()
        first.update(data)
        second = outer.copy()
        second.update(first.digest())
        return second.hexdigest()

    return keyed


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_id(key: bytes) -> str:
    """A name for ``key`` that gives nothing of it away: a log records the one it was written
    with, so a wrong key is reported as such rather than as row 1 edited."""
    return hasher(key)(b"skiptrace audit key id")[:16]


_ANCHOR = re.compile(r"(?:(?:row\s+)?(?P<row>[0-9]+)\s*(?::|\s)\s*)?(?P<hash>[0-9a-f]{64})")


def parse_anchor(text: str) -> tuple[int | None, str]:
    """An anchor as the operator kept it: ``HASH``, ``ROW:HASH`` or ``row ROW HASH`` (as
    ``audit anchor`` prints it); the row number, if given, and the hash. ValueError if neither."""
    found = _ANCHOR.fullmatch(text.strip().lower())
    if found is None or (found["row"] is not None and int(found["row"]) < 1):
        raise ValueError(
            f"not an anchor: {text!r} (expected a 64-digit hash, ROW:HASH, or 'row ROW HASH' "
            "as `skiptrace audit anchor` prints it)"
        )
    return (int(found["row"]) if found["row"] is not None else None), found["hash"]


def _payload(prev_hash: str, seq: int, ts: str, values: list[object]) -> str:
    """What a row's hash is taken of; also the row's line in the journal. The same text as
    ``json.dumps([prev_hash, seq, ts, *values], ensure_ascii=False)``, built a third faster for
    the strings, integers and nulls a row holds (one row is written per request).

    A row without a ``reason`` (the last field) is hashed without it, as rows were before the
    field existed: their hashes, and the journals they left, stay valid."""
    if len(values) == len(_EVENT_FIELDS) and values[-1] == "":
        values = values[:-1]
    parts = [_quote(prev_hash), str(seq), _quote(ts)]
    for value in values:
        if type(value) is str:
            parts.append(_quote(value))
        elif value is None:
            parts.append("null")
        else:
            parts.append(str(value) if type(value) is int else _encode(value))
    return "[" + ", ".join(parts) + "]"


_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f"  # C0 controls (line feed, escape), DEL, C1 controls
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides, isolates
    "\u2028\u2029\ud800-\udfff]"  # line and paragraph separators; lone surrogates (not UTF-8)
)
"""What no row holds."""


def printable(text: str) -> str:
    """``text`` as a row holds it: each character of ``_UNPRINTABLE`` written as
    Python writes it in a string (``\\n``, ``\\x1b``, ``\\u202e``). A detail quotes what a
    server or a connector chose (a redirect's parameter, a file's name); so written, however a
    row is read (``audit export`` on a terminal, ``sqlite3``), it stays one line, in its order,
    and no escape sequence in it erases or rewrites the rows around it."""
    return _UNPRINTABLE.sub(lambda found: repr(found[0])[1:-1], text)


def _storable(values: list[object]) -> list[object] | None:
    """``values`` as a stored row's event fields, if they are of the types it needs (a status
    is a number or null); a row hashed without its ``reason`` (``_payload``) gets it back, empty."""
    if len(values) == len(_EVENT_FIELDS) - 1:
        values = [*values, ""]
    ok = len(values) == len(_EVENT_FIELDS) and all(
        (value is None or type(value) is int) if name == "status" else type(value) is str
        for name, value in zip(_EVENT_FIELDS, values, strict=True)
    )
    return values if ok else None


def _now() -> str:
    """The time in UTC, ISO 8601 to the microsecond (as ``datetime.isoformat`` writes it), in a
    third of the time: the date and second are formatted once a second."""
    second, micro = divmod(time.time_ns() // 1000, 1_000_000)
    return f"{_second(second)}.{micro:06d}+00:00"


@lru_cache(maxsize=2)
def _second(epoch_second: int) -> str:
    return datetime.fromtimestamp(epoch_second, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _chain(rows: list[StoredRow], head: tuple[int, str], digest_of: Hasher = _sha256_hex) -> None:
    """Give ``rows`` the places after ``head``, hashing them (with ``digest_of``) if their hash
    is not known yet (``""``: a row written as an answer's journal line, hashed as a line), or
    re-hashing them if another writer (or another log of this process) took those places first."""
    for row in rows:
        seq = head[0] + 1
        if row[0] != seq or row[-2] != head[1] or not row[-1]:
            digest = digest_of(_payload(head[1], seq, str(row[1]), row[2:-2]).encode("utf-8"))
            row[0], row[-2], row[-1] = seq, head[1], digest
        head = (seq, str(row[-1]))
