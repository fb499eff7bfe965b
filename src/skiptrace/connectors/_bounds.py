"""What one search may ask: a connector's session counted, in this process and for a sandboxed
connector's worker alike (its worker's asks reach the same session in this process).

A refused request costs its connector nothing and the audit log a row: a connector looping on
refused or cached pages wrote some 2,000 rows a second, 250,000 a search before its source's
deadline. Past ``MAX_ASKS`` the search ends, an error saying why, once on the record; the run
goes on with the next.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from skiptrace.connectors import Session
from skiptrace.errors import ConnectorError
from skiptrace.records import Fetched, Provenance

MAX_ASKS = 200
"""Pages (``get``) and sites (``adopt_site``) one search may ask for, refused and cached ones
included: the shipped connectors ask 50 at most (Companies House: a search, then 9 pages for
each of 5 officers), a manifest 20."""

MAX_URL_CHARS = 1 << 16
"""Characters in one URL asked for, its parameters included, as sent (percent-encoded: "é" is
six): httpx refuses a longer query, but only once it has encoded all of it (3,000,000
parameters held the run's loop 16 s), and in words of its own."""
_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
_KEPT = _UNRESERVED + b" "
"""Bytes a parameter is sent with as they are (a blank as "+"); every other byte is three."""
_KEPT_IN_URL = _UNRESERVED + b":/?#[]@!$&'()*+,;=%"
"""And in the URL itself, whose delimiters and escapes stay as written."""


class OverBound(ConnectorError):
    """A search past one of its bounds: it ends there, an error, whatever its connector does
    with this (a connector that catches it and returns records still fails)."""


class Bounded:
    """``session`` (the SDK's ``Session``) with its asks counted; ``crossed`` says why the
    search ended, once it passed ``MAX_ASKS``, and ``note`` writes that to the audit log."""

    def __init__(self, session: Session, note: Callable[[str], None]) -> None:
        self._session = session
        self._note = note
        self.asks = 0
        self.crossed = ""

    def _ask(self) -> None:
        """Count one ask; past the bound, end the search (said and noted once)."""
        self.asks += 1
        if self.asks <= MAX_ASKS:
            return
        if not self.crossed:
            self.crossed = f"asked for more than {MAX_ASKS} pages in one search"
            self._note(self.crossed)
        raise OverBound(self.crossed)

    async def get(self, url: str, params: Mapping[str, str] | None = None) -> Fetched:
        self._ask()
        if not _short(url, params or {}):
            raise ConnectorError(f"a URL and its parameters are at most {MAX_URL_CHARS:,} "
                                 "characters once encoded")  # fmt: skip
        return await self._session.get(url, params)

    async def adopt_site(self, url: str, how: str) -> str:
        self._ask()
        return await self._session.adopt_site(url, how)

    async def decline(self, url: str, rule: str) -> None:
        await self._session.decline(url, rule)  # bounded by the session itself

    def segment(self, value: str) -> str:
        return self._session.segment(value)

    def provenance(self, page: Fetched) -> Provenance:
        return self._session.provenance(page)

    def fell_short(self, reason: str) -> None:
        self._session.fell_short(reason)

    def left_unread(self, reason: str) -> None:
        self._session.left_unread(reason)

    @property
    def search_api(self) -> str:
        return self._session.search_api

    @property
    def offered_sites(self) -> tuple[str, ...]:
        return self._session.offered_sites


def _short(url: str, params: Mapping[str, str]) -> bool:
    """``url`` with ``params`` is at most ``MAX_URL_CHARS`` characters once percent-encoded
    (counted until it is not: a million parameters are not all read)."""
    left = MAX_URL_CHARS - _encoded(url, _KEPT_IN_URL)
    for key, value in params.items():
        left -= _encoded(str(key)) + _encoded(str(value)) + 2  # "&" and "="
        if left < 0:
            return False
    return left >= 0


def _encoded(text: str, kept: bytes = _KEPT) -> int:
    """The characters ``text`` takes once percent-encoded: a byte each, three for each byte
    not ``kept`` (counted on at most what could fit)."""
    raw = text[: MAX_URL_CHARS + 1].encode("utf-8", "replace")
    return len(raw) + 2 * len(raw.translate(None, kept))
