"""URL canonicalisation: one spelling per URL, before any rule looks at it.

Rules are only as good as the URL they are applied to. ``HTTP://WWW.FaceBook.COM.:443``,
``face%62ook.com``, ``/a/../messages`` and ``/%6Dessages`` all reach the same place, so every
rule sees the canonical form built here and never the raw string. The parse itself is httpx's,
so the URL that is checked is the URL that is sent.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote, unquote

import httpx
import idna

from skiptrace.errors import HardRuleRefusal

DEFAULT_PORTS = {"http": 80, "https": 443}
_IPV4_LIKE = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}$")
_SAFE_PATH_CHARS = "!$&'()*+,;=:@-._~"
_PLAIN_PATH = re.compile(r"(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?")
_MAX_DECODE_ROUNDS = 8
_HOST_NAME = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
"""A canonical host name (or IPv4 address): dot-separated labels of letters, digits, ``-``
and ``_`` (IDNA makes every other letter ``xn--``)."""


class CanonicalURL(NamedTuple):
    """A URL reduced to the one spelling rules are applied to. (A named tuple: one is made for
    every request, and it is immutable and cheap.) ``segments`` are the path's segments fully
    percent-decoded, NFKC-folded and lower-cased, for matching only."""

    scheme: str
    host: str
    port: int | None
    path: str
    query: str
    has_userinfo: bool
    segments: tuple[str, ...]

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = f":{self.port}" if self.port is not None else ""
        query = f"?{self.query}" if self.query else ""
        return f"{self.scheme}://{host}{port}{self.path}{query}"


def canonicalize(url: httpx.URL | str) -> CanonicalURL:
    """Canonicalise ``url`` the way httpx will send it; raise HardRuleRefusal if it cannot be
    (naming it as ``unparsed`` does: no credential a rule could not read)."""
    parsed = url if isinstance(url, httpx.URL) else _parse(url)
    try:
        return _canonicalize(parsed)
    except (ValueError, UnicodeError) as exc:  # a malformed IDNA label, say
        shown = unparsed(str(parsed.copy_with(userinfo=b"") if parsed.userinfo else url))
        raise HardRuleRefusal("invalid-url", shown, str(exc)) from None


def _canonicalize(parsed: httpx.URL) -> CanonicalURL:
    scheme = parsed.scheme.lower()
    host = canonical_host(parsed.host)
    if scheme in DEFAULT_PORTS and not (_HOST_NAME.fullmatch(host) or _is_ipv6(host)):
        raise ValueError(f"the host {host!r} is neither a name nor an IP address")
    port = parsed.port if parsed.port != DEFAULT_PORTS.get(scheme) else None
    raw_path, _, raw_query = parsed.raw_path.decode("ascii", "replace").partition("?")
    if _PLAIN_PATH.fullmatch(raw_path):
        # nothing to decode or resolve: the common case, and the result of the slow path too
        path = raw_path or "/"
        pieces = raw_path.lower().split("/")
        if "." in raw_path:
            pieces = [piece.rstrip(".") for piece in pieces]
        segments = tuple(filter(None, pieces))
    else:
        segments = _decoded_segments(raw_path)  # first: it refuses a dot segment
        path = _canonical_path(raw_path)
    query = _normalise_escapes(raw_query) if "%" in raw_query else raw_query
    return CanonicalURL(scheme, host, port, path, query, bool(parsed.userinfo), segments)


def _parse(text: str) -> httpx.URL:
    """httpx's parse of ``text``; on failure retried NFKC-folded (fullwidth letters)."""
    for candidate in (text.strip(), unicodedata.normalize("NFKC", text.strip())):
        try:
            return httpx.URL(candidate)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            error = exc
    # httpx names what it could not read: with an "@" in the URL, that may be a password read
    # as a port ("Invalid port: 'pw/x'" for "bob:pw/x@host"), so only what precedes it is kept
    said = str(error) if "@" not in text else str(error).split(":", 1)[0]
    raise HardRuleRefusal("invalid-url", unparsed(text), said)


def unparsed(text: str) -> str:
    """A URL no parser reads, as a refusal names it: up to its query or path parameters,
    which no rule could read for a password or a session id, and its scheme alone if it
    holds an ``@`` anywhere: where no parser reads it, a password holding ``/``, ``?`` or
    ``#`` ends no authority (``https://bob:pa/ss@host``), nor does a scheme with no ``://``."""
    if "@" in text:
        scheme = _SCHEME.match(text)
        return f"{scheme.group(1)}://" if scheme else ""
    return _PAST_THE_PATH.split(text, 1)[0]


_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):[/\\]")
_PAST_THE_PATH = re.compile(r"[?#;]")


@lru_cache(maxsize=4096)
def canonical_host(host: str) -> str:
    """Lower-case, un-escape and IDNA-map a host; spell IP addresses the one standard way."""
    text = fully_unquote(host).strip().rstrip(".").lower()
    text = text.strip("[]")
    if ":" in text:
        return _canonical_ipv6(text)
    if _IPV4_LIKE.match(text):
        try:
            return socket.inet_ntoa(socket.inet_aton(text))
        except OSError:
            return text
    try:
        return idna.encode(unicodedata.normalize("NFKC", text), uts46=True).decode("ascii")
    except idna.IDNAError:
        if text.isascii() and "xn--" not in text:
            return text  # underscores and the like: not IDNA-valid, still a plain ASCII name
        raise


LDH_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
"""A host name's label: letters, digits and hyphens, not at either end."""


def try_canonical_host(name: str) -> str | None:
    """``canonical_host(name)``, or None where it raises; ``name`` itself, without IDNA's
    per-character tables, for a plain name: lower-case LDH labels, none with ``--`` in its
    third and fourth places, at most 253 characters, not spelt like an IPv4 address. idna
    returns such a name unchanged (every other name is left to ``canonical_host``). Not
    asking it halves the time every run takes to load the shipped host lists (0.23 s to
    0.11 s for their 5,100 names)."""
    if (
        len(name) <= 253
        and not _IPV4_LIKE.match(name)
        and all(LDH_LABEL.fullmatch(label) and label[2:4] != "--" for label in name.split("."))
    ):
        return name
    try:
        return canonical_host(name)
    except (ValueError, UnicodeError):  # idna.IDNAError is a UnicodeError
        return None


def _is_ipv6(host: str) -> bool:
    """``host`` is an IPv6 address (``canonical_host`` leaves one it cannot read as it was).
    Stricter than ``categories.is_ip_address``, which drops a zone index: a canonical host
    never has one, and ``1.2.3.4%x`` is no address."""
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


def _canonical_ipv6(text: str) -> str:
    """An IPv4-mapped address is spelt as the IPv4 one, the host a socket to it reaches. Any
    other IPv6 address keeps its own spelling, so the log names where the request went: a 6to4,
    NAT64 or IPv4-compatible address is another host, judged as its IPv4 part only by the
    address rules (``hardrules._private_kind``), never allowed as it."""
    address_text = text.split("%", 1)[0]
    try:
        address = ipaddress.IPv6Address(address_text)
    except ValueError:
        return text
    mapped = address.ipv4_mapped
    return str(mapped) if mapped is not None else str(address)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, compatible, NAT64, 6to4), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    packed = address.packed
    if packed[:12] == bytes(12) and packed[12:] != bytes(4) and int(address) > 1:
        return ipaddress.IPv4Address(packed[12:])
    if packed[:12] == bytes.fromhex("0064ff9b0000000000000000"):
        return ipaddress.IPv4Address(packed[12:])
    return None


def fully_unquote(text: str) -> str:
    """``text`` percent-decoded until no escape is left (``%253B`` is ``;``), at most
    ``_MAX_DECODE_ROUNDS`` times."""
    for _ in range(_MAX_DECODE_ROUNDS):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def _decoded_segments(raw_path: str) -> tuple[str, ...]:
    """Segments as a lenient server might read them: decoded, backslashes as slashes, no
    trailing dots. A segment that is only dots so read is an error: httpx resolves a plain
    ".." before sending, so this one goes out as written ("%2e%2e", "..;", "%5c..%5c"), and
    whether the server goes up a folder cannot be known: the path checked and logged would
    not be the path the server reads ("/messages/%2e%2e/status" is "/status" to one, and
    "messages" to another)."""
    text = unicodedata.normalize("NFKC", fully_unquote(raw_path)).casefold()
    text = text.replace("\\", "/")
    segments: list[str] = []
    for piece in text.split("/"):
        segment = piece.split(";", 1)[0].strip().strip("\x00").strip()
        if segment and not segment.strip("."):
            raise ValueError(f"a dot segment sent as written ({piece!r}): the server may read "
                             "another path than the one checked")  # fmt: skip
        segment = segment.rstrip(".")
        if segment:
            segments.append(segment)
    return tuple(segments)


def _canonical_path(raw_path: str) -> str:
    """The path for logs: escapes normalised, repeated slashes folded (a path with a dot
    segment never gets here: ``_decoded_segments`` refuses it)."""
    kept = [quote(unquote(p), safe=_SAFE_PATH_CHARS) for p in raw_path.split("/") if p]
    trailing = "/" if kept and raw_path.endswith("/") else ""
    return "/" + "/".join(kept) + trailing


def _normalise_escapes(text: str) -> str:
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), text)
