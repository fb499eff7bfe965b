"""skiptrace: find where a debtor gets mail and works, from public business records only.

The Python API (the command line is a thin layer over the same code)::

    import skiptrace

    found = skiptrace.lookup(skiptrace.Query.of(full_name="Jane Q. Roe", state="IL"),
                             purpose="collection of a debt owed")
    for candidate in found.candidates:
        print(candidate.link.score, candidate.link.band, candidate.record.mailing_address)

    summary = skiptrace.enrich("debtors.csv", purpose="collection of a debt owed")
    pairs = skiptrace.link_records(left_records, right_records)
    link = skiptrace.score_pair({"full_name": "Jane Roe"}, {"full_name": "ROE, JANE"})

Names are loaded on first use, so ``import skiptrace.connectors`` (the connector SDK) loads no
HTTP stack, audit log or matcher.
"""

from __future__ import annotations

import importlib

from skiptrace._version import __version__

TYPE_CHECKING = False  # typing is 20 ms of import before the command takes stops

if TYPE_CHECKING:
    from typing import Any

    from skiptrace.matching import link_records, score_pair
    from skiptrace.records import Query
    from skiptrace.research.api import enrich, lookup

_HOMES = {
    "lookup": "skiptrace.research.api",
    "enrich": "skiptrace.research.api",
    "link_records": "skiptrace.matching",
    "score_pair": "skiptrace.matching",
    "Query": "skiptrace.records",
}

__all__ = ["Query", "__version__", "enrich", "link_records", "lookup", "score_pair"]


def __getattr__(name: str) -> Any:
    """The public names, imported when first asked for (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'skiptrace' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
