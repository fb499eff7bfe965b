"""One connector, one query, an honest status: what each failure becomes."""

from __future__ import annotations

import asyncio

import pytest

from skiptrace.connectors import Session
from skiptrace.connectors._model import ConnectorInfo
from skiptrace.connectors._runner import run_connector
from skiptrace.errors import (
    ConnectorError,
    HardRuleRefusal,
    SourceError,
    SourceTimeout,
    SourceUnavailable,
)
from skiptrace.records import Query, SourceRecord

INFO = ConnectorInfo(
    id="failing", name="failing", version="1", gives=("employer",), needs=("employer",),
    optional=(), terms="https://failing.example/terms", origins=("https://failing.example",),
)  # fmt: skip


class Failing:
    info = INFO

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        raise self.error

    async def aclose(self) -> None:
        return None


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (SourceTimeout("took longer than 60 s (limits.request_seconds)"), "timeout"),
        (SourceError("answered HTTP 500"), "error"),
        (SourceUnavailable("failing", "rate_limited", "HTTP 429 after retries"), "rate_limited"),
        (SourceUnavailable("failing", "down for maintenance", "back at noon"), "error"),
        (HardRuleRefusal("origin", "https://else.example/", "not declared"), "refused"),
        (ConnectorError("put the debtor's name in a path"), "error"),
        (KeyError("results"), "error"),
    ],
)
def test_every_failure_has_its_status_and_never_reads_as_no_result(
    error: Exception, status: str
) -> None:
    query = Query.of("A-1", employer="Acme")
    result = asyncio.run(run_connector(Failing(error), None, query))  # type: ignore[arg-type]  # never used
    assert (result.status, result.records) == (status, ())
    assert result.detail
