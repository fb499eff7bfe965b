"""Running one connector for one query, with an honest status: a rate limit is not "no result".

Statuses: hit, no_result, skipped (the query lacks a needed field), needs_key, rate_limited,
blocked, refused (a guard or robots.txt rule), error.
"""

from __future__ import annotations

from dataclasses import dataclass

from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import key_status
from skiptrace.errors import Refused, SkiptraceError, SourceUnavailable
from skiptrace.net.session import Session
from skiptrace.records import Query, SourceRecord


@dataclass(frozen=True)
class ConnectorResult:
    """What one connector found for one query, and how that went."""

    connector: str
    status: str
    records: tuple[SourceRecord, ...] = ()
    detail: str = ""


async def run_connector(
    connector: Connector, session: Session, query: Query, *, key_required: bool = True
) -> ConnectorResult:
    """Search ``connector`` for ``query``; never raises for a source's or a connector's fault."""
    info = connector.info
    missing = info.missing(query)
    if missing:
        return ConnectorResult(info.id, "skipped", detail=f"needs {', '.join(missing)}")
    if key_required and key_status(info) == "needs key":
        assert info.api_key is not None
        return ConnectorResult(info.id, "needs_key", detail=f"set {info.api_key.env}")
    try:
        records = await connector.search(session, query)
    except SourceUnavailable as exc:
        return ConnectorResult(info.id, exc.status, detail=exc.detail)
    except Refused as exc:
        return ConnectorResult(info.id, "refused", detail=f"{exc.rule}: {exc.url}")
    except SkiptraceError as exc:
        return ConnectorResult(info.id, "error", detail=str(exc))
    except Exception as exc:  # a connector's own bug must not end the run
        return ConnectorResult(info.id, "error", detail=f"{type(exc).__name__}: {exc}")
    status = "hit" if records else "no_result"
    return ConnectorResult(info.id, status, tuple(records))
