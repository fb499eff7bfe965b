"""Why a request got no usable answer, in the words ``lookup``, ``enrich`` and the summary use
(``REASONS`` in ``connectors._runner``; net may not import it, so the words are here too, and a
test holds the two lists equal).

The layer that knows the reason marks it: on an error with ``mark``, on an answer with the
``REASON`` response extension. The guard writes ``reason_of`` the outcome on the request's
audit row (its ``reason``), next to the raw fact (the status, the rule, the exception). It
never reads the reason out of a message.
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

import httpx

from skiptrace.errors import Refused, SourceTimeout
from skiptrace.net.challenge import looks_like_challenge
from skiptrace.net.extensions import REASON
from skiptrace.net.layers.deadline import past_source_deadline

REFUSED = "refused"
ROBOTS_DISALLOWED = "robots_disallowed"
ROBOTS_UNAVAILABLE = "robots_unavailable"
UNREACHABLE = "unreachable"
TIMEOUT = "timeout"
RATE_LIMITED = "rate_limited"
BLOCKED = "blocked"
ERROR = "error"
WORDS = (REFUSED, ROBOTS_DISALLOWED, ROBOTS_UNAVAILABLE, UNREACHABLE, TIMEOUT, RATE_LIMITED,
         BLOCKED, ERROR)  # fmt: skip

_MARK = "skiptrace_reason"
_Error = TypeVar("_Error", bound=BaseException)


def mark(error: _Error, reason: str) -> _Error:
    """``error``, marked with ``reason`` (one of ``WORDS``) by the layer that raises it."""
    setattr(error, _MARK, reason)
    return error


def reason_of(outcome: BaseException | httpx.Response) -> str:
    """The reason word of a request's outcome, or "" for an answer that is one (200, 404 ...)
    and for a request cancelled by anything but its source's deadline (the run stopped)."""
    if isinstance(outcome, httpx.Response):
        return str(outcome.extensions.get(REASON, ""))
    marked = getattr(outcome, _MARK, "")
    if marked:
        return str(marked)
    if isinstance(outcome, Refused):
        return REFUSED
    if isinstance(outcome, SourceTimeout):
        return TIMEOUT
    if isinstance(outcome, asyncio.CancelledError):
        return TIMEOUT if past_source_deadline() else ""
    if not isinstance(outcome, Exception):
        return ""  # KeyboardInterrupt, SystemExit: the run stopped, the source did not fail
    return ERROR


NOT_FOUND = frozenset({404, 410})
"""The only 4xx answers that say "not here" (a page or record missing, or gone)."""


NO_ANSWER = {202: "accepted, not yet answered", 206: "a part of the page, never asked for"}
"""Successes that are no answer to a request skiptrace sends (it asks for no range): read as
one, their body (``{"people": []}``) had been the whole answer, a final "no result"."""


def failed(status: int) -> bool:
    """An answer that is neither data nor "not found": 5xx, and every 4xx but 404 and 410 (a
    refused key, a rejected query, a spent quota (402), a conflict (409), a legal block
    (451)), and a ``NO_ANSWER``: never "no result"."""
    return status >= 500 or (status >= 400 and status not in NOT_FOUND) or status in NO_ANSWER


def answer_reason(response: httpx.Response) -> str:
    """The reason word an answer gives: ``rate_limited`` for a 429 (after the retries),
    ``blocked`` for a CAPTCHA or WAF challenge page, ``timeout`` for a 408, ``error`` for
    another that ``failed``; "" for any other."""
    status = response.status_code
    if status == 429:
        return RATE_LIMITED
    try:
        challenge = looks_like_challenge(response)
    except httpx.ResponseNotRead:  # a streamed answer is judged by its status only
        challenge = False
    if challenge:
        return BLOCKED
    if status == 408:
        return TIMEOUT
    return ERROR if failed(status) else ""


class ReasonTransport(httpx.AsyncBaseTransport):
    """Marks each answer from ``inner`` with the reason it gives (``answer_reason``), for the
    guard's audit row."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        reason = answer_reason(response)
        if reason:
            response.extensions[REASON] = reason
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
