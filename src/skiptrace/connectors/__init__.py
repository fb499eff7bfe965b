"""The connector SDK: all a Python connector may import (``from skiptrace.connectors import``).

A connector is handed a ``Session`` and a ``Query`` and returns ``SourceRecord``s; it never
builds an HTTP client. It may raise ``SourceError`` (the source answered, but not usefully) and
``session.get`` raises ``SourceUnavailable`` once its source is rate-limited or blocked for the
run, ``Refused`` for one URL the guard or robots.txt will not fetch (catch it to go on with the
others), ``DebtorValueInURL`` for one whose path holds a debtor value (never sent; catch it to
skip a link a site wrote that happens to), and ``SourceTimeout`` (a ``SourceError``) for one
past its deadline. ``NoResult`` says why a search found nothing (the status stays
``no_result``), ``session.fell_short(reason)`` why it did not read all it should have when
no request failed, and ``session.left_unread(reason)`` what it chose not to read, stopping at
a bound of its own. Importing this module loads no HTTP stack, audit log or database. Most
connectors need no Python at all: see the manifest format in the README. The engine that loads
and runs connectors lives beside this module, in private modules. ``home_page`` writes a
website a source gives (``www.x.com``) the way
``SourceRecord.website`` holds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from skiptrace.errors import (
    DebtorValueInURL,
    NoResult,
    Refused,
    SourceError,
    SourceTimeout,
    SourceUnavailable,
)
from skiptrace.records import Address, Fetched, Provenance, Query, SourceRecord, home_page


class Session(Protocol):
    """A connector's one way out: guarded, cached, polite GETs made in its name."""

    async def get(self, url: str, params: Mapping[str, str] | None = None) -> Fetched:
        """GET ``url`` with ``params`` encoded into the query string (debtor values go there,
        never in the path). Raises SourceUnavailable once the source is rate-limited or blocked
        for the run, and SourceError for answers that are neither data nor "not found" (on an
        adopted site a 401, a page behind a login, is "not found": its body is left empty);
        DebtorValueInURL, nothing sent, for a path holding a debtor value as a word."""
        ...

    def segment(self, value: str) -> str:
        """``value`` (from the source's own answer) encoded as exactly one path segment."""
        ...

    def provenance(self, page: Fetched) -> Provenance:
        """Where a record read from ``page`` came from."""
        ...

    def fell_short(self, reason: str) -> None:
        """Say, in one line, why this search could not read all it should have when no request
        of it failed (a later page that came, but is not the page asked for): the records it
        returns stand, beside ``reason``, and neither they nor "no result" are final (the row
        is researched again). A failed request (5xx, 429, too slow) the session notes itself;
        a refused URL is final. The reason is cut to one line of 300 characters."""
        ...

    def left_unread(self, reason: str) -> None:
        """Say, in one line, what this search left unread by stopping at a bound of its own
        (a manifest's ``max_pages`` reached on a full page: more records may stand past it).
        Its answer is final all the same (searching again stops at the same bound), never
        said to fall short; its result says ``reason`` beside the records or "no result"
        (``ConnectorResult.unread``). Cut to one line of 300 characters, as ``fell_short``'s."""
        ...

    @property
    def search_api(self) -> str:
        """The search API's URL (a SearxNG instance's) for a connector whose manifest says
        ``search_api = "searxng"`` when the policy sets ``search.searxng_url``; else ""."""
        ...

    @property
    def offered_sites(self) -> tuple[str, ...]:
        """Websites other sources gave for the employer in this run (EDGAR's submissions carry
        one), best first, for a connector whose manifest says ``site = true``; else ``()``.
        Adopt one with ``how="offered"``; the site must still show it is the employer's."""
        ...

    async def adopt_site(self, url: str, how: str) -> str:
        """Make ``url``'s website (http and https, with and without ``www.``) readable for the
        rest of this search, and return its home page's URL (never the path or query given).
        Only for a connector whose manifest says ``site = true``; once per search (again:
        ConnectorError "one site per search"). ``how`` says where the site came from, and must
        be true: ``employer_website`` (the query's), ``search`` (a ``results[]`` URL of a search-API
        answer this search fetched) or ``offered`` (a site the run handed in). Raises
        Refused, audited, for a site the guard refuses (private, social network, directory,
        denied...) or one not offered that way."""
        ...

    async def decline(self, url: str, rule: str) -> None:
        """Record a link deliberately not followed, as an audited refusal naming ``rule``:
        ``social``, ``form``, ``login`` or ``off-site``. Nothing is sent."""
        ...


__all__ = [
    "Address",
    "DebtorValueInURL",
    "Fetched",
    "NoResult",
    "Provenance",
    "Query",
    "Refused",
    "Session",
    "SourceError",
    "SourceRecord",
    "SourceTimeout",
    "SourceUnavailable",
    "home_page",
]
