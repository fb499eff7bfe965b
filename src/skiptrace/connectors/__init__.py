"""The connector SDK: all a Python connector may import (``from skiptrace.connectors import``).

A connector is handed a ``Session`` and a ``Query`` and returns ``SourceRecord``s; it never
builds an HTTP client. It may raise ``SourceError`` (the source answered, but not usefully) and
``session.get`` raises ``SourceUnavailable`` once its source is rate-limited or blocked for the
run. Importing this module loads no HTTP stack, audit log or database. Most connectors need no
Python at all: see the manifest format in the README. The engine that loads and runs
connectors lives beside this module, in private modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from skiptrace.errors import SourceError, SourceUnavailable
from skiptrace.records import Address, Fetched, Provenance, Query, SourceRecord


class Session(Protocol):
    """A connector's one way out: guarded, cached, polite GETs made in its name."""

    async def get(self, url: str, params: Mapping[str, str] | None = None) -> Fetched:
        """GET ``url`` with ``params`` encoded into the query string (debtor values go there,
        never in the path). Raises SourceUnavailable once the source is rate-limited or blocked
        for the run, and SourceError for answers that are neither data nor "not found"."""
        ...

    def segment(self, value: str) -> str:
        """``value`` (from the source's own answer) encoded as exactly one path segment."""
        ...

    def provenance(self, page: Fetched) -> Provenance:
        """Where a record read from ``page`` came from."""
        ...


__all__ = [
    "Address",
    "Fetched",
    "Provenance",
    "Query",
    "Session",
    "SourceError",
    "SourceRecord",
    "SourceUnavailable",
]
