"""Retries for answers that say "later": 429, 502, 503, 504, timeouts and dropped connections.

A connection that cannot be made (refused, no address, no route, no connection in time) is not
retried: it fails at once, its message starting ``unreachable:`` and the error marked
``unreachable`` (``net.reasons``: the audit log's error row says it in the words ``lookup`` and
``enrich`` use), and a source that is down is reported within seconds; the rows it leaves
incomplete are researched again by the next run.

Waits honour Retry-After, add jitter, and slow the host down until it answers again. A guard
refusal is never retried (it is not an httpx error and passes straight through), and a wait
longer than ``max_wait`` (a minute), or one that would outlast the request's deadline or its
source's (``deadline.seconds_left``), ends the retries: the caller sees the 429 and reports the
source as rate-limited rather than hanging or timing out. A retry whose turn this machine
cannot keep (``PaceError``) is not sent, its error the request's: the answer it followed is
audited first, as for every retry.
"""

from __future__ import annotations

import email.utils
import functools
import random
import time
from collections.abc import Callable

import httpx

from skiptrace.errors import PaceError
from skiptrace.net.extensions import REASON
from skiptrace.net.layers.deadline import seconds_left
from skiptrace.net.layers.ratelimit import HostLimiter, stop_for
from skiptrace.net.reasons import ERROR as ERROR_REASON
from skiptrace.net.reasons import TIMEOUT as TIMEOUT_REASON
from skiptrace.net.reasons import UNREACHABLE as UNREACHABLE_REASON
from skiptrace.net.reasons import answer_reason, mark
from skiptrace.net.urls import canonical_host

RETRY_STATUSES = frozenset({429, 502, 503, 504})
RETRY_ERRORS = (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout,
                httpx.RemoteProtocolError)  # fmt: skip
"""A connect timeout (``ConnectTimeout``) or a refused connection (``ConnectError``) is not here."""
UNREACHABLE = "unreachable: "
"""How the message of a connection that could not be made starts."""


def retry_after(response: httpx.Response) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), if any."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():  # "²" is a digit to str.isdigit, not to float()
        return float(value)
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class RetryTransport(httpx.AsyncBaseTransport):
    """Up to ``attempts`` tries per request, waiting politely between them.

    ``on_retry`` hears of every attempt that is tried again (the guard audits it), the
    answer or error marked with its reason (``net.reasons``).
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        limiter: HostLimiter,
        *,
        attempts: int = 3,
        base_wait: float = 1.0,
        max_wait: float = 60.0,
        on_retry: Callable[[httpx.Request, httpx.Response | Exception], None] | None = None,
    ) -> None:
        self._inner = inner
        self._limiter = limiter
        self._attempts = attempts
        self._base_wait = base_wait
        self._max_wait = max_wait
        self._on_retry = on_retry or (lambda request, answer: None)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._attempts_of(request)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            if str(error).startswith(UNREACHABLE):
                mark(error, UNREACHABLE_REASON)
                raise
            origin = f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"
            said = f"{UNREACHABLE}{origin}: {error or type(error).__name__}"
            raise mark(type(error)(said, request=request), UNREACHABLE_REASON) from error

    async def _attempts_of(self, request: httpx.Request) -> httpx.Response:
        host = canonical_host(request.url.host)
        stop = stop_for(str(request.url))  # a retry is stopped at its turn as a first try is
        for attempt in range(1, self._attempts):
            setbacks = self._limiter.setbacks(host)
            try:
                response = await self._inner.handle_async_request(request)
            except RETRY_ERRORS as error:
                timed_out = isinstance(error, httpx.TimeoutException)
                self._on_retry(request, mark(error, TIMEOUT_REASON if timed_out else ERROR_REASON))
                self._limiter.back_off(host)
                await self._limiter.turn(host, self._backoff(attempt), stop=stop)
                continue
            if response.status_code not in RETRY_STATUSES:
                return self._answered(host, setbacks, response)
            wait = await self._slowed(host, response, attempt)
            if wait > self._max_wait:
                return response
            response.extensions[REASON] = answer_reason(response)  # rate_limited or error
            retried = functools.partial(self._on_retry, request, response)
            try:
                turned = await self._limiter.turn(host, wait, seconds_left(), retried, stop)
            except PaceError:  # its turn not kept, the retry is not sent: its error is the
                retried()  # request's, after the answer it was to follow, on the record
                raise
            if not turned:
                return response  # waited for, the deadline would say timeout, not rate-limited
            await response.aclose()
        setbacks = self._limiter.setbacks(host)
        response = await self._inner.handle_async_request(request)
        if response.status_code in RETRY_STATUSES:  # the last answer slows the host too
            await self._slowed(host, response, self._attempts)
            return response
        return self._answered(host, setbacks, response)

    def _answered(self, host: str, setbacks: int, response: httpx.Response) -> httpx.Response:
        """An answer from a server not in trouble (under 500) speeds its host up again, one
        step (``HostLimiter.answered``); a 500 neither slows nor speeds it."""
        if response.status_code < 500:
            self._limiter.answered(host, setbacks)
        return response

    async def _slowed(self, host: str, response: httpx.Response, attempt: int) -> float:
        """The wait a 429 or 503 asks for (its Retry-After, else the attempt's back-off), the
        host slowed down by it and backed off: a wait too long to take slows it the most."""
        wait = max(retry_after(response) or 0.0, self._backoff(attempt))
        await self._limiter.slow_down(host, wait)
        self._limiter.back_off(host)
        return wait

    def _backoff(self, attempt: int) -> float:
        return float(self._base_wait * 2 ** (attempt - 1) * (1 + random.random()))

    async def aclose(self) -> None:
        await self._inner.aclose()
