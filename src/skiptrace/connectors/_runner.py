"""Running one connector for one query, with an honest ``Status``: a rate limit is not "no
result", and neither is a connector's own bug. Each result also carries a ``reason`` word from
one vocabulary (``REASONS``), which ``lookup``, ``enrich`` and the summary all show the same way:
``CONNECTOR REASON: DETAIL``."""

from __future__ import annotations

from dataclasses import dataclass, replace

import httpx

from skiptrace.connectors import Session
from skiptrace.connectors._model import Connector
from skiptrace.connectors._protocol import within_bounds
from skiptrace.connectors._registry import key_missing
from skiptrace.errors import (
    NoResult,
    NotConfigured,
    Refused,
    SkiptraceError,
    SourceTimeout,
    SourceUnavailable,
)
from skiptrace.net.layers.retry import UNREACHABLE
from skiptrace.net.layers.robots import DISALLOWED_RULE, UNAVAILABLE_RULE
from skiptrace.net.session import is_site
from skiptrace.records import Query, SourceRecord, Status, record_day
from skiptrace.safe_text import plain_text

REASONS = {
    "refused": "refused by a rule of the policy or a hard rule (the detail names the rule)",
    "robots_disallowed": "the host's robots.txt disallows the URL",
    "robots_unavailable": "the host's robots.txt could not be read (the detail says why)",
    "unreachable": "the source could not be connected to",
    "timeout": "the source did not answer in time",
    "rate_limited": "the source answered 429 (rate-limited) for the run, or its host's next "
    "turn is further off than a request may wait",
    "blocked": "the source answered with a challenge page or repeated 403s",
    "error": "the source (or its connector) failed",
}
"""Why a source gave no answer, in the words every output uses."""

NOT_ASKED = frozenset(
    {"robots_unavailable", "unreachable", "timeout", "rate_limited", "blocked", "error"}
)
"""Reasons that leave the question open: asking again later may get an answer."""


MAX_DETAIL = 2_000
"""Characters of a result's ``detail`` (``partly``, ``unread``) kept, the last of them "…" when
cut: a server's own message (``response.error``), or any a connector raised, can be as long as
an answer (a 5 MB message had been a 5 MB ``status_detail`` cell in each of its rows)."""


def _bounded(text: str) -> str:
    """``text`` as ``plain_text`` makes it, ``MAX_DETAIL`` characters at most; only the first
    ``2 * MAX_DETAIL`` are read, however long it is."""
    window = 2 * MAX_DETAIL
    said = plain_text(text[:window])
    if len(said) <= MAX_DETAIL and len(text) <= window:
        return said
    return said[: MAX_DETAIL - 1] + "…"


@dataclass(frozen=True)
class ConnectorResult:
    """What one connector found for one query, and how that went."""

    connector: str
    status: Status
    records: tuple[SourceRecord, ...] = ()
    detail: str = ""
    reason: str = ""
    """A word of ``REASONS`` when the source gave no answer (``status.unavailable``); taken
    from the status when not given."""
    partly: str = ""
    """How a search that gave records fell short (``CONNECTOR REASON: DETAIL`` of the first
    outage it met, such as a staff page that answered 500), then what its connector said it
    left unread (``CONNECTOR fell short: WHY``, also beside "no result"): its records stand,
    the rest of its answer is still owed."""
    unread: str = ""
    """What its connector said it left unread by stopping at a bound of its own (a manifest's
    ``max_pages`` reached on a full page: more records may stand past it), beside the records
    or "no result". The answer is final all the same: searching again stops at the same
    bound."""

    def __post_init__(self) -> None:
        for words in ("detail", "partly", "unread"):  # a connector's own, from wherever it searched
            object.__setattr__(self, words, _bounded(getattr(self, words)))
        if not self.reason and self.status.unavailable:
            object.__setattr__(self, "reason", str(self.status))

    @property
    def asked(self) -> bool:
        """False when the source could not be asked, or not wholly (``partly``): its answer
        is still owed."""
        return self.reason not in NOT_ASKED and not self.partly

    @property
    def explained(self) -> str:
        """``CONNECTOR REASON: DETAIL``: how every output says why a source gave no answer."""
        return f"{self.connector} {self.reason or self.status}: {self.detail}"


def refusal_reason(exc: Refused) -> str:
    """The reason word of a refusal."""
    if exc.rule == DISALLOWED_RULE:
        return "robots_disallowed"
    if exc.rule == UNAVAILABLE_RULE:
        return "robots_unavailable"
    return "refused"


def _refused(connector: str, exc: Refused) -> ConnectorResult:
    reason = refusal_reason(exc)
    if reason == "refused":
        detail = f"{exc.rule}: {exc.url}"  # the rule that refused, as the audit log names it
    else:
        detail = f"{exc.detail or exc.rule}: {exc.url}"
    return ConnectorResult(connector, Status.REFUSED, detail=detail, reason=reason)


async def run_connector(
    connector: Connector,
    session: Session,
    query: Query,
    *,
    key_required: bool = True,
    site_offered: bool = False,
) -> ConnectorResult:
    """Search ``connector`` for ``query``; never raises for a source's or a connector's fault.

    A connector that declares a search API the session has none of (the policy sets no
    ``search.searxng_url``) answers ``needs_config``, unless a site is offered without a
    search: the query's ``employer_website`` (a website), or ``site_offered`` (sites the run
    hands in). A ``site`` connector with no origins of its own, no search API and no site
    offered is skipped, saying so: it has nothing to read ("no result" would be a lie).
    """
    info = connector.info
    missing = info.missing(query)
    if missing:
        return ConnectorResult(info.id, Status.SKIPPED, detail=f"needs {', '.join(missing)}")
    withheld = [name for name in info.needs if name in info.withheld]
    if withheld:
        detail = (f"name {info.id} in the policy's connectors.contact_details to hand it the "
                  f"debtor's {' and '.join(withheld)}")  # fmt: skip
        return ConnectorResult(info.id, Status.NEEDS_CONFIG, detail=detail)
    if key_required and key_missing(info):
        assert info.api_key is not None
        if not info.api_key.granted:
            detail = (
                f"name {info.id} in the policy's connectors.keys to let it read {info.api_key.env}"
            )
        else:
            detail = f"set {info.api_key.env}"
        return ConnectorResult(info.id, Status.NEEDS_KEY, detail=detail)
    website = query.get("employer_website").strip()
    offered = info.site and (site_offered or is_site(website))
    if info.search_api and not session.search_api and not offered:
        detail = f"set search.{info.search_api}_url in the policy (or give employer_website)"
        if website and info.site:  # given, but nothing a site is: say so, not "give one"
            detail = (f"the employer_website given is no http(s) website: set "
                      f"search.{info.search_api}_url in the policy, or give one")  # fmt: skip
        return ConnectorResult(info.id, Status.NEEDS_CONFIG, detail=detail)
    if info.site and not info.search_api and not info.origins and not offered:
        detail = "needs employer_website (a website) or a site another source found"
        return ConnectorResult(info.id, Status.SKIPPED, detail=detail)
    handed = info.handed
    if website and not is_site(website):  # judged once, here: searched for as if not given
        handed = tuple(name for name in handed if name != "employer_website")
    try:
        records = within_bounds(await connector.search(session, query.only(handed)))
    except Exception as exc:  # a connector's own bug must not end the run
        result = failed(info.id, exc)
    else:
        status = Status.HIT if records else Status.NO_RESULT
        result = ConnectorResult(info.id, status, tuple(map(_dated, records)))
    if handed != info.handed and result.status != Status.HIT:
        given = "the employer_website given is no http(s) website, so its site was searched for"
        result = replace(result, detail=f"{given}: {result.detail}" if result.detail else given)
    return result


def _dated(record: SourceRecord) -> SourceRecord:
    """``record`` with its ``record_date`` an ISO day or nothing (``record_day``), whichever
    connector wrote it: a manifest's, a Python connector's, the offline index's."""
    day = record_day(record.record_date)
    return record if day == record.record_date else replace(record, record_date=day)


def failed(connector: str, exc: BaseException) -> ConnectorResult:
    """The result of a search that ended with ``exc``: said as what it is (rate-limited,
    refused, timed out, unreachable...), an error only when it is one."""
    if isinstance(exc, SourceUnavailable):
        if exc.status in (Status.RATE_LIMITED, Status.BLOCKED):
            status = Status(exc.status)
            return ConnectorResult(connector, status, detail=exc.detail, reason=str(status))
        return ConnectorResult(
            connector, Status.ERROR, detail=f"{exc.status}: {exc.detail}", reason="error"
        )
    if isinstance(exc, Refused):
        return _refused(connector, exc)
    if isinstance(exc, NoResult):
        return ConnectorResult(connector, Status.NO_RESULT, detail=str(exc))
    if isinstance(exc, NotConfigured):
        return ConnectorResult(connector, Status.NEEDS_CONFIG, detail=str(exc))
    if isinstance(exc, SourceTimeout):
        return ConnectorResult(connector, Status.TIMEOUT, detail=str(exc), reason="timeout")
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        detail = str(exc).removeprefix(UNREACHABLE) or type(exc).__name__
        return ConnectorResult(connector, Status.ERROR, detail=detail, reason="unreachable")
    if isinstance(exc, httpx.TimeoutException):
        detail = f"{type(exc).__name__}: {exc}"
        return ConnectorResult(connector, Status.TIMEOUT, detail=detail, reason="timeout")
    if isinstance(exc, SkiptraceError):
        return ConnectorResult(connector, Status.ERROR, detail=str(exc), reason="error")
    detail = f"{type(exc).__name__}: {exc}"
    return ConnectorResult(connector, Status.ERROR, detail=detail, reason="error")
