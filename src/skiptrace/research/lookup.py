"""One debtor, researched: every connector that can use the fields given, in parallel across
hosts, and the candidates they returned scored against the debtor, best first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from skiptrace.audit import AuditLog
from skiptrace.connectors._model import Connector
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.errors import InputError
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.findings import Candidate, candidates
from skiptrace.research.run import Run


@dataclass(frozen=True)
class Lookup:
    """What a lookup found: each source's answer, and the candidates ranked."""

    query: Query
    results: list[ConnectorResult]
    candidates: list[Candidate]


async def lookup(
    query: Query,
    connectors: Sequence[Connector],
    *,
    policy: Policy,
    audit: AuditLog,
    purpose: str,
    on_result: Callable[[ConnectorResult], None] | None = None,
) -> Lookup:
    """Research ``query`` with ``connectors`` under ``policy``, every request in ``audit``;
    ``on_result`` hears of each source's result as soon as it is ready. InputError if a value
    holds text UTF-8 cannot carry (lone surrogates, from ``os.fsdecode`` of bytes that are not
    UTF-8): each source's request failed with it, as an outage would."""
    for name, value in [("debtor_ref", query.debtor_ref), *query.values.items()]:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(
                f"the query's {name} {value!r} holds bytes that are not UTF-8 text: give it as text"
            ) from None
    async with Run(policy, audit, connectors, purpose=purpose) as run:
        results = await run.research(query, on_result=on_result)
    return Lookup(query, results, candidates(dict(query.values), results))
