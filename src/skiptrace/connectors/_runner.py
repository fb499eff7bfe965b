"""Running one connector for one query, with an honest ``Status``: a rate limit is not "no
result", and neither is a connector's own bug."""

from __future__ import annotations

from dataclasses import dataclass

from skiptrace.connectors import Session
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import key_missing
from skiptrace.errors import Refused, SkiptraceError, SourceTimeout, SourceUnavailable
from skiptrace.records import Query, SourceRecord, Status


@dataclass(frozen=True)
class ConnectorResult:
    """What one connector found for one query, and how that went."""

    connector: str
    status: Status
    records: tuple[SourceRecord, ...] = ()
    detail: str = ""


async def run_connector(
    connector: Connector, session: Session, query: Query, *, key_required: bool = True
) -> ConnectorResult:
    """Search ``connector`` for ``query``; never raises for a source's or a connector's fault."""
    info = connector.info
    missing = info.missing(query)
    if missing:
        return ConnectorResult(info.id, Status.SKIPPED, detail=f"needs {', '.join(missing)}")
    if key_required and key_missing(info):
        assert info.api_key is not None
        return ConnectorResult(info.id, Status.NEEDS_KEY, detail=f"set {info.api_key.env}")
    try:
        records = await connector.search(session, query)
    except SourceUnavailable as exc:
        if exc.status in (Status.RATE_LIMITED, Status.BLOCKED):
            return ConnectorResult(info.id, Status(exc.status), detail=exc.detail)
        return ConnectorResult(info.id, Status.ERROR, detail=f"{exc.status}: {exc.detail}")
    except Refused as exc:
        return ConnectorResult(info.id, Status.REFUSED, detail=f"{exc.rule}: {exc.url}")
    except SourceTimeout as exc:
        return ConnectorResult(info.id, Status.TIMEOUT, detail=str(exc))
    except SkiptraceError as exc:
        return ConnectorResult(info.id, Status.ERROR, detail=str(exc))
    except Exception as exc:  # a connector's own bug must not end the run
        return ConnectorResult(info.id, Status.ERROR, detail=f"{type(exc).__name__}: {exc}")
    status = Status.HIT if records else Status.NO_RESULT
    return ConnectorResult(info.id, status, tuple(records))
